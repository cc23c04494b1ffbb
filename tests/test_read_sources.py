"""Reader: files, folder trees, gzip, symlinks; a bad input never stops the others."""

from __future__ import annotations

import gzip
import json
import os
import threading
from collections.abc import Iterable
from pathlib import Path

import pytest

from marsad.read import Document, Reader, ReadLimits, read_inputs

SENTENCE = "أعلنت البلدية اليوم عن خطة جديدة لتنظيف الشوارع في الأحياء الشرقية من المدينة."
COMMENT = "شكرا للكاتب على هذا المقال المفيد، وأتمنى أن تتابعوا القضية حتى النهاية."
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(2000)


def html(body: str) -> str:
    return f"<!DOCTYPE html><html><head><title>خبر</title></head><body><p>{body}</p></body></html>"


def read_all(
    inputs: Iterable[str | Path], limits: ReadLimits | None = None
) -> tuple[list[Document], Reader]:
    reader = Reader(limits or ReadLimits())
    return list(reader.read(inputs)), reader


def read_with_deadline(inputs: list[str], seconds: float = 10) -> tuple[list[Document], Reader]:
    """Read in a thread so a walk that loops fails the test instead of hanging it."""
    result: list[tuple[list[Document], Reader]] = []
    thread = threading.Thread(target=lambda: result.append(read_all(inputs)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"reading {inputs} did not finish in {seconds} s"
    return result[0]


def test_single_file_any_extension_content_sniffed(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(html(SENTENCE), encoding="utf-8")
    (tmp_path / "note.html").write_text(COMMENT, encoding="utf-8")
    (tmp_path / "noext").write_bytes(SENTENCE.encode("windows-1256"))
    docs, _ = read_all([tmp_path / "page.txt", tmp_path / "note.html", tmp_path / "noext"])
    assert [(d.kind, d.encoding, d.ok) for d in docs] == [
        ("html", "utf-8", True),
        ("text", "utf-8", True),
        ("text", "windows-1256", True),
    ]
    assert docs[2].content == SENTENCE
    assert docs[0].source == str(tmp_path / "page.txt")


def test_folder_is_walked_in_sorted_order_depth_first(tmp_path: Path) -> None:
    for name in ["b.html", "a/z.txt", "a/c/y.txt", "c.txt", "a/b.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(COMMENT, encoding="utf-8")
    docs, _ = read_all([tmp_path])
    relative = [os.path.relpath(d.source, tmp_path) for d in docs]
    assert relative == ["a/b.txt", "a/c/y.txt", "a/z.txt", "b.html", "c.txt"]
    assert all(d.ok for d in docs)


def test_hidden_files_and_folders_are_skipped_and_counted(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / "a.txt").write_text(COMMENT, encoding="utf-8")
    docs, reader = read_all([tmp_path])
    assert [Path(d.source).name for d in docs] == ["a.txt"]
    assert reader.skipped["hidden folder"] == 1
    assert reader.skipped["hidden file"] == 1


def test_hidden_file_named_explicitly_is_read(tmp_path: Path) -> None:
    (tmp_path / ".page.txt").write_text(COMMENT, encoding="utf-8")
    docs, _ = read_all([tmp_path / ".page.txt"])
    assert docs[0].ok


def test_one_broken_page_among_a_hundred_good_ones(tmp_path: Path) -> None:
    for i in range(100):
        (tmp_path / f"page{i:03}.html").write_text(html(f"{SENTENCE} {i}"), encoding="utf-8")
    (tmp_path / "page050b.html").write_bytes(PNG)
    docs, _ = read_all([tmp_path])
    assert len(docs) == 101
    good = [d for d in docs if d.ok]
    bad = [d for d in docs if not d.ok]
    assert len(good) == 100
    assert {d.content for d in good} == {html(f"{SENTENCE} {i}") for i in range(100)}
    assert [d.source for d in bad] == [str(tmp_path / "page050b.html")]
    assert bad[0].error is not None and "PNG image" in bad[0].error
    assert docs[51] is bad[0]  # reported in its sorted place


def test_missing_input_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(COMMENT, encoding="utf-8")
    missing = str(tmp_path / "nope.html")
    docs = list(read_inputs([missing, tmp_path / "a.txt"]))
    assert docs[0].error == f"{missing}: no such file or folder; skipped (check the path)"
    assert docs[0].error_kind == "missing"
    assert docs[1].ok


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"")
    (doc,), _ = read_all([tmp_path / "empty.html"])
    assert doc.error is not None and "empty file (0 bytes)" in doc.error


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_text(html(SENTENCE * 50), encoding="utf-8")
    (doc,), _ = read_all([path], ReadLimits(max_bytes=1024))
    assert doc.content is None
    assert doc.error is not None
    assert f"page is {path.stat().st_size / 1024:.1f} KB, over the 1 KB limit" in doc.error
    assert "raise the limit with --max-bytes" in doc.error


def test_gzip_page(tmp_path: Path) -> None:
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(html(SENTENCE).encode("windows-1256")))
    (doc,), _ = read_all([tmp_path / "a.html.gz"])
    assert (doc.ok, doc.kind, doc.encoding, doc.content) == (
        True,
        "html",
        "windows-1256",
        html(SENTENCE),
    )


def test_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    # 200 MB of zeros as 200 gzip members of 1 MB each (a gzip stream may hold many members,
    # read as one): built in milliseconds, and never held in memory.
    path = tmp_path / "bomb.html.gz"
    member = gzip.compress(bytes(1024 * 1024))
    with path.open("wb") as out:
        for _ in range(200):
            out.write(member)
    assert path.stat().st_size < 1024 * 1024
    assert len(gzip.decompress(member)) == 1024 * 1024  # so the file holds 200 MB
    (doc,), _ = read_all([path], ReadLimits(max_bytes=1024 * 1024))
    assert doc.content is None
    assert doc.error_kind == "decompression_bomb"
    assert doc.error is not None
    assert doc.error.startswith(f"{path}: decompresses to more than 1 MB (a gzip bomb")
    assert "--max-bytes" in doc.error


def test_damaged_gzip(tmp_path: Path) -> None:
    data = gzip.compress(html(SENTENCE).encode("utf-8") * 20)
    (tmp_path / "cut.html.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "ok.txt").write_text(COMMENT, encoding="utf-8")
    docs, _ = read_all([tmp_path])
    assert docs[0].error is not None and "damaged gzip data" in docs[0].error
    assert docs[1].ok


def test_jsonl_gz_and_jsonl_by_content(tmp_path: Path) -> None:
    lines = [json.dumps({"url": f"https://example.com/{i}", "text": COMMENT}) for i in range(3)]
    (tmp_path / "pages.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode("utf-8")))
    (tmp_path / "export.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, _ = read_all([tmp_path / "pages.jsonl.gz", tmp_path / "export.txt"])
    assert [d.source for d in docs] == [
        *(f"{tmp_path / 'pages.jsonl.gz'}#line={n}" for n in (1, 2, 3)),
        *(f"{tmp_path / 'export.txt'}#line={n}" for n in (1, 2, 3)),
    ]
    assert all(d.ok and d.content == COMMENT for d in docs)


def test_a_json_object_that_is_not_a_page_is_one_text_page(tmp_path: Path) -> None:
    (tmp_path / "config.txt").write_text('{"name": "x"}\n{"name": "y"}\n', encoding="utf-8")
    (doc,), _ = read_all([tmp_path / "config.txt"])
    assert doc.ok and doc.kind == "text" and doc.source == str(tmp_path / "config.txt")


def test_symlink_loop_between_folders_does_not_hang(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "a" / "page.txt").write_text(COMMENT, encoding="utf-8")
    (root / "b" / "page.txt").write_text(SENTENCE, encoding="utf-8")
    os.symlink(root / "b", root / "a" / "to_b")
    os.symlink(root / "a", root / "b" / "to_a")
    docs, reader = read_with_deadline([str(root)])
    # Each page once, under its own path; the links are skipped with a reason.
    assert [os.path.relpath(d.source, root) for d in docs] == ["a/page.txt", "b/page.txt"]
    assert reader.skipped["symlink to a folder inside the input (read by its own path)"] == 2


def test_symlink_loop_through_an_outside_folder_does_not_hang(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "page.txt").write_text(COMMENT, encoding="utf-8")
    os.symlink(outside, outside / "again")  # a folder that contains itself
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside, root / "ext")
    docs, reader = read_with_deadline([str(root)])
    assert [os.path.relpath(d.source, root) for d in docs] == ["ext/page.txt"]
    assert reader.skipped["folder already read (symlink loop)"] == 1


def test_file_symlink_to_itself_is_an_error_not_a_hang(tmp_path: Path) -> None:
    os.symlink(tmp_path / "self.html", tmp_path / "self.html")
    (tmp_path / "z.txt").write_text(COMMENT, encoding="utf-8")
    docs, _ = read_with_deadline([str(tmp_path), str(tmp_path / "self.html")])
    looped = [d for d in docs if not d.ok]
    assert len(looped) == 2  # once from the walk, once named explicitly
    for doc in looped:
        assert doc.error_kind == "symlink_loop"
        assert doc.error == (
            f"{tmp_path / 'self.html'}: symlink loop (the link leads back to itself); "
            "skipped (fix or remove the link)"
        )
    assert [d.ok for d in docs] == [False, True, False]


def test_broken_symlink(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.html", tmp_path / "link.html")
    (doc,), _ = read_all([tmp_path])
    assert doc.error_kind == "broken_symlink"
    assert doc.error is not None and "broken symlink" in doc.error


def test_symlinks_not_followed_when_asked(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(COMMENT, encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside, root / "link.txt")
    docs, reader = read_all([root], ReadLimits(follow_symlinks=False))
    assert docs == []
    assert reader.skipped["symlink (not followed)"] == 1
    docs, _ = read_all([root])
    assert [d.content for d in docs] == [COMMENT]


def test_fifo_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "a.txt").write_text(COMMENT, encoding="utf-8")
    docs, reader = read_with_deadline([str(tmp_path), str(tmp_path / "pipe")])
    assert docs[0].ok
    assert docs[1].error_kind == "not_regular"
    assert reader.skipped["not a regular file (pipe, socket or device)"] == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file whatever its permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.html"
    path.write_text(COMMENT, encoding="utf-8")
    path.chmod(0)
    (doc,), _ = read_all([path])
    assert doc.error_kind == "permission"
    assert doc.error == f"{path}: permission denied; skipped (check the file's permissions)"


def test_permission_error_becomes_an_error_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root can read anything, so simulate the failure where the file is opened.
    from marsad.read import sources

    def refuse(path: str, mode: str = "r") -> None:
        raise PermissionError(13, "Permission denied", path)

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(COMMENT, encoding="utf-8")
    monkeypatch.setattr(sources, "open", refuse, raising=False)
    docs, _ = read_all([tmp_path])
    assert [d.error_kind for d in docs] == ["permission", "permission"]
    assert docs[0].error == (
        f"{tmp_path / 'a.txt'}: permission denied; skipped (check the file's permissions)"
    )
