"""Inputs to Documents: files, folder trees, gzip files, JSONL exports and WARC archives.

What a file holds is decided from its first bytes, not its name: gzip data is unwrapped and
looked into again, ``WARC/`` (or ARC's ``filedesc://``) means an archive, a ``.jsonl`` or
``.ndjson`` name, or a first line that is a JSON object with page content, means JSONL;
anything else is one page (HTML or text, sniffed in ``page.read_bytes``).

Folders are walked depth first in sorted name order, so runs are reproducible. Hidden files
and folders (names starting with ``.``) are skipped and counted. Symlinks are followed
(``ReadLimits.follow_symlinks``) with two guards: a link to something inside the same input
folder is skipped, because the walk reads it by its own path (this also breaks ``a -> b -> a``
loops), and a folder already entered is never entered again (loops through links that point
outside). A link that loops on itself or points nowhere is reported as an error Document.

Nothing here raises for a bad input: ``OSError`` and damaged-container errors become error
Documents, and the next input is read.
"""

from __future__ import annotations

import errno
import gzip
import os
import stat
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from io import BufferedIOBase
from pathlib import Path

from marsad.read import messages
from marsad.read.document import Document
from marsad.read.jsonl import JSONL_SUFFIXES, iter_jsonl, line_cap, looks_like_jsonl
from marsad.read.limits import ReadLimits, read_capped
from marsad.read.page import read_bytes
from marsad.read.warc import WARC_SIGNATURES, iter_warc

GZIP_MAGIC = b"\x1f\x8b"
PEEK_BYTES = 64  # enough to recognise gzip and WARC/ARC signatures
JSONL_PEEK_LINE = 1024 * 1024  # an unnamed file's first line is parsed if it is this short
GZIP_ERRORS = (OSError, EOFError, zlib.error)  # gzip.BadGzipFile is an OSError


