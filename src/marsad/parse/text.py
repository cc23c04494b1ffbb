"""Plain text exported from news pages, read into a Page.

The layout is the seed's (``../shared/seed/aksalser-deir-ez-zor.txt``) and its usual
variants: the headline on the first line; article paragraphs as blank-line separated blocks
(or one per line when the export has no blank lines); CMS shortcodes («[ads3]») and page
furniture (a comments disclaimer, «اقرأ أيضاً» and its links, share labels, copyright,
navigation) mixed in; then a comment section opened by a header («4 تعليقات»,
«التعليقات (3)», «التعليقات»), with comments either numbered («  1. …», continuation lines
indented, replies numbered «1.1» or indented further) or unnumbered blocks with an author
and a date line («أبو محمد» / «5 آذار 2024 - 10:30», «كتب: أحمد | 2024-03-05») and replies
marked «رد على أحمد».

The reading goes in three passes over the lines, top to bottom:
1. the title: the first line that is not furniture, a dateline or a byline;
2. the article, up to the comment section: furniture lines are removed (with their kind),
   a dateline and a byline fill ``published_at`` and ``author``;
3. the comment section: headers give ``comments_declared``; lines are grouped into
   comments (numbered or unnumbered layout), each comment's leading author/date/reply
   lines are peeled off, and replies point at their parent as ``"#N"`` (1-based index)
   for ``parse.finish`` to resolve.

Every removed piece of text is recorded in ``Page.removed`` in document order, so the
article, the comments and the removed items together account for the page. Phrases live in
``phrases.py`` (shared with the HTML parser); what is specific to the text layout is named
here. All regular expressions are linear and bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from marsad.names import RemovedKind
from marsad.parse import boilerplate, phrases
from marsad.parse.dates import DATE_LINE_FILLER, find_date, is_date_line
from marsad.record import Comment, Page, Paragraph, Removed
from marsad.text.normalize import Normalized, fold, normalize

# --- Layout constants -----------------------------------------------------------------

TAB_WIDTH = 4
# In an export with blank lines, the lines of one block are one paragraph that was
# hard-wrapped, unless a line is longer than this (a wrapped line is short) or ends a
# sentence: then it is a paragraph of its own.
HARD_WRAP_MAX_CHARS = 100
SENTENCE_END = (".", "!", "?", "؟", "…", ".”", ".\"", "”.", "».", ".»")
# A «[caption]…[/caption]» may span lines; look this far for its closing tag.
MAX_SHORTCODE_LINES = 12
# A numbered list may skip numbers (moderated comments), but not by more than this.
MAX_NUMBER_GAP = 20
# Author names and the lines that carry them are short.
AUTHOR_MAX_WORDS = 5
AUTHOR_MAX_CHARS = 60
META_MAX_CHARS = 120
META_MAX_LINES = 4  # author, date, reply marker, and one spare: a comment's header lines
# Characters that separate an author from a date on one line («أحمد | 5 آذار 2024»).
META_SEPARATORS = " |-–—،,:•·/()[]"
NAME_DATE_SEPARATORS = "|-–—،,•·/("
NAME_FORBIDDEN = re.compile(r"[.!?؟;؛|\"“”«»]")
# Kinds of furniture that, after some comments, end the page: what follows is footer.
FOOTER_KINDS = frozenset({RemovedKind.COPYRIGHT, RemovedKind.NAVIGATION})

# Labels before an author's name (natural spelling: folded when compiled). Those that are
# also ordinary words («كتب» "wrote", «الاسم» "the name") count only with a colon after them.
AUTHOR_LABELS_WITH_COLON = (
    "كتب", "كتبت", "الاسم", "الاسم الكامل", "المعلق", "اسم المعلق", "الكاتب", "إعداد",
    "تحرير", "المحرر", "name", "author",
)
AUTHOR_LABELS = ("بقلم", "بواسطة", "by", "posted by", "written by", "comment by")
# «أبو محمد يقول:», «Ahmad says:» (WordPress comment headers); the colon is required.
SAYS_VERBS = ("يقول", "تقول", "قال", "قالت", "كتب", "كتبت", "says", "said", "wrote")
# «رد على أحمد», «رداً على أحمد: …», «In reply to Ahmad».
REPLY_MARKERS = ("رد على", "ردا على", "رداً على", "الرد على", "in reply to", "reply to",
                 "replying to")


def _alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of the folded words, longest first."""
    folded = {fold(w) for w in words}
    return "|".join(re.escape(w) for w in sorted(folded, key=len, reverse=True))


