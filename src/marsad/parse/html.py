"""An HTML page → a Page: metadata and article paragraphs by trafilatura, comments by us.

The steps, in order (each one's failure becomes a problem on the page, never an exception):

1. parse the HTML once with lxml (``load_tree``); libxml2 stops at 256 levels of nesting,
   which we report, and a page cut mid-tag still yields what precedes the cut;
2. split the reader comments (``comments_html.split_comments``) and mark their elements
   and the comment forms, so that trafilatura leaves them out of the article;
3. metadata (title, author, date, site name, canonical URL) by trafilatura;
4. the article text by trafilatura (comments off), read as paragraphs: one per paragraph,
   heading, list item or table row, a <br> inside a paragraph starting a new one;
5. our furniture rules on those paragraphs (shortcodes, site lines, comment headers: see
   ``boilerplate``), and on the rest of the page for what surrounds the comments (the count
   header «4 تعليقات», the disclaimer, the comment form's labels), each recorded in
   ``Page.removed`` with its kind.

The page id, site fallback, language and provenance are ``parse.finish``'s job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from marsad.names import RemovedKind, Stage
from marsad.parse import boilerplate, selectors
from marsad.parse.comments_html import (
    CommentSection,
    element_lines,
    skip_invisible,
    split_comments,
)
from marsad.record import Page, Paragraph, Removed

# trafilatura logs every page it discards at WARNING; a batch of a million pages would
# drown the user's log. Our own problems say what matters.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)

DROP_ATTRIBUTE = "data-marsad-drop"
DROP_XPATH = f"//*[@{DROP_ATTRIBUTE}]"

# trafilatura's output tree: these start a new paragraph; <lb/> is a line break.
BODY_BLOCKS = frozenset({"p", "head", "item", "list", "quote", "table", "row", "code", "div",
                         "graphic", "figure"})
BODY_BREAKS = frozenset({"lb", "br"})
BODY_SPACED = frozenset({"cell"})
# Kinds of furniture recorded from the page outside the article: what surrounds comments.
AROUND_COMMENT_KINDS = frozenset({RemovedKind.DISCLAIMER, RemovedKind.COMMENT_FORM})


def parse_html(
    html: str, *, url: str | None = None, fetched_at: datetime | None = None
) -> Page:
    """Read one HTML page into a Page (``id`` left empty for ``parse.finish``)."""
    page = Page(id="", url=url or None)
    if fetched_at is not None:
        page.fetched_at = fetched_at.isoformat()
    label = url or "HTML page"
    tree, problems = load_tree(html)
    for kind, problem in problems:
        page.add_problem(Stage.PARSE, f"{label}: {problem}", kind)
    if tree is None:
        return page

    section = CommentSection()
    try:
        section = split_comments(tree, now=fetched_at)
    except Exception as err:  # a bad page never stops a batch
        page.add_problem(
            Stage.PARSE, f"{label}: comment splitting failed ({_describe(err)})", "parse_error"
        )
    page.comments = section.comments
    # trafilatura leaves these out of the article: the comments we took, their forms, and
    # <noscript> blocks («enable JavaScript»)
    for el in [*section.units, *section.forms, *tree.iter("noscript")]:
        el.set(DROP_ATTRIBUTE, "1")

    meta = _metadata(tree, url, page, label)
    body = _article(tree, url, page, label)
    if _forum_first_post(tree, url, section, body):
        body = _first_post_as_article(tree, url, page, label, section, body)

    page.title = _headline(tree, _clean(meta.get("title")))
    page.author = _clean(meta.get("author"))
    page.published_at = meta.get("date") or None
    page.site = _site_name(meta)
    page.url = url or _canonical_url(tree) or meta.get("url") or None

    removed: list[Removed] = []
    declared = _read_paragraphs(body, page, removed)
    page_lines = _page_lines(tree, section)
    _between_paragraphs(page.paragraphs, page_lines, removed)
    around_declared = _around_comments(tree, section, page_lines, removed)
    page.comments_declared = declared if declared is not None else around_declared
    page.removed = _dedupe(removed)
    return page


def _read_paragraphs(body: Any, page: Page, removed: list[Removed]) -> int | None:
    """trafilatura's lines → ``page.paragraphs``, furniture → ``removed``; the declared count.

    A line that is a comment trafilatura kept (or the headline repeated) is dropped; a line
    longer than FURNITURE_MAX_CHARS is prose, and no furniture rule is run on it.
    """
    comment_texts = {_collapse(c.text) for c in page.comments}
    declared: int | None = None
    in_related_block = False  # after «الأكثر قراءة» alone, the headlines below are links
    for line in _paragraph_lines(body):
        text, shortcodes = boilerplate.strip_shortcodes(line)
        removed.extend(shortcodes)
        if not text or _collapse(text) in comment_texts:
            continue
        if in_related_block and boilerplate.looks_like_headline(text):
            removed.append(Removed(text=text, kind=RemovedKind.RELATED))
            continue
        in_related_block = False
        if not page.paragraphs and boilerplate.is_dateline(text):
            removed.append(Removed(text=text, kind=RemovedKind.OTHER))
            continue
        if len(text) <= selectors.FURNITURE_MAX_CHARS:
            count = boilerplate.comment_count(text)
            if count is not None:
                declared = declared if declared is not None else count
                removed.append(Removed(text=text, kind=RemovedKind.COMMENT_COUNT))
                continue
            kind = boilerplate.classify_line(text)
            if kind is None and boilerplate.is_comment_header(text):
                kind = RemovedKind.OTHER
            if kind is not None:
                removed.append(Removed(text=text, kind=kind))
                in_related_block = boilerplate.heads_related_block(text)
                continue
            if not page.paragraphs and text == page.title:
                continue
        page.paragraphs.append(Paragraph(text=text))
    return declared


# --- Parsing ---------------------------------------------------------------------------------


def load_tree(html: str) -> tuple[HtmlElement | None, list[tuple[str, str]]]:
    """Parse ``html`` once: the tree (None when there is nothing) and ``(kind, message)``
    problems found on the way.

    No ``huge_tree``: without it libxml2 stops at 256 levels of nesting (a fatal "Excessive
    depth" error; what precedes is kept), which bounds the tree and every walk over it. With
    it, the limit is 2,048 levels and the rest of the page would still be lost. A page cut
    mid-tag parses up to the cut.
    """
    problems: list[tuple[str, str]] = []
    if len(html) > selectors.MAX_HTML_CHARS:
        problems.append((
            "too_large",
            f"{len(html):,} characters, more than the {selectors.MAX_HTML_CHARS:,} read; "
            "the rest of the page was cut off",
        ))
        html = html[: selectors.MAX_HTML_CHARS]
    html = selectors.INVALID_XML_CHARS.sub("", html)
    if not html.strip():
        problems.append(("empty", "the page is empty"))
        return None, problems
    parser = lxml.html.HTMLParser(
        collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as err:
        problems.append(("parse_error", f"not parseable as HTML ({_describe(err)})"))
        return None, problems
    for entry in parser.error_log:
        if "depth" in entry.message.lower():
            problems.append((
                "too_deep",
                f"HTML nested deeper than {selectors.LIBXML_MAX_DEPTH - 1} levels (line "
                f"{entry.line}); the parser stopped there and the rest of the page was not read",
            ))
            break
    if tree is None or not isinstance(tree, HtmlElement):
        problems.append(("parse_error", "no HTML document found"))
        return None, problems
    return tree, problems


def _describe(err: BaseException) -> str:
    text = str(err)
    return f"{type(err).__name__}: {text[:200]}" if text else type(err).__name__


# --- trafilatura -----------------------------------------------------------------------------


def _metadata(tree: HtmlElement, url: str | None, page: Page, label: str) -> dict[str, Any]:
    from trafilatura.metadata import extract_metadata

    try:
        meta = extract_metadata(tree, default_url=url)
    except Exception as err:
        page.add_problem(
            Stage.PARSE, f"{label}: metadata extraction failed ({_describe(err)})", "parse_error"
        )
        return {}
    return {
        "title": meta.title, "author": meta.author, "date": meta.date,
        "sitename": meta.sitename, "url": meta.url, "hostname": meta.hostname,
    }


def _article(tree: HtmlElement, url: str | None, page: Page, label: str) -> Any:
    """trafilatura's article body (an XML tree), comments and our marked elements left out."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, include_comments=False, output_format="python", with_metadata=False,
            prune_xpath=DROP_XPATH, include_tables=True,
        )
    except Exception as err:
        page.add_problem(
            Stage.PARSE, f"{label}: article extraction failed ({_describe(err)})", "parse_error"
        )
        return None
    if doc is None or isinstance(doc, dict):
        return None
    return doc.body


