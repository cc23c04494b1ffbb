"""decode: UTF-8, windows-1256 and ISO-8859-6, declared or detected, BOM first."""

from __future__ import annotations

import random
import time

import pytest

from marsad.read import decode
from marsad.read.charsets import (
    charset_from_content_type,
    decode_detail,
    normalise_encoding,
    prescan,
)

# Our own sentences, in the register of news text and reader comments.
SENTENCES = [
    "أعلنت البلدية اليوم عن خطة جديدة لتنظيف الشوارع في الأحياء الشرقية من المدينة.",
    "وقال أحد السكان إن المياه انقطعت عن الحي منذ ثلاثة أيام دون أي تفسير من الشركة.",
    "يرى مراقبون أن ارتفاع الأسعار سيستمر حتى نهاية الشتاء بسبب قلة الوقود في الأسواق.",
    "شكرا للكاتب على هذا المقال المفيد، وأتمنى أن تتابعوا القضية حتى النهاية.",
    "الطقس بارد.",
    "هل يعرف أحد متى يفتح المعبر؟ ننتظر منذ الصباح؛ والأطفال متعبون جداً.",
]
PARAGRAPH = " ".join(SENTENCES)
ARABIC_ENCODINGS = ["windows-1256", "iso-8859-6"]


def page(body: str, head: str = "") -> str:
    """An HTML page whose ASCII markup far outweighs its Arabic text, as real pages do."""
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(40))
    return (
        f"<!DOCTYPE html><html><head>{head}<title>News</title>"
        f'<script>var config = {{"theme": "dark", "ads": true}};</script></head>'
        f"<body><ul>{nav}</ul><article><p>{body}</p></article>"
        f"<footer>Copyright 2024 example.com. All rights reserved.</footer></body></html>"
    )


def test_utf8_is_tried_first() -> None:
    assert decode(PARAGRAPH.encode("utf-8")) == (PARAGRAPH, "utf-8")


@pytest.mark.parametrize("encoding", ARABIC_ENCODINGS)
@pytest.mark.parametrize("sentence", SENTENCES, ids=[f"sentence{i}" for i in range(len(SENTENCES))])
def test_undeclared_single_byte_arabic_sentences(sentence: str, encoding: str) -> None:
    assert decode(sentence.encode(encoding)) == (sentence, encoding)


@pytest.mark.parametrize("encoding", ARABIC_ENCODINGS)
def test_undeclared_single_byte_arabic_in_markup_heavy_html(encoding: str) -> None:
    # Here charset-normalizer alone takes ISO-8859-6 for a Cyrillic code page; the Arabic
    # score must still find the right one.
    html = page(SENTENCES[1])
    assert decode(html.encode(encoding)) == (html, encoding)


@pytest.mark.parametrize("encoding", ARABIC_ENCODINGS)
def test_meta_charset_is_used(encoding: str) -> None:
    html = page(PARAGRAPH, head=f'<meta charset="{encoding.upper()}">')
    text, name = decode(html.encode(encoding))
    assert (text, name) == (html, encoding)
    assert decode_detail(html.encode(encoding)).how == "declared"


def test_http_equiv_content_type_is_used() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
    html = page(PARAGRAPH, head=meta)
    assert decode(html.encode("windows-1256")) == (html, "windows-1256")


def test_declared_argument_is_used() -> None:
    data = PARAGRAPH.encode("iso-8859-6")
    decoded = decode_detail(data, "ISO-8859-6")
    assert (decoded.text, decoded.encoding, decoded.how) == (PARAGRAPH, "iso-8859-6", "declared")


def test_server_default_latin1_header_does_not_win_over_arabic_bytes() -> None:
    # Servers often send "charset=ISO-8859-1" for windows-1256 pages; believing it would
    # turn every Arabic letter into Latin mojibake («ÃÚáäÊ»).
    data = page(PARAGRAPH).encode("windows-1256")
    assert decode(data, "iso-8859-1") == (page(PARAGRAPH), "windows-1256")


@pytest.mark.parametrize(
    ("actual", "declared"), [("iso-8859-6", "windows-1256"), ("windows-1256", "iso-8859-6")]
)
def test_wrong_arabic_declaration_is_overruled(actual: str, declared: str) -> None:
    html = page(PARAGRAPH, head=f'<meta charset="{declared}">')
    assert decode(html.encode(actual)) == (html, actual)


def test_valid_utf8_wins_over_a_stale_meta_charset() -> None:
    html = page(PARAGRAPH, head='<meta charset="windows-1256">')
    assert decode(html.encode("utf-8")) == (html, "utf-8")


def test_bom_wins_over_contradicting_meta_and_is_stripped() -> None:
    html = page(PARAGRAPH, head='<meta charset="windows-1256">')
    text, name = decode(b"\xef\xbb\xbf" + html.encode("utf-8"), "windows-1256")
    assert name == "utf-8"
    assert text == html  # no U+FEFF left at the start
    assert not text.startswith("\ufeff")


def test_utf16_bom() -> None:
    text, name = decode(b"\xff\xfe" + PARAGRAPH.encode("utf-16-le"))
    assert (text, name) == (PARAGRAPH, "utf-16-le")


def test_utf8_page_with_one_broken_byte_stays_utf8() -> None:
    good = page(PARAGRAPH).encode("utf-8")
    cut = good.index("الشوارع".encode()) - 1  # just before a word, after a space
    data = good[:cut] + b"\xff" + good[cut:]
    text, name = decode(data)
    assert name == "utf-8"
    assert text.count("\ufffd") == 1
    assert text.replace("\ufffd", "") == page(PARAGRAPH)


