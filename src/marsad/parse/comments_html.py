"""Reader comments in an HTML page, one ``Comment`` per comment (trafilatura gives one block).

The cascade, first step that finds a comment wins:

1. the known markups in ``selectors.COMMENT_MARKUPS`` (schema.org ``Comment`` microdata,
   a static Disqus thread, WordPress comment lists, Drupal comments), the one that finds
   the most comments;
2. the generic cue: elements whose class or id names *one* comment («comment»,
   «wc-comment», «comment-item», «li-comment-12», «leserbrief»…);
3. a comment-section heading («التعليقات», «تعليقات القراء», «4 تعليقات», «Comments») followed
   by a run of alike elements (a custom CMS with no telling class names).

Whatever found the candidate elements, one structural step (``_resolve``) turns them into
comments: a candidate nested in another through a list or a reply container («children»,
«replies», «indented») is a reply; one nested directly is a part of the same comment (the
``article.comment-body`` inside a WordPress ``li.comment``) and merges into it; a candidate
with no text of its own that only holds others is a container and is dropped.

Inside a comment, the text is the element marked as its body («comment-content»,
``itemprop="text"``…) or, when there is none, the comment's text without its metadata
(author line, date, avatar, reply and vote buttons). Comment-form regions are never
comments; their labels are returned so that the page records them as furniture.

Everything walks the tree with loops, never recursion: libxml2 already caps depth at 256,
but a recursive walk would still cost a Python frame per level.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeAlias

from lxml.html import HtmlElement

from marsad.names import RemovedKind
from marsad.parse import boilerplate, selectors
from marsad.record import Comment

Element: TypeAlias = HtmlElement
SkipRule = Callable[[Element], bool]


@dataclass
class CommentSection:
    """What the splitter found: the comments, the elements they came from, the forms."""

    comments: list[Comment] = field(default_factory=list)
    units: list[Element] = field(default_factory=list)  # one element per comment
    forms: list[Element] = field(default_factory=list)  # comment-form regions
    form_lines: list[str] = field(default_factory=list)  # their labels, headings, notes
    markup: str = ""  # which step of the cascade found the comments


def split_comments(root: Element, *, now: datetime | None = None) -> CommentSection:
    """Find the reader comments under ``root`` (a parsed page); never raises on odd markup."""
    section = CommentSection()
    section.forms = _form_regions(root)
    section.form_lines = _form_lines(section.forms)
    excluded = set(section.forms)
    for step in _cascade(root, excluded):
        best: tuple[str, list[Comment], list[Element]] = ("", [], [])
        for name, candidates in step:
            comments, units = _read_items(_resolve(candidates, excluded), now)
            if len(comments) > len(best[1]):
                best = (name, comments, units)
        if best[1]:
            section.markup, section.comments, section.units = best
            break
    return section


# --- Finding candidate elements -------------------------------------------------------------


def _cascade(
    root: Element, excluded: set[Element]
) -> Iterator[Iterator[tuple[str, list[Element]]]]:
    """The steps of the cascade (module docstring), each a few ``(name, candidates)``: the
    known markups are one step, whichever of them finds the most comments wins it (a page
    may carry one schema.org comment in a sidebar beside its WordPress list)."""
    yield _known_markups(root, excluded)
    yield iter([("generic", _allowed(
        [e for e in root.iter(*selectors.ITEM_TAGS) if _names_one_comment(e)], excluded
    ))])
    yield iter([("section-header", _allowed(_after_section_header(root, excluded), excluded))])


def _known_markups(root: Element, excluded: set[Element]) -> Iterator[tuple[str, list[Element]]]:
    for markup in selectors.COMMENT_MARKUPS:
        found = markup.items(root)
        if isinstance(found, list):
            yield markup.name, _allowed([e for e in found if isinstance(e, HtmlElement)], excluded)


def _allowed(elements: list[Element], excluded: set[Element]) -> list[Element]:
    """Drop elements inside a form, the head or a script, and any that holds an <h1> (a
    comment never holds the page's headline: that is an article called «comment»); keep
    document order, no duplicates."""
    out: list[Element] = []
    seen: set[Element] = set()
    for el in elements:
        if el in seen or el.tag in selectors.SKIP_TAGS or el.find(".//h1") is not None:
            continue
        seen.add(el)
        if _is_form(el) or any(
            a in excluded or a.tag in selectors.NO_ITEM_ANCESTORS or _is_form(a)
            for a in el.iterancestors()
        ):
            continue
        out.append(el)
    return out


def _tokens(el: Element) -> tuple[str, ...]:
    value = el.get("class")
    if not value:
        return ()
    return tuple(t for t in value[:2000].lower().split() if len(t) <= selectors.MAX_TOKEN_CHARS)


def _id(el: Element) -> str:
    value = el.get("id") or ""
    return value.lower() if len(value) <= selectors.MAX_TOKEN_CHARS else ""


def _token_names_one(token: str, *, is_id: bool) -> bool:
    """True when a class token or an id names a single comment (see ``selectors.ITEM_WORDS``)."""
    start = end = -1
    for word in selectors.ITEM_WORDS:
        at = token.rfind(word)
        if at >= 0 and at + len(word) > end:
            start, end = at, at + len(word)
    if (
        end >= 0 and selectors.ITEM_SUFFIX.fullmatch(token[end:])
        and not selectors.ITEM_PREFIX_STOP.search(token[:start])
    ):
        return True
    if not is_id:
        return False
    for word in selectors.ITEM_ID_WORDS:
        at = token.rfind(word)
        if at >= 0 and selectors.ITEM_ID_SUFFIX.fullmatch(token[at + len(word):]):
            return True
    return bool(selectors.BLOGGER_ITEM_ID.fullmatch(token))


def _names_one_comment(el: Element) -> bool:
    ident = _id(el)
    if ident and _token_names_one(ident, is_id=True):
        return True
    return any(_token_names_one(t, is_id=False) for t in _tokens(el))


def _is_form(el: Element) -> bool:
    """A comment-form wrapper by its class or id (form elements are found by FORM_XPATH)."""
    ident = _id(el)
    if ident and selectors.FORM_ID.search(ident):
        return True
    return any(t in selectors.FORM_TOKENS for t in _tokens(el))


def _form_regions(root: Element) -> list[Element]:
    """Comment forms (outermost only): their text is furniture, never a comment.

    A form that holds a large part of the page (ASP.NET wraps the whole page in one) or
    the headline is not a comment form.
    """
    found = [
        e for e in selectors.FORM_XPATH(root)
        if isinstance(e, HtmlElement) and _text_at_most(e, selectors.FORM_MAX_CHARS)
        and not e.xpath("boolean(.//h1)")
    ]
    found_set = set(found)
    return [e for e in found if not any(a in found_set for a in e.iterancestors())]


def _form_lines(forms: list[Element]) -> list[str]:
    lines: list[str] = []
    for form in forms:
        lines.extend(_lines(form, _skip_in_form))
        for value in form.xpath(".//input[@type='submit' or @type='button']/@value"):
            text = _clean(str(value))
            if text:
                lines.append(text)
    out: list[str] = []
    for line in lines:
        if line not in out and len(line) <= 200 and any(ch.isalnum() for ch in line):
            out.append(line)
    return out


def _skip_in_form(el: Element) -> bool:
    return _hidden(el) or el.tag in (
        "script", "style", "noscript", "template", "svg", "select", "textarea"
    )


# --- Comment sections announced by a heading (custom CMSs) ----------------------------------


def _after_section_header(root: Element, excluded: set[Element]) -> list[Element]:
    """The run of alike elements after a comment-section heading, when a page has one."""
    for el in root.iter(*selectors.SECTION_HEADER_TAGS):
        if not _small(el):
            continue
        text = _clean(el.text_content())
        if not text or len(text) > selectors.SECTION_HEADER_MAX_CHARS:
            continue
        if not selectors.SECTION_CUE.search(text) or not boilerplate.is_comment_header(text):
            continue
        if boilerplate.comment_count(text) == 0:
            continue  # «لا توجد تعليقات»: what follows is an invitation, not a comment
        if el.find(".//a") is not None or any(
            a.tag in selectors.NOT_HEADER_ANCESTORS for a in el.iterancestors()
        ):
            continue  # «<a href="#comments">12 تعليقا</a>» links to comments, it is no heading
        items = _run_after(el, excluded)
        # one element after a bare «Comments» is as likely a login prompt as a comment; a
        # heading that counts («تعليق واحد», «1 comment») vouches for it
        if len(items) >= 2 or (items and (boilerplate.comment_count(text) or 0) >= 1):
            return items
    return []


def _small(el: Element, limit: int = 4) -> bool:
    """At most ``limit`` descendant elements: a heading, not a container."""
    return all(n < limit for n, _ in enumerate(el.iterdescendants()))


def _signature(el: Element) -> tuple[str, tuple[str, ...]]:
    """Tag and class tokens, without the ones that vary between alike items."""
    keep = tuple(
        sorted(
            t for t in _tokens(el)
            if not any(ch.isdigit() for ch in t)
            and t not in ("odd", "even", "alt", "first", "last", "new", "active", "clearfix")
        )
    )
    return str(el.tag), keep


def _run_after(header: Element, excluded: set[Element]) -> list[Element]:
    """Alike elements after ``header``: its following siblings, or the children (or
    grandchildren) of one of them — «<h3>التعليقات</h3><div class="list"><div>…</div>…».

    Climbs at most two levels from the heading, so that a heading wrapped in its own
    ``div`` still finds the list beside it; looks no further than SECTION_SIBLINGS siblings.
    """
    start = header
    for _ in range(selectors.SECTION_CLIMB + 1):
        following = [
            s for s in start.itersiblings()
            if isinstance(s.tag, str) and s not in excluded and not _is_form(s)
        ][: selectors.SECTION_SIBLINGS]
        groups: list[list[Element]] = [following]
        for sib in following:
            children = [c for c in sib if isinstance(c.tag, str)]
            groups.append(children)
            groups.extend([g for g in c if isinstance(g.tag, str)] for c in children)
        best: list[Element] = []
        for group in groups:
            run = _best_run(group, excluded)
            if len(run) > len(best):
                best = run
        if best:
            return best
        parent = start.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        start = parent
    return []


def _best_run(elements: list[Element], excluded: set[Element]) -> list[Element]:
    """The largest group of alike elements with text among ``elements``."""
    groups: dict[tuple[str, tuple[str, ...]], list[Element]] = {}
    for el in elements:
        if not isinstance(el.tag, str) or el.tag in selectors.SKIP_TAGS or el in excluded:
            continue
        if el.tag in selectors.NOT_RUN_TAGS or _is_form(el):
            continue
        if any(selectors.CONTROL_TOKEN.search(t) for t in _tokens(el)):
            continue  # a share bar or a button row, not a comment
        if el.xpath("boolean(.//textarea or .//input[@type='text'])"):
            continue
        if not _lines(el, skip_invisible):
            continue
        groups.setdefault(_signature(el), []).append(el)
    best: list[Element] = []
    for members in groups.values():
        if len(members) > len(best):
            best = members
    return best


# --- From candidates to comments ------------------------------------------------------------


def _is_reply_container(el: Element) -> bool:
    if el.tag in selectors.REPLY_CONTAINER_TAGS:
        return True
    return any(selectors.REPLY_CONTAINER_TOKEN.search(t) for t in _tokens(el))


def _resolve(candidates: list[Element], excluded: set[Element]) -> list[Element]:
    """Candidate elements → one element per comment, in document order (module docstring)."""
    if not candidates:
        return []
    cset = set(candidates)
    # nearest candidate ancestor of each candidate, and whether a reply container lies between
    children: dict[Element, list[tuple[Element, bool]]] = {c: [] for c in candidates}
    for c in candidates:
        through_container = False
        for a in c.iterancestors():
            if a in cset:
                children[a].append((c, through_container))
                break
            if _is_reply_container(a):
                through_container = True
    owner: dict[Element, Element] = {}
    final: list[Element] = []
    for c in candidates:  # document order: ancestors first
        if c in owner:
            continue
        # a schema.org Comment inside another is a reply whatever lies between
        direct = [k for k, through in children[c] if not through and not _is_schema_comment(k)]
        replies = [k for k, through in children[c] if through or _is_schema_comment(k)]
        by_sig: dict[tuple[str, tuple[str, ...]], list[Element]] = {}
        for k in direct:
            by_sig.setdefault(_signature(k), []).append(k)
        parts = [k for k in direct if len(by_sig[_signature(k)]) == 1]
        peers = [k for k in direct if len(by_sig[_signature(k)]) > 1]
        replies += peers
        if parts:
            _absorb(c, parts, children, owner)
            final.append(c)
            continue
        nested = {k for k, _ in children[c]}
        if _has_own_text(c, nested):
            final.append(c)
    return final


def _is_schema_comment(el: Element) -> bool:
    return el.get("itemprop") == "comment" or bool(
        selectors.SCHEMA_COMMENT_TYPE.search((el.get("itemtype") or "")[:200])
    )


def _absorb(
    owner_el: Element, parts: list[Element], children: dict[Element, list[tuple[Element, bool]]],
    owner: dict[Element, Element],
) -> None:
    """Merge ``parts`` (and their own direct parts, all the way down) into ``owner_el``."""
    stack = list(parts)
    while stack:
        part = stack.pop()
        owner[part] = owner_el
        direct = [
            k for k, through in children[part] if not through and not _is_schema_comment(k)
        ]
        by_sig: dict[tuple[str, tuple[str, ...]], int] = {}
        for k in direct:
            by_sig[_signature(k)] = by_sig.get(_signature(k), 0) + 1
        stack.extend(k for k in direct if by_sig[_signature(k)] == 1)


def _has_own_text(el: Element, nested: set[Element]) -> bool:
    """Whether ``el`` has text outside its nested candidates, furniture and controls aside."""
    for line in _lines(el, lambda e: e in nested or _skip_meta(e)):
        if selectors.CONTROL_LINE.match(line):
            continue
        if len(line) > selectors.FURNITURE_MAX_CHARS:
            return True  # prose; checked first because the furniture rules fold the line
        if not _is_furniture(line):
            return True
    return False


def _is_furniture(line: str) -> bool:
    """A comment-section header, a count, a disclaimer or a form label."""
    return boilerplate.is_comment_header(line) or boilerplate.classify_line(line) in (
        RemovedKind.DISCLAIMER, RemovedKind.COMMENT_FORM, RemovedKind.COMMENT_COUNT,
    )


# --- Reading one comment ---------------------------------------------------------------------


def _read_items(items: list[Element], now: datetime | None) -> tuple[list[Comment], list[Element]]:
    item_set = set(items)
    comments: list[Comment] = []
    units: list[Element] = []
    index_of: dict[Element, int] = {}
    site_ids: dict[Element, str] = {}
    used_ids: set[str] = set()
    for el in items:
        nested = {d for d in el.iterdescendants() if d in item_set}
        text, date_line = _comment_text(el, nested)
        if not text:
            continue
        author = _author(el, nested)
        if author is None:
            author, text = _leading_name(el, nested, text)
        author, text = _drop_says(text, author)
        if not text:
            continue
        site_id = _site_id(el, nested)
        if site_id in used_ids:
            site_id = ""
        if site_id:
            used_ids.add(site_id)
        index = len(comments) + 1
        index_of[el] = index
        site_ids[el] = site_id
        posted_at = _posted_at(el, nested, now)
        if posted_at is None and date_line:
            posted_at = _iso(date_line, now)
        comments.append(
            Comment(id=site_id, index=index, text=text, author=author, posted_at=posted_at)
        )
        units.append(el)
    for comment, el in zip(comments, units, strict=True):
        parent = _parent(el, index_of)
        if parent is not None:
            comment.parent = site_ids[parent] or f"#{index_of[parent]}"
    return comments, units


def _parent(el: Element, index_of: dict[Element, int]) -> Element | None:
    for a in el.iterancestors():
        if a in index_of:
            return a
    # Drupal: replies sit in a div.indented right after their parent comment
    for a in el.iterancestors():
        if any(t in selectors.INDENTED_TOKENS for t in _tokens(a)):
            for n, sib in enumerate(a.itersiblings(preceding=True)):
                if n >= 3:
                    break
                if sib in index_of:
                    return sib
                inner = [d for d in sib.iterdescendants() if d in index_of]
                if inner:
                    return inner[0]
            break
    return None


def _comment_text(el: Element, nested: set[Element]) -> tuple[str, str | None]:
    """The comment's text, and the first line dropped for being only a date (if any)."""

    def outside(e: Element) -> bool:
        return e in nested

    bodies = _body_leaves(el, nested)
    body_lines: list[str] = []
    for body in bodies:
        body_lines.extend(_lines(body, lambda e: outside(e) or _skip_control(e)))
    rest_lines = _lines(el, lambda e: outside(e) or _skip_meta(e))
    # the marked body wins unless it misses much of the comment's text: a body that is less
    # than half the rest, with a long line outside it, covered only a part
    body_len = sum(len(x) for x in body_lines)
    rest_len = sum(len(x) for x in rest_lines)
    in_body = set(body_lines)
    partial = body_len * 2 < rest_len and any(
        len(x) > selectors.META_LINE_MAX_CHARS for x in rest_lines if x not in in_body
    )
    lines = body_lines if body_lines and not partial else rest_lines
    kept: list[str] = []
    date_line: str | None = None
    for line in lines:
        if (
            selectors.CONTROL_LINE.match(line) or selectors.SAYS_LINE.match(line)
            or _only_punctuation(line)
        ):
            continue
        if len(line) <= selectors.DATE_MAX_CHARS and _is_date_line(line):
            date_line = date_line or line
            continue
        if len(line) <= selectors.FURNITURE_MAX_CHARS and _is_furniture(line):
            continue
        kept.append(line)
    if len(kept) > 1 and len(kept[0]) == 1:
        kept.pop(0)  # an avatar's initial
    return "\n".join(kept), date_line


def _only_punctuation(line: str) -> bool:
    """«–», «•», «|»: separators left between controls (an emoji-only comment is text)."""
    return len(line) <= 10 and all(
        unicodedata.category(ch)[0] in "PZ" or unicodedata.category(ch) == "Sm" for ch in line
    )


def _is_date_line(line: str) -> bool:
    try:
        from marsad.parse.dates import is_date_line
    except ImportError:  # pragma: no cover - dates.py ships with the package
        return False
    return is_date_line(line)


def _body_leaves(el: Element, nested: set[Element]) -> list[Element]:
    """Elements marked as the comment's text, innermost ones only, outside nested comments."""
    # a «span.text» inside a reply or share button is no body: skip controls while looking
    marked = [d for d in _descendants(el, nested, _skip_control) if _is_body(d)]
    if _is_body(el):
        marked.insert(0, el)
    marked_set = set(marked)
    leaves = []
    for m in marked:
        if any(d in marked_set for d in m.iterdescendants()):
            continue
        leaves.append(m)
    return leaves


def _is_body(el: Element) -> bool:
    if not el.attrib:
        return False
    prop = (el.get("itemprop") or "")[:100].lower()
    if prop and any(p in selectors.BODY_ITEMPROPS for p in prop.split()):
        return True
    tokens = _tokens(el)
    if any(t in selectors.NOT_BODY_TOKENS for t in tokens):
        return False
    return any(selectors.BODY_TOKEN.search(t) for t in tokens)


def _descendants(
    el: Element, nested: set[Element], skip: SkipRule | None = None,
    skip_tags: frozenset[str] = selectors.SKIP_TAGS,
) -> Iterator[Element]:
    """Descendant elements of ``el`` outside the subtrees in ``nested`` (no recursion)."""
    stack = list(reversed([c for c in el if isinstance(c.tag, str)]))
    while stack:
        node = stack.pop()
        if node in nested or node.tag in skip_tags or (skip and skip(node)):
            continue
        yield node
        stack.extend(reversed([c for c in node if isinstance(c.tag, str)]))


def _hidden(el: Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style) and "display:none" in style[:500].replace(" ", "").lower()


def skip_invisible(el: Element) -> bool:
    """Scripts, forms' controls, hidden elements and screen-reader labels: never text."""
    if el.tag in selectors.SKIP_TAGS:
        return True
    if not el.attrib:
        return False
    return _hidden(el) or any(
        t in selectors.NOT_BODY_TOKENS for t in _tokens(el)
    )


def _skip_control(el: Element) -> bool:
    """Inside a comment's body: drop buttons, avatars and labels, keep everything else."""
    if skip_invisible(el):
        return True
    if not el.attrib or _is_body(el):
        return False
    return any(
        selectors.CONTROL_TOKEN.search(t) or selectors.BODY_META_TOKEN.search(t)
        for t in _tokens(el)
    ) and _short(el)


def _skip_meta(el: Element) -> bool:
    """Outside a marked body: also drop the author line, the date and the comment header."""
    if skip_invisible(el) or el.tag == "time":
        return True
    if el.tag != "cite" and not el.attrib:
        return False
    if _is_body(el):
        return False
    tokens = _tokens(el)
    ident = _id(el)
    cued = el.tag == "cite" or any(selectors.META_TOKEN.search(t) for t in tokens) or bool(
        ident and selectors.META_TOKEN.search(ident) and not _token_names_one(ident, is_id=True)
    )
    # a theme may put the comment's paragraphs inside its author box: keep those
    return (
        cued and _short(el) and el.find(".//p") is None
        and not any(_is_body(d) for d in el.iterdescendants())
    )


def _short(el: Element) -> bool:
    return _text_at_most(el, selectors.META_MAX_CHARS)


def _text_at_most(el: Element, limit: int) -> bool:
    """Whether the element's text is at most ``limit`` characters (stops counting early)."""
    total = 0
    for piece in el.itertext():
        total += len(piece.strip())
        if total > limit:
            return False
    return True


def _author(el: Element, nested: set[Element]) -> str | None:
    descendants = list(_descendants(el, nested, skip_tags=selectors.SKIP_TAGS - {"meta"}))
    for d in descendants:
        prop = (d.get("itemprop") or "")[:100].lower().split()
        if any(p in selectors.AUTHOR_ITEMPROPS for p in prop):
            named = d.xpath(".//*[@itemprop='name']")
            source = named[0] if named else d
            value = source.get("content") or _spaced_text(source)
            name = _clean_author(value)
            if name:
                return name
    tiers: tuple[Callable[[tuple[str, ...]], bool], ...] = (
        lambda toks: any(t in selectors.AUTHOR_TOKENS_FIRST for t in toks),
        lambda toks: any(selectors.AUTHOR_TOKEN.search(t) for t in toks),
    )
    for tier in tiers:
        marked = [d for d in descendants if tier(_tokens(d)) and not _is_body(d)]
        marked_set = set(marked)
        # innermost first: «header.comment-author» holds «span.comment__author-name», a date
        # and a reply link
        for d in marked:
            if any(x in marked_set for x in d.iterdescendants()):
                continue
            name = _clean_author(" ".join(_lines(d, _skip_author_noise)))
            if name:
                return name
    for d in descendants:
        if d.tag == "cite":
            name = _clean_author(" ".join(_lines(d, _skip_author_noise)))
            if name:
                return name
    return None


def _skip_author_noise(el: Element) -> bool:
    """Inside an author box: the date, the avatar and the reply link are not the name."""
    if skip_invisible(el) or el.tag == "time":
        return True
    return any(
        selectors.CONTROL_TOKEN.search(t) or selectors.DATE_TOKEN.search(t) for t in _tokens(el)
    )


def _leading_name(el: Element, nested: set[Element], text: str) -> tuple[str | None, str]:
    """A comment with no author markup that opens with a bold name on its own line.

    «<b>نبيل</b><div>…</div>»: the first element with text is a b/strong/cite/h4–h6 whose
    text is the comment's whole first line, short and without sentence punctuation.
    """
    lines = text.split("\n")
    if len(lines) < 2:
        return None, text
    for d in _descendants(el, nested):
        if not _clean(d.text or ""):
            continue
        if d.tag not in selectors.NAME_TAGS:
            return None, text
        name = _clean(_spaced_text(d))
        if (
            name == lines[0] and len(name) <= selectors.AUTHOR_MAX_CHARS
            and not selectors.SENTENCE_PUNCTUATION.search(name)
        ):
            return name, "\n".join(lines[1:])
        return None, text
    return None, text


def _clean_author(raw: str) -> str | None:
    if len(raw) > 4 * selectors.AUTHOR_MAX_CHARS:
        return None
    text = _clean(raw)
    text = selectors.AUTHOR_LABEL_AFTER.sub("", text)
    text = selectors.AUTHOR_LABEL_BEFORE.sub("", text).strip(" :-–—|")
    if not text or len(text) > selectors.AUTHOR_MAX_CHARS:
        return None
    return text


def _drop_says(text: str, author: str | None) -> tuple[str | None, str]:
    """Drop a leading «Name says:» line; it names the author when no markup did."""
    lines = text.split("\n")
    first = lines[0]
    if author and first.startswith(author):
        rest = first[len(author):].strip()
        if not rest or selectors.SAYS_LINE.match(rest):
            return author, "\n".join(lines[1:]).strip()
    m = selectors.AUTHOR_SAYS_LINE.match(first) if len(first) <= 100 else None
    if m and len(lines) > 1:
        return author or _clean_author(m.group("name")), "\n".join(lines[1:]).strip()
    return author, text


def _posted_at(el: Element, nested: set[Element], now: datetime | None) -> str | None:
    # <meta itemprop="dateCreated" content="…"> carries schema.org dates: look inside metas
    descendants = list(_descendants(el, nested, skip_tags=selectors.SKIP_TAGS - {"meta"}))
    for d in descendants:
        if d.tag == "time" and d.get("datetime"):
            value = _iso(d.get("datetime", ""), now)
            if value:
                return value
    for d in descendants:
        prop = (d.get("itemprop") or "")[:100].lower().split()
        if any(p in selectors.DATE_ITEMPROPS for p in prop):
            raw = d.get("datetime") or d.get("content") or _spaced_text(d)
            value = _iso(raw, now)
            if value:
                return value
    for d in [el, *descendants]:
        for attr in selectors.UNIX_TIME_ATTRIBUTES:
            raw = (d.get(attr) or "").strip()
            if raw.isdigit() and len(raw) <= 12:
                return datetime.fromtimestamp(int(raw), tz=UTC).isoformat()
    for d in descendants:
        tokens = _tokens(d)
        if not any(selectors.DATE_TOKEN.search(t) for t in tokens):
            continue
        for attr in selectors.DATE_ATTRIBUTES:
            raw = d.get(attr)
            if raw:
                value = _iso(raw, now)
                if value:
                    return value
        if _short(d):
            value = _iso(_spaced_text(d), now)
            if value:
                return value
    return None


def _spaced_text(el: Element) -> str:
    """An element's text with a space between pieces: «<span>28.09.19</span><span>12:44</span>»
    is two tokens, not «28.09.1912:44»."""
    pieces: list[str] = []
    total = 0
    for piece in el.itertext():
        pieces.append(piece)
        total += len(piece)
        if total > 4 * selectors.DATE_MAX_CHARS:
            break
    return " ".join(pieces)


def _iso(raw: str, now: datetime | None) -> str | None:
    """An ISO 8601 value from an attribute or a short text; None when it is not a date."""
    raw = _clean(raw[: selectors.DATE_MAX_CHARS * 2])
    if not raw or len(raw) > selectors.DATE_MAX_CHARS:
        return None
    value: str | None = None
    if len(raw) == 10 and raw[4] == "-":
        try:
            value = date.fromisoformat(raw).isoformat()
        except ValueError:
            value = None
    if value is None and raw[:4].isdigit() and "T" in raw:
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()
        except ValueError:
            value = None
    if value is None:
        value = _parse_date(raw, now)
    return value if value and _plausible(value, now) else None


def _plausible(value: str, now: datetime | None) -> bool:
    """Reader comments exist since the mid-1990s and are not written in the future."""
    year = int(value[:4]) if value[:4].isdigit() else 0
    latest = (now or datetime.now()).year + 1
    return selectors.EARLIEST_COMMENT_YEAR <= year <= latest


def _parse_date(raw: str, now: datetime | None) -> str | None:
    try:
        from marsad.parse.dates import parse_date
    except ImportError:  # pragma: no cover - dates.py is written alongside this module
        return None
    try:
        return parse_date(raw, now=now)
    except (ValueError, OverflowError):
        return None


def _site_id(el: Element, nested: set[Element]) -> str:
    ident = _id(el)
    m = selectors.SITE_ID.search(ident) if ident else None
    if m:
        return m.group(1)
    for attr in selectors.SITE_ID_ATTRIBUTES:
        value = (el.get(attr) or "").strip()
        if value.isdigit() and len(value) <= 30:
            return value
    for d in _descendants(el, nested):
        dident = _id(d)
        if dident and _token_names_one(dident, is_id=True):
            m = selectors.SITE_ID.search(dident)
            if m:
                return m.group(1)
    for n, sib in enumerate(el.itersiblings(preceding=True)):
        if n >= 2:
            break
        if sib.tag == "a" and sib.get("id"):
            m = selectors.SITE_ID.search(_id(sib))
            if m:
                return m.group(1)
    for href in el.xpath(".//a[contains(@class, 'permalink')]/@href")[:1]:
        m = selectors.DRUPAL_PERMALINK.search(str(href)[:500])
        if m:
            return m.group(1)
    return ""


# --- Text ----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return selectors.WHITESPACE.sub(" ", text).strip()


def _lines(
    root: Element, skip: SkipRule, blocks: frozenset[str] = selectors.BLOCK_TAGS,
    breaks: frozenset[str] = selectors.LINE_BREAK_TAGS, spaced: frozenset[str] = frozenset(),
) -> list[str]:
    """The text of ``root`` as lines: blocks and <br> break lines, whitespace runs collapse.

    ``skip(element)`` leaves an element's subtree out (its tail text stays); an element in
    ``spaced`` (a table cell) starts with a space. An explicit stack instead of recursion:
    a page may nest a few hundred levels deep.
    """
    lines: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        if parts:
            line = _clean("".join(parts))
            if line:
                lines.append(line)
            parts.clear()

    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        is_element = isinstance(node.tag, str)
        if leaving:
            if is_element and node.tag in blocks:
                flush()
            if node is not root and node.tail:
                parts.append(node.tail)
            continue
        if not is_element or (node is not root and skip(node)):
            if is_element and node.tag in blocks:
                flush()
            if node is not root and node.tail:
                parts.append(node.tail)
            continue
        if node.tag in blocks or node.tag in breaks:
            flush()
        elif node.tag in spaced:
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    flush()
    return lines


def element_lines(
    root: Element, skip: SkipRule | None = None, *, blocks: frozenset[str] | None = None,
    breaks: frozenset[str] | None = None, spaced: frozenset[str] = frozenset(),
) -> list[str]:
    """Public form of the line serialiser, for the page parser (scripts and hidden text out)."""
    return _lines(
        root, skip or skip_invisible, blocks if blocks is not None else selectors.BLOCK_TAGS,
        breaks if breaks is not None else selectors.LINE_BREAK_TAGS, spaced,
    )
