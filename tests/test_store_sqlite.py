"""The SQLite store: migrations, idempotent upserts, tables, human decisions kept apart."""

import sqlite3
from dataclasses import replace
from pathlib import Path

from marsad.record import Comment, Page
from marsad.store.base import open_store
from marsad.store.migrations import migrations_for
from marsad.store.sqlite import SQLiteStore


def test_migrations_are_applied_once_and_recorded(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    latest = migrations_for("sqlite")[-1].version
    with SQLiteStore(db) as store:
        assert store.schema_version() == latest
    with SQLiteStore(db) as store:  # reopening applies nothing twice
        assert store.schema_version() == latest
    rows = sqlite3.connect(db).execute("SELECT count(*) FROM schema_migrations").fetchone()
    assert rows[0] == len(migrations_for("sqlite"))


def test_wal_mode(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "w.db") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_upsert_twice_stores_once_and_round_trips(tmp_path: Path, full_page: Page) -> None:
    with open_store(str(tmp_path / "s.db")) as store:
        store.upsert_pages([full_page])
        store.upsert_pages([full_page])
        counts = store.counts()
        assert (counts.pages, counts.comments, counts.removed) == (1, 2, 2)
        assert counts.problems_by_kind == {"odd": 1}
        assert store.get_page("p1") == full_page
        assert list(store.page_ids()) == ["p1"]


def test_a_recrawled_page_replaces_its_rows_but_keeps_human_decisions(
    tmp_path: Path, full_page: Page
) -> None:
    with SQLiteStore(tmp_path / "r.db") as store:
        store.upsert_pages([full_page])
        store.conn.execute(
            "INSERT INTO human_decisions (comment_id, moderator, decided_at, from_state, "
            "to_state, reason) VALUES ('p1:c1', 'mona', '2024-03-07', 'review', 'reject', 'x')"
        )
        recrawled = replace(
            full_page,
            comments=[*full_page.comments, Comment(id="p1:c3", index=3, text="جديد")],
            removed=full_page.removed[:1],
        )
        store.upsert_pages([recrawled])
        texts = [r[0] for r in store.conn.execute("SELECT text FROM comments ORDER BY idx")]
        assert texts == ["تعليق أول\nسطر ثان", "رد", "جديد"]
        assert store.counts().removed == 1
        kept = store.conn.execute("SELECT comment_id FROM human_decisions").fetchall()
        assert kept == [("p1:c1",)]


def test_tables_are_queryable(tmp_path: Path, full_page: Page) -> None:
    with SQLiteStore(tmp_path / "q.db") as store:
        store.upsert_pages([full_page])
        q = store.conn.execute
        assert q("SELECT decision FROM comments WHERE id='p1:c1'").fetchone()[0] == "reject"
        assert q("SELECT dialect FROM comments WHERE id='p1:c1'").fetchone()[0] == "levantine"
        assert q("SELECT canonical, location FROM entities").fetchall() == [("رويترز", "article")]
        quotes = q("SELECT speaker, via, anonymous FROM quotes").fetchall()
        assert quotes == [("مسؤول", "رويترز", 1)]