# A numbered comment: «  1. text», «2) text», «    1.1 text» (a reply by its number path).
NUMBERED_RE = re.compile(
    r"^(?P<indent>[ ]{0,40})(?P<num>\d{1,4}(?:\.\d{1,4}){0,4})(?P<sep>[.)\-]?)"
    r"(?:[ ]{1,8}(?P<text>\S.*))?$"
)
# Patterns below run on folded text (``normalize(lower=True, collapse_space=True)``).
LABELLED_AUTHOR_RE = re.compile(
    rf"^(?:(?:{_alternation(AUTHOR_LABELS_WITH_COLON)}) ?:|(?:{_alternation(AUTHOR_LABELS)})"
    rf" ?:?) ?(?P<name>\S.{{0,{AUTHOR_MAX_CHARS}}})$"
)
SAYS_RE = re.compile(
    rf"^(?P<name>\S.{{0,{AUTHOR_MAX_CHARS}}}?) (?:{_alternation(SAYS_VERBS)}) ?:$"
)
# Run on the first META_MAX_CHARS characters only: the reply's text may follow the colon.
REPLY_RE = re.compile(
    rf"^(?:{_alternation(REPLY_MARKERS)}) (?P<name>[^:]{{1,{AUTHOR_MAX_CHARS}}}?) ?(?::|$)"
)

_SHORTCODE_OPEN_RE = re.compile(
    rf"\[(?P<name>{'|'.join(sorted(phrases.SHORTCODE_BLOCKS, key=len, reverse=True))})"
    r"(?:\s[^\[\]\n]{0,500})?\]",
    re.I,
)
_FILLER = frozenset(fold(w) for w in DATE_LINE_FILLER)


# --- Furniture checks, once per distinct line ----------------------------------------------
# Each check folds the line (a pure-Python pass over every character), and the passes ask
# about the same lines more than once; a bounded cache keeps a page to one fold per check.
# Prose lines are also turned away before folding when they are clearly too long: a count
# header is at most «NNN تعليقات على» and a 200-character title (phrases.py), and furniture
# at most MAX_FURNITURE_WORDS words (with slack for words that folding removes: a lone
# tatweel or diacritic).
LINE_CACHE_SIZE = 4096
HEADER_MAX_CHARS = 300
FURNITURE_MAX_RAW_WORDS = phrases.MAX_FURNITURE_WORDS + 5


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _furniture_kind(text: str) -> RemovedKind | None:
    if len(text.split()) > FURNITURE_MAX_RAW_WORDS:
        return None
    return boilerplate.classify_line(text)


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _comment_count(text: str) -> int | None:
    return None if len(text) > HEADER_MAX_CHARS else boilerplate.comment_count(text)


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _is_comment_header(text: str) -> bool:
    if len(text) > HEADER_MAX_CHARS:
        return False
    return _comment_count(text) is not None or boilerplate.is_comment_header(text)


# --- Lines --------------------------------------------------------------------------------


@dataclass
class _Line:
    """One line of the export, with shortcodes taken out (``removed``, in order)."""

    indent: int
    text: str  # whitespace runs collapsed; "" for a blank line
    removed: list[Removed] = field(default_factory=list)
    ghost: bool = False  # held only shortcodes: neither content nor a blank line


