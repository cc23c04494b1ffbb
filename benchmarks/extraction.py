"""Extraction quality: marsad against trafilatura alone, measured in the same run.

Two sets:

- ``../shared/data/extraction/comment_pages`` (73 mostly German, English and French pages
  with snippet annotations; a development set): the share of ``with`` snippets in the
  article, of ``without`` snippets kept out of it, of ``comments`` snippets found in the
  comments, and of exact titles — for marsad and for trafilatura alone
  (``include_comments=True``, its comments as one block);
- our Arabic fixtures (``tests/fixtures/pages``): comment-boundary precision, recall and F1
  and parent accuracy (trafilatura returns one block, so it has no boundaries to score).

    .venv/bin/python -m benchmarks.extraction [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterable
from typing import Any

import trafilatura
from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from benchmarks.common import REPO, SHARED, machine
from marsad.evaluate.extraction import (
    EXTRACTORS,
    evaluate_extraction,
    evaluate_fixtures,
    read_page_file,
)
from marsad.parse.html import parse_html

COMMENT_PAGES = SHARED / "data" / "extraction" / "comment_pages"
FIXTURES = REPO / "tests" / "fixtures" / "pages"
SNIPPET_FIGURES = ("body_with", "body_without", "comments_found", "title_exact")
BOUNDARY_FIGURES = ("precision", "recall", "f1", "parent_accuracy", "title_exact")


def _bar(name: str) -> Callable[[Iterable[Any]], Iterable[Any]]:
    def wrap(items: Iterable[Any]) -> Iterable[Any]:
        return tqdm(items, desc=name, unit="page")

    return wrap


def _warm_up() -> None:
    """Load what both extractors load once per process (htmldate's date parser builds its
    locale tables on first use, for seconds), so that neither timing pays it."""
    from htmldate.extractors import external_date_parser

    external_date_parser("Montag, 28. September 2020", "%Y-%m-%d")  # loads every locale
    annotations = json.loads((COMMENT_PAGES / "annotations.json").read_text("utf-8"))
    url, gold = next(iter(annotations.items()))
    html = COMMENT_PAGES / "html"
    for path in (html / f"{gold['file']}.gz", html / gold["file"]):
        if path.exists():
            content = read_page_file(path, url).content or ""
            parse_html(content, url=url)
            trafilatura.extract(content, url=url, include_comments=True, with_metadata=True)
            return


def run() -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine()}
    if (COMMENT_PAGES / "annotations.json").exists():
        _warm_up()
        for extractor in EXTRACTORS:
            start = time.perf_counter()
            result = evaluate_extraction(
                COMMENT_PAGES, extractor=extractor, progress=_bar(extractor)
            )
            result["seconds"] = time.perf_counter() - start
            results[extractor] = result
    else:
        results["comment_pages"] = f"{COMMENT_PAGES} is absent (needs ../shared)"
    if any(FIXTURES.glob("*.gold.json")):
        results["fixtures"] = evaluate_fixtures(FIXTURES)
    return results


def show(results: dict[str, Any]) -> None:
    console = Console(width=max(Console().width, 120))
    if "marsad" in results:
        table = Table(title=f"comment_pages ({results['marsad']['pages']} pages)")
        table.add_column("extractor")
        for name in SNIPPET_FIGURES:
            table.add_column(name, justify="right")
        table.add_column("seconds (read+parse)", justify="right")
        for extractor in EXTRACTORS:
            r = results[extractor]
            table.add_row(extractor, *(f"{r[k]:.3f}" for k in SNIPPET_FIGURES),
                          f"{r['seconds']:.1f}")
        console.print(table)
    else:
        console.print(results.get("comment_pages", ""))
    if "fixtures" in results:
        r = results["fixtures"]
        table = Table(title=(f"Arabic fixtures ({r['pages']} pages, {r['comments_gold']} gold "
                             f"comments, {r['comments_predicted']} predicted)"))
        for name in BOUNDARY_FIGURES:
            table.add_column(name, justify="right")
        table.add_row(*(f"{r[k]:.3f}" for k in BOUNDARY_FIGURES))
        console.print(table)
    console.print(f"machine: {results['machine']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    results = run()
    if args.json:
        for key in ("fixtures",):
            if key in results:
                results[key].pop("per_page", None)
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        show(results)


if __name__ == "__main__":
    main()
