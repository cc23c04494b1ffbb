"""JSONL exports: one page per line; a bad line is an error Document, the rest still read."""

from __future__ import annotations

import gzip
import io
import json
from collections import Counter
from pathlib import Path

from marsad.read import Document, Reader, ReadLimits
from marsad.read.jsonl import iter_jsonl

ARTICLE = "يرى مراقبون أن ارتفاع الأسعار سيستمر حتى نهاية الشتاء بسبب قلة الوقود في الأسواق."
COMMENT = "هل يعرف أحد متى يفتح المعبر؟ ننتظر منذ الصباح والأطفال متعبون جداً."
PAGE = f"<html><body><article><p>{ARTICLE}</p></article></body></html>"


def read_lines(
    lines: list[str | bytes], limits: ReadLimits | None = None
) -> tuple[list[Document], Counter[str]]:
    data = b"\n".join(line.encode("utf-8") if isinstance(line, str) else line for line in lines)
    skipped: Counter[str] = Counter()
    return list(iter_jsonl(io.BytesIO(data), "x.jsonl", limits or ReadLimits(), skipped)), skipped


def test_html_and_text_lines() -> None:
    docs, _ = read_lines(
        [
            json.dumps({"url": "https://example.com/1", "html": PAGE}),  # \u-escaped Arabic
            json.dumps(
                {"url": "https://example.com/2", "text": COMMENT, "fetched_at": "2024-05-01"},
                ensure_ascii=False,
            ),
        ]
    )
    assert [(d.source, d.kind, d.url, d.content) for d in docs] == [
        ("x.jsonl#line=1", "html", "https://example.com/1", PAGE),
        ("x.jsonl#line=2", "text", "https://example.com/2", COMMENT),
    ]
    assert docs[1].fetched_at == "2024-05-01"
    assert docs[0].encoding == docs[1].encoding == "utf-8"


def test_recorded_encoding_is_kept() -> None:
    (doc,), _ = read_lines([json.dumps({"url": "u", "html": PAGE, "encoding": "CP1256"})])
    assert doc.encoding == "windows-1256"


def test_html_field_holding_plain_text_is_text() -> None:
    (doc,), _ = read_lines([json.dumps({"url": "u", "html": COMMENT})])
    assert doc.ok and doc.kind == "text"


def test_a_line_that_is_not_json_does_not_stop_the_others() -> None:
    docs, _ = read_lines(
        [
            json.dumps({"url": "u1", "text": COMMENT}),
            '{"url": "u2", "text": "unterminated',
            json.dumps({"url": "u3", "text": ARTICLE}),
        ]
    )
    assert [d.ok for d in docs] == [True, False, True]
    bad = docs[1]
    assert bad.source == "x.jsonl#line=2"
    assert bad.error_kind == "bad_json"
    assert bad.error is not None
    assert bad.error.startswith("x.jsonl#line=2: not JSON (Unterminated string")
    assert bad.error.endswith("; skipped (each line must be one JSON object)")


def test_a_line_missing_both_html_and_text() -> None:
    docs, _ = read_lines([json.dumps({"url": "u1", "body": COMMENT}), json.dumps({"text": "x"})])
    assert docs[0].error == (
        'x.jsonl#line=1: no "html" or "text" field (has: body, url); skipped '
        '(each line needs "html" or "text", and should have "url")'
    )
    assert docs[0].url == "u1"
    assert docs[0].error_kind == "no_content"
    assert docs[1].ok


def test_null_content_counts_as_missing_and_text_is_used_when_html_is_null() -> None:
    docs, _ = read_lines(
        [
            json.dumps({"url": "u", "html": None, "text": None}),
            json.dumps({"url": "u", "html": None, "text": COMMENT}),
        ]
    )
    assert docs[0].error_kind == "no_content"
    assert docs[1].content == COMMENT