def _lines(text: str) -> list[_Line]:
    """Split into lines (any line ending), strip shortcodes, note each line's indentation."""
    raw_lines = text.lstrip("\ufeff").splitlines()
    out: list[_Line] = []
    i = 0
    while i < len(raw_lines):
        raw = raw_lines[i].expandtabs(TAB_WIDTH).rstrip()
        indent = len(raw) - len(raw.lstrip())
        if "[" not in raw:
            out.append(_Line(indent, " ".join(raw.split())))
            i += 1
            continue
        last = _shortcode_block_end(raw_lines, i)
        joined = "\n".join(raw_lines[i : last + 1]).expandtabs(TAB_WIDTH)
        cleaned, removed = boilerplate.strip_shortcodes(joined)
        pieces = [" ".join(p.split()) for p in cleaned.split("\n")] if cleaned else [""]
        if removed and not any(pieces):
            out.append(_Line(indent, "", removed, ghost=True))
        else:
            out.append(_Line(indent, pieces[0], removed))
            out.extend(_Line(indent, piece) for piece in pieces[1:])
        i = last + 1
    return out


def _shortcode_block_end(raw_lines: list[str], i: int) -> int:
    """The last line of a block shortcode opened on line ``i`` («[caption]» … «[/caption]»)."""
    m = _SHORTCODE_OPEN_RE.search(raw_lines[i])
    if m is None:
        return i
    closing = f"[/{m.group('name').lower()}]"
    if closing in raw_lines[i][m.end() :].lower():
        return i
    for j in range(i + 1, min(len(raw_lines), i + MAX_SHORTCODE_LINES)):
        if closing in raw_lines[j].lower():
            return j
    return i


# --- The page -----------------------------------------------------------------------------


@dataclass
class _State:
    """What the passes share: the page being built and the removed items by position."""

    page: Page
    lines: list[_Line]
    now: datetime | None
    removed: list[tuple[int, int, Removed]] = field(default_factory=list)

    def remove(self, i: int, kind: str) -> None:
        self.removed.append((i, 1, Removed(text=self.lines[i].text, kind=str(kind))))


def parse_text(text: str, *, url: str | None = None, fetched_at: datetime | None = None) -> Page:
    """Read a plain-text export of a news page (see the module docstring for the layout).

    The Page's id, site and language are left for ``parse.finish``; comment ids are "" and
    reply parents are ``"#N"`` (the parent's 1-based index).
    """
    page = Page(id="", url=url, fetched_at=fetched_at.isoformat() if fetched_at else None)
    state = _State(page, _lines(text), fetched_at)
    for i, line in enumerate(state.lines):
        # records hold plain strings (names.py), not the enumeration members
        state.removed.extend((i, 0, Removed(r.text, str(r.kind))) for r in line.removed)
    i = _read_title(state)
    i = _read_article(state, i)
    _read_comments(state, i)
    state.removed.sort(key=lambda item: (item[0], item[1]))
    page.removed = [r for _, _, r in state.removed]
    return page


def _read_title(state: _State) -> int:
    """Set the title from the first content line; return the index after it."""
    lines = state.lines
    for i, line in enumerate(lines):
        if not line.text:
            continue
        kind = _furniture_kind(line.text)
        if kind is not None:
            state.remove(i, kind)
            continue
        if _read_dateline(state, i):
            continue
        state.page.title = line.text
        return i + 1
    return len(lines)


def _read_dateline(state: _State, i: int) -> bool:
    """A line that is only a date, or a byline; fills published_at/author and removes it."""
    text = state.lines[i].text
    if len(text) > META_MAX_CHARS:
        return False
    page = state.page
    if is_date_line(text):
        found = find_date(text, now=state.now)
        if page.published_at is None and found is not None:
            page.published_at = found.iso
        state.remove(i, RemovedKind.OTHER)
        return True
    byline = _name_and_date(text, state.now, need_label=True) or _labelled_author(text)
    if byline is None:
        return False
    author, posted = byline
    page.author = page.author or author
    page.published_at = page.published_at or posted
    state.remove(i, RemovedKind.OTHER)
    return True


