"""Dates as news pages and comment sections write them, turned into ISO 8601.

Arabic pages name months in two series (the Levantine/Iraqi «آذار» and the Egyptian/Gulf
«مارس», often both at once: «5 آذار (مارس) 2024»), Maghrebi sites use French-derived
names («أفريل»), some pages give the Hijri date («12 رمضان 1445 هـ»), and comment sections
prefer relative forms («منذ 3 ساعات»). Digits may be Arabic-Indic. Everything here works on
the text as ``normalize`` folds it (digits to ASCII, hamza forms of alef to ا, ة→ه,
harakat and tanween dropped, Latin lower-cased), so every table below is written in natural
spelling and folded once at import.

``find_date`` says where a date sits in a string (so the text parser can split
«أبو محمد | 5 آذار 2024» into an author and a date); ``parse_date`` gives only the value;
``is_date_line`` says whether a line is nothing but a date (with labels such as «نشر في» or
a weekday around it). Results are ISO 8601: a date-time (seconds included, no timezone
unless the input or ``now`` has one) when a time is given, else a date. Relative forms need
``now``: without it they are recognised but have no value.

All regular expressions are linear (bounded repetitions, no nested quantifiers), and input
longer than MAX_DATE_CHARS is not searched at all: a date is a short thing.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from hijridate import Hijri

from marsad.text.normalize import fold, normalize

# A date line, a byline or a comment header is short; longer text is prose that may mention
# a date, which is not ours to read.
MAX_DATE_CHARS = 300

# --- Month names (natural spelling; folded at import) ---------------------------------------

GREGORIAN_MONTHS: dict[str, int] = {
    # Levantine / Iraqi series
    "كانون الثاني": 1, "كانون ثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5,
    "حزيران": 6, "تموز": 7, "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين اول": 10,
    "تشرين الثاني": 11, "تشرين ثاني": 11, "كانون الأول": 12, "كانون اول": 12,
    # Egyptian / Gulf series
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "ابريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9,
    "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    # Maghrebi series (the months it shares with the Egyptian one are above)
    "جانفي": 1, "فيفري": 2, "أفريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "أوت": 8,
    # English (comment pages in the evaluation set are English, German and French)
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

HIJRI_MONTHS: dict[str, int] = {
    "محرم": 1, "صفر": 2, "ربيع الأول": 3, "ربيع الاول": 3, "ربيع أول": 3,
    "ربيع الآخر": 4, "ربيع الثاني": 4, "ربيع ثاني": 4, "جمادى الأولى": 5, "جمادى الأول": 5,
    "جمادى الآخرة": 6, "جمادى الثانية": 6, "جمادى الآخر": 6, "رجب": 7, "شعبان": 8,
    "رمضان": 9, "شوال": 10, "ذو القعدة": 11, "ذي القعدة": 11, "ذو الحجة": 12, "ذي الحجة": 12,
}

# A Hijri year is read as Hijri even without «هـ»: no news page is dated 1445 AD.
HIJRI_YEARS = range(1300, 1501)
# Marks that say "this is the Hijri date" (folded: «هـ» loses its tatweel).
HIJRI_MARKERS = ("هـ", "ه", "هجري", "هجرية", "للهجرة", "ah")

WEEKDAYS: tuple[str, ...] = (
    "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت",
    "أحد", "اثنين", "ثلاثاء", "أربعاء", "خميس", "جمعة", "سبت",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
)

# Words that may surround a date on a date line without making it prose
# («تاريخ النشر: الثلاثاء 5 آذار 2024 - الساعة 10:30», «Posted on March 5, 2024 at 10:30»).
DATE_LINE_FILLER: tuple[str, ...] = (
    *WEEKDAYS,
    "تاريخ", "التاريخ", "النشر", "نشر", "نشرت", "منشور", "بتاريخ", "في", "يوم", "آخر", "اخر",
    "تحديث", "التحديث", "محدث", "تم", "الموافق", "الساعة", "ساعة", "م", "ص", "ميلادي",
    *HIJRI_MARKERS,
    "posted", "published", "updated", "last", "on", "at", "date", "the", "of", "am", "pm",
)

# --- Times --------------------------------------------------------------------------------

AM_MARKERS = ("صباحا", "صباحاً", "صباح", "فجرا", "فجراً", "ص", "am", "a.m.", "a.m")
PM_MARKERS = ("مساء", "مساءً", "مساءا", "عصرا", "عصراً", "ظهرا", "ظهراً", "م", "pm", "p.m.", "p.m")
# «ليلاً»: 9 ليلاً is 21:00 but 1 ليلاً is 01:00.
NIGHT_MARKERS = ("ليلا", "ليلاً")
NIGHT_PM_FROM_HOUR = 6

# --- Relative forms -----------------------------------------------------------------------

# unit word → (unit, count implied by the word: 1 singular, 2 dual, None when a number
# must come before it)
RELATIVE_UNITS: dict[str, tuple[str, int | None]] = {
    "ثانية": ("seconds", 1), "ثوان": ("seconds", None), "ثواني": ("seconds", None),
    "ثانيتين": ("seconds", 2), "ثانيتان": ("seconds", 2),
    "دقيقة": ("minutes", 1), "دقائق": ("minutes", None), "دقايق": ("minutes", None),
    "دقيقتين": ("minutes", 2), "دقيقتان": ("minutes", 2),
    "ساعة": ("hours", 1), "ساعات": ("hours", None), "ساعتين": ("hours", 2),
    "ساعتان": ("hours", 2),
    "يوم": ("days", 1), "أيام": ("days", None), "يومين": ("days", 2), "يومان": ("days", 2),
    "أسبوع": ("weeks", 1), "أسابيع": ("weeks", None), "أسبوعين": ("weeks", 2),
    "أسبوعان": ("weeks", 2),
    "شهر": ("months", 1), "أشهر": ("months", None), "شهور": ("months", None),
    "شهرين": ("months", 2), "شهران": ("months", 2),
    "سنة": ("years", 1), "سنوات": ("years", None), "سنين": ("years", None),
    "سنتين": ("years", 2), "سنتان": ("years", 2), "عام": ("years", 1),
    "أعوام": ("years", None), "عامين": ("years", 2), "عامان": ("years", 2),
    "second": ("seconds", 1), "seconds": ("seconds", None), "sec": ("seconds", None),
    "secs": ("seconds", None), "minute": ("minutes", 1), "minutes": ("minutes", None),
    "min": ("minutes", None), "mins": ("minutes", None), "hour": ("hours", 1),
    "hours": ("hours", None), "hr": ("hours", None), "hrs": ("hours", None),
    "day": ("days", 1), "days": ("days", None), "week": ("weeks", 1),
    "weeks": ("weeks", None), "month": ("months", 1), "months": ("months", None),
    "year": ("years", 1), "years": ("years", None),
}
NUMBER_WORDS: dict[str, int] = {
    "واحد": 1, "واحدة": 1, "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "خمس": 5,
    "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7, "ثماني": 8, "ثمان": 8, "ثمانية": 8,
    "تسع": 9, "تسعة": 9, "عشر": 10, "عشرة": 10,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}
RELATIVE_BEFORE = ("منذ", "قبل", "من")  # «منذ 3 ساعات», «قبل 5 أيام», Gulf «من ساعتين»
RELATIVE_AFTER = ("ago",)  # «3 hours ago»
# Named days, as days before ``now``.
DAY_WORDS: dict[str, int] = {
    "اليوم": 0, "امس": 1, "أمس": 1, "البارحة": 1, "الأمس": 1, "أول أمس": 2,
    "أول من أمس": 2, "today": 0, "yesterday": 1,
}


# --- Compiled patterns --------------------------------------------------------------------


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of folded words, longest first so «كانون الثاني» beats «كانون»."""
    folded = {fold(w) for w in words}
    return "|".join(re.escape(w) for w in sorted(folded, key=len, reverse=True) if w)


