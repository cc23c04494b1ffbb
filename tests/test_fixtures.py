"""The fixture pages (tests/fixtures/pages): each page read and parsed, then compared with its gold.

Two kinds of test live here. The structure tests check the fixtures themselves — every gold
file has the documented keys and types, its parents point backwards, and every string it
names really occurs in its page (so an exclude can fail, and a comment text is the page's own
text) — and need nothing from marsad but its names. The reading tests run each page through
``marsad.read.read_bytes`` and ``marsad.parse.parse_document`` and compare the Page with the
gold, one aspect per test so that a failure says which part of the reading is wrong.

Comparison rules (the same as the boundary benchmark's, see tests/fixtures/README.md): texts
are compared after collapsing every whitespace run to one space; comment i of the page is
compared with gold comment i; a gold parent N means "the comment at position N", so the
page's parent must be the id of its own comment N.
"""

from __future__ import annotations

import codecs
import functools
import json
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from marsad.names import RemovedKind
from marsad.record import Page

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
GOLD_SUFFIX = ".gold.json"
PAGE_SUFFIXES = (".html", ".txt")
GOLD_PATHS = sorted(PAGES.glob(f"*{GOLD_SUFFIX}"))
NAMES = [p.name[: -len(GOLD_SUFFIX)] for p in GOLD_PATHS]

MARKUPS = frozenset(
    {
        "wordpress-ol-commentlist",
        "wordpress-comment-list",
        "drupal",
        "article-comment",
        "schema-org",
        "disqus-static",
        "text-export",
        "custom-arabic-cms",
        "none",
    }
)
REQUIRED_KEYS: dict[str, type | tuple[type, ...]] = {
    "description": str,
    "markup": str,
    "title": str,
    "paragraphs_include": list,
    "paragraphs_exclude": list,
    "removed_include": list,
    "comments_declared": (int, type(None)),
    "comments": list,
}
OPTIONAL_KEYS: dict[str, type | tuple[type, ...]] = {"url": str}
COMMENT_KEYS = {"text", "author", "parent"}
COMMENT_OPTIONAL_KEYS = {"posted_at"}
MIN_FIXTURES = 24
MIN_PER_MARKUP = 2
# The first bytes of a page are searched for its declared charset (as a browser does).
CHARSET_RE = re.compile(rb"""charset\s{0,3}=\s{0,3}["']?([A-Za-z0-9_-]{1,40})""")
CHARSET_SNIFF_BYTES = 2048


def collapse(text: str) -> str:
    return " ".join(text.split())


def load_gold(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAGES / f"{name}{GOLD_SUFFIX}").read_text("utf-8"))
    return data


def page_path(name: str) -> Path:
    found = [PAGES / f"{name}{s}" for s in PAGE_SUFFIXES if (PAGES / f"{name}{s}").exists()]
    assert len(found) == 1, f"fixture {name}: expected one page file {PAGE_SUFFIXES}, got {found}"
    return found[0]


# --------------------------------------------------------------------------------------------
# Structure of the fixtures themselves (independent of the parsers)


class _TextOf(HTMLParser):
    """The visible text of an HTML page, roughly: data outside script and style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("p", "div", "li", "br", "h1", "h2", "h3", "h4", "article", "section"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def decode_fixture(data: bytes) -> str:
    """Decode a fixture the way its bytes declare: a BOM first, then the meta charset."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    m = CHARSET_RE.search(data[:CHARSET_SNIFF_BYTES])
    return data.decode(m.group(1).decode("ascii") if m else "utf-8")


@functools.cache
def fixture_text(name: str) -> str:
    """The page's text with whitespace collapsed (tags stripped for HTML)."""
    path = page_path(name)
    text = decode_fixture(path.read_bytes())
    if path.suffix == ".html":
        parser = _TextOf()
        parser.feed(text)
        text = "".join(parser.parts)
    return collapse(text)