def _forum_first_post(
    tree: HtmlElement, url: str | None, section: CommentSection, body: Any
) -> bool:
    """A forum thread whose opening post we took as a comment, leaving the article thin."""
    if len(section.comments) < 2:
        return False
    text_len = sum(len(line) for line in _paragraph_lines(body))
    first_len = len(section.comments[0].text)
    if text_len > selectors.FORUM_THIN_BODY_CHARS or first_len <= text_len:
        return False
    page_body = tree.find("body")
    cues = [url or ""]
    if page_body is not None:
        cues += [page_body.get("class") or "", page_body.get("id") or ""]
    return any(selectors.FORUM_CUE.search(c[:500]) for c in cues) or bool(
        selectors.FORUM_JSONLD(tree)
    )


def _first_post_as_article(
    tree: HtmlElement, url: str | None, page: Page, label: str, section: CommentSection,
    body: Any,
) -> Any:
    """Re-extract with the first post kept; if it lands in the article, it is no comment."""
    first = section.units[0]
    first.attrib.pop(DROP_ATTRIBUTE, None)
    retry = _article(tree, url, page, label)
    head = _collapse(section.comments[0].text)[:200]
    if not head or head not in _collapse(" ".join(_paragraph_lines(retry))):
        first.set(DROP_ATTRIBUTE, "1")
        return body
    dropped = section.comments.pop(0)
    section.units.pop(0)
    for comment in section.comments:
        comment.index -= 1
        parent = comment.parent
        if parent == "#1" or (dropped.id and parent == dropped.id):
            comment.parent = None
        elif parent and parent.startswith("#") and parent[1:].isdigit():
            comment.parent = f"#{int(parent[1:]) - 1}"
    page.comments = section.comments
    return retry


