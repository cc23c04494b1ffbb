"""A Page as table rows: the one mapping from the record to the store's tables.

Both stores (SQLite now, PostgreSQL later) insert exactly these rows, so their tables
agree column for column.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from marsad.dedup.signature import pack_signature
from marsad.record import Page
from marsad.store.units import SEARCH_COLUMNS, search_rows

Row = tuple[Any, ...]
PageRows = dict[str, list[Row]]  # one page as rows, keyed like ``upsert_statements``

SIGNATURE_COLUMNS = ("page_id", "signature")
PAGE_COLUMNS = (
    "id", "url", "site", "source", "language", "encoding", "published_at", "fetched_at",
    "title", "author", "comments_declared", "record", "stored_at",
)
COMMENT_COLUMNS = (
    "id", "page_id", "idx", "author", "posted_at", "parent", "text", "dialect", "decision",
    "verdict",
)
CHILD_TABLES: dict[str, tuple[str, ...]] = {
    "removed": ("page_id", "position", "kind", "text"),
    "problems": ("page_id", "position", "stage", "kind", "message"),
    "entities": ("page_id", "position", "text", "canonical", "type", "location", "start", "end"),
    "quotes": (
        "page_id", "position", "speaker", "cue", "content", "direct", "via", "anonymous",
    ),
}


def insert_sql(
    table: str, columns: tuple[str, ...], mark: str, upsert: bool = False,
    wrap: dict[str, str] | None = None,
) -> str:
    """An INSERT (or an upsert on ``id``) for either store; ``mark`` is "?" or "%s".
    ``wrap`` puts a column's value through SQL, e.g. ``{"terms": "marsad_tsvector({})"}``."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join((wrap or {}).get(c, "{}").format(mark) for c in columns)
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
    if upsert:
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != "id")
        sql += f" ON CONFLICT (id) DO UPDATE SET {updates}"
    return sql


# Statements of these kinds select the batch's pages by id (``pages_sql``; "index" is
# SQLite's FTS5 upkeep); every other kind is an INSERT run for each row of that kind.
PER_PAGE_KINDS = frozenset({"delete", "index"})


def upsert_statements(
    mark: str, terms_sql: str = "{}", pages_sql: str | None = None
) -> list[tuple[str, str]]:
    """What upserting one page runs, in order, as (kind, SQL): delete its old rows, then
    insert the new ones. Comment ids are stable, so human decisions (their own table)
    stay attached to a re-crawled page's comments. ``terms_sql`` turns the search terms
    string into what the store indexes (PostgreSQL: a tsvector); SQLite adds its FTS5
    statements after these (sqlite.py). ``pages_sql`` is the condition on ``page_id``
    that selects the batch's pages: by default ``= mark``, run once per page; SQLite
    selects the whole batch in one run (see there)."""
    pages = pages_sql or f"= {mark}"
    statements = [
        ("page", insert_sql("pages", PAGE_COLUMNS, mark, upsert=True)),
        ("delete", f"DELETE FROM comments WHERE page_id {pages}"),
        *((("delete", f"DELETE FROM {t} WHERE page_id {pages}")) for t in CHILD_TABLES),
        ("comments", insert_sql("comments", COMMENT_COLUMNS, mark, upsert=True)),
        *((t, insert_sql(t, cols, mark)) for t, cols in CHILD_TABLES.items()),
        # The sign step's MinHash (migration 0003): the clustering stage finds pages to
        # cluster, and pages whose text changed, by comparing it with what it last saw.
        ("delete", f"DELETE FROM page_signatures WHERE page_id {pages}"),
        ("signature", insert_sql("page_signatures", SIGNATURE_COLUMNS, mark)),
        # Search units (migrations 0002, 0006).
        ("delete", f"DELETE FROM search_units WHERE page_id {pages}"),
        ("search", insert_sql("search_units", SEARCH_COLUMNS, mark,
                              wrap={"terms": terms_sql})),
    ]
    return statements


def batch_rows(pages: Sequence[PageRows]) -> tuple[list[Row], dict[str, list[Row]]]:
    """Many pages' rows as one batch: their ids (for the per-page statements) and their rows
    by kind, so that a store runs each statement once per batch, not once per page (on
    PostgreSQL, a round trip each: batching made the writer about 9x faster). A page that
    comes twice keeps its last rows, as upserting one after the other would."""
    last = {rows["page"][0][0]: rows for rows in pages}
    by_kind: dict[str, list[Row]] = {}
    for rows in last.values():
        for kind, kind_rows in rows.items():
            by_kind.setdefault(kind, []).extend(kind_rows)
    return [(page_id,) for page_id in last], by_kind


def finished_shard_sql(mark: str) -> str:
    """Record a finished run shard (``run_shards``, migration 0004); redoing one is harmless."""
    return (
        "INSERT INTO run_shards (shard_key, first_source, pages, finished_at) "
        f"VALUES ({mark}, {mark}, {mark}, {mark}) ON CONFLICT (shard_key) DO UPDATE SET "
        "first_source = excluded.first_source, pages = excluded.pages, "
        "finished_at = excluded.finished_at"
    )


def rows_for(page: Page) -> PageRows:
    """The rows to insert for a page, keyed like ``upsert_statements``."""
    return {
        "page": [page_row(page)], "comments": comment_rows(page), **child_rows(page),
        "signature": signature_rows(page), "search": search_rows(page),
    }


def signature_rows(page: Page) -> list[Row]:
    if page.signature is None:
        return []
    return [(page.id, pack_signature(page.signature))]


def page_row(page: Page) -> Row:
    return (
        page.id, page.url, page.site, page.source, page.language, page.encoding,
        page.published_at, page.fetched_at, page.title, page.author, page.comments_declared,
        page.to_json(), datetime.now(UTC).isoformat(timespec="seconds"),
    )


def comment_rows(page: Page) -> list[Row]:
    rows = []
    for c in page.comments:
        verdict = json.dumps(asdict(c.verdict), ensure_ascii=False) if c.verdict else None
        rows.append((
            c.id, page.id, c.index, c.author, c.posted_at, c.parent, c.text,
            c.dialect.label if c.dialect else None,
            c.verdict.decision if c.verdict else None,
            verdict,
        ))
    return rows


def child_rows(page: Page) -> dict[str, list[Row]]:
    return {
        "removed": [(page.id, i, r.kind, r.text) for i, r in enumerate(page.removed)],
        "problems": [
            (page.id, i, p.stage, p.kind, p.message) for i, p in enumerate(page.problems)
        ],
        "entities": [
            (page.id, i, e.text, e.canonical, e.type, e.where, e.start, e.end)
            for i, e in enumerate(page.entities)
        ],
        "quotes": [
            (
                page.id, i, q.speaker.text if q.speaker else None, q.cue.text, q.content.text,
                int(q.direct), q.via, int(q.anonymous),
            )
            for i, q in enumerate(page.quotes)
        ],
    }
