"""What a byte string is: HTML, plain text, or binary. Decided from content, never from a name.

Crawls and exports mislabel files (a PNG saved as ``.html``, HTML saved as ``.txt``), so the
extension is ignored. The rules, in order:

1. A known binary signature (``MAGIC``) at its offset: binary, and we can say what it is.
2. A UTF-16 byte-order mark: text (its NUL bytes are expected), HTML if its head has tags.
3. Too many control bytes in the first ``SAMPLE_BYTES`` (``CONTROL_SHARE``): binary. Text in
   any ASCII-compatible encoding (UTF-8, windows-1256, ISO-8859-6) holds almost none; random
   or compressed bytes hold about 11%.
4. HTML markers in the head (``HTML_STRONG``: doctype, ``<html``, ``<head``, ``<body``; or a
   head that starts with ``<`` and holds a common tag, for fragments): HTML. Else text.
"""

from __future__ import annotations

import re

SAMPLE_BYTES = 8192  # control-byte statistics are taken from this much of the head
HEAD_BYTES = 4096  # HTML markers are looked for in this much of the head
CONTROL_SHARE = 0.02  # more control bytes than this share of the sample: binary

# (offset, signature, what it is) — the formats that most often turn up where pages should be.
MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (8, b"WEBP", "WebP image"),
    (0, b"II*\x00", "TIFF image"),
    (0, b"MM\x00*", "TIFF image"),
    (0, b"\x00\x00\x01\x00", "ICO image"),
    (0, b"%PDF-", "PDF document"),
    (0, b"PK\x03\x04", "ZIP archive"),
    (0, b"PK\x05\x06", "ZIP archive"),
    (0, b"\x1f\x8b", "gzip data"),
    (0, b"BZh", "bzip2 data"),
    (0, b"\xfd7zXZ\x00", "xz data"),
    (0, b"(\xb5/\xfd", "zstd data"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (0, b"Rar!\x1a\x07", "RAR archive"),
    (257, b"ustar", "tar archive"),
    (4, b"ftyp", "MP4/MOV video"),
    (0, b"ID3", "MP3 audio"),
    (0, b"OggS", "Ogg media"),
    (0, b"\x1aE\xdf\xa3", "WebM/Matroska video"),
    (0, b"wOFF", "WOFF font"),
    (0, b"wOF2", "WOFF2 font"),
    (0, b"SQLite format 3\x00", "SQLite database"),
    (0, b"\x7fELF", "ELF executable"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (0, b"\x00asm", "WebAssembly module"),
)

# C0 controls that never occur in text; tab, LF, CR, form feed and ESC are left out.
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"

# Searched in the lower-cased head; bounded, no nested repetition.
HTML_STRONG = re.compile(rb"<!doctype\s{1,20}html|<html[\s>]|<head[\s>]|<body[\s>]")
HTML_FRAGMENT_TAG = re.compile(
    rb"<(?:div|p|article|section|main|span|a|table|ul|ol|li|br|h[1-6]|meta|title|script|style"
    rb"|link|header|footer|nav|form|img|iframe)[\s>/]"
)


def binary_kind(data: bytes) -> str | None:
    """The name of the binary format ``data`` starts with, if it is one we know."""
    for offset, signature, name in MAGIC:
        if data[offset : offset + len(signature)] == signature:
            return name
    return None


def control_share(data: bytes) -> float:
    """Share of control bytes (see ``CONTROL_BYTES``) in the first ``SAMPLE_BYTES``."""
    sample = data[:SAMPLE_BYTES]
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, CONTROL_BYTES))) / len(sample)


def looks_like_html(head: bytes) -> bool:
    """True when an ASCII-compatible head carries HTML markup (see module docstring, rule 4)."""
    head = head[:HEAD_BYTES].lower()
    if HTML_STRONG.search(head):
        return True
    return head.lstrip(UTF8_BOM).lstrip().startswith(b"<") and bool(HTML_FRAGMENT_TAG.search(head))


def sniff(data: bytes) -> str:
    """Classify ``data`` as ``"html"``, ``"text"`` or ``"binary"`` (see module docstring)."""
    if binary_kind(data) is not None:
        return "binary"
    if data.startswith(UTF16_BOMS):
        head = data[: HEAD_BYTES * 2].decode("utf-16", errors="replace").encode("utf-8", "replace")
        return "html" if looks_like_html(head) else "text"
    if control_share(data) > CONTROL_SHARE:
        return "binary"
    return "html" if looks_like_html(data) else "text"
