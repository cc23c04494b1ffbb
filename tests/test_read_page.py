"""read_bytes: one page's bytes to a Document, or an error that says why and what to do."""

from __future__ import annotations

import random

import pytest

from marsad.read import ReadLimits, read_bytes
from marsad.read.limits import format_size
from marsad.read.page import clean_text

SENTENCE = "وقال أحد السكان إن المياه انقطعت عن الحي منذ ثلاثة أيام دون أي تفسير من الشركة."
HTML = f"<!DOCTYPE html><html><head><title>خبر</title></head><body><p>{SENTENCE}</p></body></html>"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_html_page() -> None:
    doc = read_bytes(
        HTML.encode("utf-8"),
        "news/a.html",
        url="https://example.com/a",
        fetched_at="2024-03-01T10:00:00Z",
    )
    assert doc.ok
    assert (doc.kind, doc.content, doc.encoding) == ("html", HTML, "utf-8")
    assert (doc.source, doc.url, doc.fetched_at) == (
        "news/a.html",
        "https://example.com/a",
        "2024-03-01T10:00:00Z",
    )


def test_text_page_in_windows_1256_declared() -> None:
    doc = read_bytes(SENTENCE.encode("windows-1256"), "a.txt", declared_encoding="cp1256")
    assert (doc.kind, doc.content, doc.encoding) == ("text", SENTENCE, "windows-1256")


def test_empty_file() -> None:
    doc = read_bytes(b"", "news/empty.html")
    assert not doc.ok and doc.content is None
    assert doc.error == (
        "news/empty.html: empty file (0 bytes); skipped "
        "(check that the download or export finished)"
    )
    assert doc.error_kind == "empty"


def test_whitespace_only_is_empty() -> None:
    doc = read_bytes(b" \r\n\t \n", "blank.txt")
    assert doc.error is not None and "empty: only whitespace" in doc.error


def test_bom_only_is_empty() -> None:
    doc = read_bytes(b"\xef\xbb\xbf", "bom.txt")
    assert doc.error is not None and doc.error.startswith("bom.txt: empty")


def test_png_renamed_html() -> None:
    size = int(2.1 * 1024 * 1024)
    data = PNG_SIGNATURE + bytes(size - len(PNG_SIGNATURE))
    doc = read_bytes(data, "news/a.html")
    assert doc.content is None
    assert doc.error == "news/a.html: not HTML or text (binary, PNG image, 2.1 MB); skipped"
    assert doc.error_kind == "binary"


def test_binary_without_known_signature() -> None:
    rng = random.Random(1)
    data = bytes(rng.randrange(256) for _ in range(4096))
    doc = read_bytes(data, "blob.html")
    assert doc.error is not None
    assert doc.error.startswith("blob.html: not HTML or text (binary, ")
    assert "control bytes, 4 KB); skipped" in doc.error
    assert doc.error_kind == "binary"


def test_page_over_the_size_limit_says_how_to_raise_it() -> None:
    doc = read_bytes(HTML.encode("utf-8"), "big.html", limits=ReadLimits(max_bytes=100))
    assert doc.content is None
    assert doc.error is not None
    assert doc.error.startswith("big.html: page is ")
    assert "over the 100 bytes limit" in doc.error
    assert "--max-bytes" in doc.error
    assert doc.error_kind == "too_large"


def test_page_exactly_at_the_limit_is_read() -> None:
    data = HTML.encode("utf-8")
    assert read_bytes(data, "a.html", limits=ReadLimits(max_bytes=len(data))).ok


def test_undecodable_bytes() -> None:
    # High bytes only: no control bytes, so not "binary", and invalid UTF-8; every single-byte
    # decoding yields letter soup with no spaces.
    rng = random.Random(2)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    doc = read_bytes(data, "soup.txt")
    assert doc.content is None
    assert doc.error is not None
    assert doc.error.startswith("soup.txt: not readable as text (even the best decoding, ")
    assert "declare its encoding" in doc.error
    assert doc.error_kind == "undecodable"


def test_stray_control_characters_are_dropped() -> None:
    data = ("<p>" + SENTENCE + "\x00\x0b</p>").encode("utf-8")
    doc = read_bytes(data, "a.html")
    assert doc.content == "<p>" + SENTENCE + "</p>"


def test_clean_text_keeps_clean_text_and_fixes_surrogates() -> None:
    text = "سطر\tأول\nسطر ثان\r\n"
    assert clean_text(text) is text
    assert clean_text("a\ud800b\x01c") == "a\ufffdbc"


def test_html_saved_as_text_is_html_and_text_saved_as_html_is_text() -> None:
    assert read_bytes(HTML.encode("utf-8"), "page.txt").kind == "html"
    assert read_bytes(SENTENCE.encode("utf-8"), "page.html").kind == "text"


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (512, "512 bytes"),
        (4096, "4 KB"),
        (int(2.1 * 1024 * 1024), "2.1 MB"),
        (20 * 1024 * 1024, "20 MB"),
        (150 * 1024 * 1024, "150 MB"),
        (3 * 1024**3, "3 GB"),
    ],
)
def test_format_size(size: int, text: str) -> None:
    assert format_size(size) == text