def _read_article(state: _State, start: int) -> int:
    """Paragraphs up to the comment section; return the index where the section starts."""
    lines = state.lines
    blocks: list[list[str]] = []
    block: list[str] = []
    saw_blank = False
    blank_after_block = False
    after_comment_disclaimer = False
    i = start
    while i < len(lines):
        line = lines[i]
        text = line.text
        if line.ghost:
            i += 1
            continue
        if not text:
            if block:
                blocks.append(block)
                block = []
                blank_after_block = True
            i += 1
            continue
        count = _comment_count(text)
        if count is not None and not blocks and not block:
            # a count printed under the headline («4 تعليقات»), not the comment section
            _declare(state, i, count)
            i += 1
            continue
        if count is not None or _is_comment_header(text):
            break
        if after_comment_disclaimer and _is_first_numbered(text, line.indent):
            break
        kind = _furniture_kind(text)
        if kind is not None:
            if block:
                blocks.append(block)
                block = []
            after_comment_disclaimer = kind == RemovedKind.DISCLAIMER
            i = _remove_furniture(state, i, kind)
            continue
        if _read_dateline(state, i):
            i += 1
            continue
        after_comment_disclaimer = False
        # blank lines count as paragraph breaks only when they separate paragraphs (not when
        # they merely set off the headline or the comments)
        saw_blank = saw_blank or (blank_after_block and not block)
        blank_after_block = False
        block.append(text)
        i += 1
    if block:
        blocks.append(block)
    if saw_blank:
        paragraphs = [p for b in blocks for p in _block_paragraphs(b)]
    else:
        paragraphs = [text for b in blocks for text in b]
    state.page.paragraphs = [Paragraph(text=p) for p in paragraphs]
    return i


def _block_paragraphs(block: list[str]) -> list[str]:
    """One block's paragraphs: hard-wrapped lines joined, finished lines kept apart."""
    out: list[str] = []
    current: list[str] = []
    for text in block:
        current.append(text)
        if len(text) > HARD_WRAP_MAX_CHARS or text.endswith(SENTENCE_END):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def _remove_furniture(state: _State, i: int, kind: str) -> int:
    """Remove furniture line ``i``; «اقرأ أيضاً» takes its link lines along. Next index."""
    state.remove(i, kind)
    if kind != RemovedKind.RELATED:
        return i + 1
    lines = state.lines
    links = 0 if boilerplate.heads_related_block(lines[i].text) else 1
    j = i + 1
    while j < len(lines):
        line = lines[j]
        if line.ghost:
            j += 1
            continue
        if not line.text:
            if links:
                break
            j += 1
            continue
        if not _is_link_like(line.text):
            break
        state.remove(j, RemovedKind.RELATED)
        links += 1
        j += 1
    return j


def _is_link_like(text: str) -> bool:
    """A related-article headline: short, not prose, not another piece of furniture."""
    if not boilerplate.looks_like_headline(text):
        return False
    if _is_comment_header(text) or is_date_line(text):
        return False
    kind = _furniture_kind(text)
    return kind is None or kind == RemovedKind.RELATED


def _declare(state: _State, i: int, count: int) -> None:
    if state.page.comments_declared is None:
        state.page.comments_declared = count
    state.remove(i, RemovedKind.COMMENT_COUNT)


def _is_first_numbered(text: str, indent: int) -> bool:
    m = NUMBERED_RE.match(" " * indent + text)
    return bool(m and m.group("num") == "1" and m.group("sep") and m.group("text"))


# --- The comment section ------------------------------------------------------------------


@dataclass
class _Event:
    """A line of the comment section as the grouping sees it."""

    kind: str  # "text", "blank" or "break" (a header or furniture between comments)
    index: int = -1
    indent: int = 0
    text: str = ""


