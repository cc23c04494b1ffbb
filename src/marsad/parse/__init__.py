"""Documents into Page records.

``parse_document`` is the one entry point: it sends HTML to ``html.parse_html`` and text to
``text.parse_text``, then fills what every page gets whatever its format (``finish``): the
page id, comment ids, the site, the language, and provenance. An unreadable document
becomes a Page that holds only its problem, so it is stored and counted like any other.
"""

from __future__ import annotations

from datetime import datetime

from marsad import __version__
from marsad.ids import comment_id, page_id, site_of
from marsad.names import Stage
from marsad.parse.html import parse_html
from marsad.parse.language import detect_language
from marsad.parse.text import parse_text
from marsad.read.document import Document
from marsad.record import Page, Provenance


def parse_document(doc: Document, *, fetched_at: datetime | None = None) -> Page:
    if doc.fetched_at and fetched_at is None:
        try:
            fetched_at = datetime.fromisoformat(doc.fetched_at.replace("Z", "+00:00"))
        except ValueError:
            fetched_at = None
    if not doc.ok:
        page = Page(id="", url=doc.url, source=doc.source)
        message = doc.error or f"{doc.source}: no content"
        page.add_problem(Stage.READ, message, kind=doc.error_kind or "unreadable")
        parser = "none"
    elif doc.kind == "html":
        page = parse_html(doc.content or "", url=doc.url, fetched_at=fetched_at)
        parser = "html"
    else:
        page = parse_text(doc.content or "", url=doc.url, fetched_at=fetched_at)
        parser = "text"
    page.source = doc.source
    page.encoding = doc.encoding
    if page.fetched_at is None and fetched_at is not None:
        page.fetched_at = fetched_at.isoformat()
    finish(page, parser)
    return page


def finish(page: Page, parser: str) -> Page:
    """Fill the fields every page gets, whatever parsed it."""
    page.url = page.url or None
    page.site = page.site or site_of(page.url)
    page.id = page.id or page_id(page.url, page.article_text or page.title, page.source)
    if page.language is None and (page.article_text or page.comments):
        page.language = detect_language(
            "\n".join([page.title or "", page.article_text, *(c.text for c in page.comments[:5])])
        )
    _assign_comment_ids(page)
    page.provenance = Provenance(marsad=__version__, parser=parser, models=page.provenance.models)
    return page


def _assign_comment_ids(page: Page) -> None:
    """Give every comment its final, stable id and point parents at those ids.

    Inside a parser, ``Comment.id`` is the site's own comment id or "", and ``parent`` is the
    parent's site id or ``"#N"`` (N the parent's 1-based index) when the parent has none.
    """
    final_by_site_id: dict[str, str] = {}
    final_by_index: dict[int, str] = {}
    for comment in page.comments:
        site_id = comment.id or None
        comment.id = comment_id(
            page.id, comment.text, comment.author, comment.posted_at, site_comment_id=site_id
        )
        if site_id:
            final_by_site_id[site_id] = comment.id
        final_by_index[comment.index] = comment.id
    for comment in page.comments:
        parent = comment.parent
        if not parent:
            continue
        if parent.startswith("#") and parent[1:].isdigit():
            comment.parent = final_by_index.get(int(parent[1:]))
        else:
            comment.parent = final_by_site_id.get(parent)
