"""A page as search units: its title, each paragraph, each comment and each quote.

One row per unit (``search_units``, migration 0002) with the unit's original text, for
snippets, and its index terms from ``marsad.text.stem`` — the same function that turns a
query into terms, so both sides always meet. Both stores insert exactly these rows.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from marsad.record import Page
from marsad.store.facets import unit_facets
from marsad.text.normalize import fold
from marsad.text.stem import stems
from marsad.text.tokens import words


class UnitKind(StrEnum):
    TITLE = "title"
    PARAGRAPH = "paragraph"
    COMMENT = "comment"
    QUOTE = "quote"


SEARCH_COLUMNS = ("page_id", "kind", "ref", "text", "speaker", "terms", "facets")
WORD_SEPARATOR = " "
STEM_SEPARATOR = "|"  # ASCII punctuation: FTS5's ascii tokenizer splits on it too


_PIECES: dict[str, str] = {}  # word → its stems as stored; words repeat (Zipf), so cache
_MAX_PIECES = 500_000


def terms_string(text: str) -> str:
    """``text``'s index terms as stored: words by spaces, a word's stems by '|'."""
    out = []
    for word in words(text):
        piece = _PIECES.get(word)
        if piece is None:
            piece = STEM_SEPARATOR.join(stems(word))
            if len(_PIECES) < _MAX_PIECES:
                _PIECES[word] = piece
        out.append(piece)
    return WORD_SEPARATOR.join(out)


def search_rows(page: Page) -> list[tuple[Any, ...]]:
    """The search units of a page, in reading order; units without words are left out."""
    # (kind, ref, text, quote speaker, comment decision)
    units: list[tuple[str, str, str, str | None, str | None]] = []
    if page.title:
        units.append((UnitKind.TITLE, "", page.title, None, None))
    for n, paragraph in enumerate(page.paragraphs, 1):
        units.append((UnitKind.PARAGRAPH, str(n), paragraph.text, None, None))
    for comment in page.comments:
        decision = comment.verdict.decision if comment.verdict else None
        units.append((UnitKind.COMMENT, comment.id, comment.text, None, decision))
    for n, quote in enumerate(page.quotes):
        speaker = fold(quote.speaker.text) if quote.speaker else None
        units.append((UnitKind.QUOTE, str(n), quote.content.text, speaker, None))
    rows = []
    for kind, ref, text, speaker, decision in units:
        terms = terms_string(text)
        if terms:
            facets = unit_facets(str(kind), page.site, page.published_at, decision)
            rows.append((page.id, str(kind), ref, text, speaker, terms, facets))
    return rows
