"""Enrich speed on one core: pages per second for the enrich step (entities, quotations and
sourcing, dialect) on long pages with ten comments.

The pages are built from the bundled demo pages (our own writing): each benchmark page
takes the paragraphs of several demo articles until it holds at least ``--words`` words,
and ten demo comments. Parsing is done before timing; the models are loaded before timing
(one warm-up page). The process is pinned to one CPU where the OS allows it.

    .venv/bin/python -m benchmarks.enrich_speed [--pages 300] [--words 600]
"""

from __future__ import annotations

import argparse
import copy
import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from benchmarks.common import machine
from benchmarks.moderation_speed import pin_one_core
from marsad.demo import page_paths
from marsad.enrich.step import EnrichStep
from marsad.record import Comment, Page, Paragraph

BAR_PAGES_PER_S = 50
COMMENTS_PER_PAGE = 10


def demo_material() -> tuple[list[list[str]], list[str]]:
    """The paragraphs of each Arabic demo article, and every demo comment text."""
    articles: list[list[str]] = []
    comments: list[str] = []
    for page in _parsed():
        if not page.is_arabic or not page.paragraphs:
            continue
        articles.append([p.text for p in page.paragraphs])
        comments.extend(c.text for c in page.comments)
    return articles, comments


def _parsed() -> list[Page]:
    """Demo pages parsed only (no enrich), so the benchmark times enrich alone."""
    from marsad.read import Reader, ReadLimits
    from marsad.run.pipeline import Pipeline

    reader = Reader(ReadLimits())
    return list(Pipeline(steps=[]).run(reader.read([str(p) for p in page_paths()])))


def build_pages(n: int, words: int) -> list[Page]:
    articles, comments = demo_material()
    pages: list[Page] = []
    for i in range(n):
        paragraphs: list[str] = []
        k = i
        while sum(len(p.split()) for p in paragraphs) < words:
            paragraphs.extend(articles[k % len(articles)])
            k += 7  # a different mix of articles for each page
        page_comments = [
            Comment(id=f"b{i}-{j}", index=j + 1,
                    text=comments[(i * COMMENTS_PER_PAGE + j) % len(comments)])
            for j in range(COMMENTS_PER_PAGE)
        ]
        pages.append(Page(id=f"bench-{i}", language="ar", title=paragraphs[0][:80],
                          paragraphs=[Paragraph(p) for p in paragraphs],
                          comments=page_comments))
    return pages


@dataclass
class Part:
    name: str
    run: Callable[[Page], object]


def parts() -> list[Part]:
    """The parts of the enrich step that exist, each timed on its own."""
    found: list[Part] = []
    from marsad.enrich.dialect import identify_comment

    found.append(Part("dialect (comments)",
                      lambda page: [identify_comment(c.text) for c in page.comments]))
    try:
        from marsad.enrich.entities import find_entities

        found.append(Part("entities", find_entities))
    except ImportError:
        pass
    try:
        from marsad.enrich.quotes import find_quotes

        found.append(Part("quotations", lambda page: find_quotes(page.article_text)))
    except ImportError:
        pass
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--words", type=int, default=600, help="least words per article")
    args = ap.parse_args()
    pinned = pin_one_core()
    pages = build_pages(args.pages, args.words)
    mean_words = sum(len(p.article_text.split()) for p in pages) / len(pages)
    step = EnrichStep()
    list(step.run([copy.deepcopy(pages[0])]))  # load the models

    rows: list[tuple[str, float]] = []
    for part in parts():
        started = time.perf_counter()
        for page in tqdm(pages, desc=part.name, unit="page", leave=False):
            part.run(page)
        rows.append((part.name, time.perf_counter() - started))

    fresh = [copy.deepcopy(p) for p in pages]
    started = time.perf_counter()
    for _ in tqdm(step.run(fresh), total=len(fresh), desc="enrich step", unit="page",
                  leave=False):
        pass
    whole = time.perf_counter() - started

    table = Table(title=f"enrich speed — {machine()}; {pinned}; {len(pages)} pages, "
                        f"{mean_words:.0f} words and {COMMENTS_PER_PAGE} comments each")
    for col in ("part", "pages/s", "ms/page", "bar"):
        table.add_column(col)
    for name, seconds in rows:
        table.add_row(name, f"{len(pages) / seconds:,.0f}", f"{1000 * seconds / len(pages):.2f}",
                      "")
    table.add_row("enrich step (all parts)", f"{len(pages) / whole:,.0f}",
                  f"{1000 * whole / len(pages):.2f}", f"≥ {BAR_PAGES_PER_S} pages/s")
    Console(width=max(120, Console().width)).print(table)


if __name__ == "__main__":
    main()
