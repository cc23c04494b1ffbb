"""The store interface: one API, two implementations (SQLite, PostgreSQL).

Pages are upserted by page id; a page's comments, removed items, problems, entities and
quotes are replaced with the page. Human decisions live in their own table that no
re-run touches (DESIGN.md, "Flow").
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING

from marsad.record import Page
from marsad.store.rows import PageRows, rows_for

if TYPE_CHECKING:
    from marsad.dedup.comments import DuplicateComment
    from marsad.store.filters import Filters
    from marsad.store.search import UnitMatch


@dataclass(frozen=True)
class FinishedShard:
    """A shard of a run whose pages are all in the batch being committed (``run/shards.py``)."""

    key: str
    first_source: str | None
    pages: int


@dataclass
class StoreCounts:
    pages: int = 0
    comments: int = 0
    removed: int = 0
    problems_by_kind: dict[str, int] = field(default_factory=dict)


class Store(ABC):
    """A place pages are kept. Use as a context manager, or call ``close``."""

    @abstractmethod
    def schema_version(self) -> int:
        """The highest migration applied."""

    def upsert_pages(self, pages: Sequence[Page], shard: FinishedShard | None = None) -> None:
        """Insert or replace these pages in one transaction."""
        self.upsert_rows([rows_for(page) for page in pages], shard)

    @abstractmethod
    def upsert_rows(self, pages: Sequence[PageRows], shard: FinishedShard | None = None) -> None:
        """Insert or replace pages given as their rows (``rows.rows_for``, which run workers
        compute so the one writer only executes SQL), and record ``shard`` as finished in
        the same transaction: a killed run never marks a shard whose pages are not stored."""

    @abstractmethod
    def finished_shards(self) -> set[str]:
        """Keys of the shards recorded as finished (a re-run skips them)."""

    @abstractmethod
    def forget_shards(self) -> int:
        """Clear the shard log (``marsad run --fresh``); returns how many were forgotten."""

    @abstractmethod
    def get_page(self, page_id: str) -> Page | None: ...

    @abstractmethod
    def page_ids(self) -> Iterator[str]: ...

    @abstractmethod
    def counts(self) -> StoreCounts: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def search_units(
        self, groups: Sequence[Sequence[str]], filters: Filters, limit: int, offset: int
    ) -> list[UnitMatch]:
        """Search units matching every group of stems (``marsad.store.search`` makes them
        and is what callers use), best first."""

    @abstractmethod
    def table_names(self) -> set[str]:
        """The tables (and views) of this store: what optional filters can rely on."""

    @abstractmethod
    def stream(self, sql: str, params: Sequence[object] = ()) -> Iterator[tuple[object, ...]]:
        """Rows of a query written with ``?`` placeholders, fetched as they are read (an
        export never holds a table in memory)."""

    def duplicate_comments(
        self, min_pages: int = 2, limit: int | None = 100
    ) -> list[DuplicateComment]:
        """Comment texts pasted under at least ``min_pages`` pages, most widespread first.
        Comments are hashed by the clustering stage (``marsad cluster``)."""
        from marsad.dedup.comments import duplicate_comments

        return duplicate_comments(self, min_pages, limit)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_store(location: str) -> Store:
    """A store from a path (SQLite) or a ``postgresql://`` URL."""
    if location.startswith(("postgresql://", "postgres://")):
        from marsad.store.postgres import PostgresStore

        return PostgresStore(location)
    from marsad.store.sqlite import SQLiteStore

    return SQLiteStore(location)
