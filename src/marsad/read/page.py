"""One page's bytes to a ``Document``: the checks every source shares.

Files, gzip members, JSONL lines and WARC records all end here (JSONL via ``text_document``,
since JSON strings are already decoded), so a page is judged the same way wherever it came
from: size, emptiness, binary content, then decoding.
"""

from __future__ import annotations

import re

from marsad.read import messages
from marsad.read.charsets import UNDECODABLE_SHARE, decode_detail
from marsad.read.document import Document
from marsad.read.limits import ReadLimits
from marsad.read.sniffing import HEAD_BYTES, binary_kind, control_share, looks_like_html, sniff

# Characters no parser wants: C0 controls other than tab, LF, FF and CR (lxml refuses them),
# and lone surrogates (from JSON escapes such as "\ud800"; they cannot be stored as UTF-8).
UNWANTED_CHAR = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff]")
SURROGATE = re.compile("[\ud800-\udfff]")
_DROP_CONTROLS = {c: None for c in [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)]}


def clean_text(text: str) -> str:
    """Drop stray control characters and replace lone surrogates; untouched text is returned
    as is (one regex scan), so clean pages cost no copy."""
    if not UNWANTED_CHAR.search(text):
        return text
    if SURROGATE.search(text):
        text = SURROGATE.sub("\ufffd", text)
    return text.translate(_DROP_CONTROLS)


def read_bytes(
    data: bytes,
    source: str,
    *,
    url: str | None = None,
    declared_encoding: str | None = None,
    fetched_at: str | None = None,
    limits: ReadLimits = ReadLimits(),  # noqa: B008 - frozen dataclass, safe as a default
) -> Document:
    """Judge and decode one page's bytes. Never raises for bad bytes: the Document says why.

    ``declared_encoding`` is what the transport says (HTTP charset, JSONL field); see
    ``decode`` for how it is weighed against a BOM, valid UTF-8 and the page's meta tag.
    """

    def failed(failure: messages.Failure) -> Document:
        return failure.document(url=url, fetched_at=fetched_at)

    if len(data) > limits.max_bytes:
        return failed(messages.too_large(source, len(data), limits.max_bytes))
    if not data:
        return failed(messages.empty(source, 0))
    kind = sniff(data)
    if kind == "binary":
        return failed(messages.binary(source, binary_kind(data), len(data), control_share(data)))
    decoded = decode_detail(data, declared_encoding)
    if not decoded.readable:
        return failed(
            messages.undecodable(
                source,
                decoded.encoding,
                decoded.garbled if decoded.garbled > UNDECODABLE_SHARE else None,
                decoded.spacing,
            )
        )
    text = clean_text(decoded.text)
    if not text or text.isspace():
        return failed(messages.empty(source, len(data)))
    return Document(
        source=source,
        content=text,
        kind=kind,
        url=url,
        encoding=decoded.encoding,
        fetched_at=fetched_at,
    )


def text_document(
    text: str,
    source: str,
    *,
    as_html: bool,
    url: str | None = None,
    encoding: str | None = None,
    fetched_at: str | None = None,
    limits: ReadLimits = ReadLimits(),  # noqa: B008
) -> Document:
    """A Document from already-decoded text (a JSONL field), under the same size rule.

    ``as_html`` says the producer called it HTML; it is still only HTML if it looks like it.
    """

    def failed(failure: messages.Failure) -> Document:
        return failure.document(url=url, fetched_at=fetched_at)

    # A code point is at most 4 bytes in UTF-8, so only long texts need the exact count.
    if len(text) * 4 > limits.max_bytes:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > limits.max_bytes:
            return failed(messages.too_large(source, size, limits.max_bytes))
    text = clean_text(text)
    if not text or text.isspace():
        return failed(messages.empty(source, len(text)))
    head = text[:HEAD_BYTES].encode("utf-8")
    kind = "html" if as_html and looks_like_html(head) else "text"
    return Document(
        source=source, content=text, kind=kind, url=url, encoding=encoding, fetched_at=fetched_at
    )
