"""The multi-user store: PostgreSQL, for teams and for runs whose workers are on many machines.

Same tables, same rows (``rows.py``) and same behaviour as the SQLite store; the store test
suite runs against both.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from marsad.record import Page
from marsad.store.base import FinishedShard, Store, StoreCounts
from marsad.store.filters import Filters
from marsad.store.migrations import migrations_for
from marsad.store.rows import (
    PER_PAGE_KINDS,
    PageRows,
    batch_rows,
    finished_shard_sql,
    upsert_statements,
)
from marsad.store.search import UnitMatch, postgres_search_sql

_UPSERT = upsert_statements("%s", terms_sql="marsad_tsvector({})")
_FINISHED_SHARD = finished_shard_sql("%s")
# Any fixed number: migrating stores take this lock so two processes never migrate at once.
_MIGRATION_LOCK = 0x6D61727361


def _connect(url: str):  # type: ignore[no-untyped-def]
    try:
        import psycopg
    except ImportError as exc:  # an optional dependency: say how to get it
        raise RuntimeError(
            f"{url}: the PostgreSQL store needs psycopg; install it with "
            "`pip install 'marsad[postgres]'`"
        ) from exc
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.OperationalError as exc:
        raise RuntimeError(f"{url}: cannot connect to PostgreSQL ({exc}".strip() + ")") from exc


class PostgresStore(Store):
    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = _connect(url)
        self._migrate()

    def _migrate(self) -> None:
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            current = self.schema_version()
            for migration in migrations_for("postgres"):
                if migration.version <= current:
                    continue
                self.conn.execute(migration.sql)
                self.conn.execute(
                    "INSERT INTO schema_migrations VALUES (%s, %s, %s)",
                    (migration.version, migration.name, datetime.now(UTC).isoformat()),
                )

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0) if row else 0

    def upsert_rows(self, pages: Sequence[PageRows], shard: FinishedShard | None = None) -> None:
        if not pages and shard is None:
            return
        with self.conn.transaction(), self.conn.cursor() as cur:
            ids, by_kind = batch_rows(pages)  # each statement once for the whole batch
            for kind, sql in _UPSERT:
                if kind in PER_PAGE_KINDS:
                    if ids:
                        cur.executemany(sql, ids)
                elif by_kind.get(kind):
                    cur.executemany(sql, by_kind[kind])
            if shard is not None:
                finished_at = datetime.now(UTC).isoformat(timespec="seconds")
                cur.execute(_FINISHED_SHARD, (shard.key, shard.first_source, shard.pages,
                                              finished_at))

    def finished_shards(self) -> set[str]:
        return {key for (key,) in self.conn.execute("SELECT shard_key FROM run_shards")}

    def forget_shards(self) -> int:
        return self.conn.execute("DELETE FROM run_shards").rowcount

    def get_page(self, page_id: str) -> Page | None:
        row = self.conn.execute("SELECT record FROM pages WHERE id = %s", (page_id,)).fetchone()
        return Page.from_json(row[0]) if row else None

    def page_ids(self) -> Iterator[str]:
        rows = self.conn.execute('SELECT id FROM pages ORDER BY id COLLATE "C"').fetchall()
        for (page_id,) in rows:
            yield page_id

    def counts(self) -> StoreCounts:
        def one(sql: str) -> int:
            row = self.conn.execute(sql).fetchone()
            return int(row[0]) if row else 0

        problems = self.conn.execute(
            "SELECT kind, count(*) FROM problems GROUP BY kind ORDER BY kind"
        ).fetchall()
        return StoreCounts(
            pages=one("SELECT count(*) FROM pages"),
            comments=one("SELECT count(*) FROM comments"),
            removed=one("SELECT count(*) FROM removed"),
            problems_by_kind={kind: int(n) for kind, n in problems},
        )

    def close(self) -> None:
        self.conn.close()

    def search_units(
        self, groups: Sequence[Sequence[str]], filters: Filters, limit: int, offset: int
    ) -> list[UnitMatch]:
        sql, params = postgres_search_sql(groups, filters, self.table_names(), limit, offset)
        rows = self.conn.execute(_marks(sql), params).fetchall()
        return [UnitMatch(*row) for row in rows]

    def table_names(self) -> set[str]:
        rows = self.conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema()"
        ).fetchall()
        return {name for (name,) in rows}

    def stream(self, sql: str, params: Sequence[object] = ()) -> Iterator[tuple[object, ...]]:
        # Rows arrive one at a time from the server (libpq's single-row mode).
        with self.conn.cursor() as cur:
            yield from cur.stream(_marks(sql), tuple(params))


def _marks(sql: str) -> str:
    """Our shared SQL uses ``?``; psycopg wants ``%s`` (no literal holds either)."""
    return sql.replace("?", "%s")
