"""Comments that arrive one by one (``POST /v1/moderate``), kept beside crawled ones.

A stream comment's row lives in ``comments`` under its site's stream page (id
``stream:SITE``), so the queues, an author's record and the audit log see it exactly like
a crawled comment; ``stream_comments`` adds what only it has: the site's own comment id,
the article it was posted on and when it arrived. Its id comes from the site's comment id
when the site sends one (``ids.comment_id``), so posting the same comment twice stores it
once. The stream page's own record holds no comments: read them through the moderation
functions (``store.moderation``), not ``Store.get_page``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from marsad.record import Comment, Page
from marsad.store.base import Store
from marsad.store.sql import Db, now_iso

STREAM_PAGE_PREFIX = "stream:"
STREAM_SOURCE = "stream"


def stream_page_id(site: str) -> str:
    return f"{STREAM_PAGE_PREFIX}{site}"


@dataclass
class StreamComment:
    """A moderated comment to keep: the record, plus what the site told us about it."""

    comment: Comment
    site_comment_id: str | None = None
    article_url: str | None = None
    article_title: str | None = None


def add_stream_comments(store: Store, site: str, items: Sequence[StreamComment],
                        now: datetime | None = None) -> set[str]:
    """Store new stream comments in one transaction; ids already stored are left as they
    are (first write wins). Returns the ids this call stored."""
    page_id = stream_page_id(site)
    stamp = now_iso(now)
    db, added = Db(store), set()
    with db.write():
        if db.one("SELECT 1 FROM pages WHERE id = ?", (page_id,)) is None:
            stub = Page(id=page_id, site=site, source=STREAM_SOURCE)
            db.execute(
                "INSERT INTO pages (id, site, source, record, stored_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                (page_id, site, STREAM_SOURCE, stub.to_json(), stamp),
            )
        for item in items:
            c = item.comment
            verdict = json.dumps(asdict(c.verdict), ensure_ascii=False) if c.verdict else None
            cur = db.execute(
                "INSERT INTO comments (id, page_id, idx, author, posted_at, parent, text, "
                "dialect, decision, verdict) SELECT ?, ?, COALESCE(max(idx), 0) + 1, ?, ?, ?, ?, "
                "?, ?, ? FROM comments WHERE page_id = ? ON CONFLICT (id) DO NOTHING",
                (c.id, page_id, c.author, c.posted_at, c.parent, c.text,
                 c.dialect.label if c.dialect else None,
                 c.verdict.decision if c.verdict else None, verdict, page_id),
            )
            if cur.rowcount != 1:
                continue
            added.add(c.id)
            db.execute(
                "INSERT INTO stream_comments (comment_id, site, site_comment_id, article_url, "
                "article_title, received_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (comment_id) DO NOTHING",
                (c.id, site, item.site_comment_id, item.article_url, item.article_title, stamp),
            )
    return added
