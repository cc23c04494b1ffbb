"""Every reading failure, in one place, so they read alike and count alike.

Each message names the input first, says what was wrong, and ends with ``skipped`` and, where
there is one, what to do: ``news/a.html: not HTML or text (binary, PNG image, 2.1 MB);
skipped``. Each failure also has a short ``ErrorKind`` code (``Document.error_kind``), so a
run can count failures by kind without parsing messages.
"""

from __future__ import annotations

import errno
from enum import StrEnum
from typing import NamedTuple

from marsad.read.document import Document
from marsad.read.limits import format_size

MAX_BYTES_OPTION = "--max-bytes"
DETAIL_CHARS = 200  # library error texts (warcio's run to paragraphs) are cut to this


class ErrorKind(StrEnum):
    EMPTY = "empty"
    BINARY = "binary"
    TOO_LARGE = "too_large"
    DECOMPRESSION_BOMB = "decompression_bomb"
    UNDECODABLE = "undecodable"
    MISSING = "missing"
    PERMISSION = "permission"
    UNREADABLE = "unreadable"
    SYMLINK_LOOP = "symlink_loop"
    BROKEN_SYMLINK = "broken_symlink"
    NOT_REGULAR = "not_regular"
    BAD_GZIP = "bad_gzip"
    BAD_JSON = "bad_json"
    NO_CONTENT = "no_content"
    BAD_FIELD = "bad_field"
    LINE_TOO_LONG = "line_too_long"
    DAMAGED_WARC = "damaged_warc"
    UNSUPPORTED_ENCODING = "unsupported_content_encoding"


class Failure(NamedTuple):
    """Why one input could not be read; ``document`` turns it into the Document to yield."""

    source: str
    kind: ErrorKind
    message: str

    def document(self, *, url: str | None = None, fetched_at: str | None = None) -> Document:
        return Document(
            source=self.source,
            url=url,
            fetched_at=fetched_at,
            error=self.message,
            error_kind=str(self.kind),
        )


