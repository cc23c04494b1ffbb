"""Parsing speed: pages per second on one core, for text and HTML pages.

The bundled demo pages are replicated (each copy gets a distinct URL, so nothing is
cached by id) to at least 2,000 pages per format; trafilatura alone on the same HTML pages
is the reference line, measured in the same run. Reading is excluded: documents are
decoded once up front, then parsed.

    .venv/bin/python -m benchmarks.parse_speed [--pages 2000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from benchmarks.common import machine
from marsad.cli import demo_pages_dir
from marsad.parse import parse_document
from marsad.read import read_bytes
from marsad.read.document import Document


def load_demo(kind: str) -> list[Document]:
    docs = []
    for path in sorted(Path(demo_pages_dir()).iterdir()):
        if path.suffix not in (".html", ".txt"):
            continue
        doc = read_bytes(path.read_bytes(), str(path))
        if doc.ok and doc.kind == kind:
            docs.append(doc)
    return docs


def replicate(docs: list[Document], n: int) -> list[Document]:
    return [
        Document(source=f"{d.source}#copy={i}", content=d.content, kind=d.kind,
                 url=f"https://bench.test/{i}", encoding=d.encoding)
        for i, d in ((i, docs[i % len(docs)]) for i in range(n))
    ]


def time_it(label: str, docs: list[Document], fn: object) -> tuple[float, float]:
    started = time.perf_counter()
    for doc in tqdm(docs, desc=label, unit="page", leave=False):
        fn(doc)  # type: ignore[operator]
    seconds = time.perf_counter() - started
    return len(docs) / seconds, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages per format")
    args = parser.parse_args()
    text_docs, html_docs = load_demo("text"), load_demo("html")
    rows = []
    if text_docs:
        docs = replicate(text_docs, args.pages)
        rows.append(("marsad, text pages", len(docs), *time_it("text", docs, parse_document)))
    if html_docs:
        docs = replicate(html_docs, args.pages)
        rows.append(("marsad, HTML pages", len(docs), *time_it("html", docs, parse_document)))
        rows.append(("trafilatura alone, HTML pages (reference)", len(docs), *time_it(
            "trafilatura", docs,
            lambda d: trafilatura.extract(d.content, include_comments=True, with_metadata=True),
        )))
    table = Table(title="parse speed, one process on one core (reading excluded)")
    for column in ("what", "pages", "pages / s", "ms / page", "seconds"):
        table.add_column(column, justify="left" if column == "what" else "right")
    for what, n, rate, seconds in rows:
        table.add_row(what, str(n), f"{rate:.1f}", f"{1000 / rate:.2f}", f"{seconds:.1f}")
    console = Console(width=max(Console().width, 120))
    console.print(table)
    console.print(f"machine: {machine()}")
    console.print(f"demo pages: {len(text_docs)} text, {len(html_docs)} HTML, replicated")


if __name__ == "__main__":
    main()
