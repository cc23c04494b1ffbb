"""The embedded default store: one SQLite file in WAL mode, nothing to install."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from marsad.record import Page
from marsad.store.base import FinishedShard, Store, StoreCounts
from marsad.store.filters import HUMAN_STATE_DECISION, Filters
from marsad.store.migrations import migrations_for
from marsad.store.rows import (
    PER_PAGE_KINDS,
    PageRows,
    batch_rows,
    finished_shard_sql,
    upsert_statements,
)
from marsad.store.search import UnitMatch, sqlite_search_sql

# Each per-page statement runs once for the whole batch, its pages given as one JSON array:
# FTS5 writes its pending terms out as a new index segment at the end of every statement
# that follows a change to it (its savepoint), so indexing page by page made a tiny segment
# per page and spent a third of the writer's time flushing and merging them. One statement
# fills FTS5 from the batch's new units (an insert trigger would flush per row).
_BATCH_PAGES = "IN (SELECT value FROM json_each(?))"
# A page stored again keeps its comments' human decisions in their facets (facets.py): the
# worker that made the rows knew only the model's decision.
_HUMAN_FACETS = (
    "UPDATE search_units SET facets = substr(facets, 1, instr(facets || ' e', ' e') - 1) "
    "|| ' e' || (SELECT CASE s.state "
    + " ".join(f"WHEN '{state}' THEN '{d}'" for state, d in HUMAN_STATE_DECISION.items())
    + " END FROM comment_states s WHERE s.comment_id = search_units.ref) "
    "WHERE page_id {pages} AND kind = 'comment' AND EXISTS (SELECT 1 FROM comment_states s "
    "WHERE s.comment_id = search_units.ref AND s.state IN ("
    + ", ".join(f"'{state}'" for state in HUMAN_STATE_DECISION) + "))"
)
_INDEX = (
    "INSERT INTO search_index (rowid, terms, facets) SELECT id, terms, facets FROM search_units "
    "WHERE page_id {pages}"
)
_UPSERT = [
    *upsert_statements("?", pages_sql=_BATCH_PAGES),
    ("index", _HUMAN_FACETS.format(pages=_BATCH_PAGES)),
    ("index", _INDEX.format(pages=_BATCH_PAGES)),
]
_FINISHED_SHARD = finished_shard_sql("?")


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
        # 64 MiB of page cache (the default is 2 MiB): a store of a million comments keeps
        # its indexes' inner pages in memory, for upserts and searches alike.
        self.conn.execute("PRAGMA cache_size=-65536")
        # Checkpoint the WAL every 64 MiB instead of every 4 MiB: the one writer commits
        # batches of several MiB, so the default copied pages that the next batch changes
        # again (FTS5 segments, index pages) at every commit; 8-23% more pages/s stored
        # (benchmarks/store_search.py, docs/benchmarks.md). The WAL file stays that size.
        self.conn.execute("PRAGMA wal_autocheckpoint=16384")
        self.conn.execute("PRAGMA journal_size_limit=67108864")
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

    def upsert_rows(self, pages: Sequence[PageRows], shard: FinishedShard | None = None) -> None:
        if not pages and shard is None:
            return
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            ids, by_kind = batch_rows(pages)  # each statement once for the whole batch
            batch_ids = json.dumps([page_id for (page_id,) in ids])
            for kind, sql in _UPSERT:
                if kind in PER_PAGE_KINDS:
                    if ids:
                        cur.execute(sql, (batch_ids,))
                elif by_kind.get(kind):
                    cur.executemany(sql, by_kind[kind])
            if shard is not None:
                cur.execute(_FINISHED_SHARD, (shard.key, shard.first_source, shard.pages, _now()))
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    def finished_shards(self) -> set[str]:
        return {key for (key,) in self.conn.execute("SELECT shard_key FROM run_shards")}

    def forget_shards(self) -> int:
        return self.conn.execute("DELETE FROM run_shards").rowcount

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

    def search_units(
        self, groups: Sequence[Sequence[str]], filters: Filters, limit: int, offset: int
    ) -> list[UnitMatch]:
        sql, params = sqlite_search_sql(groups, filters, self.table_names(), limit, offset)
        return [UnitMatch(*row) for row in self.conn.execute(sql, params)]

    def table_names(self) -> set[str]:
        rows = self.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        return {name for (name,) in rows}

    def stream(self, sql: str, params: Sequence[object] = ()) -> Iterator[tuple[object, ...]]:
        yield from self.conn.execute(sql, tuple(params))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _statements(script: str) -> list[str]:
    """Split a migration into statements (ours hold no semicolons inside literals). A
    trigger's body holds semicolons of its own: a statement ends only where SQLite says
    it is complete."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    statements: list[str] = []
    pending = ""
    for piece in "\n".join(lines).split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip().removesuffix(";"))
            pending = ""
    if pending.strip(" \n;"):
        statements.append(pending.strip().removesuffix(";"))
    return statements
