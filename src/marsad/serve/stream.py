"""A news site's live comments: moderate each as it is posted, keep it for the queues.

``moderate_stream`` is what ``POST /v1/moderate`` does, as a library function: the same
site comment id gives the same stored comment and verdict however often it is sent
(nothing is moderated or stored twice); new comments are scored in one batch with the
article as context, labelled with their dialect and stored (``store.stream``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from marsad.enrich.dialect import identify_comment
from marsad.ids import comment_id
from marsad.moderate import moderate_batch
from marsad.record import Comment
from marsad.store.base import Store
from marsad.store.moderation import CommentView, get_comments
from marsad.store.stream import StreamComment, add_stream_comments, stream_page_id


@dataclass
class IncomingComment:
    text: str
    site_comment_id: str | None = None  # the site's own id: what makes a re-post idempotent
    author: str | None = None
    posted_at: str | None = None
    parent: str | None = None  # the site's id of the comment this one answers


@dataclass
class Article:
    title: str | None = None
    text: str | None = None
    url: str | None = None

    @property
    def context(self) -> str | None:
        """What the comments are read against (who "they" are often comes from it)."""
        return "\n".join(part for part in (self.title, self.text) if part) or None


@dataclass
class StreamResult:
    comment: CommentView
    created: bool  # False: it was stored before, and this is that stored verdict


def stream_comment_id(site: str, item: IncomingComment) -> str:
    return comment_id(stream_page_id(site), item.text, item.author, item.posted_at,
                      site_comment_id=item.site_comment_id)


def moderate_stream(store: Store, site: str, items: Sequence[IncomingComment],
                    article: Article | None = None,
                    now: datetime | None = None) -> list[StreamResult]:
    """Verdicts for comments in the order given, storing the new ones in one transaction."""
    article = article or Article()
    page = stream_page_id(site)
    ids = [stream_comment_id(site, item) for item in items]
    known = get_comments(store, list(dict.fromkeys(ids)))
    todo: dict[str, IncomingComment] = {}
    for cid, item in zip(ids, items, strict=True):
        if cid not in known and cid not in todo:  # a batch may repeat a comment
            todo[cid] = item
    added: set[str] = set()
    if todo:
        new = list(todo.items())
        verdicts = moderate_batch([item.text for _, item in new],
                                  contexts=[article.context] * len(new))
        stored = []
        for (cid, item), verdict in zip(new, verdicts, strict=True):
            parent = comment_id(page, "", site_comment_id=item.parent) if item.parent else None
            record = Comment(id=cid, index=0, text=item.text, author=item.author,
                             posted_at=item.posted_at, parent=parent,
                             dialect=identify_comment(item.text), verdict=verdict)
            stored.append(StreamComment(record, item.site_comment_id, article.url,
                                        article.title))
        added = add_stream_comments(store, site, stored, now=now)
        known.update(get_comments(store, list(todo)))
    return [StreamResult(known[cid], cid in added) for cid in ids]
