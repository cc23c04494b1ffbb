"""sniff: HTML, text or binary, from content alone."""

from __future__ import annotations

import time

import pytest

from marsad.read import sniff
from marsad.read.sniffing import binary_kind, control_share

ARABIC = "أعلنت البلدية اليوم عن خطة جديدة لتنظيف الشوارع في الأحياء الشرقية."

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(40)


@pytest.mark.parametrize(
    ("data", "name"),
    [(PNG, "PNG image"), (JPEG, "JPEG image"), (PDF, "PDF document"), (ZIP, "ZIP archive")],
)
def test_magic_numbers_are_binary_and_named(data: bytes, name: str) -> None:
    assert sniff(data) == "binary"
    assert binary_kind(data) == name


def test_pdf_is_binary_even_though_it_starts_as_ascii() -> None:
    # A PDF head is printable ASCII; only its signature gives it away.
    assert control_share(PDF) < 0.02
    assert sniff(PDF) == "binary"


@pytest.mark.parametrize(
    "html",
    [
        "<!DOCTYPE html><html><head><title>خبر</title></head><body></body></html>",
        "\n\n  <!doctype HTML>\n<html lang='ar'>",
        "<html>\n<body><p>" + ARABIC + "</p></body></html>",
        "<?xml version='1.0'?>\n<!DOCTYPE html>\n<html xmlns='http://www.w3.org/1999/xhtml'>",
        "<div class='article'><p>" + ARABIC + "</p></div>",  # a fragment, as crawlers store
        "<!-- saved page -->\n<head><meta charset='utf-8'></head>",
    ],
)
def test_html_is_recognised(html: str) -> None:
    assert sniff(html.encode("utf-8")) == "html"


@pytest.mark.parametrize(
    "text",
    [
        ARABIC,
        "قال الوزير: إن العدد < 5 والمطلوب > 10.",  # angle brackets in prose are not markup
        "Plain English note about the <p> tag, written in prose.",
        "",
    ],
)
def test_text_is_text(text: str) -> None:
    assert sniff(text.encode("utf-8")) == "text"


def test_single_byte_arabic_is_text_not_binary() -> None:
    # windows-1256 / ISO-8859-6 letters live in 0x80-0xFF, which must not count as binary.
    assert sniff(ARABIC.encode("windows-1256")) == "text"
    assert sniff(ARABIC.encode("iso-8859-6")) == "text"


def test_many_control_bytes_are_binary() -> None:
    data = bytes(range(256)) * 16  # every byte value: 11% are controls
    assert binary_kind(data) is None
    assert sniff(data) == "binary"


def test_a_few_stray_control_bytes_stay_text() -> None:
    data = (ARABIC + "\x00" + ARABIC + "\x1a").encode("utf-8")
    assert sniff(data) == "text"


def test_utf16_with_bom_is_not_mistaken_for_binary() -> None:
    html = "<html><body><p>" + ARABIC + "</p></body></html>"
    assert sniff(html.encode("utf-16")) == "html"
    assert sniff(ARABIC.encode("utf-16")) == "text"


@pytest.mark.parametrize(
    "data",
    [
        b"<meta " + b"a" * 100_000,
        b"<" * 100_000,
        b"<!doctype" + b" " * 100_000,
        b"<div" * 25_000,
    ],
)
def test_adversarial_heads_are_fast(data: bytes) -> None:
    start = time.perf_counter()
    sniff(data)
    assert time.perf_counter() - start < 0.5
