"""Comment-level duplicates: the same comment pasted under many articles.

Each comment gets a hash of its normalised words (``comments.text_hash``, migration 0003),
so spacing, punctuation, harakat and elongation do not hide a paste. The clustering stage
fills the hashes of comments that have none (new or re-stored pages), so storing pages
costs nothing extra. Comments shorter than ``MIN_COMMENT_WORDS`` get the empty hash: short
stock phrases are written independently by many readers and are not flagged.
``duplicate_comments`` lists the hashes found under at least ``min_pages`` pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from marsad.dedup.params import MIN_COMMENT_WORDS
from marsad.dedup.signature import text_hash
from marsad.text.tokens import words

if TYPE_CHECKING:
    from marsad.store.base import Store

BATCH = 5000
TOO_SHORT = ""  # the hash of a comment too short to flag


@dataclass(frozen=True)
class DuplicateComment:
    text_hash: str
    text: str  # one of the comments, as written
    pages: int  # distinct pages it appears under
    comments: int  # how many times it appears


def comment_hash(text: str, min_words: int = MIN_COMMENT_WORDS) -> str:
    tokens = words(text)
    return text_hash(tokens) if len(tokens) >= min_words else TOO_SHORT


def hash_new_comments(store: Store) -> int:
    """Fill ``text_hash`` for every comment without one; returns how many were hashed."""
    from marsad.dedup.tables import DedupTables

    tables = DedupTables(store)
    done = 0
    while True:
        rows = tables.query(
            f"SELECT id, text FROM comments WHERE text_hash IS NULL LIMIT {BATCH}"
        )
        if not rows:
            return done
        with tables.write():
            tables.executemany("UPDATE comments SET text_hash = ? WHERE id = ?",
                               [(comment_hash(text), cid) for cid, text in rows])
        done += len(rows)


def duplicate_comments(store: Store, min_pages: int = 2,
                       limit: int | None = 100) -> list[DuplicateComment]:
    from marsad.dedup.tables import DedupTables

    sql = (
        "SELECT text_hash, min(text), count(DISTINCT page_id) AS pages, count(*) AS n "
        "FROM comments WHERE text_hash IS NOT NULL AND text_hash <> ? "
        "GROUP BY text_hash HAVING count(DISTINCT page_id) >= ? "
        "ORDER BY pages DESC, n DESC, text_hash"
    )
    params: list[object] = [TOO_SHORT, min_pages]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    rows = DedupTables(store).query(sql, params)
    return [DuplicateComment(r[0], r[1], int(r[2]), int(r[3])) for r in rows]