def test_fixture_set_covers_the_brief() -> None:
    assert len(NAMES) >= MIN_FIXTURES, f"only {len(NAMES)} fixtures in {PAGES}"
    markups = [load_gold(n)["markup"] for n in NAMES]
    for markup in sorted(MARKUPS):
        assert markups.count(markup) >= MIN_PER_MARKUP, f"markup {markup}: fewer than two"
    raw = {n: page_path(n).read_bytes() for n in NAMES}
    assert any(b.startswith(codecs.BOM_UTF8) for b in raw.values()), "no page with a BOM"
    declared = {
        m.group(1).decode("ascii").lower()
        for b in raw.values()
        if not b.startswith(codecs.BOM_UTF8) and (m := CHARSET_RE.search(b[:CHARSET_SNIFF_BYTES]))
    }
    assert {"windows-1256", "iso-8859-6"} <= declared, declared


def test_every_gold_file_has_a_page_and_every_page_a_gold_file() -> None:
    pages = {p.stem for p in PAGES.iterdir() if p.suffix in PAGE_SUFFIXES}
    assert pages == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_gold_structure(name: str) -> None:
    gold = load_gold(name)
    missing = set(REQUIRED_KEYS) - set(gold)
    unknown = set(gold) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS)
    assert not missing and not unknown, f"{name}: missing {missing}, unknown {unknown}"
    for key, types in {**REQUIRED_KEYS, **OPTIONAL_KEYS}.items():
        if key in gold:
            assert isinstance(gold[key], types), f"{name}: {key} has type {type(gold[key])}"
    assert gold["markup"] in MARKUPS, gold["markup"]
    assert gold["title"].strip()
    assert 2 <= len(gold["paragraphs_include"]) <= 3
    assert 2 <= len(gold["paragraphs_exclude"]) <= 3
    for s in gold["paragraphs_include"] + gold["paragraphs_exclude"]:
        assert isinstance(s, str) and s.strip(), f"{name}: empty paragraph string"
    kinds = {k.value for k in RemovedKind}
    for item in gold["removed_include"]:
        assert set(item) == {"text", "kind"}, item
        assert isinstance(item["text"], str) and item["text"].strip()
        assert item["kind"] in kinds, item
    declared = gold["comments_declared"]
    assert declared is None or (not isinstance(declared, bool) and declared >= 0)
    if declared is not None:
        assert declared >= len(gold["comments"]), f"{name}: more comments than declared"
    for i, c in enumerate(gold["comments"], 1):
        assert COMMENT_KEYS <= set(c) <= COMMENT_KEYS | COMMENT_OPTIONAL_KEYS, (i, set(c))
        assert isinstance(c["text"], str) and c["text"].strip(), f"{name}: comment {i} empty"
        for line in c["text"].split("\n"):
            assert line == collapse(line), f"{name}: comment {i} has uncollapsed spaces"
        assert c["author"] is None or (isinstance(c["author"], str) and c["author"].strip())
        parent = c["parent"]
        if parent is not None:
            assert isinstance(parent, int) and not isinstance(parent, bool)
            assert 1 <= parent < i, f"{name}: comment {i} has parent {parent}, not an earlier one"
        if "posted_at" in c:
            _parse_iso(c["posted_at"])  # raises on a malformed value


@pytest.mark.parametrize("name", NAMES)
def test_gold_strings_occur_in_the_page(name: str) -> None:
    """Every gold string is the page's own text: includes, excludes, removed, comments."""
    gold = load_gold(name)
    text = fixture_text(name)
    strings = [gold["title"], *gold["paragraphs_include"], *gold["paragraphs_exclude"]]
    strings += [item["text"] for item in gold["removed_include"]]
    for c in gold["comments"]:
        strings += c["text"].split("\n")
        if c["author"]:
            strings.append(c["author"])
    for s in strings:
        assert collapse(s) in text, f"{name}: gold string not in the page: {s!r}"


# --------------------------------------------------------------------------------------------
# Reading each page with marsad


@functools.cache
def parsed(name: str) -> Page:
    # Imported here so that the structure tests above run while the readers are being built.
    from marsad.parse import parse_document
    from marsad.read import read_bytes

    path = page_path(name)
    doc = read_bytes(path.read_bytes(), source=str(path), url=load_gold(name).get("url"))
    return parse_document(doc)


