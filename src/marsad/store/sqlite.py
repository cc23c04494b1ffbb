"""The embedded default store: one SQLite file in WAL mode, nothing to install."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from marsad.record import Page
from marsad.store.base import Store, StoreCounts
from marsad.store.migrations import migrations_for
from marsad.store.rows import rows_for, upsert_statements

_UPSERT = upsert_statements("?")


class SQLiteStore(Store):
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=10000")
        self._migrate()

    def _migrate(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = self.schema_version()
        for migration in migrations_for("sqlite"):
            if migration.version <= current:
                continue
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(migration.sql):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    (migration.version, migration.name, datetime.now(UTC).isoformat()),
                )
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def upsert_pages(self, pages: Sequence[Page]) -> None:
        if not pages:
            return
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            for page in pages:
                rows = rows_for(page)
                for kind, sql in _UPSERT:
                    if kind == "delete":
                        cur.execute(sql, (page.id,))
                    elif rows[kind]:
                        cur.executemany(sql, rows[kind])
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    def get_page(self, page_id: str) -> Page | None:
        row = self.conn.execute("SELECT record FROM pages WHERE id = ?", (page_id,)).fetchone()
        return Page.from_json(row[0]) if row else None

    def page_ids(self) -> Iterator[str]:
        for (page_id,) in self.conn.execute("SELECT id FROM pages ORDER BY id"):
            yield page_id

    def counts(self) -> StoreCounts:
        one = self.conn.execute
        problems = dict(one("SELECT kind, count(*) FROM problems GROUP BY kind ORDER BY kind"))
        return StoreCounts(
            pages=one("SELECT count(*) FROM pages").fetchone()[0],
            comments=one("SELECT count(*) FROM comments").fetchone()[0],
            removed=one("SELECT count(*) FROM removed").fetchone()[0],
            problems_by_kind=problems,
        )

    def close(self) -> None:
        self.conn.close()


def _statements(script: str) -> list[str]:
    """Split a migration into statements (ours hold no semicolons inside literals)."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
