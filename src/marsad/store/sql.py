"""The little that differs between the two stores for hand-written SQL: placeholders and
write transactions.

Library modules that keep state beside the pages (moderation, users) write their SQL once
with ``?`` placeholders and run it through ``Db``, so the same statements run on SQLite
and PostgreSQL. Our statements hold no ``?`` or ``%`` inside literals (values are always
parameters), which is what makes the placeholder swap safe.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from marsad.store.base import Store


def now_iso(now: datetime | None = None) -> str:
    """A UTC time as stored: ISO 8601 to the second, so stored times sort as text."""
    return (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Db:
    """A store's connection, seen through one SQL dialect (``?`` placeholders)."""

    def __init__(self, store: Store) -> None:
        from marsad.store.sqlite import SQLiteStore

        self.conn: Any = store.conn  # type: ignore[attr-defined]
        self.sqlite = isinstance(store, SQLiteStore)
        # Row locks for read-then-write in one transaction. SQLite needs none: a write
        # transaction (BEGIN IMMEDIATE) already excludes every other writer.
        self.for_update = "" if self.sqlite else " FOR UPDATE"

    def sql(self, statement: str) -> str:
        return statement if self.sqlite else statement.replace("?", "%s")

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self.sql(statement), tuple(params))

    def one(self, statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row = self.execute(statement, params).fetchone()
        return tuple(row) if row is not None else None

    def all(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.execute(statement, params).fetchall()]

    def insert_id(self, statement: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT into a table with a generated ``id`` and return that id."""
        row = self.execute(f"{statement} RETURNING id", params).fetchone()
        return int(row[0])

    @contextmanager
    def write(self) -> Iterator[Db]:
        """One write transaction: everything inside commits together or not at all.

        SQLite's BEGIN IMMEDIATE takes the database's write lock at once, so a read inside
        the transaction cannot go stale before the write; PostgreSQL gets the same from
        ``SELECT … FOR UPDATE`` (``for_update``) on the row being changed.
        """
        if self.sqlite:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        else:
            with self.conn.transaction():
                yield self
