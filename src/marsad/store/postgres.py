"""The multi-user store: PostgreSQL, for teams and for runs whose workers are on many machines.

Same tables, same rows (``rows.py``) and same behaviour as the SQLite store; the store test
suite runs against both.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from marsad.record import Page
from marsad.store.base import Store, StoreCounts
from marsad.store.migrations import migrations_for
from marsad.store.rows import rows_for, upsert_statements

_UPSERT = upsert_statements("%s")
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

    def upsert_pages(self, pages: Sequence[Page]) -> None:
        if not pages:
            return
        with self.conn.transaction(), self.conn.cursor() as cur:
            for page in pages:
                rows = rows_for(page)
                for kind, sql in _UPSERT:
                    if kind == "delete":
                        cur.execute(sql, (page.id,))
                    elif rows[kind]:
                        cur.executemany(sql, rows[kind])

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
