"""A page posted to the service: its bytes read, parsed, enriched, moderated and stored.

The server never fetches a URL: the body carries the page, and ``url`` only names it (the
page id comes from it). The same checks apply as to a crawled page (``read.read_bytes``);
a page that cannot be read is refused with the reader's message instead of being stored.
"""

from __future__ import annotations

from marsad.read import ReadLimits, read_bytes
from marsad.record import Page
from marsad.run.pipeline import Pipeline
from marsad.store.base import Store

API_SOURCE = "api"  # Page.source of posted pages


class UnreadablePage(ValueError):
    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def process_page(body: bytes, *, url: str | None = None, site: str | None = None,
                 fetched_at: str | None = None, charset: str | None = None,
                 max_bytes: int = ReadLimits().max_bytes) -> Page:
    """Read, parse, enrich and moderate one page (nothing stored)."""
    source = f"{API_SOURCE}:{url}" if url else API_SOURCE
    doc = read_bytes(body, source, url=url, declared_encoding=charset, fetched_at=fetched_at,
                     limits=ReadLimits(max_bytes=max_bytes))
    if not doc.ok:
        raise UnreadablePage(doc.error or "the page could not be read", doc.error_kind or "")
    page = next(Pipeline().run([doc]))
    if site:
        page.site = site
    return page


def store_page(store: Store, page: Page) -> None:
    store.upsert_pages([page])