def _folded_table(table: dict[str, int]) -> dict[str, int]:
    return {fold(k): v for k, v in table.items()}


_GREG = _folded_table(GREGORIAN_MONTHS)
_HIJRI = _folded_table(HIJRI_MONTHS)
_UNITS = {fold(k): v for k, v in RELATIVE_UNITS.items()}
_NUMBERS = _folded_table(NUMBER_WORDS)
_DAYS = _folded_table(DAY_WORDS)
_FILLER = frozenset(fold(w) for w in DATE_LINE_FILLER)
_AM = frozenset(fold(w) for w in AM_MARKERS)
_PM = frozenset(fold(w) for w in PM_MARKERS)
_NIGHT = frozenset(fold(w) for w in NIGHT_MARKERS)

_B = r"(?<![\w])"  # word start (\w covers Arabic letters and digits)
_E = r"(?![\w])"  # word end
_GM = _alternation(_GREG)
_HM = _alternation(_HIJRI)
_HMARK = _alternation(HIJRI_MARKERS)
_ORD = r"(?:st|nd|rd|th)?"
_SEP = r"[ ,،/.\-]{1,3}"  # between day, month and year: «5 آذار 2024», «5-آذار-2024»

ISO_DATETIME_RE = re.compile(
    r"(?<!\d)\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"
    r"(?:z|[+-]\d{2}:?\d{2})?(?!\d)"
)
# «5 آذار 2024», «5 من آذار (مارس) 2024», «5th of March 2024»: day, month (a second name
# may follow: the other series), year (optional: see _without_year).
DAY_MONTH_YEAR_RE = re.compile(
    rf"{_B}(?P<d>\d{{1,2}}){_ORD}{_SEP}(?:من |of )?(?:شهر )?(?P<m>{_GM}){_E}"
    rf"(?:[ /(]{{1,3}}(?P<m2>{_GM})\)?)?(?:{_SEP}(?:سنه |عام )?(?P<y>\d{{4}}))?(?!\d)"
)
# «March 5, 2024», «Mar 5th 2024»: an English order, so English names only; the lookahead
# lets the scan skip every position that cannot start one.
_GM_LATIN = _alternation(w for w in _GREG if w.isascii())
MONTH_DAY_YEAR_RE = re.compile(
    rf"{_B}(?=[a-z])(?P<m>{_GM_LATIN})\.?[ ]{{1,2}}(?P<d>\d{{1,2}}){_ORD},?[ ]{{1,2}}"
    r"(?P<y>\d{4})(?!\d)"
)
YMD_RE = re.compile(r"(?<!\d)(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d)")
DMY_RE = re.compile(r"(?<!\d)(?P<d>\d{1,2})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<y>\d{4})(?!\d)")
HIJRI_NAMED_RE = re.compile(
    rf"{_B}(?P<d>\d{{1,2}}){_SEP}(?:من )?(?:شهر )?(?P<m>{_HM}){_E}"
    rf"(?:{_SEP}(?P<y>\d{{3,4}}))?(?:[ ]?(?:{_HMARK}){_E})?"
)
HIJRI_MARK_AFTER_RE = re.compile(rf"[ ]?(?:{_HMARK}){_E}")  # used with .match(text, pos)
TIME_RE = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?![\d:])"
    r"(?:[ ]?(?P<ap>[^\W\d_]{1,6}(?:\.[^\W\d_]\.?)?))?"
)
RELATIVE_RE = re.compile(
    rf"{_B}(?:{_alternation(RELATIVE_BEFORE)})[ ](?:(?P<n>\d{{1,4}}|{_alternation(_NUMBERS)})[ ])?"
    rf"(?P<u>{_alternation(_UNITS)}){_E}"
)
# «3 hours ago»: English, so English numbers and units only (and the same lookahead).
RELATIVE_AGO_RE = re.compile(
    rf"{_B}(?=[\da-z])(?:(?P<n>\d{{1,4}}|{_alternation(w for w in _NUMBERS if w.isascii())})"
    rf"[ ])?(?P<u>{_alternation(w for w in _UNITS if w.isascii())})"
    rf"[ ](?:{_alternation(RELATIVE_AFTER)}){_E}"
)
DAY_WORD_RE = re.compile(rf"{_B}(?P<w>{_alternation(_DAYS)}){_E}")
_WORD_RE = re.compile(r"[^\W_]{1,40}")


