"""The clustering stage's tables (migration 0003), through one SQL text for both stores.

Every statement is written once with ``?`` placeholders and runs through ``store.sql.Db``
(which swaps them for psycopg's ``%s``). Writes happen inside ``DedupTables.write()``,
opened by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from marsad.store.base import Store
from marsad.store.sql import Db

# Placeholders per statement: SQLite allows 32,766, psycopg 65,535; stay well below both.
CHUNK = 500


@dataclass(frozen=True)
class Pending:
    """A page to cluster: signed, and either never clustered or changed since."""

    page_id: str
    signature: bytes
    published_at: str | None
    fetched_at: str | None
    clustered_before: bool  # its text changed since: it leaves its old cluster first


@dataclass(frozen=True)
class Known:
    """A clustered page, as the stage needs it to verify a candidate."""

    page_id: str
    text_hash: str
    shingles: bytes
    cluster_id: str


@dataclass(frozen=True)
class ClusterRow:
    id: str
    representative: str
    size: int
    sort_key: tuple[Any, ...] = ()  # the representative's, when read from the store


def sort_key(published_at: str | None, fetched_at: str | None, page_id: str) -> tuple[Any, ...]:
    """Earliest first by (published_at, fetched_at, page id); a missing date sorts last, as
    an unknown date is no evidence of being first. ISO 8601 strings compare as text."""
    return (published_at is None, published_at or "", fetched_at is None, fetched_at or "",
            page_id)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class DedupTables:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = Db(store)

    # -- plumbing --------------------------------------------------------------------

    def write(self) -> AbstractContextManager[Db]:
        """One write transaction (``Db.write``)."""
        return self.db.write()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.db.all(sql, params)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.db.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.db.conn.cursor().executemany(self.db.sql(sql), [tuple(r) for r in rows])

    def _in_chunks(self, sql: str, values: Iterable[Any]) -> list[tuple[Any, ...]]:
        """Run ``sql`` (with ``{in}`` for the list) over ``values`` in chunks."""
        values = list(dict.fromkeys(values))
        out: list[tuple[Any, ...]] = []
        for start in range(0, len(values), CHUNK):
            part = values[start:start + CHUNK]
            out.extend(self.query(sql.replace("{in}", ", ".join("?" * len(part))), part))
        return out

    # -- state -----------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        rows = self.query("SELECT value FROM dedup_state WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_state(self, key: str, value: str) -> None:
        self.execute(
            "INSERT INTO dedup_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def clear(self) -> None:
        """Forget every cluster and the LSH index (signatures stay): a full rebuild."""
        for table in ("dedup_bands", "dedup_pages", "cluster_members", "clusters", "dedup_state"):
            self.execute(f"DELETE FROM {table}")

    # -- reading ---------------------------------------------------------------------

    def pending(self) -> list[Pending]:
        rows = self.query(
            "SELECT s.page_id, s.signature, p.published_at, p.fetched_at, d.page_id "
            "FROM page_signatures s JOIN pages p ON p.id = s.page_id "
            "LEFT JOIN dedup_pages d ON d.page_id = s.page_id "
            "WHERE d.page_id IS NULL OR d.signature <> s.signature"
        )
        found = [Pending(r[0], bytes(r[1]), r[2], r[3], r[4] is not None) for r in rows]
        return sorted(found, key=lambda p: sort_key(p.published_at, p.fetched_at, p.page_id))

    def orphans(self) -> list[str]:
        """Clustered pages that have lost their signature (re-stored without one)."""
        rows = self.query(
            "SELECT d.page_id FROM dedup_pages d "
            "LEFT JOIN page_signatures s ON s.page_id = d.page_id WHERE s.page_id IS NULL"
        )
        return sorted(r[0] for r in rows)

    def records(self, page_ids: Sequence[str]) -> dict[str, str]:
        rows = self._in_chunks("SELECT id, record FROM pages WHERE id IN ({in})", page_ids)
        return {r[0]: r[1] for r in rows}

    def bucket_members(self, buckets: Iterable[int]) -> list[tuple[int, str]]:
        """(bucket, page) rows of the LSH index for these buckets."""
        rows = self._in_chunks("SELECT bucket, page_id FROM dedup_bands WHERE bucket IN ({in})",
                               buckets)
        return [(int(r[0]), str(r[1])) for r in rows]

    def hash_members(self, hashes: Iterable[str]) -> list[tuple[str, str]]:
        """One clustered page per text hash: exact copies all sit in one cluster, so one
        stands for all (a story copied a thousand times is read once, not a thousand)."""
        rows = self._in_chunks(
            "SELECT text_hash, min(page_id) FROM dedup_pages WHERE text_hash IN ({in}) "
            "GROUP BY text_hash", hashes
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    def indexed_copy(self, page_id: str) -> str | None:
        """Another page with this page's text (exact copies are kept out of the LSH
        index; when the indexed one leaves, a copy takes its place there)."""
        rows = self.query(
            "SELECT c.page_id FROM dedup_pages p JOIN dedup_pages c "
            "ON c.text_hash = p.text_hash AND c.page_id <> p.page_id "
            "WHERE p.page_id = ? ORDER BY c.page_id LIMIT 1", (page_id,))
        return str(rows[0][0]) if rows else None

    def existing_clusters(self, ids: Iterable[str]) -> set[str]:
        return {r[0] for r in self._in_chunks("SELECT id FROM clusters WHERE id IN ({in})", ids)}

    def known(self, page_ids: Iterable[str]) -> list[Known]:
        rows = self._in_chunks(
            "SELECT d.page_id, d.text_hash, d.shingles, m.cluster_id FROM dedup_pages d "
            "JOIN cluster_members m ON m.page_id = d.page_id WHERE d.page_id IN ({in})",
            page_ids,
        )
        return [Known(r[0], r[1], bytes(r[2]), r[3]) for r in rows]

    def cluster_of(self, page_id: str) -> str | None:
        rows = self.query("SELECT cluster_id FROM cluster_members WHERE page_id = ?",
                          (page_id,))
        return str(rows[0][0]) if rows else None

    def clusters(self, ids: Iterable[str]) -> dict[str, ClusterRow]:
        """Clusters with their representative's sort key."""
        rows = self._in_chunks(
            "SELECT c.id, c.representative, c.size, p.published_at, p.fetched_at "
            "FROM clusters c LEFT JOIN pages p ON p.id = c.representative "
            "WHERE c.id IN ({in})", ids
        )
        return {r[0]: ClusterRow(r[0], r[1], int(r[2]), sort_key(r[3], r[4], r[1]))
                for r in rows}

    def cluster_exists(self, cluster_id: str) -> bool:
        return bool(self.query("SELECT 1 FROM clusters WHERE id = ?", (cluster_id,)))

    def sort_keys(self, page_ids: Iterable[str]) -> dict[str, tuple[Any, ...]]:
        rows = self._in_chunks(
            "SELECT id, published_at, fetched_at FROM pages WHERE id IN ({in})", page_ids
        )
        return {r[0]: sort_key(r[1], r[2], r[0]) for r in rows}

    def members(self, cluster_id: str) -> list[str]:
        rows = self.query("SELECT page_id FROM cluster_members WHERE cluster_id = ?",
                          (cluster_id,))
        return [r[0] for r in rows]

    def totals(self) -> tuple[int, int, int, int]:
        """(pages clustered, clusters of two or more, pages in them, largest size)."""
        clustered = self.query("SELECT count(*) FROM cluster_members")[0][0]
        row = self.query(
            "SELECT count(*), coalesce(sum(size), 0), coalesce(max(size), 0) "
            "FROM clusters WHERE size >= 2"
        )[0]
        return int(clustered), int(row[0]), int(row[1]), int(row[2])

    # -- writing ---------------------------------------------------------------------

    def add_pages(self, rows: Sequence[tuple[str, bytes, str, bytes, int]]) -> None:
        """(page_id, signature, text_hash, shingles, n_words) rows into ``dedup_pages``."""
        self.executemany(
            "INSERT INTO dedup_pages (page_id, signature, text_hash, shingles, n_words) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )

    def add_bands(self, rows: Sequence[tuple[int, str]]) -> None:
        """(bucket, page_id) rows, many to a statement: one round trip per few hundred."""
        rows = list(dict.fromkeys(rows))
        for start in range(0, len(rows), CHUNK // 2):
            part = rows[start:start + CHUNK // 2]
            values = ", ".join("(?, ?)" for _ in part)
            self.execute(f"INSERT INTO dedup_bands (bucket, page_id) VALUES {values} "
                         "ON CONFLICT DO NOTHING", [v for row in part for v in row])

    def add_members(self, rows: Sequence[tuple[str, str, str, float | None]]) -> None:
        """(page_id, cluster_id, how, similarity) rows into ``cluster_members``."""
        self.executemany(
            "INSERT INTO cluster_members (page_id, cluster_id, how, similarity) "
            "VALUES (?, ?, ?, ?)",
            rows,
        )

    def clustered_signature(self, page_id: str) -> bytes | None:
        """The signature a page was clustered with (its band buckets come from it)."""
        rows = self.query("SELECT signature FROM dedup_pages WHERE page_id = ?", (page_id,))
        return bytes(rows[0][0]) if rows else None

    def forget_page(self, page_id: str, buckets: Sequence[int]) -> None:
        """Drop a page from the index (its ``buckets``) and from its cluster's member list
        (the cluster's size is the caller's to update)."""
        if buckets:
            marks = ", ".join("?" * len(buckets))
            self.execute(f"DELETE FROM dedup_bands WHERE bucket IN ({marks}) AND page_id = ?",
                         [*buckets, page_id])
        for table in ("dedup_pages", "cluster_members"):
            self.execute(f"DELETE FROM {table} WHERE page_id = ?", (page_id,))

    def move_members(self, from_cluster: str, to_cluster: str) -> None:
        self.execute("UPDATE cluster_members SET cluster_id = ? WHERE cluster_id = ?",
                     (to_cluster, from_cluster))

    def put_cluster(self, cluster: ClusterRow, created: bool) -> None:
        if created:
            self.execute(
                "INSERT INTO clusters (id, representative, size, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (cluster.id, cluster.representative, cluster.size, now(), now()),
            )
        else:
            self.execute(
                "UPDATE clusters SET representative = ?, size = ?, updated_at = ? "
                "WHERE id = ?",
                (cluster.representative, cluster.size, now(), cluster.id),
            )

    def delete_cluster(self, cluster_id: str) -> None:
        self.execute("DELETE FROM clusters WHERE id = ?", (cluster_id,))