def test_ascii_page_keeps_its_declared_name() -> None:
    assert decode(b"<p>hello</p>", "windows-1256") == ("<p>hello</p>", "windows-1256")
    assert decode(b"<p>hello</p>") == ("<p>hello</p>", "utf-8")


def test_western_european_legacy_page() -> None:
    text = "Die Bürger möchten über die Straße sprechen, aber die Behörde äußert sich nicht."
    assert decode(text.encode("windows-1252"))[0] == text


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Windows-1256", "windows-1256"),
        ("cp1256", "windows-1256"),
        ("x-cp1256", "windows-1256"),
        ("ISO-8859-6", "iso-8859-6"),
        ("arabic", "iso-8859-6"),
        ("ISO-8859-6-I", "iso-8859-6"),
        ("UTF8", "utf-8"),
        (" 'utf-8' ", "utf-8"),
        ("latin1", "iso-8859-1"),
        ("no-such-charset", None),
        ("base64", None),  # a codec, but not a text encoding
        ("", None),
        (None, None),
    ],
)
def test_normalise_encoding(label: str | None, name: str | None) -> None:
    assert normalise_encoding(label) == name


def test_unknown_declaration_is_ignored() -> None:
    data = PARAGRAPH.encode("windows-1256")
    assert decode(data, "klingon-8") == (PARAGRAPH, "windows-1256")


def test_charset_from_content_type() -> None:
    assert charset_from_content_type('text/html; charset="Windows-1256"') == "windows-1256"
    assert charset_from_content_type("text/html;charset=iso-8859-6") == "iso-8859-6"
    assert charset_from_content_type("text/html") is None
    assert charset_from_content_type(None) is None


def test_prescan_reads_meta_and_xml_declarations() -> None:
    assert prescan(b"<html><head><META CHARSET=windows-1256 ></head>") == "windows-1256"
    assert prescan(b'<?xml version="1.0" encoding="ISO-8859-6"?><html>') == "iso-8859-6"
    # Bytes read through an ASCII-compatible decoding cannot be UTF-16 (HTML rule).
    assert prescan(b'<meta charset="utf-16">') == "utf-8"
    assert prescan(b"<p>no declaration</p>") is None


def test_prescan_is_fast_on_adversarial_heads() -> None:
    start = time.perf_counter()
    for data in (b"<meta " + b"c" * 100_000, b"<meta charset=" * 8000, b"<?xml " * 20_000):
        prescan(data)
    assert time.perf_counter() - start < 0.5


def test_random_high_bytes_are_not_readable() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(4000))
    decoded = decode_detail(data)
    assert not decoded.readable


def test_random_printable_bytes_are_not_readable() -> None:
    rng = random.Random(8)
    data = bytes(rng.randrange(0x20, 0x100) for _ in range(4000))
    assert not decode_detail(data).readable


@pytest.mark.parametrize("encoding", ARABIC_ENCODINGS)
def test_real_text_is_readable(encoding: str) -> None:
    assert decode_detail(page(PARAGRAPH).encode(encoding)).readable
    assert decode_detail(PARAGRAPH.encode(encoding)).readable


def test_utf8_page_with_stale_meta_and_a_cut_letter_stays_utf8() -> None:
    # A CMS cut an excerpt inside a two-byte letter; the page still declares windows-1256.
    html = page(PARAGRAPH, head='<meta charset="windows-1256">').encode("utf-8")
    cut = html.index("الشوارع".encode()) + 1  # between the two bytes of «ا»
    data = html[:cut] + html[cut + 1 :]
    text, name = decode(data)
    assert name == "utf-8"
    assert text.count("\ufffd") == 1
    assert SENTENCES[1] in text


def test_utf8_page_with_one_latin1_word_stays_utf8() -> None:
    text = "Die Bürger möchten über die Straße sprechen, aber die Behörde äußert sich nicht. "
    data = (text * 4).encode("utf-8") + "Küchenblogs".encode("latin-1")
    decoded, name = decode(data)
    assert name == "utf-8"
    assert decoded.startswith(text * 4)


def test_single_byte_arabic_is_not_mistaken_for_broken_utf8() -> None:
    # windows-1256 letters followed by «،» or «؛» form valid UTF-8 pairs; a few must not tip it.
    text = "، ".join(["شارك", "ملك", "سلك", "فلك", "هلك", "مسلك"] * 5) + "؛"
    assert decode(text.encode("windows-1256")) == (text, "windows-1256")


@pytest.mark.parametrize("encoding", ["koi8-r", "windows-1251"])
def test_other_scripts_are_not_read_as_arabic_letter_soup(encoding: str) -> None:
    # KOI8-R read through windows-1256 gives Arabic letters, but without «ال» they are soup.
    text = "Жители города жалуются на плохие дороги и отсутствие освещения на улицах зимой."
    assert decode(text.encode(encoding)) == (text, encoding)


def test_clean_arabic_reading_does_not_ask_the_slow_detector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from marsad.read import charsets

    def refuse(sample: bytes) -> str | None:
        raise AssertionError("detector consulted")

    monkeypatch.setattr(charsets, "_detector_guess", refuse)
    for encoding in ARABIC_ENCODINGS:
        assert decode(page(PARAGRAPH).encode(encoding)) == (page(PARAGRAPH), encoding)