class Reader:
    """Reads inputs into Documents and counts what it skipped on purpose, by reason."""

    def __init__(self, limits: ReadLimits = ReadLimits()) -> None:  # noqa: B008 - frozen
        self.limits = limits
        self.skipped: Counter[str] = Counter()

    def read(self, inputs: Iterable[str | Path]) -> Iterator[Document]:
        """Documents from each input in turn: files, folders, .gz, JSONL, WARC."""
        for item in inputs:
            yield from self._read_input(os.fspath(item))

    # -- inputs and folders ------------------------------------------------------------------

    def _read_input(self, path: str) -> Iterator[Document]:
        try:
            info = os.stat(path)
        except OSError as error:
            yield _stat_error(path, error).document()
            return
        if stat.S_ISDIR(info.st_mode):
            yield from self._walk(path)
        else:
            yield from self._read_file(path, info)

    def _walk(self, root: str) -> Iterator[Document]:
        root_real = os.path.realpath(root)
        entered: set[tuple[int, int]] = set()
        # (path, is_folder) to read, or a Document to report in its place; last read first.
        stack: list[tuple[str, bool] | Document] = [(root, True)]
        while stack:
            item = stack.pop()
            if isinstance(item, Document):
                yield item
                continue
            path, is_folder = item
            if not is_folder:
                yield from self._read_file(path)
                continue
            try:
                info = os.stat(path)
                if (info.st_dev, info.st_ino) in entered:
                    self.skipped["folder already read (symlink loop)"] += 1
                    continue
                entered.add((info.st_dev, info.st_ino))
                with os.scandir(path) as listing:
                    entries = sorted(listing, key=lambda entry: entry.name)
            except OSError as error:
                yield messages.cannot_read(path, error).document()
                continue
            children = [self._classify(entry, root_real) for entry in entries]
            stack.extend(child for child in reversed(children) if child is not None)

    def _classify(
        self, entry: os.DirEntry[str], root_real: str
    ) -> tuple[str, bool] | Document | None:
        """What to do with a folder entry: read it (path, is_folder), report it, or skip it."""
        if entry.name.startswith("."):
            try:
                hidden_folder = entry.is_dir()
            except OSError:
                hidden_folder = False
            self.skipped["hidden folder" if hidden_folder else "hidden file"] += 1
            return None
        try:
            is_link = entry.is_symlink()
            if is_link:
                if not self.limits.follow_symlinks:
                    self.skipped["symlink (not followed)"] += 1
                    return None
                try:
                    info = os.stat(entry.path)
                except OSError as error:
                    return _stat_error(entry.path, error).document()
                is_folder = stat.S_ISDIR(info.st_mode)
                is_file = stat.S_ISREG(info.st_mode)
            else:
                is_folder = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file(follow_symlinks=False)
        except OSError as error:
            return messages.cannot_read(entry.path, error).document()
        if not (is_folder or is_file):
            self.skipped["not a regular file (pipe, socket or device)"] += 1
            return None
        if is_link and _visible_inside(os.path.realpath(entry.path), root_real):
            noun = "folder" if is_folder else "file"
            self.skipped[f"symlink to a {noun} inside the input (read by its own path)"] += 1
            return None
        return entry.path, is_folder

    # -- files -----------------------------------------------------------------------------------

    def _read_file(self, path: str, info: os.stat_result | None = None) -> Iterator[Document]:
        try:
            info = info or os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                yield messages.not_regular(path).document()
                return
            with open(path, "rb") as stream:
                yield from self._read_stream(path, stream, info.st_size)
        except OSError as error:
            yield messages.cannot_read(path, error).document()

    def _read_stream(self, path: str, stream: BufferedIOBase, size: int) -> Iterator[Document]:
        head = stream.read(PEEK_BYTES)
        stream.seek(0)
        name = path.lower()
        if head.startswith(GZIP_MAGIC):
            yield from self._read_gzip(path, stream, name.removesuffix(".gz"))
        elif head.startswith(WARC_SIGNATURES):
            yield from iter_warc(stream, path, self.limits, self.skipped)
        elif self._is_jsonl(name, head, stream):
            yield from iter_jsonl(stream, path, self.limits, self.skipped)
        elif size > self.limits.max_bytes:
            yield messages.too_large(path, size, self.limits.max_bytes).document()
        else:
            data = read_capped(stream, self.limits.max_bytes + 1)
            yield read_bytes(data, path, limits=self.limits)

    def _read_gzip(self, path: str, stream: BufferedIOBase, inner_name: str) -> Iterator[Document]:
        """A gzip file: an archive or JSONL inside is read as such, else it is one page."""
        try:
            with gzip.GzipFile(fileobj=stream) as peek:
                head = peek.read(PEEK_BYTES)
            stream.seek(0)
            with gzip.GzipFile(fileobj=stream) as inner:
                if head.startswith(WARC_SIGNATURES):
                    # Decompressing here reads both per-record and whole-file gzip WARCs.
                    yield from iter_warc(inner, path, self.limits, self.skipped)
                elif self._is_jsonl(inner_name, head, inner):
                    yield from iter_jsonl(inner, path, self.limits, self.skipped)
                else:
                    data = read_capped(inner, self.limits.max_bytes + 1)
                    if len(data) > self.limits.max_bytes:
                        yield messages.decompresses_too_far(path, self.limits.max_bytes).document()
                    else:
                        yield read_bytes(data, path, limits=self.limits)
        except GZIP_ERRORS as error:
            yield messages.bad_gzip(path, error).document()

    def _is_jsonl(self, name: str, head: bytes, stream: BufferedIOBase) -> bool:
        """JSONL by name, or by a first line that is a JSON object with page content."""
        if name.endswith(JSONL_SUFFIXES):
            return True
        if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            return False
        first = stream.readline(min(JSONL_PEEK_LINE, line_cap(self.limits)))
        stream.seek(0)
        return looks_like_jsonl(first)


def read_inputs(
    inputs: Iterable[str | Path],
    limits: ReadLimits = ReadLimits(),  # noqa: B008
) -> Iterator[Document]:
    """Documents from files, folders, .gz, JSONL and WARC inputs (see ``Reader``)."""
    return Reader(limits).read(inputs)


def _stat_error(path: str, error: OSError) -> messages.Failure:
    """Tell a looping or broken symlink from a missing file: ``stat`` fails on all three."""
    if error.errno == errno.ELOOP:
        return messages.symlink_loop(path)
    if error.errno == errno.ENOENT and os.path.islink(path):
        return messages.broken_symlink(path)
    return messages.cannot_read(path, error)


def _visible_inside(target: str, root: str) -> bool:
    """True when ``target`` lies inside ``root`` on a path the walk reads (no hidden part)."""
    if target != root and not target.startswith(root.rstrip(os.sep) + os.sep):
        return False
    relative = os.path.relpath(target, root)
    return relative == "." or not any(part.startswith(".") for part in relative.split(os.sep))
