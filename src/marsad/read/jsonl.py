"""JSONL exports: one page per line, ``{"url", "html" | "text", "fetched_at"?, "encoding"?}``.

Each line is its own input: a line that is not JSON, or lacks content, becomes an error
Document named ``path#line=N`` (1-based) and the following lines are still read. Lines are
read with a length cap, so one enormous line cannot exhaust memory.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from marsad.read import messages
from marsad.read.charsets import normalise_encoding
from marsad.read.document import Document
from marsad.read.limits import ByteStream, ReadLimits
from marsad.read.page import text_document

JSONL_SUFFIXES = (".jsonl", ".ndjson")
CONTENT_FIELDS = ("html", "text")  # the first present wins; "html" means "sniff it as HTML"
STRING_FIELDS = ("url", "fetched_at", "encoding")
# A line may be longer than the page it carries: JSON escapes an Arabic letter (2 bytes in
# UTF-8) as \u0627 (6 bytes), and Python's json.dumps does so by default.
LINE_ALLOWANCE = 3
LINE_OVERHEAD = 64 * 1024  # url and other fields
DRAIN_CHUNK = 1024 * 1024
# An overlong line is skipped by reading on to its end, but only this many times the line cap:
# a .jsonl.gz bomb (gigabytes of zeros, no newline) would otherwise keep us decompressing.
DRAIN_LIMIT = 16


def line_cap(limits: ReadLimits) -> int:
    """The longest line read, in bytes."""
    return limits.max_bytes * LINE_ALLOWANCE + LINE_OVERHEAD


def looks_like_jsonl(first_line: bytes) -> bool:
    """True when a line is a JSON object carrying page content (for files not named .jsonl)."""
    try:
        obj = json.loads(first_line)
    except (ValueError, RecursionError):
        return False
    return isinstance(obj, dict) and any(field in obj for field in CONTENT_FIELDS)


def iter_jsonl(
    stream: ByteStream, path: str, limits: ReadLimits, skipped: Counter[str]
) -> Iterator[Document]:
    """One Document per non-blank line of ``stream``."""
    cap = line_cap(limits)
    number = 0
    while line := stream.readline(cap + 1):
        number += 1
        source = f"{path}#line={number}"
        if len(line) > cap and not line.endswith(b"\n"):
            ended = _drain_line(stream, DRAIN_LIMIT * cap)
            yield messages.jsonl_line_too_long(source, cap, rest_skipped=not ended).document()
            if not ended:
                return
        elif line.isspace():
            skipped["blank JSONL line"] += 1
        else:
            yield line_document(line, source, limits)


def _drain_line(stream: ByteStream, limit: int) -> bool:
    """Skip to the end of an overlong line, reading at most ``limit`` bytes; True if it ended."""
    drained = 0
    while drained < limit and (chunk := stream.readline(DRAIN_CHUNK)):
        if chunk.endswith(b"\n"):
            return True
        drained += len(chunk)
    return drained < limit  # end of file (the line was the last one), or gave up


def line_document(line: bytes, source: str, limits: ReadLimits) -> Document:
    """The Document for one JSONL line (see module docstring for the fields)."""
    try:
        obj: Any = json.loads(line.rstrip(b"\r\n"))  # so errors name the line, not its end
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        return messages.jsonl_not_json(source, error).document()
    if not isinstance(obj, dict):
        kind = "array" if isinstance(obj, list) else type(obj).__name__
        return messages.jsonl_not_object(source, kind).document()
    url = obj.get("url")
    url = url if isinstance(url, str) else None
    for field in STRING_FIELDS:
        value = obj.get(field)
        if value is not None and not isinstance(value, str):
            return messages.jsonl_bad_field(source, field, value).document(url=url)
    content_field = next((f for f in CONTENT_FIELDS if obj.get(f) is not None), None)
    if content_field is None:
        return messages.jsonl_no_content(source, list(obj)).document(url=url)
    content = obj[content_field]
    if not isinstance(content, str):
        return messages.jsonl_bad_field(source, content_field, content).document(url=url)
    return text_document(
        content,
        source,
        as_html=content_field == "html",
        url=url,
        # The page's original encoding when the exporter recorded it; else JSON's own.
        encoding=normalise_encoding(obj.get("encoding")) or "utf-8",
        fetched_at=obj.get("fetched_at"),
        limits=limits,
    )