def _paragraph_lines(body: Any) -> list[str]:
    if body is None:
        return []
    return element_lines(body, _skip_body, blocks=BODY_BLOCKS, breaks=BODY_BREAKS,
                         spaced=BODY_SPACED)


def _skip_body(el: Any) -> bool:
    return el.tag == "graphic"


def _headline(tree: HtmlElement, meta_title: str | None) -> str | None:
    """The page's <h1> when the metadata title contains it, else the metadata title.

    Metadata titles often carry the site's name («العنوان - اسم الموقع», «Title | Site»); the
    visible headline does not. An <h1> much shorter than the title (a section name, the
    site's logo) is not the headline.
    """
    if not meta_title:
        return None
    lowered = meta_title.lower()
    for n, h1 in enumerate(tree.iter("h1")):
        if n >= selectors.MAX_H1:
            break
        text = " ".join(element_lines(h1))
        if (
            text and len(text) * 3 >= len(meta_title) and len(text) <= len(meta_title)
            and text.lower() in lowered
        ):
            return text
    return meta_title


def _site_name(meta: dict[str, Any]) -> str | None:
    """The site's name when the page gives one; None when trafilatura only read the URL."""
    name = _clean(meta.get("sitename"))
    if not name:
        return None
    host = (meta.get("hostname") or "").lower()
    plain = name.lower()
    if host and (plain == host or plain == host.removeprefix("www.") or plain in host):
        return None
    return name


def _canonical_url(tree: HtmlElement) -> str | None:
    for xpath in selectors.CANONICAL_URL_XPATHS:
        for value in xpath(tree):
            text = str(value).strip()
            if text.startswith(("http://", "https://")) and len(text) <= 2000:
                return text
    return None


# --- Furniture around the comments -----------------------------------------------------------


@dataclass
class _PageLines:
    """The page's text lines outside comments and forms, each with its block element, read
    once for the furniture checks; ``first_comment`` is the position of the first comment."""

    lines: list[tuple[str, HtmlElement]]
    first_comment: int | None


def _page_lines(tree: HtmlElement, section: CommentSection) -> _PageLines:
    """Walk the body once: a line per block element without block children (plus the own
    text of those with), comments and forms left out. The tails of block children are not
    read: they are rarely furniture."""
    body = tree.find("body")
    out = _PageLines(lines=[], first_comment=None)
    if body is None:
        return out
    units = set(section.units)
    skip = units | set(section.forms)
    stack: list[HtmlElement] = [body]
    while stack:
        node = stack.pop()
        if node in units and out.first_comment is None:
            out.first_comment = len(out.lines)
        if node in skip or not isinstance(node.tag, str) or skip_invisible(node):
            continue
        children = [c for c in node if isinstance(c.tag, str)]
        if any(c.tag in selectors.BLOCK_TAGS or c in skip for c in children):
            own = _clean_text(node.text)
            if own:
                out.lines.append((own, node))
            stack.extend(reversed(children))
            continue
        out.lines.extend((line, node) for line in element_lines(node))
    return out


