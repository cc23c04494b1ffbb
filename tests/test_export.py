"""Export to JSONL and Parquet from both stores: read it back and compare with the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from marsad.cli import main
from marsad.store.base import Store
from marsad.store.export import export
from marsad.store.filters import Filters
from tests.test_search import _sql, corpus, store  # noqa: F401 - the store fixture

TABLES = ("pages", "comments", "quotes", "entities", "decisions")


def read_back(folder: Path, fmt: str) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in TABLES:
        path = folder / f"{name}.{fmt}"
        if fmt == "jsonl":
            lines = path.read_text(encoding="utf-8").splitlines()
            tables[name] = [json.loads(line) for line in lines]
        else:
            import pyarrow.parquet as pq

            tables[name] = pq.read_table(path).to_pylist()
    return tables


def _decide(target: Store) -> None:
    _sql(target, "INSERT INTO human_decisions (comment_id, moderator, decided_at, from_state, "
         "to_state, reason) VALUES ('a:1', 'mona', '2024-04-01', 'publish', 'reject', 'x')")
    if "comment_states" in target.table_names():
        _sql(target, "INSERT INTO comment_states (comment_id, state, decision_id, moderator, "
             "decided_at) VALUES ('a:1', 'rejected_by_human', 1, 'mona', '2024-04-01')")


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_everything_round_trips(store: Store, tmp_path: Path, fmt: str) -> None:  # noqa: F811
    _decide(store)
    summary = export(store, tmp_path / "out", fmt)
    back = read_back(tmp_path / "out", fmt)
    pages = corpus()
    assert {name: len(rows) for name, rows in back.items()} == summary.rows == {
        "pages": 3, "comments": 4, "quotes": 2, "entities": 2, "decisions": 1,
    }
    by_id = {p["id"]: p for p in back["pages"]}
    assert set(by_id) == {p.id for p in pages}
    for page in pages:
        assert by_id[page.id]["title"] == page.title
        assert by_id[page.id]["text"] == page.article_text
        assert by_id[page.id]["published_at"] == page.published_at
    comments = {c["id"]: c for c in back["comments"]}
    assert comments["a:1"]["text"] == "الله يحمي أهل الرقة"
    assert (comments["a:1"]["decision"], comments["a:1"]["effective_decision"]) == (
        "publish", "reject")
    assert comments["b:1"]["dialect"] == "egyptian" and comments["b:1"]["idx"] == 1
    assert json.loads(comments["a:2"]["verdict"])["decision"] == "reject"
    quote = next(q for q in back["quotes"] if q["page_id"] == "a")
    assert (quote["speaker"], quote["direct"], quote["anonymous"]) == ("أبو محمد", True, False)
    assert {e["canonical"] for e in back["entities"]} == {"الرقة", "إيران"}
    (decision,) = back["decisions"]
    assert (decision["comment_id"], decision["to_state"], decision["reason"]) == (
        "a:1", "reject", "x")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows"] == summary.rows and manifest["format"] == fmt


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_filters_narrow_every_table(store: Store, tmp_path: Path, fmt: str) -> None:  # noqa: F811
    _decide(store)
    export(store, tmp_path / "site", fmt, Filters(site="nile.test"))
    back = read_back(tmp_path / "site", fmt)
    assert [p["id"] for p in back["pages"]] == ["b"]
    assert {c["page_id"] for c in back["comments"]} == {"b"}
    assert back["decisions"] == [] and {e["page_id"] for e in back["entities"]} == {"b"}

    # a comment filter keeps pages with such a comment, and only those comments
    export(store, tmp_path / "rejected", fmt, Filters(decision="reject"))
    back = read_back(tmp_path / "rejected", fmt)
    assert [p["id"] for p in back["pages"]] == ["a"]
    assert sorted(c["id"] for c in back["comments"]) == ["a:1", "a:2"]  # a:1 by a human
    assert [d["comment_id"] for d in back["decisions"]] == ["a:1"]

    export(store, tmp_path / "speaker", fmt, Filters(speaker="ابو محمد"))
    back = read_back(tmp_path / "speaker", fmt)
    assert [p["id"] for p in back["pages"]] == ["a"]
    assert [q["speaker"] for q in back["quotes"]] == ["أبو محمد"]

    export(store, tmp_path / "none", fmt, Filters(site="nowhere.test"))
    assert all(rows == [] for rows in read_back(tmp_path / "none", fmt).values())


def test_the_cli_exports_and_names_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    from marsad.store.base import open_store

    db = str(tmp_path / "m.db")
    with open_store(db) as s:
        s.upsert_pages(corpus())
    out = tmp_path / "export"
    assert main(["export", "--db", db, "--out", str(out), "--format", "parquet",
                 "--site", "sham.test", "--quiet"]) == 0
    assert "comments" in capsys.readouterr().out
    assert len(read_back(out, "parquet")["pages"]) == 2
    (tmp_path / "file").write_text("x")
    assert main(["export", "--db", db, "--out", str(tmp_path / "file"), "--quiet"]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert main(["export", "--db", db, "--out", str(out), "--to", "soon", "--quiet"]) == 2
    assert "not an ISO date" in capsys.readouterr().err


def test_the_cli_searches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from marsad.store.base import open_store

    db = str(tmp_path / "m.db")
    with open_store(db) as s:
        s.upsert_pages(corpus())
    assert main(["search", "الوزير", "--db", db, "--json"]) == 0
    hits = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {(h["page_id"], h["kind"]) for h in hits} == {("a", "title"), ("a", "paragraph")}
    assert main(["search", "[ads3] NEAR(", "--db", db, "--plain"]) == 1
    assert "no match" in capsys.readouterr().out
    assert main(["search", "الرقة", "--db", db, "--site", "sham.test", "--kind", "comment",
                 "--plain"]) == 0
    assert "«[الرقة]»" in capsys.readouterr().out
    assert main(["search", "x", "--db", db, "--cluster", "k"]) == 1  # no such cluster: no hit
