"""The bundled demo pages: present, decodable, well-formed, and consistent with their manifest.

The manifest (src/marsad/demo/manifest.json) says what each page holds. The first
tests check the pages against it with nothing but lxml and the standard library, so a wrong
manifest entry is caught before any parser is blamed; the last ones check that marsad's
reader and parser agree with it.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from marsad.demo import PAGES_DIR, load_manifest, page_paths
from marsad.parse import parse_document
from marsad.read import Document, read_bytes

MANIFEST = load_manifest()
PAGES = page_paths()
HTML_PAGES = [p for p in PAGES if p.suffix == ".html"]
TEXT_PAGES = [p for p in PAGES if p.suffix == ".txt"]

FORMATS = {
    "text-export",
    "wordpress-ol-commentlist",
    "wordpress-comment-list",
    "drupal",
    "schema-org",
    "disqus-static",
    "custom-arabic-cms",
}


# Per markup: XPath to every comment node, to the reply nodes among them, and to the article
# paragraphs. These describe how *our demo pages* are written (independently of
# marsad.parse.selectors), so the manifest can be checked without the parsers.
def _c(tag: str, name: str) -> str:
    """XPath step: ``tag`` elements whose class list contains ``name``."""
    return f"{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


MARKUP_XPATHS: dict[str, dict[str, str]] = {
    "wordpress-ol-commentlist": {
        "comments": f"//{_c('ol', 'commentlist')}//{_c('li', 'comment')}",
        "replies": f"//{_c('ul', 'children')}/{_c('li', 'comment')}",
        "paragraphs": f"//{_c('div', 'entry-content')}/p[not(@class)]",
        "text": f".//{_c('div', 'comment-body')}",
    },
    "wordpress-comment-list": {
        "comments": f"//{_c('ol', 'comment-list')}//{_c('li', 'comment')}",
        "replies": f"//{_c('ol', 'children')}/{_c('li', 'comment')}",
        "paragraphs": f"//{_c('div', 'entry-content')}/p[not(@class)]",
        "text": f".//{_c('div', 'comment-content')}",
    },
    "drupal": {
        "comments": f"//{_c('article', 'comment')}",
        "replies": f"//{_c('div', 'indented')}/{_c('article', 'comment')}",
        "paragraphs": f"//{_c('div', 'field--name-body')}/p",
        "text": f".//{_c('div', 'field--name-comment-body')}",
    },
    "schema-org": {
        "comments": "//*[@itemprop='comment'][contains(@itemtype, 'schema.org/Comment')]",
        "replies": "//*[@itemprop='comment']//*[@itemprop='comment']",
        "paragraphs": "//*[@itemprop='articleBody']/p",
        "text": ".//*[@itemprop='text']",
    },
    "disqus-static": {
        "comments": f"//ul[@id='post-list']//{_c('li', 'post')}",
        "replies": f"//{_c('ul', 'children')}/{_c('li', 'post')}",
        "paragraphs": f"//{_c('div', 'story-body')}/p",
        "text": f".//{_c('div', 'post-message')}",
    },
    "custom-arabic-cms": {
        "comments": f"//{_c('div', 'comment-row')} | //td[@class='comment']",
        "replies": f"//{_c('div', 'comment-row')}//{_c('div', 'comment-row')}",
        "paragraphs": "//div[@id='newsText']/p | //div[@class='ntext']/p",
        "text": ".//div[@class='cm-text' or @class='comm_text']",
    },
}

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_-]{1,40})""", re.I)
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_NUMBERED = re.compile(r"^  (\d{1,4})\. \S")
_XSS = "<script>alert(1)</script>"
# Elements that never have an end tag.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


def _entry(path: Path) -> dict[str, Any]:
    return MANIFEST[path.name]


def _codec(name: str) -> str:
    return codecs.lookup(name).name


def _read(path: Path) -> Document:
    return read_bytes(path.read_bytes(), str(path), url=_entry(path)["url"])


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def _strict_decode(path: Path) -> str:
    """Decode with the charset the page declares (UTF-8 when none), refusing any bad byte."""
    data = path.read_bytes()
    return data.decode(_declared_charset(data) or "utf-8", errors="strict")