def _around_comments(
    tree: HtmlElement, section: CommentSection, page_lines: _PageLines, removed: list[Removed]
) -> int | None:
    """Record the count header, the disclaimer and form labels outside the article.

    Returns the declared comment count: the count header nearest before the first comment
    (or the first one on the page when no comment was found). With comments, the lines
    read are those of the comment section (``_comment_region``); without, the whole page,
    but only lines that could be a count header (``selectors.SECTION_CUE``): the furniture
    rules are too costly to run on every line of every page.
    """
    removed.extend(
        Removed(text=label, kind=RemovedKind.COMMENT_FORM) for label in section.form_lines
    )
    body = tree.find("body")
    if body is None:
        return None
    scope = _comment_region([*section.units, *section.forms], body)
    first = page_lines.first_comment
    before: list[tuple[int, str]] = []
    after: list[tuple[int, str]] = []
    for position, (line, el) in enumerate(page_lines.lines):
        if len(line) > selectors.FURNITURE_MAX_CHARS:
            continue
        if scope is None:
            if not selectors.SECTION_CUE.search(line):
                continue
        elif el is not scope and scope not in el.iterancestors():
            continue
        count = boilerplate.comment_count(line)
        if count is not None:
            (after if first is not None and position >= first else before).append((count, line))
            continue
        kind = boilerplate.classify_line(line)
        if kind in AROUND_COMMENT_KINDS:
            removed.append(Removed(text=line, kind=kind))
    chosen = before[-1] if before else (after[0] if after else None)
    if chosen is None:
        return None
    removed.append(Removed(text=chosen[1], kind=RemovedKind.COMMENT_COUNT))
    return chosen[0]


def _between_paragraphs(
    paragraphs: list[Paragraph], page_lines: _PageLines, removed: list[Removed]
) -> None:
    """Record furniture that sits among the article's paragraphs but that trafilatura dropped
    before our rules saw it (an inline «اقرأ أيضا: …» link line, a share bar)."""
    if not paragraphs:
        return
    article = _collapse("\n".join(p.text for p in paragraphs))
    first = _collapse(paragraphs[0].text)[: selectors.PARAGRAPH_HEAD_CHARS]
    last = _collapse(paragraphs[-1].text)[: selectors.PARAGRAPH_HEAD_CHARS]
    lines = [line for line, _ in page_lines.lines]
    start = next((i for i, line in enumerate(lines) if first in line), None)
    end = next((i for i in range(len(lines) - 1, -1, -1) if last in lines[i]), None)
    if start is None or end is None or end < start:
        return
    for line in lines[start : end + 1]:
        if len(line) > selectors.FURNITURE_MAX_CHARS or line in article:
            continue
        text, shortcodes = boilerplate.strip_shortcodes(line)
        removed.extend(shortcodes)
        if not text:
            continue
        if boilerplate.comment_count(text) is not None:
            continue  # counts are read around the comments
        kind = boilerplate.classify_line(text)
        if kind is not None:
            removed.append(Removed(text=text, kind=kind))


def _comment_region(elements: list[HtmlElement], body: HtmlElement) -> HtmlElement | None:
    """The smallest element holding all ``elements``, COMMENT_REGION_LEVELS levels up (at
    most ``body``): a count header or a disclaimer sits a little outside the list."""
    if not elements:
        return None
    common = [elements[0], *elements[0].iterancestors()]
    for el in elements[1:]:
        chain = {el, *el.iterancestors()}
        while common and common[0] not in chain:
            common.pop(0)
    if not common:
        return body
    region = common[0]
    for _ in range(selectors.COMMENT_REGION_LEVELS):
        parent = region.getparent()
        if region is body or parent is None or parent.tag == "html":
            break
        region = parent
    return region


def _clean_text(text: str | None) -> str:
    return selectors.WHITESPACE.sub(" ", text).strip() if text else ""


# --- Small helpers ---------------------------------------------------------------------------


def _clean(value: Any) -> str | None:
    if not value or not isinstance(value, str):
        return None
    text = selectors.WHITESPACE.sub(" ", value).strip()
    return text or None


def _collapse(text: str) -> str:
    return selectors.WHITESPACE.sub(" ", text).strip()


def _dedupe(removed: list[Removed]) -> list[Removed]:
    seen: set[tuple[str, str]] = set()
    out: list[Removed] = []
    for item in removed:
        key = (item.text, str(item.kind))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
