"""WARC (and ARC) crawl archives, through warcio: one Document per HTML or text page.

Only ``response`` and ``resource`` records hold pages. Everything else a crawler writes —
``request``, ``revisit`` (a pointer to an earlier identical capture), ``metadata``,
``warcinfo`` — and responses that are not pages (images, scripts, redirects, errors) are
skipped and counted in ``skipped`` by reason, since a crawl is mostly such records and none of
them is a failure. The HTTP ``Content-Type`` charset is passed to decoding as the declared
encoding; ``WARC-Date`` becomes ``fetched_at``; records are named ``path#record=N``, N counting
every record from 1, so ``warcio index`` output can be matched by position.

Record bodies are read with the per-page cap; warcio decodes chunked transfer and gzip or
deflate content encoding as it streams.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.exceptions import ArchiveLoadFailed

from marsad.read import messages
from marsad.read.charsets import charset_from_content_type
from marsad.read.document import Document
from marsad.read.limits import ByteStream, ReadLimits, read_capped
from marsad.read.page import read_bytes
from marsad.read.sniffing import sniff

WARC_SIGNATURES = (b"WARC/", b"filedesc://")  # WARC, and ARC (read through arc2warc)
PAGE_RECORD_TYPES = ("response", "resource")
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
# What a damaged archive raises from inside warcio (it also raises ValueError on bad headers,
# and AttributeError or IndexError on some truncated ones: found by tests/test_properties.py).
WARC_ERRORS = (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError, AttributeError,
               IndexError, KeyError, TypeError)


def iter_warc(
    stream: ByteStream, path: str, limits: ReadLimits, skipped: Counter[str]
) -> Iterator[Document]:
    """One Document per page record of ``stream`` (WARC or ARC; warcio unwraps per-record
    gzip itself). Damage ends the file with one error Document naming the record."""
    position = 1  # the record being parsed or read
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            document = record_document(record, f"{path}#record={position}", limits, skipped)
            if document is not None:
                yield document
            position += 1
    except WARC_ERRORS as error:
        source = f"{path}#record={position}"
        yield messages.warc_damaged(source, error).document()


def record_document(
    record: Any, source: str, limits: ReadLimits, skipped: Counter[str]
) -> Document | None:
    """The Document for one record, or None (and a count in ``skipped``) if it holds no page."""
    rec_type = record.rec_type
    if rec_type not in PAGE_RECORD_TYPES:
        skipped[f"warc {rec_type} record"] += 1
        return None
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ") or None
    fetched_at = record.rec_headers.get_header("WARC-Date")
    http = record.http_headers
    if http is not None and rec_type == "response":
        status = http.get_statuscode() or ""
        if status and not status.startswith("2"):
            skipped[f"warc HTTP {status} response"] += 1
            return None
        content_type = http.get_header("Content-Type")
        content_encoding = (http.get_header("Content-Encoding") or "").strip().lower()
        if content_encoding and content_encoding not in _decompressors():
            failure = messages.warc_unsupported_encoding(source, content_encoding)
            return failure.document(url=url, fetched_at=fetched_at)
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime and mime not in HTML_TYPES + TEXT_TYPES:
        skipped[f"warc non-HTML {rec_type} ({mime})"] += 1
        return None
    data = read_capped(record.content_stream(), limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        failure = messages.too_large(source, len(data), limits.max_bytes, at_least=True)
        return failure.document(url=url, fetched_at=fetched_at)
    if not mime and sniff(data) == "binary":
        skipped[f"warc non-HTML {rec_type} (binary, no content type)"] += 1
        return None
    return read_bytes(
        data,
        source,
        url=url,
        declared_encoding=charset_from_content_type(content_type),
        fetched_at=fetched_at,
        limits=limits,
    )


def _decompressors() -> set[str]:
    # warcio registers "br" only when the brotli package is installed; "identity" means none.
    return {*BufferedReader.get_supported_decompressors(), "identity"}
