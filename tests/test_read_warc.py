"""WARC archives, built here with warcio's writer: pages out, everything else counted."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.read import Document, Reader, ReadLimits

ARTICLE = "وقال أحد السكان إن المياه انقطعت عن الحي منذ ثلاثة أيام دون أي تفسير من الشركة."
COMMENT = "شكرا للكاتب على هذا المقال المفيد، وأتمنى أن تتابعوا القضية حتى النهاية."
PAGE = (
    "<!DOCTYPE html><html><head><title>خبر</title></head>"
    f"<body><article><p>{ARTICLE}</p></article></body></html>"
)
DATE = "2024-06-01T08:30:00Z"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(500)


def http(
    status: str, content_type: str | None, extra: tuple[tuple[str, str], ...] = ()
) -> StatusAndHeaders:
    headers = [("Content-Type", content_type)] if content_type else []
    return StatusAndHeaders(status, headers + list(extra), protocol="HTTP/1.1")


def response(writer: WARCWriter, uri: str, body: bytes, headers: StatusAndHeaders) -> None:
    record = writer.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": DATE},
    )
    writer.write_record(record)


def build_warc(path: Path, *, compress: bool) -> None:
    """The records a crawl of one news page typically holds, plus a few awkward ones."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))  # 1
        request = StatusAndHeaders(
            "GET /news/1 HTTP/1.1", [("Host", "example.com")], is_http_request=True
        )
        writer.write_record(
            writer.create_warc_record(
                "https://example.com/news/1",
                "request",
                payload=io.BytesIO(b""),
                http_headers=request,
            )
        )  # 2
        response(  # 3: the page, windows-1256 declared only in the HTTP header
            writer,
            "https://example.com/news/1",
            PAGE.encode("windows-1256"),
            http("200 OK", "text/html; charset=windows-1256"),
        )
        writer.write_record(  # 4
            writer.create_revisit_record(
                "https://example.com/news/1",
                digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                refers_to_uri="https://example.com/news/1",
                refers_to_date=DATE,
                http_headers=http("200 OK", "text/html"),
            )
        )
        response(writer, "https://example.com/logo.png", PNG, http("200 OK", "image/png"))  # 5
        response(  # 6
            writer,
            "https://example.com/old",
            b"",
            http("301 Moved Permanently", None, (("Location", "https://example.com/news/1"),)),
        )
        response(  # 7: a gzip-encoded body in UTF-8
            writer,
            "https://example.com/comments/1",
            gzip.compress(COMMENT.encode("utf-8")),
            http("200 OK", "text/plain; charset=utf-8", (("Content-Encoding", "gzip"),)),
        )
        writer.write_record(  # 8: a resource record (a page saved without HTTP headers)
            writer.create_warc_record(
                "file:///saved/page.html",
                "resource",
                payload=io.BytesIO(PAGE.encode("iso-8859-6")),
                warc_content_type="text/html",
                warc_headers_dict={"WARC-Date": DATE},
            )
        )
        response(  # 9: no content type at all, HTML inside
            writer, "https://example.com/bare", PAGE.encode("utf-8"), http("200 OK", None)
        )


def read(paths: list[Path], limits: ReadLimits | None = None) -> tuple[list[Document], Reader]:
    reader = Reader(limits or ReadLimits())
    return list(reader.read(paths)), reader


@pytest.mark.parametrize("compress", [False, True])
def test_pages_come_out_and_everything_else_is_counted(tmp_path: Path, compress: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    build_warc(path, compress=compress)
    docs, reader = read([path])
    assert all(d.ok for d in docs), [d.error for d in docs]
    assert [(d.source, d.url, d.kind, d.encoding) for d in docs] == [
        (f"{path}#record=3", "https://example.com/news/1", "html", "windows-1256"),
        (f"{path}#record=7", "https://example.com/comments/1", "text", "utf-8"),
        (f"{path}#record=8", "file:///saved/page.html", "html", "iso-8859-6"),
        (f"{path}#record=9", "https://example.com/bare", "html", "utf-8"),
    ]
    assert [d.content for d in docs] == [PAGE, COMMENT, PAGE, PAGE]
    assert {d.fetched_at for d in docs} == {DATE}
    assert reader.skipped == {
        "warc warcinfo record": 1,
        "warc request record": 1,
        "warc revisit record": 1,
        "warc non-HTML response (image/png)": 1,
        "warc HTTP 301 response": 1,
    }


def test_whole_file_gzip_warc_is_read_too(tmp_path: Path) -> None:
    # Some tools gzip the whole file instead of each record; warcio alone refuses those.
    plain = tmp_path / "crawl.warc"
    build_warc(plain, compress=False)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    docs, _ = read([whole])
    assert [d.source.rsplit("#", 1)[1] for d in docs] == [
        "record=3",
        "record=7",
        "record=8",
        "record=9",
    ]


def test_warc_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "crawl.dat"
    build_warc(path, compress=True)
    docs, _ = read([path])
    assert len(docs) == 4 and all(d.ok for d in docs)


def test_damaged_warc_keeps_what_came_before(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    build_warc(path, compress=False)
    data = path.read_bytes()
    cut = data.index(b"WARC/1", data.index(b"https://example.com/logo.png") - 200)
    damaged = tmp_path / "damaged.warc"
    damaged.write_bytes(data[:cut] + b"NOT A WARC HEADER\r\n\r\n" + data[cut:])
    docs, _ = read([damaged, tmp_path / "crawl.warc"])
    first = [d for d in docs if d.source.startswith(str(damaged))]
    assert first[0].ok and first[0].source == f"{damaged}#record=3"
    assert first[-1].error_kind == "damaged_warc"
    assert first[-1].source == f"{damaged}#record=5"  # the garbage sits where record 5 was
    assert first[-1].error is not None and "the rest of the file is skipped" in first[-1].error
    # The next input is read in full.
    assert sum(1 for d in docs if d.source.startswith(str(tmp_path / "crawl.warc"))) == 4


def test_record_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    build_warc(path, compress=True)
    limit = len(COMMENT.encode("utf-8"))
    assert len(PAGE.encode("windows-1256")) > limit
    docs, _ = read([path], ReadLimits(max_bytes=limit))
    by_source = {d.source.rsplit("#", 1)[1]: d for d in docs}
    assert by_source["record=3"].error_kind == "too_large"
    assert by_source["record=3"].url == "https://example.com/news/1"
    error = by_source["record=3"].error or ""
    assert f"more than {limit} bytes" in error and "--max-bytes" in error
    assert by_source["record=7"].ok  # the short comment still fits


def test_unsupported_content_encoding_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "zstd.warc"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        headers = http("200 OK", "text/html", (("Content-Encoding", "zstd"),))
        response(writer, "https://example.com/z", b"(\xb5/\xfd compressed", headers)
    (doc,), _ = read([path])
    assert doc.error_kind == "unsupported_content_encoding"
    assert doc.error is not None and "Content-Encoding zstd" in doc.error
