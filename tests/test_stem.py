"""Light stemming for search: which spellings and forms meet, and which must stay apart."""

from __future__ import annotations

import pytest

from marsad.text.stem import BROKEN_PLURALS, MIN_STEM, index_terms, query_terms, stems
from marsad.text.tokens import words


def meet(query: str, text: str) -> bool:
    """Would a one-word query find this one-word text (they share a stem)?"""
    (q,) = query_terms(query)
    (t,) = index_terms(text)
    return not set(q).isdisjoint(t)


@pytest.mark.parametrize(("query", "text"), [
    ("وزير", "الوزير"),
    ("وزير", "الوزراء"),
    ("الوزراء", "وزير"),
    ("وزير", "وزيرة"),
    ("المستشفى", "والمستشفيات"),
    ("مستشفى", "بمستشفياتها"),
    ("الرقة", "الرقه"),
    ("الرقه", "بالرقة"),
    ("إيران", "ايران"),
    ("ايران", "الإيرانيون"),
    ("لرويترز", "رويترز"),
    ("رويترز", "لرويترز"),
    ("الأسد", "للأسد"),
    ("سوريا", "السورية"),
    ("فلسطين", "الفلسطينيين"),
    ("لبنان", "للبنان"),
    ("الوزير", "الوَزيـــر"),  # harakat and tatweel
    ("٢٠٢٤", "2024"),
])
def test_forms_of_one_word_meet(query: str, text: str) -> None:
    assert meet(query, text)


@pytest.mark.parametrize(("query", "text"), [
    ("فيصل", "يصل"),  # a name is not ف + «arrives»
    ("لبنان", "لبن"),  # Lebanon is not milk: the dual ان is never stripped
    ("ايران", "اير"),
    ("بحر", "حر"),  # no stem shorter than MIN_STEM letters
    ("ملك", "مل"),  # the pronoun ك is never stripped
    ("يمن", "من"),  # nor verb prefixes
    ("البحرين", "البحر"),  # a name ending in ين keeps it
    ("زيتون", "زيت"),
    ("الله", "له"),
])
def test_over_stemming_is_avoided(query: str, text: str) -> None:
    assert not meet(query, text)


def test_every_stem_is_long_enough_or_the_word_itself() -> None:
    for word in words("وقال بها لها الذي فيه بكم ولد والمستشفيات الرقة لي"):
        for stem in stems(word):
            assert len(stem) >= MIN_STEM or stem == word


def test_broken_plural_table_is_normalised_and_consistent() -> None:
    for plural, singular in BROKEN_PLURALS.items():
        assert words(plural) == [plural] and words(singular) == [singular]
        assert meet(singular, "ال" + plural)


def test_query_and_index_use_one_function() -> None:
    text = "قال وزير الصحة لرويترز إن المستشفيات في الرقة"
    assert query_terms(text) == index_terms(text)  # no repeated words here
    assert query_terms("الوزير والوزير الوزير") == [stems("الوزير"), stems("والوزير")]


def test_other_scripts_and_digits_are_their_own_stem() -> None:
    assert index_terms("COVID-19 Reuters") == [("covid",), ("19",), ("reuters",)]