@pytest.mark.parametrize("name", NAMES)
def test_title(name: str) -> None:
    page = parsed(name)
    assert collapse(page.title or "") == collapse(load_gold(name)["title"])


@pytest.mark.parametrize("name", NAMES)
def test_paragraphs(name: str) -> None:
    gold = load_gold(name)
    page = parsed(name)
    paragraphs = [collapse(p.text) for p in page.paragraphs]
    for want in gold["paragraphs_include"]:
        assert any(collapse(want) in p for p in paragraphs), f"missing from paragraphs: {want!r}"
    article = collapse(page.article_text)
    for unwanted in gold["paragraphs_exclude"]:
        assert collapse(unwanted) not in article, f"furniture left in paragraphs: {unwanted!r}"


@pytest.mark.parametrize("name", NAMES)
def test_removed(name: str) -> None:
    gold = load_gold(name)
    page = parsed(name)
    got = {(r.kind, collapse(r.text)) for r in page.removed}
    for item in gold["removed_include"]:
        assert (item["kind"], collapse(item["text"])) in got, (
            f"not recorded as removed {item['kind']}: {item['text']!r}; removed: {sorted(got)}"
        )


@pytest.mark.parametrize("name", NAMES)
def test_comments_declared(name: str) -> None:
    assert parsed(name).comments_declared == load_gold(name)["comments_declared"]


def _texts(name: str) -> tuple[list[str], list[str]]:
    gold = [collapse(c["text"]) for c in load_gold(name)["comments"]]
    return gold, [collapse(c.text) for c in parsed(name).comments]


@pytest.mark.parametrize("name", NAMES)
def test_comment_texts(name: str) -> None:
    want, got = _texts(name)
    assert len(got) == len(want), f"{len(got)} comments, gold has {len(want)}: {got}"
    for i, (w, g) in enumerate(zip(want, got, strict=True), 1):
        assert g == w, f"comment {i}"


@pytest.mark.parametrize("name", NAMES)
def test_comment_authors(name: str) -> None:
    want, got = _texts(name)
    assert got == want, "comment texts differ (see test_comment_texts)"
    for i, (g, c) in enumerate(
        zip(load_gold(name)["comments"], parsed(name).comments, strict=True), 1
    ):
        author = collapse(c.author) if c.author else None
        assert author == g["author"], f"comment {i}: author {author!r}, gold {g['author']!r}"


@pytest.mark.parametrize("name", NAMES)
def test_comment_parents(name: str) -> None:
    want, got = _texts(name)
    assert got == want, "comment texts differ (see test_comment_texts)"
    comments = parsed(name).comments
    for i, (g, c) in enumerate(zip(load_gold(name)["comments"], comments, strict=True), 1):
        expected = None if g["parent"] is None else comments[g["parent"] - 1].id
        assert c.parent == expected, f"comment {i}: parent {c.parent!r}, expected {expected!r}"


def _parse_iso(value: str) -> date | datetime:
    return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)


def _same_time(got: str | None, want: str) -> bool:
    """A gold date matches any time that day; a gold date-time matches the same wall-clock
    time, and the same instant too when both carry a timezone."""
    if got is None:
        return False
    if len(want) == 10:
        return got[:10] == want
    try:
        g, w = datetime.fromisoformat(got), datetime.fromisoformat(want)
    except ValueError:
        return False
    if g.tzinfo is not None and w.tzinfo is not None:
        return g == w
    return g.replace(tzinfo=None) == w.replace(tzinfo=None)


DATED = [n for n in NAMES if any("posted_at" in c for c in load_gold(n)["comments"])]


@pytest.mark.parametrize("name", DATED)
def test_comment_dates(name: str) -> None:
    """Where the page gives a comment's date (not a relative «منذ 3 ساعات»), it is read."""
    want, got = _texts(name)
    assert got == want, "comment texts differ (see test_comment_texts)"
    for i, (g, c) in enumerate(
        zip(load_gold(name)["comments"], parsed(name).comments, strict=True), 1
    ):
        if "posted_at" in g:
            assert _same_time(c.posted_at, g["posted_at"]), (
                f"comment {i}: posted_at {c.posted_at!r}, gold {g['posted_at']!r}"
            )
