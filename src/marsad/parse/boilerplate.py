"""Recognising page furniture: shortcodes, site lines and comment-section headers.

The phrases live in ``phrases.py``; this module only compiles and applies them, for the
text parser and the HTML parser alike.
"""

from __future__ import annotations

import re

from marsad.names import RemovedKind
from marsad.parse import phrases
from marsad.record import Removed
from marsad.text.normalize import DROPPED, LETTER_FOLDS, fold


def _fold_pattern(pattern: str) -> str:
    """Fold a pattern's Arabic letters as ``fold`` folds the line it is matched against.

    Lines are folded (ى→ي, ة→ه, أ→ا…) before matching, so a phrase written in natural
    spelling («تابعونا على») would never match its folded line («تابعونا علي»). Only
    letters are touched, never the regex syntax: ``fold`` would lower-case ``\\S``.
    """
    return "".join(LETTER_FOLDS.get(c, c) for c in pattern if c not in DROPPED)


_SINGLE_NAMES = "|".join(sorted(phrases.SHORTCODE_SINGLE, key=len, reverse=True))
_BLOCK_NAMES = "|".join(sorted(phrases.SHORTCODE_BLOCKS, key=len, reverse=True))
# [name], [name3], [name-2], [name attr="…"]; attributes may not contain brackets or newlines.
_SINGLE_RE = re.compile(
    rf"\[(?P<name>{_SINGLE_NAMES})[-_]?\d{{0,3}}(?:\s[^\[\]\n]{{0,500}})?\]", re.I
)
_BLOCK_RE = re.compile(
    rf"\[(?P<name>{_BLOCK_NAMES})(?:\s[^\[\]\n]{{0,500}})?\][^\[]{{0,2000}}\[/(?P=name)\]", re.I
)
_CLOSING_RE = re.compile(rf"\[/(?:{_BLOCK_NAMES}|{_SINGLE_NAMES})\]", re.I)

_LINE_RES: tuple[tuple[RemovedKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(_fold_pattern(pattern), re.I))
    for kind, patterns in phrases.LINE_PATTERNS.items()
    for pattern in patterns
)
_COUNT_RES = tuple(
    (re.compile(_fold_pattern(p), re.I), how) for p, how in phrases.COMMENT_COUNT_PATTERNS
)
_HEADER_RES = tuple(re.compile(_fold_pattern(p), re.I) for p in phrases.COMMENT_SECTION_HEADERS)
_DATELINE_RES = tuple(re.compile(_fold_pattern(p)) for p in phrases.DATELINE_PATTERNS)

# Long lines are prose; don't spend time folding them for furniture checks.
_MAX_FURNITURE_CHARS = 400


def strip_shortcodes(text: str) -> tuple[str, list[Removed]]:
    """Remove CMS shortcodes from ``text``; return the cleaned text and what was removed."""
    if "[" not in text:
        return text, []
    removed: list[Removed] = []

    def block(m: re.Match[str]) -> str:
        kind = phrases.SHORTCODE_BLOCKS[m.group("name").lower()]
        removed.append(Removed(text=m.group(0), kind=kind.value))
        return ""

    def single(m: re.Match[str]) -> str:
        kind = phrases.SHORTCODE_SINGLE[m.group("name").lower()]
        removed.append(Removed(text=m.group(0), kind=kind.value))
        return ""

    def stray(m: re.Match[str]) -> str:  # a closing tag whose opening was lost
        removed.append(Removed(text=m.group(0), kind=RemovedKind.OTHER.value))
        return ""

    text = _BLOCK_RE.sub(block, text)
    text = _SINGLE_RE.sub(single, text)
    text = _CLOSING_RE.sub(stray, text)
    return re.sub(r"[ \t]{2,}", " ", text).strip(), removed


def classify_line(line: str) -> RemovedKind | None:
    """The furniture kind of a whole line, or None when it is content."""
    if len(line) > _MAX_FURNITURE_CHARS:
        return None
    folded = fold(line)
    if not folded or len(folded.split()) > phrases.MAX_FURNITURE_WORDS:
        return None
    for kind, pattern in _LINE_RES:
        if pattern.search(folded):
            return kind
    return None


def comment_count(line: str) -> int | None:
    """The declared number of comments when ``line`` is a count header («4 تعليقات»)."""
    if len(line) > _MAX_FURNITURE_CHARS:
        return None
    folded = fold(line)
    for pattern, how in _COUNT_RES:
        m = pattern.search(folded)
        if m:
            return int(m.group("n")) if how == "n" else int(how)
    return None


def is_comment_header(line: str) -> bool:
    """True for a comment-section header with or without a count."""
    if len(line) > _MAX_FURNITURE_CHARS:
        return False
    folded = fold(line)  # once: folding is the cost, matching is cheap
    return any(p.search(folded) for p, _ in _COUNT_RES) or any(
        p.search(folded) for p in _HEADER_RES
    )


def heads_related_block(line: str) -> bool:
    """«اقرأ أيضاً» / «الأكثر قراءة» alone on a line: the links follow on the next lines."""
    return (
        len(line.split()) <= phrases.RELATED_HEADER_MAX_WORDS
        and classify_line(line) == RemovedKind.RELATED
    )


def looks_like_headline(line: str) -> bool:
    """Short and not ending like prose: a link's text in a related block."""
    text = line.strip()
    return (
        0 < len(text.split()) <= phrases.RELATED_LINK_MAX_WORDS
        and not text.endswith(phrases.PROSE_END)
    )


def is_dateline(line: str) -> bool:
    """An agency-style dateline («- عمّان - صوت عمّان») standing alone under a headline."""
    if len(line) > _MAX_FURNITURE_CHARS:
        return False
    folded = fold(line)
    return any(p.search(folded) for p in _DATELINE_RES)
