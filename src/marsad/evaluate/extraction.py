"""How well pages are read: article text, boilerplate, comments and titles against gold.

Two measures:

``evaluate_extraction(folder)`` — snippet-level, on a folder in the layout of
``../shared/data/extraction/comment_pages``: ``html/<file>.gz`` (or plain files) and
``annotations.json`` mapping each URL to ``file``, optional ``title``, and snippet lists
``with`` (must be in the article text), ``without`` (boilerplate that must not be) and
``comments`` (must be in the comments). Figures are shares over all snippets of a kind:

- ``body_with``: ``with`` snippets found in the article text (paragraphs joined by "\\n");
- ``body_without``: ``without`` snippets *not* found in the article text;
- ``comments_found``: ``comments`` snippets found in the comments — each comment's author
  line and text, joined (an author's name is part of the comment record, and a few gold
  snippets are names);
- ``title_exact``: pages whose title equals the gold title, over pages that have one.

``snippets`` gives the counts behind each share: ``hits`` (for ``without``, the snippets
kept out of the body) over ``total``.

Every comparison is made after collapsing whitespace runs to one space. With
``extractor="trafilatura"`` the same figures are measured for trafilatura alone
(``include_comments=True``: body = its main text, comments = its one comments block), as
the reference in the same run.

``evaluate_fixtures(folder)`` — comment boundaries on our Arabic fixtures
(``tests/fixtures/pages``, format in ``tests/fixtures/README.md``): a predicted comment
matches a gold comment when their texts are equal after collapsing whitespace; precision,
recall and F1 over those one-to-one matches; parent accuracy over matched comments (a
predicted parent is right when it is the comment matched to the gold parent, or both are
none); and the share of exact titles.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from marsad.parse.html import parse_html
from marsad.read import read_bytes
from marsad.read.document import Document
from marsad.record import Page

EXTRACTORS = ("marsad", "trafilatura")
_WS = re.compile(r"\s+")


def collapse(text: str | None) -> str:
    """Whitespace runs to one space, stripped: the comparison form of every text here."""
    return _WS.sub(" ", text or "").strip()


# --- Reading pages ---------------------------------------------------------------------------


def read_page_file(path: Path, url: str | None = None) -> Document:
    """A page file (gzip or plain) as a decoded Document, through ``marsad.read``."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return read_bytes(data, str(path), url=url)


# --- Snippet evaluation (comment_pages) -----------------------------------------------------


def evaluate_extraction(
    folder: Path, *, extractor: str = "marsad",
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> dict[str, Any]:
    """Snippet-level figures for one extractor on an annotated folder (module docstring).

    ``progress`` wraps the page iteration (e.g. ``tqdm``). Raises ValueError for an unknown
    extractor and FileNotFoundError when the folder has no ``annotations.json``.
    """
    if extractor not in EXTRACTORS:
        raise ValueError(f"unknown extractor {extractor!r}; use one of {', '.join(EXTRACTORS)}")
    folder = Path(folder)
    annotations_path = folder / "annotations.json"
    if not annotations_path.exists():
        raise FileNotFoundError(
            f"{annotations_path} not found: an extraction folder holds annotations.json and "
            "html/<file>(.gz)"
        )
    annotations: dict[str, dict[str, Any]] = json.loads(annotations_path.read_text("utf-8"))
    hits = {"with": 0, "without": 0, "comments": 0, "title": 0}
    totals = {"with": 0, "without": 0, "comments": 0, "title": 0}
    missing: list[str] = []
    pages = 0
    items: Iterable[tuple[str, dict[str, Any]]] = list(annotations.items())
    if progress is not None:
        items = progress(items)
    for url, gold in items:
        path = _page_path(folder, gold["file"])
        if path is None:
            missing.append(gold["file"])
            continue
        pages += 1
        body, comments, title = _read_with(extractor, path, url)
        for snippet in gold.get("with", []):
            totals["with"] += 1
            hits["with"] += collapse(snippet) in body
        for snippet in gold.get("without", []):
            totals["without"] += 1
            hits["without"] += collapse(snippet) not in body
        for snippet in gold.get("comments", []):
            totals["comments"] += 1
            hits["comments"] += collapse(snippet) in comments
        if gold.get("title"):
            totals["title"] += 1
            hits["title"] += collapse(gold["title"]) == collapse(title)
    return {
        "extractor": extractor,
        "pages": pages,
        "body_with": _share(hits["with"], totals["with"]),
        "body_without": _share(hits["without"], totals["without"]),
        "comments_found": _share(hits["comments"], totals["comments"]),
        "title_exact": _share(hits["title"], totals["title"]),
        "snippets": {k: {"hits": hits[k], "total": totals[k]} for k in hits},
        "missing_files": missing,
    }


def _page_path(folder: Path, name: str) -> Path | None:
    for candidate in (folder / "html" / f"{name}.gz", folder / "html" / name, folder / name):
        if candidate.exists():
            return candidate
    return None


def _share(hit: int, total: int) -> float:
    return hit / total if total else 0.0


def _read_with(extractor: str, path: Path, url: str) -> tuple[str, str, str]:
    """(article text, comments text, title), each collapsed, by one extractor."""
    doc = read_page_file(path, url)
    if not doc.ok:
        return "", "", ""
    content = doc.content or ""
    if extractor == "trafilatura":
        return _trafilatura_alone(content, url)
    page = parse_html(content, url=url)
    return collapse(page.article_text), collapse(comments_text(page)), collapse(page.title)


def comments_text(page: Page) -> str:
    """Each comment's author line and text, joined: what comment snippets are looked for in."""
    parts: list[str] = []
    for comment in page.comments:
        if comment.author:
            parts.append(comment.author)
        parts.append(comment.text)
    return "\n".join(parts)


def _trafilatura_alone(content: str, url: str) -> tuple[str, str, str]:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            content, url=url, include_comments=True, output_format="python", with_metadata=True
        )
    except Exception:  # the reference is measured as it is, failures included
        return "", "", ""
    if doc is None or isinstance(doc, dict):
        return "", "", ""
    return collapse(doc.text), collapse(doc.comments), collapse(doc.title)