@dataclass
class _Group:
    """The lines of one comment before its header lines are peeled off."""

    indent: int
    lines: list[str] = field(default_factory=list)
    path: str | None = None  # «1.2» in a numbered layout
    has_text: bool = False
    has_meta: bool = False
    meta_below: bool = False  # the author/date lines close the comment instead of opening it


@dataclass
class _Meta:
    author: str | None = None
    posted: str | None = None
    dated: bool = False
    reply_to: str | None = None
    rest: str | None = None  # text after the marker on the same line («رد على أحمد: نعم»)


def _read_comments(state: _State, start: int) -> None:
    events = _section_events(state, start)
    texts = [e for e in events if e.kind == "text"]
    if not texts:
        return
    first = NUMBERED_RE.match(" " * texts[0].indent + texts[0].text)
    if first and (first.group("sep") or "." in first.group("num")):
        groups = _numbered_groups(events)
    else:
        groups = _unnumbered_groups(events, state.now)
    _build_comments(state, groups)


def _section_events(state: _State, start: int) -> list[_Event]:
    """Headers and furniture recorded and turned into breaks; the footer removed."""
    lines = state.lines
    events: list[_Event] = []
    footer = seen_text = False
    i = start
    while i < len(lines):
        line = lines[i]
        text = line.text
        if line.ghost:
            i += 1
            continue
        if not text:
            events.append(_Event("blank", i))
            i += 1
            continue
        count = _comment_count(text)
        if count is not None:
            _declare(state, i, count)
            events.append(_Event("break", i))
            i += 1
            continue
        if _is_comment_header(text):
            state.remove(i, RemovedKind.OTHER)
            events.append(_Event("break", i))
            i += 1
            continue
        kind = _furniture_kind(text)
        if kind is not None:
            # a copyright or navigation line after the comments ends the page; before
            # them (a tag line under the header) it is only furniture
            footer = footer or (kind in FOOTER_KINDS and seen_text)
            events.append(_Event("break", i))
            i = _remove_furniture(state, i, kind)
            continue
        if footer:
            state.remove(i, RemovedKind.OTHER)
        else:
            events.append(_Event("text", i, line.indent, text))
            seen_text = True
        i += 1
    return events


def _numbered_groups(events: list[_Event]) -> list[_Group]:
    """«  1. …» starts a comment; every other line continues the current one."""
    groups: list[_Group] = []
    current: _Group | None = None
    base_indent: int | None = None
    last_top = 0
    for event in events:
        if event.kind == "break":
            current = None
            continue
        if event.kind != "text":
            continue
        m = NUMBERED_RE.match(" " * event.indent + event.text)
        marker = None
        if m and (m.group("sep") or "." in m.group("num")):
            num = m.group("num")
            if base_indent is None:
                base_indent = event.indent
            nested = "." in num or event.indent > base_indent + 1
            if nested or current is None or _next_number(int(num), last_top):
                marker = m
                if not nested:
                    last_top = int(num)
        if marker is not None:
            current = _Group(indent=event.indent, path=marker.group("num"))
            groups.append(current)
            if marker.group("text"):
                current.lines.append(marker.group("text"))
            continue
        if current is None:
            current = _Group(indent=event.indent)
            groups.append(current)
        current.lines.append(event.text)
    return groups


def _next_number(number: int, last: int) -> bool:
    """Whether «N.» at the list's indentation starts the next comment, not a line of text.

    Numbers rise, with gaps where comments were moderated away; «1.» restarts a list.
    """
    return number == 1 or last < number <= last + MAX_NUMBER_GAP


