"""`marsad run` and `marsad parse` end to end, with every kind of bad input.

Every good page is stored, every bad one is recorded with a message that names it and
says what was wrong, and the run finishes.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.cli import main
from tests.pagegen import default_comments, text_page

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def _run(args: list[str]) -> int:
    return main(["run", "--quiet", *args])


def _problems(db: Path) -> dict[str, tuple[str, str]]:
    """source → (problem kind, message) for every page that has a problem."""
    rows = sqlite3.connect(db).execute(
        "SELECT p.source, pr.kind, pr.message FROM problems pr JOIN pages p ON p.id = pr.page_id"
    )
    return {source: (kind, message) for source, kind, message in rows}


def _pages(db: Path) -> int:
    return sqlite3.connect(db).execute("SELECT count(*) FROM pages").fetchone()[0]


def test_one_broken_page_among_a_hundred_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(100):
        (folder / f"page{n:03}.txt").write_text(text_page(n), encoding="utf-8")
    (folder / "broken.html").write_bytes(PNG)
    db = tmp_path / "out.db"
    assert _run([str(folder), "--db", str(db)]) == 0
    assert _pages(db) == 101
    problems = _problems(db)
    assert list(problems) == [str(folder / "broken.html")]
    kind, message = problems[str(folder / "broken.html")]
    assert kind == "binary"
    assert "broken.html" in message and "binary" in message.lower()
    comments = sqlite3.connect(db).execute("SELECT count(*) FROM comments").fetchone()[0]
    assert comments == sum(default_comments(n) for n in range(100))


def test_running_twice_stores_each_page_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(10):
        (folder / f"p{n}.txt").write_text(text_page(n, comments=2), encoding="utf-8")
    db = tmp_path / "twice.db"
    assert _run([str(folder), "--db", str(db)]) == 0
    assert _run([str(folder), "--db", str(db)]) == 0
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM pages").fetchone()[0] == 10
    assert con.execute("SELECT count(*) FROM comments").fetchone()[0] == 20


def _bad_inputs(folder: Path) -> dict[str, str]:
    """Write one of each kind of bad input; return file name → a word its message must hold."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.html").write_bytes(b"")
    (folder / "picture.html").write_bytes(PNG)
    (folder / "huge.txt").write_text("خبر " * 300_000, encoding="utf-8")  # ~1.2 MB
    with gzip.open(folder / "bomb.html.gz", "wb") as f:
        for _ in range(64):
            f.write(b"\x00" * (1 << 20))  # 64 MB of zeros in ~64 KB
    (folder / "random.bin").write_bytes(bytes((i * 7919 + 13) % 256 for i in range(20_000)))
    (folder / "pages.jsonl").write_text(
        json.dumps({"url": "https://a.test/1", "text": text_page(1)}, ensure_ascii=False)
        + "\n{not json\n"
        + json.dumps({"url": "https://a.test/2", "html": "<html><body><p>مرحبا</p></body></html>"})
        + "\n",
        encoding="utf-8",
    )
    loop = folder / "loop"
    loop.mkdir()
    (loop / "self").symlink_to(loop / "self")
    (loop / "up").symlink_to(folder)
    return {"empty.html": "empty", "picture.html": "binary", "huge.txt": "max-bytes",
            "bomb.html.gz": "max-bytes", "random.bin": "", "pages.jsonl#line=2": "json"}


