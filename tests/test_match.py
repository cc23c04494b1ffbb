"""Tokens and clitic-aware matching."""

from marsad.text.match import Lexicon, strip_clitics
from marsad.text.tokens import tokenize


def test_tokens_keep_words_with_marks_whole_and_point_at_the_original() -> None:
    text = "قالَ المـسؤول لرويترز"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["قال", "المسؤول", "لرويترز"]
    assert [text[t.start:t.end] for t in tokens] == ["قالَ", "المـسؤول", "لرويترز"]


def test_strips_clitics_only_to_reach_a_known_form() -> None:
    known = {"رويترز", "الاسد", "الموصل", "ليبيا", "وليد", "فيصل", "لبنان"}
    assert strip_clitics("لرويترز", known) == "رويترز"
    assert strip_clitics("للاسد", known) == "الاسد"
    assert strip_clitics("والموصل", known) == "الموصل"
    assert strip_clitics("وبالموصل", known) == "الموصل"
    # names that begin with clitic letters keep them
    assert strip_clitics("وليد", known) == "وليد"
    assert strip_clitics("فيصل", known) == "فيصل"
    assert strip_clitics("لبنان", known) == "لبنان"
    assert strip_clitics("وليبيا", known) == "ليبيا"
    assert strip_clitics("بيت", known) is None


def test_lexicon_finds_longest_phrases_with_original_spans() -> None:
    lex: Lexicon[str] = Lexicon()
    for phrase, kind in [("دير الزور", "LOC"), ("دير", "X"), ("حزب الله", "ORG"),
                         ("الأسد", "PER"), ("رويترز", "ORG")]:
        lex.add(phrase, kind)
    text = "وقال لرويترز إن ودير الزور بيد حلفاء للأسد وحزب الله"
    found = [(m.text, m.key, m.value) for m in lex.find(text)]
    assert found == [
        ("لرويترز", "رويترز", "ORG"),
        ("ودير الزور", "دير الزور", "LOC"),
        ("للأسد", "الاسد", "PER"),
        ("وحزب الله", "حزب الله", "ORG"),
    ]
    for m in lex.find(text):
        assert text[m.start:m.end] == m.text
    assert "دير الزور" in lex and "دير حلب" not in lex
