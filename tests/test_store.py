"""The store suite, run against SQLite and against a live PostgreSQL.

PostgreSQL runs when MARSAD_TEST_POSTGRES names a server (`.ci/postgres.sh` starts one;
CI always does); elsewhere those cases skip with that reason. Each PostgreSQL test gets a
fresh schema of its own.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from marsad.record import Comment, Page
from marsad.store.base import Store, open_store
from marsad.store.migrations import migrations_for


def _rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in store.conn.execute(sql).fetchall()]  # type: ignore[attr-defined]


def test_migrations_are_applied_once_and_recorded(location: str) -> None:
    latest = migrations_for("sqlite")[-1].version
    assert latest == migrations_for("postgres")[-1].version
    with open_store(location) as store:
        assert store.schema_version() == latest
    with open_store(location) as store:  # reopening applies nothing twice
        assert store.schema_version() == latest
        assert _rows(store, "SELECT count(*) FROM schema_migrations") == [
            (len(migrations_for("sqlite")),)
        ]


def test_upsert_twice_stores_once_and_round_trips(location: str, full_page: Page) -> None:
    with open_store(location) as store:
        store.upsert_pages([full_page])
        store.upsert_pages([full_page])
        counts = store.counts()
        assert (counts.pages, counts.comments, counts.removed) == (1, 2, 2)
        assert counts.problems_by_kind == {"odd": 1}
        assert store.get_page("p1") == full_page
        assert store.get_page("nope") is None
        assert list(store.page_ids()) == ["p1"]


def test_a_recrawled_page_replaces_its_rows_but_keeps_human_decisions(
    location: str, full_page: Page
) -> None:
    with open_store(location) as store:
        store.upsert_pages([full_page])
        store.conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO human_decisions (comment_id, moderator, decided_at, from_state, "
            "to_state, reason) VALUES ('p1:c1', 'mona', '2024-03-07', 'review', 'reject', 'x')"
        )
        recrawled = replace(
            full_page,
            comments=[*full_page.comments, Comment(id="p1:c3", index=3, text="جديد")],
            removed=full_page.removed[:1],
        )
        store.upsert_pages([recrawled])
        texts = _rows(store, "SELECT text FROM comments ORDER BY idx")
        assert texts == [("تعليق أول\nسطر ثان",), ("رد",), ("جديد",)]
        assert store.counts().removed == 1
        assert _rows(store, "SELECT comment_id FROM human_decisions") == [("p1:c1",)]


def test_a_failed_batch_stores_nothing_of_it(location: str, full_page: Page) -> None:
    broken = replace(full_page, id="p2", title=None)
    broken.removed = [replace(full_page.removed[0], text=None)]  # type: ignore[arg-type]
    with open_store(location) as store:
        with pytest.raises(Exception):  # noqa: B017 - each database names it differently
            store.upsert_pages([replace(full_page, comments=[]), broken])
        assert store.counts().pages == 0


def test_tables_are_queryable(location: str, full_page: Page) -> None:
    with open_store(location) as store:
        store.upsert_pages([full_page])
        assert _rows(store, "SELECT decision, dialect FROM comments WHERE id='p1:c1'") == [
            ("reject", "levantine")
        ]
        assert _rows(store, "SELECT canonical, location FROM entities") == [("رويترز", "article")]
        assert _rows(store, "SELECT speaker, via, anonymous FROM quotes") == [
            ("مسؤول", "رويترز", 1)
        ]


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "w.db")) as store:
        assert _rows(store, "PRAGMA journal_mode") == [("wal",)]


def test_marsad_run_stores_into_either_store(location: str, tmp_path: Path) -> None:
    from marsad.run.runner import run_corpus
    from tests.pagegen import text_page

    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(6):
        (folder / f"p{n}.txt").write_text(text_page(n, comments=2), encoding="utf-8")
    first = run_corpus([str(folder)], location, progress=False, engine="inprocess")
    # fresh: redo the finished shards, so the pages are upserted a second time
    again = run_corpus([str(folder)], location, progress=False, engine="inprocess", fresh=True)
    assert first.pages == again.pages == 6
    assert again.store is not None
    assert (again.store.pages, again.store.comments) == (6, 12)