def _unnumbered_groups(events: list[_Event], now: datetime | None) -> list[_Group]:
    """Blocks between blank lines, or author/date headers, delimit comments.

    Without blank lines and without header lines, each line is a comment. A block with
    only header lines waits for its text in the next block; in a section whose comments
    have header lines, a block without one continues the comment before it.
    """
    text_at = [k for k, e in enumerate(events) if e.kind == "text"]
    starts_meta = _meta_starts(events, now)
    section_has_meta = any(starts_meta.values())
    blocks = _blocks(events)
    if _meta_below_text(blocks, starts_meta):
        return [
            _Group(indent=b[0].indent, lines=[e.text for e in b], has_text=True,
                   has_meta=True, meta_below=True)
            for b in blocks
        ]
    inner = events[text_at[0] : text_at[-1] + 1]
    has_blank = any(e.kind == "blank" for e in inner)
    groups: list[_Group] = []
    current: _Group | None = None
    for event in events:
        if event.kind == "break":
            current = None
            continue
        if event.kind == "blank":
            if current is not None and current.has_text:
                current = None
            continue
        flag = starts_meta.get(event.index)
        is_meta = flag is not None
        new_group = current is None or (
            current.has_text and (is_meta or not (has_blank or section_has_meta))
        )
        if new_group:
            current = _Group(indent=event.indent)
            groups.append(current)
        assert current is not None
        current.lines.append(event.text)
        if is_meta and not current.has_text:
            current.has_meta = True
            current.has_text = flag == "header+text"
        else:
            current.has_text = True
    return _merge_continuations(groups) if section_has_meta else groups


def _blocks(events: list[_Event]) -> list[list[_Event]]:
    """The text lines between blank lines and breaks."""
    blocks: list[list[_Event]] = []
    current: list[_Event] = []
    for event in events:
        if event.kind == "text":
            current.append(event)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _meta_below_text(blocks: list[list[_Event]], starts_meta: dict[int, str]) -> bool:
    """True for the layout that signs each comment at its end («نص» / «أبو محمد - 5 آذار»):
    every block with an author/date line opens with text (a reply marker may carry it) and
    closes with such a line."""
    signed = [b for b in blocks if any(e.index in starts_meta for e in b)]
    return bool(signed) and all(
        starts_meta.get(b[0].index) != "header" and b[-1].index in starts_meta for b in signed
    )


def _meta_starts(events: list[_Event], now: datetime | None) -> dict[int, str]:
    """Which text lines are comment header lines (author, date, reply marker).

    "header" for a line that is only that; "header+text" for one that carries the
    comment's first words too («رد على أحمد: موافق»).
    """
    flags: dict[int, str] = {}
    texts = [e for e in events if e.kind == "text"]
    for k, event in enumerate(texts):
        meta = _read_meta(event.text, now)
        if meta is not None:
            flags[event.index] = "header+text" if meta.rest else "header"
        elif (
            k + 1 < len(texts)
            and texts[k + 1].index == event.index + 1
            and _plausible_name(event.text)
            and is_date_line(texts[k + 1].text)
        ):
            flags[event.index] = "header"  # a bare name over a date line
    return flags


def _merge_continuations(groups: list[_Group]) -> list[_Group]:
    """Join a header-less block to the comment before it (a comment's second paragraph)."""
    merged: list[_Group] = []
    for group in groups:
        previous = merged[-1] if merged else None
        if previous is not None and not group.has_meta and group.indent <= previous.indent:
            previous.lines.extend(group.lines)
            continue
        merged.append(group)
    return merged


