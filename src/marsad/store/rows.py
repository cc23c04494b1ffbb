"""A Page as table rows: the one mapping from the record to the store's tables.

Both stores (SQLite now, PostgreSQL later) insert exactly these rows, so their tables
agree column for column.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from marsad.record import Page

Row = tuple[Any, ...]

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


def insert_sql(table: str, columns: tuple[str, ...], mark: str, upsert: bool = False) -> str:
    """An INSERT (or an upsert on ``id``) for either store; ``mark`` is "?" or "%s"."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(mark for _ in columns)
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
    if upsert:
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != "id")
        sql += f" ON CONFLICT (id) DO UPDATE SET {updates}"
    return sql


def upsert_statements(mark: str) -> list[tuple[str, str]]:
    """What upserting one page runs, in order, as (kind, SQL): delete its old rows, then
    insert the new ones. Comment ids are stable, so human decisions (their own table)
    stay attached to a re-crawled page's comments."""
    statements = [
        ("page", insert_sql("pages", PAGE_COLUMNS, mark, upsert=True)),
        ("delete", f"DELETE FROM comments WHERE page_id = {mark}"),
        *((("delete", f"DELETE FROM {t} WHERE page_id = {mark}")) for t in CHILD_TABLES),
        ("comments", insert_sql("comments", COMMENT_COLUMNS, mark, upsert=True)),
        *((t, insert_sql(t, cols, mark)) for t, cols in CHILD_TABLES.items()),
    ]
    return statements


def rows_for(page: Page) -> dict[str, list[Row]]:
    """The rows to insert for a page, keyed like ``upsert_statements``."""
    return {"page": [page_row(page)], "comments": comment_rows(page), **child_rows(page)}


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
