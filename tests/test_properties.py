"""Property tests on what a corpus run feeds on: readers, parsers and the whole pipeline.

Whatever the bytes, reading never raises (a Document says what was wrong); whatever the
text, parsing and the steps give a valid Page: an id, numbered comments, problems recorded
rather than raised, an exact JSON round trip, and every offset (entities, quotes, evidence)
leading back to its text in the original. The normaliser's own offset maps are covered in
tests/test_normalize.py. Bounded examples keep this quick.
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.parse import parse_document
from marsad.read import ReadLimits, read_bytes
from marsad.read.document import Document
from marsad.read.jsonl import iter_jsonl
from marsad.read.warc import iter_warc
from marsad.record import Page
from marsad.run.pipeline import Pipeline

LIMITS = ReadLimits(max_bytes=64 * 1024)
# MARSAD_PROPERTY_EXAMPLES=2000 for a longer search; 50 keeps the suite quick.
SETTINGS = settings(max_examples=int(os.environ.get("MARSAD_PROPERTY_EXAMPLES", "50")),
                    deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Arabic letters and marks, digits, punctuation a page and its comments hold, markup
# pieces and invisible controls: enough to reach the parsers' branches.
PIECES = st.sampled_from([
    "قال", "مسؤول", "لرويترز", " إن ", "الوضع", "«", "»", ": ", "\n", "\n\n", "  1. ",
    "2. ", "تعليقات", "4 تعليقات", "[ads3]", "منذ ساعتين", "رد", "ﻻ", "\u064e", "\u0640",
    "\u200f", "٣", "<p>", "</p>", "<div class='comment'>", "</div>", "<h1>", "</h1>",
    "<title>", "</title>", "<br>", "&amp;", "<script>x</script>", "abc", "؟", ".", "،",
])
PAGE_TEXT = st.lists(PIECES, max_size=60).map("".join)
PIPELINE = Pipeline()


def _round_trips(page: Page) -> None:
    assert page.id
    assert Page.from_json(page.to_json()) == page
    assert [c.index for c in page.comments] == list(range(1, len(page.comments) + 1))
    for problem in page.problems:
        assert problem.stage and problem.kind and problem.message


def _offsets_lead_back(page: Page) -> None:
    article = page.article_text
    texts = {"title": page.title or "", "article": article}
    texts.update({f"comment {c.index}": c.text for c in page.comments})
    for e in page.entities:
        assert texts[e.where][e.start:e.end] == e.text, e
    for q in page.quotes:
        for span in (q.speaker, q.cue, q.content):
            if span is not None:
                assert article[span.start:span.end] == span.text, q
    for c in page.comments:
        for ev in c.verdict.evidence if c.verdict else []:
            assert 0 <= ev.start <= ev.end <= len(c.text), (c.text, ev)


@SETTINGS
@given(st.binary(max_size=2048), st.sampled_from(["a.html", "a.txt", "a"]))
def test_reading_any_bytes_gives_a_document(data: bytes, name: str) -> None:
    doc = read_bytes(data, name, limits=LIMITS)
    assert doc.source == name
    if doc.ok:
        assert isinstance(doc.content, str) and doc.kind in ("html", "text")
    else:
        assert doc.error and name in doc.error and doc.error_kind


@SETTINGS
@given(st.lists(st.one_of(
    st.binary(max_size=80).filter(lambda b: b"\n" not in b),
    PAGE_TEXT.map(lambda t: json.dumps({"url": "https://a.test/x", "text": t}).encode()),
    PAGE_TEXT.map(lambda t: json.dumps({"html": t}, ensure_ascii=False).encode()),
), max_size=8))
def test_every_jsonl_line_is_a_document_or_counted_blank(lines: list[bytes]) -> None:
    data = b"\n".join(lines)
    skipped: Counter[str] = Counter()
    docs = list(iter_jsonl(io.BytesIO(data), "x.jsonl", LIMITS, skipped))
    physical = io.BytesIO(data).readlines()
    expected = [f"x.jsonl#line={n}" for n, ln in enumerate(physical, 1) if not ln.isspace()]
    assert [d.source for d in docs] == expected
    assert skipped["blank JSONL line"] == len(physical) - len(expected)
    assert all(d.ok or (d.error and d.source in d.error) for d in docs)


def _warc(pages: list[str]) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for n, text in enumerate(pages):
        body = text.encode("utf-8")
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://a.test/{n}", "response", payload=io.BytesIO(body), http_headers=http))
    return out.getvalue()


@SETTINGS
@given(st.lists(PAGE_TEXT, min_size=1, max_size=3), st.integers(0, 10_000),
       st.binary(min_size=1, max_size=8))
def test_a_damaged_warc_never_raises(pages: list[str], at: int, junk: bytes) -> None:
    data = _warc(pages)
    at %= len(data)
    damaged = data[:at] + junk + data[at + len(junk):]
    for stream in (data, damaged):
        docs = list(iter_warc(io.BytesIO(stream), "c.warc", LIMITS, Counter()))
        assert all(d.source.startswith("c.warc#record=") for d in docs)
    assert len(list(iter_warc(io.BytesIO(data), "c.warc", LIMITS, Counter()))) == len(pages)


@SETTINGS
@given(PAGE_TEXT, st.sampled_from(["html", "text"]))
def test_parsing_any_text_gives_a_valid_page(text: str, kind: str) -> None:
    page = parse_document(Document(source="p", content=text, kind=kind))
    _round_trips(page)
    assert page.source == "p"


@SETTINGS
@given(PAGE_TEXT, st.sampled_from(["html", "text"]))
def test_the_whole_pipeline_keeps_pages_valid_and_offsets_exact(text: str, kind: str) -> None:
    (page,) = PIPELINE.run([Document(source="p", content=text, kind=kind)])
    _round_trips(page)
    _offsets_lead_back(page)


def test_an_unreadable_document_is_a_page_with_its_problem() -> None:
    doc = read_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "img.html", limits=LIMITS)
    (page,) = PIPELINE.run([doc])
    _round_trips(page)
    assert [p.stage for p in page.problems] == ["read"] and "img.html" in page.problems[0].message
