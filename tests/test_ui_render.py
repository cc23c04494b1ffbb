"""Highlighting pieces: spans cut text without losing or reordering a character."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from marsad.serve.ui_render import Mark, evidence_marks, paragraph_pieces, pieces


def test_overlapping_marks_cut_the_text_into_flat_pieces() -> None:
    text = "قال مسؤول لرويترز إن الوضع صعب"
    got = pieces(text, [Mark(4, 17, "quote", "x"), Mark(10, 17, "entity", "ORG")])
    assert "".join(p.text for p in got) == text
    assert [(p.text, p.classes) for p in got] == [
        ("قال ", ""), ("مسؤول ", "m-quote m-quote-x"),
        ("لرويترز", "m-quote m-quote-x m-entity m-entity-ORG"), (" إن الوضع صعب", ""),
    ]


def test_spans_outside_the_text_are_clipped_or_dropped() -> None:
    got = pieces("abc", [Mark(-2, 1, "hit"), Mark(2, 99, "hit"), Mark(5, 9, "hit"),
                         Mark(2, 2, "hit")])
    assert [(p.text, bool(p.marks)) for p in got] == [("a", True), ("b", False), ("c", True)]


def test_article_spans_are_split_back_into_paragraphs() -> None:
    paragraphs = ["أول فقرة", "ثانية هنا"]
    # a quote from the end of the first paragraph into the second (across the "\n")
    got = paragraph_pieces(paragraphs, [Mark(4, 15, "quote")])
    assert [[(p.text, bool(p.marks)) for p in para] for para in got] == [
        [("أول ", False), ("فقرة", True)], [("ثانية ", True), ("هنا", False)]]


def test_evidence_marks_name_their_label() -> None:
    verdict = {"evidence": [{"start": 0, "end": 3, "label": "hate"}]}
    (mark,) = evidence_marks(verdict, lambda label: f"<{label}>")
    assert (mark.kind, mark.label, mark.note) == ("evidence", "hate", "<hate>")
    assert evidence_marks(None) == []


spans = st.lists(st.tuples(st.integers(-5, 40), st.integers(-5, 40)), max_size=6)


@given(st.text(max_size=30), spans)
def test_pieces_always_rebuild_the_text(text: str, raw: list[tuple[int, int]]) -> None:
    got = pieces(text, [Mark(a, b, "hit") for a, b in raw])
    assert "".join(p.text for p in got) == text
    assert all(p.text for p in got) or text == ""