@dataclass
class _Threads:
    """What reply resolution needs to know about the comments so far, kept so that each
    lookup is constant time (a page may have thousands of comments)."""

    base_indent: int
    by_author: dict[str, int] = field(default_factory=dict)  # folded name → latest index
    by_path: dict[str, int] = field(default_factory=dict)  # «1.2» → index
    open_indents: list[tuple[int, int]] = field(default_factory=list)  # (indent, index)

    def parent(self, meta: _Meta, group: _Group) -> int | None:
        """The 1-based index of the comment this one replies to, where the layout shows
        it: a «رد على أحمد» marker, a number path «1.2», or a deeper indentation."""
        # the stack keeps, innermost last, the comments a deeper one could reply to
        while self.open_indents and self.open_indents[-1][0] >= group.indent:
            self.open_indents.pop()
        if meta.reply_to:
            found = self.by_author.get(fold(meta.reply_to))
            if found is not None:
                return found
        if group.path and "." in group.path:
            return self.by_path.get(group.path.rsplit(".", 1)[0])
        if group.indent > self.base_indent and self.open_indents:
            return self.open_indents[-1][1]
        return None

    def add(self, index: int, author: str | None, group: _Group) -> None:
        if author:
            self.by_author[fold(author)] = index
        if group.path:
            self.by_path[group.path] = index
        self.open_indents.append((group.indent, index))


def _build_comments(state: _State, groups: list[_Group]) -> None:
    """Peel each group's header lines and resolve replies to ``"#N"`` parents."""
    comments: list[Comment] = []
    threads = _Threads(base_indent=groups[0].indent if groups else 0)
    for group in groups:
        if group.meta_below:
            meta, text_lines = _peel_below(group.lines, state.now)
        else:
            meta, text_lines = _peel(group.lines, state.now)
        if not text_lines:
            continue
        index = len(comments) + 1
        parent = threads.parent(meta, group)
        comments.append(
            Comment(
                id="",
                index=index,
                text="\n".join(text_lines),
                author=meta.author,
                posted_at=meta.posted,
                parent=f"#{parent}" if parent else None,
            )
        )
        threads.add(index, meta.author, group)
    state.page.comments = comments


def _peel(lines: list[str], now: datetime | None) -> tuple[_Meta, list[str]]:
    """Take a comment's header lines (author, date, reply marker) off its text."""
    meta = _Meta()
    i = 0
    while i < len(lines) and i < META_MAX_LINES:
        found = _read_meta(lines[i], now)
        if found is not None:
            meta.author = meta.author or found.author
            if found.dated and not meta.dated:
                meta.posted, meta.dated = found.posted, True
            meta.reply_to = meta.reply_to or found.reply_to
            if found.rest:
                return meta, [found.rest, *lines[i + 1 :]]
            i += 1
            continue
        if (
            meta.author is None
            and i + 1 < len(lines)
            and _plausible_name(lines[i])
            and is_date_line(lines[i + 1])
        ):
            meta.author = lines[i]
            i += 1
            continue
        break
    if i >= len(lines):
        # nothing left: the "header" was the comment («رد على كلامك» is a whole reply)
        return _Meta(), lines
    return meta, lines[i:]


def _peel_below(lines: list[str], now: datetime | None) -> tuple[_Meta, list[str]]:
    """Take the author/date lines off the end of a comment signed at its foot; a reply
    marker still opens it."""
    meta = _Meta()
    end = len(lines)
    while end > 1 and len(lines) - end < META_MAX_LINES:
        line = lines[end - 1]
        found = _read_meta(line, now)
        if found is not None and found.reply_to is None:
            meta.author = meta.author or found.author
            if found.dated and not meta.dated:
                meta.posted, meta.dated = found.posted, True
            end -= 1
            continue
        # a bare name over the closing date line
        bare_name = meta.dated and meta.author is None and end == len(lines) - 1
        if bare_name and _plausible_name(line):
            meta.author = line
            end -= 1
            continue
        break
    text_lines = lines[:end]
    opening = _read_meta(text_lines[0], now)
    if opening is not None and opening.reply_to:
        meta.reply_to = opening.reply_to
        if opening.rest:
            text_lines = [opening.rest, *text_lines[1:]]
        elif len(text_lines) > 1:
            text_lines = text_lines[1:]
    return meta, text_lines


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _read_meta(text: str, now: datetime | None) -> _Meta | None:
    """A comment header line: a reply marker, a date, an author with or without a date.

    Cached (grouping and peeling both ask): callers must not change the returned _Meta.
    """
    reply = _folded_match(REPLY_RE, text[:META_MAX_CHARS])
    if reply is not None:
        m, norm = reply
        name = _original(norm, m, "name").strip()
        rest = text[norm.span_to_original(m.end(), m.end())[0] :].strip()
        if _plausible_name(name):
            return _Meta(reply_to=name, rest=rest or None)
    if len(text) > META_MAX_CHARS:
        return None
    if is_date_line(text):
        found = find_date(text, now=now)
        return _Meta(posted=found.iso if found else None, dated=True)
    named = _name_and_date(text, now, need_label=False)
    if named is not None:
        return _Meta(author=named[0], posted=named[1], dated=True)
    author = _labelled_author(text)
    if author is not None:
        return _Meta(author=author[0])
    says = _folded_match(SAYS_RE, text)
    if says is not None:
        name = _original(says[1], says[0], "name").strip()
        if _plausible_name(name):
            return _Meta(author=name)
    return None


