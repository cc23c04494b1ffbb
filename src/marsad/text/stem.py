"""Light stemming for search: the one function that makes index terms and query terms.

A word is first normalised and tokenised by the shared modules (so الرقة/الرقه and
إيران/ايران are already one form), then reduced to a few *readings*, each a light stem:

1. attached clitics (و ف ب ل ك, and ل + ال written لل) are read both ways, through
   ``marsad.text.match.clitic_readings``: a bare «وزير» may be و + زير or the word وزير,
   and only a lexicon could tell. Rather than guess, a word yields every reading and a
   query word matches a text word when their readings share a stem. The reading without
   any clitic is always among them, so names that begin with those letters (وليد، بشار،
   ليبيا) still find themselves;
2. the article ال is stripped (it is never ambiguous enough to be worth a second reading);
3. a small table maps common broken plurals to their singular (الوزراء → وزير);
4. suffixes are stripped in three ordered slots — a pronoun (ها، هم، ه …), a plural or
   adjectival ending (ات، ون، ين، يه), then a final ي — each only while a stem of at least
   ``MIN_STEM`` letters remains (المستشفيات → مستشف ← المستشفى).

Rejected as over-stemming, with the words that decided it (tests keep them apart):
- Light10's rule of one clitic reading per word (it strips و when three letters remain):
  وزير → زير on one side and الوزير → وزير on the other would never meet;
- the dual/plural ان: لبنان → لبن (milk), ايران → اير, بيان → بي, مكان → مك;
- the pronouns ك، كم، كن: ملك → مل، حاكم → حا، محاكم → محا;
- verb prefixes (ي ت ن ا of the imperfect): يمن → من، تونس → ونس، نقل → قل;
- the article reading kept beside the stripped one: it only doubles the index.
"""

from __future__ import annotations

from functools import lru_cache

from marsad.text.match import clitic_readings
from marsad.text.tokens import Token, tokenize, words

ARTICLE = "ال"
# The shortest stem any stripping may leave (a clitic reading shorter than this is dropped):
# two letters would merge بحر with حر and اهم with ا.
MIN_STEM = 3

# Suffix slots, outermost first; in each slot the longest ending that fits is stripped.
# Forms are normalised (ة is ه, ى is ي), so ه stands for both the pronoun and ta marbuta.
PRONOUN_SUFFIXES = ("هما", "هم", "هن", "ها", "نا", "ه")
# Plural and adjectival endings; يا is the country ending, so سوريا meets السورية (سور) and
# تركيا meets التركي (ترك).
ENDING_SUFFIXES = ("ات", "ون", "ين", "يه", "يا")
FINAL_SUFFIXES = ("ي", "ا")  # nisba ي (and ى); the alif of tanween (وزيرا), امريكا → امريك
SUFFIX_SLOTS = (PRONOUN_SUFFIXES, ENDING_SUFFIXES, FINAL_SUFFIXES)

# Whole words (normalised) that begin with a clitic letter but are never clitic + word:
# reading فيصل as ف + يصل would let a search for the name find every «يصل» (arrives).
# Only words whose stripped reading is itself a common word need to be here.
NO_CLITIC = frozenset({
    "وليد", "فيصل", "بشار", "ليبيا", "لبنان", "فلسطين", "فرنسا", "فنزويلا", "بريطانيا",
    "بغداد", "بيروت", "بنغازي", "كركوك", "كندا", "لندن", "بيان", "بيت", "كتاب", "فرح",
    "فلاح", "وطن", "وقت", "ولايه", "وكاله", "بلد", "لجنه", "كلمه", "فقط", "وسط",
})
# Stems no suffix is stripped from: the ending is part of the name (فلسطين is not فلسط +
# ين; البحرين is not بحر + ين, the sea).
NO_SUFFIX = frozenset({"فلسطين", "بحرين", "ياسين", "زيتون", "تلفزيون", "صابرين"})

