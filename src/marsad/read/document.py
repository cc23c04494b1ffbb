"""What reading produces: one decoded document per page, or a record of why it could not be read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Document:
    """A page's decoded content, ready to parse.

    ``source`` names the input so that a person can find it again: a path, ``path#line=N``
    for a JSONL line, ``path#record=N`` for a WARC record, ``path!member`` for a member of
    an archive. When the input could not be read, ``error`` says what was wrong and what to
    do, ``content`` is None, and the parse step turns it into a Page with that problem.
    """

    source: str
    content: str | None = None
    kind: str = "text"  # "html" | "text"
    url: str | None = None
    encoding: str | None = None
    fetched_at: str | None = None  # ISO 8601, when the input says (WARC date, JSONL field)
    error: str | None = None
    error_kind: str | None = None  # short code for counting: empty, binary, too_large, …

    @property
    def ok(self) -> bool:
        return self.error is None and self.content is not None