def _labelled_author(text: str) -> tuple[str, str | None] | None:
    """«كتب: أحمد», «بقلم أحمد», «by Ahmad»: the name (and no date)."""
    if len(text) > META_MAX_CHARS:
        return None
    found = _folded_match(LABELLED_AUTHOR_RE, text)
    if found is None:
        return None
    name = _original(found[1], found[0], "name").strip(META_SEPARATORS)
    return (name, None) if _plausible_name(name) else None


def _name_and_date(
    text: str, now: datetime | None, *, need_label: bool
) -> tuple[str, str | None] | None:
    """«أبو محمد | 5 آذار 2024», «كتب: أحمد - منذ ساعة»: the name and the date's value.

    The name must be labelled («كتب:») or set off from the date by a separator, or every
    short dated remark («الكهربا مقطوعة منذ يومين») would be an author. With ``need_label``
    (an article byline) only a label will do.
    """
    found = find_date(text, now=now)
    if found is None:
        return None
    before = text[: found.start].strip(META_SEPARATORS)
    after = text[found.end :].strip(META_SEPARATORS)
    before, after = _drop_filler(before), _drop_filler(after)
    if before and after:
        return None
    name = before or after
    if not name:
        return None
    outside = (text[: found.start] + " " + text[found.end :]).replace(name, " ", 1)
    separated = any(c in NAME_DATE_SEPARATORS for c in outside)
    labelled = _labelled_author(name)
    if labelled is not None:
        name = labelled[0]
    elif need_label or not separated:
        return None
    return (name, found.iso) if _plausible_name(name) else None


def _drop_filler(text: str) -> str:
    """Strip date labels («تاريخ النشر:», «Posted on») from the ends of a name part."""
    words = text.split()
    while words and fold(words[-1].strip(META_SEPARATORS)) in _FILLER:
        words.pop()
    while words and fold(words[0].strip(META_SEPARATORS)) in _FILLER:
        words.pop(0)
    return " ".join(words).strip(META_SEPARATORS)


def _plausible_name(text: str) -> bool:
    """Short, no sentence punctuation, not only digits: what a comment author looks like."""
    if not text or len(text) > AUTHOR_MAX_CHARS or len(text.split()) > AUTHOR_MAX_WORDS:
        return False
    if NAME_FORBIDDEN.search(text) or text.replace(" ", "").isdigit():
        return False
    return _furniture_kind(text) is None and not _is_comment_header(text)


def _folded_match(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str], Normalized] | None:
    norm = normalize(text, lower=True, collapse_space=True)
    m = pattern.search(norm.text)
    return (m, norm) if m else None


def _original(norm: Normalized, m: re.Match[str], group: str) -> str:
    """The original text under a group of a match on folded text."""
    start, end = norm.span_to_original(m.start(group), m.end(group))
    return norm.original[start:end]