# Broken plurals common in news, normalised, without the article → their singular. The
# singular then goes through the suffix slots like any word, so both sides meet.
BROKEN_PLURALS = {
    "وزراء": "وزير",
    "امراء": "امير",
    "رؤساء": "رئيس",
    "سفراء": "سفير",
    "زعماء": "زعيم",
    "علماء": "عالم",
    "شهداء": "شهيد",
    "اطباء": "طبيب",
    "خبراء": "خبير",
    "فقراء": "فقير",
    "اغنياء": "غني",
    "اطفال": "طفل",
    "رجال": "رجل",
    "نساء": "امراه",
    "شباب": "شاب",
    "جنود": "جندي",
    "ضباط": "ضابط",
    "قاده": "قائد",
    "مدن": "مدينه",
    "قري": "قريه",
    "دول": "دوله",
    "شعوب": "شعب",
    "احزاب": "حزب",
    "اسعار": "سعر",
    "اسواق": "سوق",
    "مصادر": "مصدر",
    "تقارير": "تقرير",
    "اخبار": "خبر",
    "بلدان": "بلد",
    "شوارع": "شارع",
    "مساجد": "مسجد",
    "كنائس": "كنيسه",
    "مدارس": "مدرسه",
    "جامعات": "جامعه",
    "بيوت": "بيت",
    "منازل": "منزل",
    "اسر": "اسره",
    "ضحايا": "ضحيه",
    "قتلي": "قتيل",
    "جرحي": "جريح",
    "اسري": "اسير",
    "معتقلين": "معتقل",
    "لاجئين": "لاجئ",
    "حقوق": "حق",
    "قوانين": "قانون",
    "مشاريع": "مشروع",
    "مواقع": "موقع",
    "مناطق": "منطقه",
    "اراضي": "ارض",
    "اشهر": "شهر",
    "ايام": "يوم",
    "سنوات": "سنه",
}


def _is_arabic(word: str) -> bool:
    return any("\u0621" <= ch <= "\u064a" for ch in word)


def _strip_suffixes(word: str) -> str:
    for slot in SUFFIX_SLOTS:
        if word in NO_SUFFIX:
            break
        for suffix in slot:  # longest first within a slot
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                break
    return word


def _stem_reading(word: str) -> str:
    if word.startswith(ARTICLE) and len(word) - len(ARTICLE) >= MIN_STEM:
        word = word[len(ARTICLE):]
    singular = BROKEN_PLURALS.get(word)
    if singular is not None:
        return _strip_suffixes(singular)
    return _strip_suffixes(word)


@lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, ...]:
    """The light stems of one normalised, lower-cased word: its readings, literal first.

    Index a text word under all of them; a query word matches a text word when they share
    one. Words in other scripts, and digits, are their own single stem.
    """
    if not _is_arabic(word):
        return (word,)
    found: list[str] = []
    for reading, stripped in clitic_readings(word):
        if stripped and len(reading) < MIN_STEM:
            continue
        stem = _stem_reading(reading)
        if stem not in found:
            found.append(stem)
        if reading in NO_CLITIC:  # readings come fewest-stripped first: stop stripping
            break
    return tuple(found)


def index_terms(text: str) -> list[tuple[str, ...]]:
    """Each word of ``text`` as its stems, in order (the fast path: no offsets)."""
    return [stems(w) for w in words(text)]


def query_terms(text: str) -> list[tuple[str, ...]]:
    """A query as groups of stems: a unit matches when every group shares a stem with it.

    The same function as ``index_terms`` (one stemmer for both sides); repeated words
    are asked for once.
    """
    groups: list[tuple[str, ...]] = []
    for group in index_terms(text):
        if group not in groups:
            groups.append(group)
    return groups


def matching_tokens(text: str, wanted: set[str]) -> list[Token]:
    """The words of ``text`` (with offsets into it) that have a stem in ``wanted``:
    what a snippet highlights."""
    return [t for t in tokenize(text) if not wanted.isdisjoint(stems(t.text))]