def test_wrong_types() -> None:
    docs, _ = read_lines(
        [
            json.dumps({"url": "u", "html": ["<p>", "</p>"]}),
            json.dumps({"url": 7, "text": COMMENT}),
            json.dumps([{"url": "u", "text": COMMENT}]),
            "42",
        ]
    )
    assert [d.error_kind for d in docs] == ["bad_field", "bad_field", "bad_json", "bad_json"]
    assert docs[0].error is not None and 'field "html" is a list, not a string' in docs[0].error
    assert docs[1].error is not None and 'field "url" is a int' in docs[1].error
    assert docs[2].error is not None and "a JSON array, not an object" in docs[2].error
    assert docs[3].error is not None and "a JSON int, not an object" in docs[3].error


def test_blank_lines_are_skipped_and_counted_line_numbers_stay_true() -> None:
    docs, skipped = read_lines(
        ["", json.dumps({"text": COMMENT}), "   ", json.dumps({"text": ARTICLE})]
    )
    assert [d.source for d in docs] == ["x.jsonl#line=2", "x.jsonl#line=4"]
    assert skipped["blank JSONL line"] == 2


def test_invalid_utf8_line() -> None:
    docs, _ = read_lines([b'{"text": "\xff\xfe"}', json.dumps({"text": COMMENT})])
    assert docs[0].error_kind == "bad_json"
    assert docs[1].ok


def test_bom_on_first_line_and_crlf_endings() -> None:
    line = json.dumps({"url": "u", "text": COMMENT}, ensure_ascii=False).encode("utf-8")
    docs, _ = read_lines([b"\xef\xbb\xbf" + line + b"\r", line + b"\r"])
    assert [d.content for d in docs] == [COMMENT, COMMENT]


def test_lone_surrogate_escape_is_replaced_not_kept() -> None:
    (doc,), _ = read_lines(['{"text": "' + "قبل" + "\\ud800" + "بعد" + '"}'])
    assert doc.content == "قبل\ufffdبعد"


def test_page_over_the_limit_and_line_over_the_cap() -> None:
    limits = ReadLimits(max_bytes=100)
    big = json.dumps({"text": ARTICLE * 2}, ensure_ascii=False)  # ~300 bytes of Arabic
    huge = json.dumps({"text": "x" * 200_000})  # longer than the line cap (3 x 100 + 64 KB)
    docs, _ = read_lines([big, huge, json.dumps({"text": "ok"})], limits)
    assert [d.error_kind for d in docs] == ["too_large", "line_too_long", None]
    assert docs[0].error is not None and "--max-bytes" in docs[0].error
    assert docs[1].source == "x.jsonl#line=2"
    assert docs[2].source == "x.jsonl#line=3" and docs[2].content == "ok"


def test_deeply_nested_json_is_an_error_not_a_crash() -> None:
    docs, _ = read_lines(["[" * 100_000 + "]" * 100_000, json.dumps({"text": COMMENT})])
    assert docs[0].error_kind == "bad_json"
    assert docs[1].ok


def test_through_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "pages.ndjson"
    path.write_text("not json\n" + json.dumps({"url": "u", "text": COMMENT}) + "\n")
    reader = Reader()
    docs = list(reader.read([path]))
    assert [d.source for d in docs] == [f"{path}#line=1", f"{path}#line=2"]
    assert [d.ok for d in docs] == [False, True]


def test_jsonl_gz_bomb_without_line_ends_stops(tmp_path: Path) -> None:
    # 100 MB of zeros in 100 gzip members: one endless "line". Reading must give up on the
    # file after a bounded amount, not decompress it all.
    path = tmp_path / "bomb.jsonl.gz"
    member = gzip.compress(bytes(1024 * 1024))
    with path.open("wb") as out:
        out.write(gzip.compress(json.dumps({"text": COMMENT}).encode() + b"\n"))
        for _ in range(100):
            out.write(member)
    reader = Reader(ReadLimits(max_bytes=1024))
    docs = list(reader.read([path]))
    assert [d.error_kind for d in docs] == [None, "line_too_long"]
    assert docs[1].error is not None and "and so is the rest of the file" in docs[1].error