def _detail(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"


def empty(source: str, size: int) -> Failure:
    what = "empty file (0 bytes)" if size == 0 else f"empty: only whitespace ({format_size(size)})"
    return Failure(
        source,
        ErrorKind.EMPTY,
        f"{source}: {what}; skipped (check that the download or export finished)",
    )


def too_large(source: str, size: int, limit: int, *, at_least: bool = False) -> Failure:
    amount = f"more than {format_size(limit)}" if at_least else format_size(size)
    return Failure(
        source,
        ErrorKind.TOO_LARGE,
        f"{source}: page is {amount}, over the {format_size(limit)} limit; skipped "
        f"(to read it, raise the limit with {MAX_BYTES_OPTION})",
    )


def decompresses_too_far(source: str, limit: int) -> Failure:
    return Failure(
        source,
        ErrorKind.DECOMPRESSION_BOMB,
        f"{source}: decompresses to more than {format_size(limit)} (a gzip bomb, or a very "
        f"large page); stopped reading and skipped (if the page is genuine, raise the limit "
        f"with {MAX_BYTES_OPTION})",
    )


def binary(source: str, what: str | None, size: int, control_share: float) -> Failure:
    detail = what or f"{control_share:.0%} control bytes"
    return Failure(
        source,
        ErrorKind.BINARY,
        f"{source}: not HTML or text (binary, {detail}, {format_size(size)}); skipped",
    )


def undecodable(source: str, encoding: str, garbled: float | None, spacing: float) -> Failure:
    """``garbled`` is the share of garbled characters when that is the reason, else None."""
    if garbled is not None:
        why = f"even the best decoding, {encoding}, leaves {garbled:.0%} garbled characters"
    else:
        why = f"even the best decoding, {encoding}, has almost no spaces ({spacing:.1%})"
    return Failure(
        source,
        ErrorKind.UNDECODABLE,
        f"{source}: not readable as text ({why}); skipped (if it is text, declare its "
        f'encoding: a <meta charset>, an HTTP charset, or a JSONL "encoding" field)',
    )


def cannot_read(source: str, error: OSError) -> Failure:
    if error.errno == errno.ENOENT:
        return Failure(
            source,
            ErrorKind.MISSING,
            f"{source}: no such file or folder; skipped (check the path)",
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return Failure(
            source,
            ErrorKind.PERMISSION,
            f"{source}: permission denied; skipped (check the file's permissions)",
        )
    if error.errno == errno.ELOOP:
        return symlink_loop(source)
    reason = error.strerror or _detail(error)
    return Failure(source, ErrorKind.UNREADABLE, f"{source}: cannot read ({reason}); skipped")


def symlink_loop(source: str) -> Failure:
    return Failure(
        source,
        ErrorKind.SYMLINK_LOOP,
        f"{source}: symlink loop (the link leads back to itself); skipped (fix or remove the link)",
    )


def broken_symlink(source: str) -> Failure:
    return Failure(
        source,
        ErrorKind.BROKEN_SYMLINK,
        f"{source}: broken symlink (its target does not exist); skipped (fix or remove the link)",
    )


def not_regular(source: str) -> Failure:
    return Failure(
        source,
        ErrorKind.NOT_REGULAR,
        f"{source}: not a regular file (a pipe, socket or device); skipped",
    )


def bad_gzip(source: str, error: BaseException) -> Failure:
    return Failure(
        source,
        ErrorKind.BAD_GZIP,
        f"{source}: damaged gzip data ({_detail(error)}); skipped (check it with `gzip -t`, "
        f"or download it again)",
    )


def jsonl_not_json(source: str, error: BaseException) -> Failure:
    return Failure(
        source,
        ErrorKind.BAD_JSON,
        f"{source}: not JSON ({_detail(error)}); skipped (each line must be one JSON object)",
    )


def jsonl_not_object(source: str, kind: str) -> Failure:
    return Failure(
        source,
        ErrorKind.BAD_JSON,
        f"{source}: a JSON {kind}, not an object; skipped (each line must be one JSON object)",
    )


def jsonl_no_content(source: str, keys: list[str]) -> Failure:
    has = ", ".join(sorted(keys)[:10]) or "no fields"
    return Failure(
        source,
        ErrorKind.NO_CONTENT,
        f'{source}: no "html" or "text" field (has: {has}); skipped '
        f'(each line needs "html" or "text", and should have "url")',
    )


def jsonl_bad_field(source: str, field: str, value: object) -> Failure:
    return Failure(
        source,
        ErrorKind.BAD_FIELD,
        f'{source}: field "{field}" is a {type(value).__name__}, not a string; skipped '
        f"(fix the export)",
    )


def jsonl_line_too_long(source: str, limit: int, *, rest_skipped: bool = False) -> Failure:
    what = "skipped"
    if rest_skipped:
        what = "skipped, and so is the rest of the file (no line end in sight)"
    return Failure(
        source,
        ErrorKind.LINE_TOO_LONG,
        f"{source}: line is longer than {format_size(limit)}; {what} (to read it, raise the "
        f"page limit with {MAX_BYTES_OPTION})",
    )


def warc_damaged(source: str, error: BaseException) -> Failure:
    return Failure(
        source,
        ErrorKind.DAMAGED_WARC,
        f"{source}: damaged WARC ({_detail(error)}); the rest of the file is skipped "
        f"(list its records with `warcio index` to see where, or download it again)",
    )


def warc_unsupported_encoding(source: str, encoding: str) -> Failure:
    hint = " (pip install brotli)" if encoding == "br" else ""
    return Failure(
        source,
        ErrorKind.UNSUPPORTED_ENCODING,
        f"{source}: body is compressed with Content-Encoding {encoding}, which this install "
        f"cannot decompress; skipped{hint}",
    )