def _tree(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(_strict_decode(path))


def _xpaths(path: Path) -> dict[str, str]:
    return MARKUP_XPATHS[_entry(path)["format"]]


def _article_text(path: Path) -> str:
    """The article paragraphs as the page writes them, without any marsad code."""
    if path.suffix == ".html":
        nodes = _tree(path).xpath(_xpaths(path)["paragraphs"])
        return "\n".join(n.text_content().strip() for n in nodes)
    lines = _strict_decode(path).split("\n\n")
    body = []
    for block in lines[1:]:
        if block.startswith("التعليقات المنشورة"):
            break
        block = re.sub(r"\[ads\d\]", "", block).strip()
        if block:
            body.append(block)
    return "\n".join(body)


def _shingles(text: str, k: int = 4) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text)
    return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}


def _jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


class _TagBalance(HTMLParser):
    """Records every end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, tuple[int, int]]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.open.append((tag, self.getpos()))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if not self.open or self.open[-1][0] != tag:
            inner = self.open[-1] if self.open else ("nothing", (0, 0))
            self.errors.append(
                f"</{tag}> at line {self.getpos()[0]} closes <{inner[0]}> "
                f"opened at line {inner[1][0]}"
            )
            return
        self.open.pop()


# --- the collection and its manifest --------------------------------------------------------


def test_at_least_24_pages_all_in_the_manifest() -> None:
    assert len(PAGES) >= 24
    assert {p.name for p in PAGES} == set(MANIFEST), "manifest.json and the page files differ"
    assert {p.name for p in PAGES_DIR.iterdir()} == {p.name for p in PAGES}


def test_manifest_describes_the_promised_mix() -> None:
    formats = Counter(m["format"] for m in MANIFEST.values())
    assert set(formats) == FORMATS
    assert formats["text-export"] >= 6
    assert sum(n for f, n in formats.items() if f != "text-export") >= 14
    assert all(formats[f] >= 2 for f in FORMATS)

    counts = [m["comments"] for m in MANIFEST.values()]
    assert sum(counts) >= 100
    assert max(counts) <= 10
    assert sum(1 for n in counts if n == 0) >= 2, "two pages without comments"
    assert any(
        m["declared"] is not None and m["declared"] > m["comments"] for m in MANIFEST.values()
    ), "a page that declares more comments than it shows"
    assert sum(m["replies"] for m in MANIFEST.values()) >= 5, "threaded replies"
    assert [m["encoding"] for m in MANIFEST.values()].count("windows-1256") == 1

    years = {m["published"][:4] for m in MANIFEST.values() if m["published"]}
    assert years == {"2024", "2025"}


def test_syndicated_pages_come_in_three_symmetric_pairs() -> None:
    pairs = {
        frozenset((name, m["syndicated_with"]))
        for name, m in MANIFEST.items()
        if m["syndicated_with"]
    }
    assert len(pairs) == 3
    for pair in pairs:
        a, b = sorted(pair)
        assert MANIFEST[a]["syndicated_with"] == b and MANIFEST[b]["syndicated_with"] == a
        assert MANIFEST[a]["site"] != MANIFEST[b]["site"], "republished on another site"
        assert MANIFEST[a]["title"] != MANIFEST[b]["title"], "with a new title"
        assert abs(MANIFEST[a]["paragraphs"] - MANIFEST[b]["paragraphs"]) == 1


def test_syndicated_pairs_are_near_duplicates_and_others_are_not() -> None:
    shingles = {p.name: _shingles(_article_text(p)) for p in PAGES}
    for name, m in MANIFEST.items():
        other = m["syndicated_with"]
        for candidate in MANIFEST:
            if candidate == name:
                continue
            similarity = _jaccard(shingles[name], shingles[candidate])
            if candidate == other:
                assert 0.5 < similarity < 1.0, (name, candidate, similarity)
            else:
                assert similarity < 0.1, (name, candidate, similarity)


# --- every page, without marsad's parsers ---------------------------------------------------


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_page_decodes_in_its_declared_encoding(path: Path) -> None:
    text = _strict_decode(path)
    entry = _entry(path)
    assert entry["title"] in text
    assert len(_ARABIC_LETTER.findall(text)) > 500
    if path.suffix == ".html":
        assert _codec(_declared_charset(path.read_bytes()) or "") == _codec(entry["encoding"])


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_marsad_reader_decodes_page(path: Path) -> None:
    doc = _read(path)
    assert doc.ok, doc.error
    assert doc.kind == ("html" if path.suffix == ".html" else "text")
    assert _codec(doc.encoding or "") == _codec(_entry(path)["encoding"])
    assert _entry(path)["title"] in (doc.content or "")


def test_windows_1256_page_is_really_windows_1256() -> None:
    (name,) = [n for n, m in MANIFEST.items() if m["encoding"] == "windows-1256"]
    data = (PAGES_DIR / name).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert _codec(_declared_charset(data) or "") == "cp1256"
    text = data.decode("cp1256")
    assert MANIFEST[name]["title"] in text
    assert "عمّان" in text  # shadda survives the round trip
    doc = _read(PAGES_DIR / name)
    assert doc.ok and MANIFEST[name]["title"] in (doc.content or "")


@pytest.mark.parametrize("path", HTML_PAGES, ids=lambda p: p.name)
def test_html_page_is_well_formed(path: Path) -> None:
    checker = _TagBalance()
    checker.feed(_strict_decode(path))
    checker.close()
    assert checker.errors == []
    assert [tag for tag, _ in checker.open] == [], "elements left open"


@pytest.mark.parametrize("path", HTML_PAGES, ids=lambda p: p.name)
def test_html_page_matches_manifest(path: Path) -> None:
    entry = _entry(path)
    tree = _tree(path)
    xp = _xpaths(path)
    assert tree.xpath("string(//meta[@property='og:title']/@content)") == entry["title"]
    assert tree.xpath("normalize-space(//h1)") == entry["title"]
    assert entry["published"] in tree.xpath("//time/@datetime")
    assert len(tree.xpath(xp["paragraphs"])) == entry["paragraphs"]
    comments = tree.xpath(xp["comments"])
    assert len(comments) == entry["comments"]
    assert len(tree.xpath(xp["replies"])) == entry["replies"]
    for comment in comments:
        texts = comment.xpath(xp["text"])
        assert texts and texts[0].text_content().strip(), "every comment has text"


@pytest.mark.parametrize("path", TEXT_PAGES, ids=lambda p: p.name)
def test_text_export_follows_the_seed_layout(path: Path) -> None:
    entry = _entry(path)
    lines = _strict_decode(path).split("\n")
    assert lines[0] == entry["title"] and lines[1] == ""
    assert any("[ads1]" in line for line in lines) and any("[ads3]" in line for line in lines)
    assert sum(1 for line in lines if line.startswith("التعليقات المنشورة لا تعبر عن رأي")) == 1
    numbers = [int(m.group(1)) for line in lines if (m := _NUMBERED.match(line))]
    assert numbers == list(range(1, entry["comments"] + 1))
    paragraphs = [b for b in _article_text(path).split("\n") if b]
    assert len(paragraphs) == entry["paragraphs"]
    from marsad.parse.boilerplate import comment_count  # here: marsad.parse may be mid-edit

    disclaimer_at = next(i for i, line in enumerate(lines) if line.startswith("التعليقات المنشورة"))
    after = [line for line in lines[disclaimer_at + 1 :] if line.strip()]
    if entry["declared"] is None:
        assert after == []
    else:
        assert comment_count(after[0]) == entry["declared"]


def test_one_comment_carries_a_script_tag_as_text() -> None:
    carriers = []
    for path in HTML_PAGES:
        tree = _tree(path)
        for script in tree.xpath("//script"):
            assert "alert(" not in (script.text or ""), f"{path.name}: a real script element"
        for comment in tree.xpath(_xpaths(path)["comments"]):
            if _XSS in comment.text_content():
                carriers.append(path.name)
        if _XSS in path.read_text(encoding="utf-8", errors="replace"):
            pytest.fail(f"{path.name}: the script tag is not HTML-escaped in the source")
    assert len(carriers) == 1


# --- marsad's reader and parser agree with the manifest -------------------------------------


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_parse_document_reads_page_as_the_manifest_says(path: Path) -> None:
    entry = _entry(path)
    page = parse_document(_read(path))
    assert not page.problems, page.problems
    assert page.title == entry["title"]
    assert len(page.paragraphs) >= 2
    assert len(page.comments) == entry["comments"]
    assert sum(1 for c in page.comments if c.parent) == entry["replies"]
    if entry["declared"] is not None:
        assert page.comments_declared == entry["declared"]
    for comment in page.comments:
        assert comment.text.strip()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_parse_document_keeps_exactly_the_article_paragraphs(path: Path) -> None:
    page = parse_document(_read(path))
    found = [p.text[:40] for p in page.paragraphs]
    assert len(page.paragraphs) == _entry(path)["paragraphs"], found
    assert _article_text(path).replace("\n", " ") == " ".join(p.text for p in page.paragraphs)


def test_parsed_script_comment_keeps_the_tag_as_text() -> None:
    found = []
    for path in HTML_PAGES:
        page = parse_document(_read(path))
        found += [c.text for c in page.comments if _XSS in c.text]
    assert len(found) == 1
