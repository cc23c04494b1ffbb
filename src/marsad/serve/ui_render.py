"""Text cut into pieces for highlighting: spans in, (text, marks) pieces out.

The review UI never builds HTML from user text: it cuts the text at span boundaries
(Python code-point offsets, as the record stores them) and hands the pieces to the
templates, which escape each piece and wrap the marked ones in ``<mark>``. Overlapping
spans need no nesting: a piece carries every span that covers it.

Quote offsets point into the article text (paragraphs joined by "\\n"), so
``paragraph_pieces`` splits the article's spans back into paragraphs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Mark:
    """One highlighted span: ``kind`` becomes a CSS class, ``note`` a tooltip/label."""

    start: int
    end: int
    kind: str  # evidence | quote | speaker | entity | hit
    label: str = ""  # e.g. the evidence label (offensive), the entity type
    note: str = ""


@dataclass
class Piece:
    text: str
    marks: list[Mark] = field(default_factory=list)

    @property
    def classes(self) -> str:
        """CSS classes for the piece's <mark>: its kinds and labels, each once."""
        seen: dict[str, None] = {}
        for m in self.marks:
            seen[f"m-{m.kind}"] = None
            if m.label:
                seen[f"m-{m.kind}-{m.label}"] = None
        return " ".join(seen)

    @property
    def note(self) -> str:
        return " · ".join(dict.fromkeys(m.note for m in self.marks if m.note))

    @property
    def labels(self) -> str:
        return " ".join(dict.fromkeys(m.label for m in self.marks if m.label))


def pieces(text: str, marks: Sequence[Mark]) -> list[Piece]:
    """``text`` cut at every mark boundary; spans outside the text are clipped or dropped."""
    size = len(text)
    valid = [Mark(max(0, m.start), min(size, m.end), m.kind, m.label, m.note)
             for m in marks if m.end > m.start and m.start < size and m.end > 0]
    cuts = sorted({0, size, *(m.start for m in valid), *(m.end for m in valid)})
    out: list[Piece] = []
    for start, end in itertools.pairwise(cuts):
        covering = [m for m in valid if m.start <= start and m.end >= end]
        if out and not covering and not out[-1].marks:
            out[-1].text += text[start:end]
        else:
            out.append(Piece(text[start:end], covering))
    return out or [Piece(text)]


def paragraph_pieces(paragraphs: Sequence[str], marks: Sequence[Mark]) -> list[list[Piece]]:
    """Marks into the article text (paragraphs joined by "\\n"), cut per paragraph."""
    out, offset = [], 0
    for text in paragraphs:
        local = [Mark(m.start - offset, m.end - offset, m.kind, m.label, m.note)
                 for m in marks if m.start < offset + len(text) and m.end > offset]
        out.append(pieces(text, local))
        offset += len(text) + 1  # the "\n" between paragraphs
    return out


def evidence_marks(verdict: dict[str, Any] | None,
                   name: Callable[[str], str] = str) -> list[Mark]:
    """A verdict's evidence spans (into the comment text) as marks; ``name`` turns a label
    into the words a moderator reads."""
    if not verdict:
        return []
    marks = []
    for e in verdict.get("evidence") or []:
        label = str(e.get("label") or "")
        marks.append(Mark(int(e["start"]), int(e["end"]), "evidence", label, name(label)))
    return marks


def hit_marks(highlights: Sequence[Sequence[int]]) -> list[Mark]:
    return [Mark(int(start), int(end), "hit") for start, end in highlights]
