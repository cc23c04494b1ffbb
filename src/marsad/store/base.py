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

from marsad.record import Page


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

    @abstractmethod
    def upsert_pages(self, pages: Sequence[Page]) -> None:
        """Insert or replace these pages in one transaction."""

    @abstractmethod
    def get_page(self, page_id: str) -> Page | None: ...

    @abstractmethod
    def page_ids(self) -> Iterator[str]: ...

    @abstractmethod
    def counts(self) -> StoreCounts: ...

    @abstractmethod
    def close(self) -> None: ...

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
