"""Dates as Arabic (and English) pages write them, to ISO 8601.

Expected values were worked out by hand: 12 Ramadan 1445 is 22 March 2024 (Ramadan 1445
began on 11 March 2024 in the Umm al-Qura calendar); relative forms count back from NOW.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from marsad.parse.dates import find_date, is_date_line, parse_date

NOW = datetime(2024, 3, 10, 12, 0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Levantine / Iraqi month names, every month
        ("3 كانون الثاني 2024", "2024-01-03"),
        ("3 شباط 2024", "2024-02-03"),
        ("3 آذار 2024", "2024-03-03"),
        ("3 نيسان 2024", "2024-04-03"),
        ("3 أيار 2024", "2024-05-03"),
        ("3 حزيران 2024", "2024-06-03"),
        ("3 تموز 2024", "2024-07-03"),
        ("3 آب 2024", "2024-08-03"),
        ("3 أيلول 2024", "2024-09-03"),
        ("3 تشرين الأول 2024", "2024-10-03"),
        ("3 تشرين الثاني 2024", "2024-11-03"),
        ("3 كانون الأول 2024", "2024-12-03"),
        # Egyptian / Gulf names and their spellings
        ("3 يناير 2024", "2024-01-03"),
        ("3 فبراير 2024", "2024-02-03"),
        ("3 مارس 2024", "2024-03-03"),
        ("3 أبريل 2024", "2024-04-03"),
        ("3 ابريل 2024", "2024-04-03"),
        ("3 إبريل 2024", "2024-04-03"),
        ("3 مايو 2024", "2024-05-03"),
        ("3 يونيو 2024", "2024-06-03"),
        ("3 يونيه 2024", "2024-06-03"),
        ("3 يوليو 2024", "2024-07-03"),
        ("3 يوليه 2024", "2024-07-03"),
        ("3 أغسطس 2024", "2024-08-03"),
        ("3 سبتمبر 2024", "2024-09-03"),
        ("3 أكتوبر 2024", "2024-10-03"),
        ("3 نوفمبر 2024", "2024-11-03"),
        ("3 ديسمبر 2024", "2024-12-03"),
        # Maghrebi names
        ("3 جانفي 2024", "2024-01-03"),
        ("3 فيفري 2024", "2024-02-03"),
        ("3 أفريل 2024", "2024-04-03"),
        ("3 ماي 2024", "2024-05-03"),
        ("3 جوان 2024", "2024-06-03"),
        ("3 جويلية 2024", "2024-07-03"),
        ("3 أوت 2024", "2024-08-03"),
        # both series at once
        ("5 آذار (مارس) 2024", "2024-03-05"),
        ("5 مارس/آذار 2024", "2024-03-05"),
        # English
        ("March 5, 2024", "2024-03-05"),
        ("5 March 2024", "2024-03-05"),
        ("Mar 5th 2024", "2024-03-05"),
        ("Posted on 5th of March 2024", "2024-03-05"),
    ],
)
def test_month_names(raw: str, expected: str) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("الثلاثاء 5 آذار 2024", "2024-03-05"),
        ("الإثنين، 4 مارس 2024", "2024-03-04"),
        ("Tuesday, March 5, 2024", "2024-03-05"),
        ("الثلاثاء ٥ آذار ٢٠٢٤", "2024-03-05"),  # Arabic-Indic digits
        ("۵ مارس ۲۰۲۴", "2024-03-05"),  # Persian digits
    ],
)
def test_weekday_prefixes_and_digit_forms(raw: str, expected: str) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("05/03/2024", "2024-03-05"),  # day first
        ("5-3-2024", "2024-03-05"),
        ("5.3.2024", "2024-03-05"),
        ("2024/3/5", "2024-03-05"),
        ("٠٥/٠٣/٢٠٢٤", "2024-03-05"),
        ("31/02/2024", None),  # no such day
        ("13/13/2024", None),
    ],
)
def test_numeric_forms(raw: str, expected: str | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5 آذار 2024 - 10:30", "2024-03-05T10:30:00"),
        ("5 آذار 2024 الساعة 10:30:15", "2024-03-05T10:30:15"),
        ("٥ آذار ٢٠٢٤ - ١٠:٣٠ مساءً", "2024-03-05T22:30:00"),
        ("5 آذار 2024 10:30 صباحاً", "2024-03-05T10:30:00"),
        ("5 آذار 2024 12:15 صباحا", "2024-03-05T00:15:00"),
        ("5 آذار 2024 12:15 ظهراً", "2024-03-05T12:15:00"),
        ("5 آذار 2024 9:00 ليلاً", "2024-03-05T21:00:00"),
        ("5 آذار 2024 1:00 ليلاً", "2024-03-05T01:00:00"),
        ("5/3/2024 10:30 م", "2024-03-05T22:30:00"),
        ("10:30 ص 5/3/2024", "2024-03-05T10:30:00"),
        ("March 5, 2024 at 10:30 pm", "2024-03-05T22:30:00"),
        ("March 5, 2024 at 12:05 a.m.", "2024-03-05T00:05:00"),
        ("5 آذار 2024 25:30", "2024-03-05"),  # not a time of day
        ("2024-03-05T10:30:00", "2024-03-05T10:30:00"),
        ("2024-03-05T10:30:00Z", "2024-03-05T10:30:00+00:00"),
        ("2024-03-05 10:30:00+03:00", "2024-03-05T10:30:00+03:00"),
    ],
)
def test_times(raw: str, expected: str) -> None:
    assert parse_date(raw) == expected


def test_year_after_date_is_the_ad_mark_not_pm() -> None:
    # «م» after a year means AD; it must not turn a later time into PM
    assert parse_date("5 مارس 2024 م 10:30") == "2024-03-05T10:30:00"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("منذ 3 ساعات", "2024-03-10T09:00:00"),
        ("منذ ٣ ساعات", "2024-03-10T09:00:00"),
        ("منذ ساعة", "2024-03-10T11:00:00"),
        ("منذ ساعتين", "2024-03-10T10:00:00"),
        ("منذ 11 ساعة", "2024-03-10T01:00:00"),
        ("منذ ثلاث ساعات", "2024-03-10T09:00:00"),
        ("منذ دقيقة", "2024-03-10T11:59:00"),
        ("منذ 5 دقائق", "2024-03-10T11:55:00"),
        ("منذ دقيقتين", "2024-03-10T11:58:00"),
        ("منذ يوم", "2024-03-09"),
        ("منذ يومين", "2024-03-08"),
        ("قبل 5 أيام", "2024-03-05"),
        ("منذ أسبوع", "2024-03-03"),
        ("منذ أسبوعين", "2024-02-25"),
        ("منذ شهر", "2024-02-10"),
        ("منذ سنتين", "2022-03-10"),
        ("من ساعتين", "2024-03-10T10:00:00"),
        ("أمس", "2024-03-09"),
        ("البارحة", "2024-03-09"),
        ("أول أمس", "2024-03-08"),
        ("اليوم", "2024-03-10"),
        ("اليوم الساعة 08:15", "2024-03-10T08:15:00"),
        ("أمس 9:15 مساءً", "2024-03-09T21:15:00"),
        ("3 hours ago", "2024-03-10T09:00:00"),
        ("an hour ago", "2024-03-10T11:00:00"),
        ("2 days ago", "2024-03-08"),
        ("yesterday at 10:30", "2024-03-09T10:30:00"),
        ("today", "2024-03-10"),
    ],
)
def test_relative_forms(raw: str, expected: str) -> None:
    assert parse_date(raw, now=NOW) == expected


@pytest.mark.parametrize("raw", ["منذ 3 ساعات", "أمس", "اليوم", "قبل 5 أيام", "2 days ago"])
def test_relative_forms_without_now_are_none_but_still_found(raw: str) -> None:
    assert parse_date(raw) is None
    found = find_date(raw)
    assert found is not None and found.relative and found.iso is None
    assert is_date_line(raw)


def test_relative_keeps_the_timezone_of_now() -> None:
    now = datetime(2024, 3, 10, 12, 0, tzinfo=timezone(timedelta(hours=3)))
    assert parse_date("منذ ساعتين", now=now) == "2024-03-10T10:00:00+03:00"


def test_month_arithmetic_clamps_to_the_month_end() -> None:
    assert parse_date("منذ شهر", now=datetime(2024, 3, 31, 9, 0)) == "2024-02-29"


def test_absurd_relative_counts_have_no_value() -> None:
    assert parse_date("منذ 9999 سنة", now=NOW) is None


def test_some_hours_without_a_number_has_no_value() -> None:
    assert parse_date("منذ ساعات", now=NOW) is None


def test_day_and_month_without_year_needs_now() -> None:
    assert parse_date("5 آذار") is None
    assert parse_date("5 آذار", now=NOW) == "2024-03-05"
    # a day still to come this year is last year's
    assert parse_date("12 آب", now=NOW) == "2023-08-12"
    assert parse_date("5 آذار - 10:30", now=NOW) == "2024-03-05T10:30:00"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12 رمضان 1445 هـ", "2024-03-22"),
        ("12 رمضان 1445", "2024-03-22"),
        ("1445/09/12 هـ", "2024-03-22"),
        ("12/09/1445 هـ", "2024-03-22"),
        ("1445/09/12", "2024-03-22"),  # a Hijri year needs no mark
        ("١ شوال ١٤٤٥ هـ", "2024-04-10"),  # Eid al-Fitr 1445
        ("10 ذو الحجة 1445 هـ", "2024-06-16"),  # Eid al-Adha 1445
        ("1 محرم 1446 هـ", "2024-07-07"),
        ("12 رمضان 1200 هـ", None),  # outside the convertible range
    ],
)
def test_hijri_dates(raw: str, expected: str | None) -> None:
    assert parse_date(raw) == expected


def test_both_calendars_prefer_the_stated_gregorian_date() -> None:
    raw = "الثلاثاء 24 شعبان 1445 هـ الموافق 5 مارس 2024 م"
    assert parse_date(raw) == "2024-03-05"
    assert is_date_line(raw)


def test_hijri_month_safar_needs_a_year() -> None:
    # «صفر» is also the word for zero: «3 صفر» alone is not read as a date
    assert parse_date("النتيجة 3 صفر") is None


@pytest.mark.parametrize(
    "raw",
    ["", "لا تاريخ هنا", "مباراة انتهت 2-1", "في العام 2024 ارتفعت الأسعار", "الساعة", "3 أيام"],
)
def test_no_date(raw: str) -> None:
    assert parse_date(raw, now=NOW) is None


def test_long_text_is_not_searched() -> None:
    assert parse_date("كلام " * 100 + "5 آذار 2024") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5 آذار 2024 - 10:30", True),
        ("تاريخ النشر: الثلاثاء 5 آذار 2024 - الساعة 10:30", True),
        ("Posted on March 5, 2024 at 10:30 pm", True),
        ("منذ 3 ساعات", True),
        ("كتب: أحمد | 2024-03-05", False),
        ("منذ 3 سنوات والحرب مستمرة", False),
        ("أبو محمد", False),
        ("5 آذار 2024 و 6 آذار 2024", False),  # «و» is a word, not a label
    ],
)
def test_is_date_line(raw: str, expected: bool) -> None:
    assert is_date_line(raw) is expected


def test_find_date_span_points_into_the_original() -> None:
    raw = "كتب: أحمد | ٥ آذار ٢٠٢٤ - ١٠:٣٠"
    found = find_date(raw)
    assert found is not None
    assert raw[found.start : found.end] == "٥ آذار ٢٠٢٤ - ١٠:٣٠"
    assert found.iso == "2024-03-05T10:30:00" and not found.relative
