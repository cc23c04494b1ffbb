"""Corpus scale: pages per second for the whole run, on 1 and 2 pool workers and on Ray.

The corpus is generated at run time: half plain-text pages (tests/pagegen.py, our own
text, 0–4 comments each, one file per page) and half HTML pages (the bundled demo pages,
each copy with its own URL, as one JSONL crawl export). Each configuration runs
``run_corpus`` (read, parse, enrich, moderate, sign, store, then the clustering stage over
the store, ``marsad.dedup.cluster_new_pages``) into a fresh SQLite file. Printed: pages
per second (wall clock, worker start-up included), peak resident memory of the driver and
of each worker, and where the time went by step (the sum over workers, so with two
workers it can exceed the wall time).

    .venv/bin/python -m benchmarks.pipeline_scale [--pages 20000] [--engines pool1,pool2,ray]
        [--pg postgresql://…]   (pool2 once more, into PostgreSQL)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from benchmarks.common import machine
from marsad.cli import demo_pages_dir
from marsad.read import read_bytes
from marsad.run.runner import RunSummary, run_corpus
from tests.pagegen import text_page

ENGINES = {  # name → (engine, workers)
    "pool1": ("pool", 1),
    "pool2": ("pool", 2),
    "ray": ("ray", 2),
}
RAY_OBJECT_STORE = 512 * 1024 * 1024  # a cap, so the benchmark leaves memory to the rest


def write_corpus(folder: Path, pages: int) -> None:
    """Half text files, half HTML copies in one JSONL export (each with its own URL)."""
    demo = sorted(Path(demo_pages_dir()).glob("*.html"))
    decoded = (read_bytes(path.read_bytes(), str(path)) for path in demo)  # some are cp1256
    html = [doc.content for doc in decoded if doc.ok and doc.content]
    texts = folder / "text"
    texts.mkdir(parents=True)
    n_html = pages // 2
    with open(folder / "crawl.jsonl", "w", encoding="utf-8") as f:
        for i in tqdm(range(n_html), desc="html pages", unit="page", leave=False):
            record = {"url": f"https://bench.test/html/{i}", "html": html[i % len(html)]}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    for n in tqdm(range(pages - n_html), desc="text pages", unit="page", leave=False):
        (texts / f"{n:06}.txt").write_text(text_page(n, seed=11), encoding="utf-8")


def fresh_schema(url: str, name: str) -> str:
    """A PostgreSQL URL whose tables go in a new schema of their own (dropped after)."""
    import psycopg

    schema = f"marsad_bench_{name}_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def drop_schema(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS marsad_bench_{name}_{os.getpid()} CASCADE")


def run_one(corpus: Path, name: str, work: Path, pg: str | None = None) -> dict[str, Any]:
    engine, workers = ENGINES[name]
    db = fresh_schema(pg, name) if pg else str(work / f"{name}.db")
    options: dict[str, Any] = {}
    if engine == "ray":
        options["ray_options"] = {"object_store_memory": RAY_OBJECT_STORE}
    started = time.perf_counter()
    summary: RunSummary = run_corpus([str(corpus)], db, engine=engine, workers=workers,
                                     progress=True, **options)
    run_s = time.perf_counter() - started  # the clustering stage included (run_corpus runs it)
    clustering = summary.clustering
    cluster_s = clustering.seconds if clustering is not None else 0.0
    clustered = clustering.pages if clustering is not None else 0
    if pg:
        drop_schema(pg, name)
        name = f"{name} → PostgreSQL"
    return {"name": name, "workers": workers, "summary": summary, "run_s": run_s,
            "cluster_s": cluster_s, "clustered": clustered}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--engines", default=",".join(ENGINES),
                        help=f"comma-separated, from {', '.join(ENGINES)}")
    parser.add_argument("--pg", metavar="URL", default=os.environ.get("MARSAD_TEST_POSTGRES"),
                        help="also run pool2 into this PostgreSQL (default: "
                             "$MARSAD_TEST_POSTGRES when set)")
    args = parser.parse_args()
    names = [n for n in args.engines.split(",") if n]
    work = Path(tempfile.mkdtemp(prefix="marsad-scale-"))
    try:
        write_corpus(work / "corpus", args.pages)
        results = [run_one(work / "corpus", name, work) for name in names]
        if args.pg:
            results.append(run_one(work / "corpus", "pool2", work, args.pg))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    driver_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print_tables(results, args.pages, driver_mb)


def print_tables(results: list[dict[str, Any]], pages: int, driver_mb: float) -> None:
    console = Console(width=max(120, shutil.get_terminal_size().columns))
    console.print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end")
    table = Table(title=f"marsad run at scale: {pages:,} generated pages (half HTML, half "
                        "text), SQLite store unless named")
    for column in ("configuration", "pages", "run s (all)", "cluster s",
                   "pages/s without clustering", "pages/s incl. clustering",
                   "peak MB per worker", "driver peak MB"):
        table.add_column(column, justify="left" if column == "configuration" else "right")
    for r in results:
        s: RunSummary = r["summary"]
        pipeline_s = r["run_s"] - r["cluster_s"]
        peaks = ", ".join(f"{mb:.0f}" for mb in sorted(s.workers.values()))
        table.add_row(f"{r['name']} ({s.engine}, {r['workers']} workers)", f"{s.pages:,}",
                      f"{r['run_s']:.1f}", f"{r['cluster_s']:.1f}",
                      f"{s.pages / pipeline_s:.1f}", f"{s.pages / r['run_s']:.1f}", peaks,
                      f"{driver_mb:.0f}")
    console.print(table)
    steps = Table(title="where the time went (seconds summed over workers; ms per page)")
    steps.add_column("step")
    for r in results:
        steps.add_column(r["name"], justify="right")
    names = list(dict.fromkeys(n for r in results for n in r["summary"].steps))
    for name in names:
        row = [name]
        for r in results:
            s = r["summary"]
            st = s.steps.get(name)
            secs, count = (st.seconds, st.pages) if st else (0.0, 0)
            row.append(f"{secs:.1f} s ({1000 * secs / count:.2f} ms)" if count else "-")
        steps.add_row(*row)
    console.print(steps)


if __name__ == "__main__":
    main()