# --- Comment boundaries on the Arabic fixtures ---------------------------------------------


def evaluate_fixtures(folder: Path) -> dict[str, Any]:
    """Comment-boundary precision/recall/F1, parent accuracy and title share on fixtures."""
    folder = Path(folder)
    golds = sorted(folder.glob("*.gold.json"))
    if not golds:
        raise FileNotFoundError(f"no *.gold.json fixtures in {folder}")
    matched = predicted_total = gold_total = 0
    parents_right = 0
    titles = titles_right = 0
    per_page: list[dict[str, Any]] = []
    for gold_path in golds:
        gold = json.loads(gold_path.read_text("utf-8"))
        name = gold_path.name.removesuffix(".gold.json")
        page = read_fixture(folder, name, gold.get("url"))
        score = score_comments(gold.get("comments", []), page)
        matched += score["matched"]
        predicted_total += score["predicted"]
        gold_total += score["gold"]
        parents_right += score["parents_right"]
        if gold.get("title"):
            titles += 1
            titles_right += collapse(gold["title"]) == collapse(page.title)
        per_page.append({"name": name, "markup": gold.get("markup"), **score})
    precision = _share(matched, predicted_total)
    recall = _share(matched, gold_total)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pages": len(golds),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "parent_accuracy": _share(parents_right, matched),
        "title_exact": _share(titles_right, titles),
        "comments_gold": gold_total,
        "comments_predicted": predicted_total,
        "comments_matched": matched,
        "per_page": per_page,
    }


def read_fixture(folder: Path, name: str, url: str | None) -> Page:
    """Parse one fixture page the way the pipeline would (read, then parse)."""
    for suffix in (".html", ".htm", ".txt"):
        path = folder / f"{name}{suffix}"
        if path.exists():
            break
    else:
        raise FileNotFoundError(f"fixture {name}: no {name}.html or {name}.txt in {folder}")
    from marsad.parse import parse_document

    return parse_document(read_page_file(path, url))


def score_comments(gold_comments: list[dict[str, Any]], page: Page) -> dict[str, int]:
    """One-to-one matches by collapsed text (document order), and parents right among them."""
    gold_texts = [collapse(c.get("text")) for c in gold_comments]
    predicted = page.comments
    unused: dict[str, list[int]] = {}
    for i, comment in enumerate(predicted):
        unused.setdefault(collapse(comment.text), []).append(i)
    match_of_gold: dict[int, int] = {}
    for g, text in enumerate(gold_texts):
        candidates = unused.get(text)
        if candidates:
            match_of_gold[g] = candidates.pop(0)
    predicted_parent = _predicted_parents(page)
    parents_right = 0
    for g, p in match_of_gold.items():
        gold_parent = gold_comments[g].get("parent")
        if gold_parent is None:
            parents_right += predicted_parent[p] is None
        else:
            expected = match_of_gold.get(int(gold_parent) - 1)
            parents_right += expected is not None and predicted_parent[p] == expected
    return {
        "gold": len(gold_texts),
        "predicted": len(predicted),
        "matched": len(match_of_gold),
        "parents_right": parents_right,
    }


def _predicted_parents(page: Page) -> list[int | None]:
    """For each predicted comment, the position of its parent (None when it has none).

    Parents are comment ids after ``parse.finish``, or the parser's own form before it (the
    site's id, or "#N" for the comment with index N).
    """
    by_id = {c.id: i for i, c in enumerate(page.comments) if c.id}
    by_index = {c.index: i for i, c in enumerate(page.comments)}
    out: list[int | None] = []
    for c in page.comments:
        parent = c.parent
        if not parent:
            out.append(None)
        elif parent.startswith("#") and parent[1:].isdigit():
            out.append(by_index.get(int(parent[1:])))
        else:
            out.append(by_id.get(parent))
    return out


# --- Output ----------------------------------------------------------------------------------


def format_table(result: dict[str, Any]) -> str:
    """A plain-text table of one ``evaluate_extraction`` or ``evaluate_fixtures`` result."""
    rows: list[tuple[str, str]] = []
    if "extractor" in result:
        rows.append(("extractor", str(result["extractor"])))
    rows.append(("pages", str(result.get("pages", 0))))
    keys = ("body_with", "body_without", "comments_found", "title_exact", "precision", "recall",
            "f1", "parent_accuracy")
    snippets = result.get("snippets", {})
    names = {"body_with": "with", "body_without": "without", "comments_found": "comments",
             "title_exact": "title"}
    for key in keys:
        if key not in result:
            continue
        value = f"{result[key]:.3f}"
        counts = snippets.get(names.get(key, ""))
        if counts:
            value += f"  ({counts['hits']}/{counts['total']})"
        rows.append((key, value))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)