@dataclass(frozen=True)
class DateMatch:
    """A date found in a string: its ISO value and its span in the original string.

    ``relative`` marks a date read against ``now`` (a relative form, or a day and month
    without a year); its ``iso`` is None when ``now`` was not given. ``start``/``end``
    cover the date and its time of day.
    """

    iso: str | None
    start: int
    end: int
    relative: bool = False


def parse_date(raw: str, *, now: datetime | None = None) -> str | None:
    """The ISO 8601 value of the date in ``raw``, or None when there is none (or it is
    relative and ``now`` is not given)."""
    found = find_date(raw, now=now)
    return found.iso if found else None


# A line rarely states more than two dates (Hijri and Gregorian; published and updated).
MAX_DATES_PER_LINE = 3


def is_date_line(raw: str) -> bool:
    """True when ``raw`` holds a date and nothing else but date labels, weekdays and marks.

    The text parser uses it to tell a comment's date line from its text, and a page's
    dateline from its first paragraph; it needs no ``now`` (relative forms count).
    """
    rest = raw
    found = find_date(rest)
    if found is None:
        return False
    for _ in range(MAX_DATES_PER_LINE):
        rest = rest[: found.start] + " " * (found.end - found.start) + rest[found.end :]
        next_found = find_date(rest)
        if next_found is None:
            break
        found = next_found
    return all(word in _FILLER for word in _WORD_RE.findall(fold(rest)))


