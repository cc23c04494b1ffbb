"""How much reading may take in: the per-page size limit and whether to follow symlinks.

The size limit is the one guard against inputs that would exhaust memory: a huge file, a
gzip bomb, an oversized WARC record or JSONL line. Every reader stops at ``max_bytes + 1``
bytes, so no single page ever costs more than that, whatever the input claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
READ_CHUNK = 1024 * 1024  # bytes per read() when filling a capped buffer


@dataclass(frozen=True)
class ReadLimits:
    """Limits that apply to every page, raw or decompressed."""

    max_bytes: int = DEFAULT_MAX_BYTES  # per page; the CLI sets it with --max-bytes
    follow_symlinks: bool = True  # inside folders; an input named explicitly is always read


class ByteStream(Protocol):
    """What the readers need of a stream: an open file, a GzipFile, a warcio body."""

    def read(self, size: int = ..., /) -> bytes: ...

    def readline(self, size: int = ..., /) -> bytes: ...


def read_capped(stream: ByteStream, cap: int) -> bytes:
    """Read until EOF or until ``cap`` bytes, whichever comes first.

    Decompressing streams (gzip, warcio) may return fewer bytes than asked for before EOF, so
    a single ``read(cap)`` is not enough; reading in chunks keeps one call's allocation small.
    """
    parts: list[bytes] = []
    total = 0
    while total < cap:
        chunk = stream.read(min(READ_CHUNK, cap - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def format_size(size: int) -> str:
    """A size as people read it: ``512 bytes``, ``4 KB``, ``2.1 MB`` (powers of 1024)."""
    if size < 1024:
        return f"{size} byte" if size == 1 else f"{size} bytes"
    value = float(size)
    units = ["KB", "MB", "GB"]
    value /= 1024
    while value >= 1024 and len(units) > 1:
        value /= 1024
        units.pop(0)
    unit = units[0]
    text = f"{value:.1f}".removesuffix(".0") if value < 100 else f"{value:.0f}"
    return f"{text} {unit}"