def test_every_kind_of_bad_input_is_recorded_and_the_run_finishes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    expected = _bad_inputs(folder)
    deep = "<html><body>" + "<div>" * 100_000 + "عميق" + "</div>" * 100_000 + "</body></html>"
    (folder / "deep.html").write_text(deep, encoding="utf-8")
    (folder / "truncated.html").write_text(
        "<html><head><title>خبر مبتور</title></head><body><article><h1>خبر مبتور</h1>"
        "<p>قال مسؤول إن العمل مستمر في إصلاح الطريق.</p><p>وأضاف أن الفرق", encoding="utf-8")
    for n in range(5):
        (folder / f"good{n}.txt").write_text(text_page(n, comments=1), encoding="utf-8")
    db = tmp_path / "bad.db"
    assert _run([str(folder), "--db", str(db), "--max-bytes", str(1_000_000)]) == 0
    problems = _problems(db)
    for name, word in expected.items():
        source = str(folder / name)
        assert source in problems, f"{name} was not recorded; recorded: {sorted(problems)}"
        _kind, message = problems[source]
        assert name.split("#")[0] in message, message
        assert word.lower() in message.lower(), message
    con = sqlite3.connect(db)
    titles = {r[0] for r in con.execute("SELECT title FROM pages WHERE title IS NOT NULL")}
    assert "خبر مبتور" in titles  # truncated HTML still gives what is there
    goods = con.execute("SELECT count(*) FROM pages WHERE source LIKE '%good%'").fetchone()[0]
    assert goods == 5
    good_jsonl = con.execute(
        "SELECT count(*) FROM pages WHERE source LIKE '%pages.jsonl#line=%' AND title IS NOT NULL"
    ).fetchone()[0]
    assert good_jsonl >= 1
    deep_rows = con.execute("SELECT count(*) FROM pages WHERE source LIKE '%deep.html'")
    assert deep_rows.fetchone()[0] == 1  # recorded, with or without a problem; never a crash


def test_nothing_readable_exits_non_zero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert _run([str(tmp_path / "empty.txt"), "--db", str(tmp_path / "x.db")]) == 1


def test_parse_prints_the_page_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one.txt"
    path.write_text(text_page(3, comments=2), encoding="utf-8")
    assert main(["parse", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["comments_declared"] == 2 and len(data["comments"]) == 2
    assert data["provenance"]["parser"] == "text"


@pytest.mark.parametrize("line", [
    "[" * 100_000,
    "[ads" + " " * 100_000,
    "[caption " + "a" * 100_000,
    "التعليقات " * 20_000,
    "1. " + "١" * 100_000,
    "منذ " * 30_000,
    "<div class='comment'>" * 20_000,
])
def test_adversarial_long_lines_finish(tmp_path: Path, line: str) -> None:
    """No heuristic regular expression backtracks catastrophically (a hang fails here)."""
    path = tmp_path / "adv.txt"
    path.write_text(f"عنوان\n\n{line}\n\n4 تعليقات\n\n  1. {line}\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "marsad.cli", "parse", str(path)],
                   check=True, capture_output=True, timeout=60)


def test_eval_extraction_prints_the_figures_as_one_json_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = (
        "<html><head><title>خبر اليوم</title></head><body><article><h1>خبر اليوم</h1>"
        "<p>قال مسؤول في البلدية إن أعمال الصيانة ستنتهي قبل نهاية الشهر الجاري.</p>"
        "<p>وأضاف أن فرق العمل تعمل ليلا ونهارا لإعادة فتح الطريق أمام السيارات.</p>"
        "</article><footer>جميع الحقوق محفوظة</footer></body></html>"
    )
    (tmp_path / "html").mkdir()
    with gzip.open(tmp_path / "html" / "a.html.gz", "wt", encoding="utf-8") as f:
        f.write(html)
    annotations = {"https://a.test/1": {
        "file": "a.html", "title": "خبر اليوم",
        "with": ["أعمال الصيانة ستنتهي", "لا يوجد هذا النص"],
        "without": ["جميع الحقوق محفوظة"], "comments": []}}
    (tmp_path / "annotations.json").write_text(json.dumps(annotations), encoding="utf-8")
    assert main(["eval", "extraction", str(tmp_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"pages", "body_with", "body_without", "comments_found", "title_exact"}
    assert result["pages"] == 1
    assert result["body_with"] == 0.5  # one of the two snippets is really there
    assert result["body_without"] == 1.0
    assert result["title_exact"] == 1.0