def find_date(raw: str, *, now: datetime | None = None) -> DateMatch | None:
    """Where the first date in ``raw`` is, and its value; None when there is no date."""
    if not raw or len(raw) > MAX_DATE_CHARS:
        return None
    return _find_date(raw, now)


# The text parser asks about the same short lines several times (is it a date line? whose
# date?); normalising is the cost, so answers are kept for a while.
@lru_cache(maxsize=4096)
def _find_date(raw: str, now: datetime | None) -> DateMatch | None:
    norm = normalize(raw, lower=True, collapse_space=True)
    text = norm.text
    found = _absolute(text) or _relative(text, now) or _without_year(text, now)
    if found is None:
        return None
    o_start, o_end = norm.span_to_original(found.start, found.end)
    return DateMatch(iso=found.iso, start=o_start, end=o_end, relative=found.relative)


def _absolute(text: str) -> DateMatch | None:
    """Calendar dates with a year, tried from the most to the least specific form."""
    m = ISO_DATETIME_RE.search(text)
    if m:
        try:
            value = datetime.fromisoformat(m.group(0).upper().replace("Z", "+00:00"))
        except ValueError:
            value = None
        if value is not None:
            return DateMatch(value.isoformat(timespec="seconds"), m.start(), m.end())
    # A page that gives both calendars («… 1445 هـ الموافق 5 مارس 2024 م») is read by the
    # Gregorian date it states, not by our conversion of the Hijri one.
    for found in (_gregorian_named(text), _hijri_named(text), _numeric(text)):
        if found is not None:
            day, start, end = found
            return _with_time(text, day, start, end)
    return None


def _gregorian_named(text: str) -> tuple[date, int, int] | None:
    for pattern in (DAY_MONTH_YEAR_RE, MONTH_DAY_YEAR_RE):
        for m in pattern.finditer(text):
            if not m.group("y"):
                continue
            value = _safe_date(int(m.group("y")), _GREG[m.group("m")], int(m.group("d")))
            if value is not None:
                return value, m.start(), m.end()
    return None


def _without_year(text: str, now: datetime | None) -> DateMatch | None:
    """«5 آذار» in a comment list: this year, unless that day is still to come."""
    for m in DAY_MONTH_YEAR_RE.finditer(text):
        month, day = _GREG[m.group("m")], int(m.group("d"))
        if _safe_date(2000, month, day) is None:  # 2000 is a leap year: 29 شباط passes
            continue
        if now is None:
            span = _time_span(text, m.start(), m.end())
            return DateMatch(None, span[0], span[1], relative=True)
        value = _safe_date(now.year, month, day)
        if value is None or value > now.date():
            value = _safe_date(now.year - 1, month, day)
        if value is None:
            continue
        found = _with_time(text, value, m.start(), m.end())
        return DateMatch(found.iso, found.start, found.end, relative=True)
    return None


def _hijri_named(text: str) -> tuple[date, int, int] | None:
    for m in HIJRI_NAMED_RE.finditer(text):
        if not m.group("y"):
            continue
        value = _from_hijri(int(m.group("y")), _HIJRI[m.group("m")], int(m.group("d")))
        if value is not None:
            return value, m.start(), m.end()
    return None


def _numeric(text: str) -> tuple[date, int, int] | None:
    """2024-03-05 (year first), 05/03/2024 and 5-3-2024 (day first), Hijri when the year is."""
    for pattern in (YMD_RE, DMY_RE):
        for m in pattern.finditer(text):
            year, month, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            end = m.end()
            mark = HIJRI_MARK_AFTER_RE.match(text, end)
            if mark or year in HIJRI_YEARS:
                value = _from_hijri(year, month, day)
                end = mark.end() if mark else end
            else:
                value = _safe_date(year, month, day)
            if value is not None:
                return value, m.start(), end
    return None


def _find_clock(text: str, start: int, end: int) -> tuple[tuple[int, int, int], int, int] | None:
    """The first valid time of day outside ``text[start:end]``: (h, m, s) and its span."""
    for m in TIME_RE.finditer(text):
        if start <= m.start() < end:
            continue
        clock = _clock(m)
        if clock is not None:
            return clock[:3], m.start(), clock[3]
    return None


def _time_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The date's span widened to its time of day, when it has one."""
    found = _find_clock(text, start, end)
    if found is None:
        return start, end
    return min(start, found[1]), max(end, found[2])


def _with_time(text: str, day: date, start: int, end: int) -> DateMatch:
    """The day with the first time of day outside the date itself, the span widened to it."""
    found = _find_clock(text, start, end)
    if found is None:
        return DateMatch(day.isoformat(), start, end)
    (hour, minute, second), t_start, t_end = found
    value = datetime(day.year, day.month, day.day, hour, minute, second)
    return DateMatch(value.isoformat(), min(start, t_start), max(end, t_end))


def _clock(m: re.Match[str]) -> tuple[int, int, int, int] | None:
    """Hour, minute, second (24-hour clock) and the match end, or None for no valid time."""
    hour, minute = int(m.group("h")), int(m.group("mi"))
    second = int(m.group("s") or 0)
    end = m.end()
    marker = m.group("ap")
    if marker in _PM:
        if hour < 12:
            hour += 12
    elif marker in _NIGHT:
        if NIGHT_PM_FROM_HOUR <= hour < 12:
            hour += 12
    elif marker in _AM:
        if hour == 12:
            hour = 0
    else:
        end = m.end("s") if m.group("s") else m.end("mi")  # the word after is not ours
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second, end


def _relative(text: str, now: datetime | None) -> DateMatch | None:
    """«منذ 3 ساعات», «قبل يومين», «3 hours ago», «أمس الساعة 10:30»."""
    for pattern in (RELATIVE_RE, RELATIVE_AGO_RE):
        m = pattern.search(text)
        if m is None:
            continue
        unit, implied = _UNITS[m.group("u")]
        raw_n = m.group("n")
        if raw_n:
            count = int(raw_n) if raw_n.isdigit() else _NUMBERS[raw_n]
        elif implied is not None:
            count = implied
        else:
            continue  # «منذ ساعات»: some hours, no value
        iso = _shift(now, unit, count) if now is not None else None
        return DateMatch(iso, m.start(), m.end(), relative=True)
    m = DAY_WORD_RE.search(text)
    if m is None:
        return None
    if now is None:
        start, end = _time_span(text, m.start(), m.end())
        return DateMatch(None, start, end, relative=True)
    day = (now - timedelta(days=_DAYS[m.group("w")])).date()
    found = _with_time(text, day, m.start(), m.end())
    return DateMatch(found.iso, found.start, found.end, relative=True)


def _shift(now: datetime, unit: str, count: int) -> str | None:
    """``now`` minus ``count`` units: a date-time for hours and less, a date for days and more.

    None when that falls before year 1 («منذ 9999 سنة» is a joke, not a date).
    """
    try:
        if unit in ("seconds", "minutes", "hours"):
            value = now - timedelta(**{unit: count})
            return value.replace(microsecond=0).isoformat()
        if unit in ("days", "weeks"):
            return (now - timedelta(**{unit: count})).date().isoformat()
        months = count * (12 if unit == "years" else 1)
        year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
        day = min(now.day, calendar.monthrange(year, month + 1)[1])
        return date(year, month + 1, day).isoformat()
    except (ValueError, OverflowError):
        return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_hijri(year: int, month: int, day: int) -> date | None:
    """The Gregorian date of a Hijri (Umm al-Qura) date; None outside hijridate's range."""
    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return date(g.year, g.month, g.day)
