"""Store ingest rate and search latency, on a generated corpus.

Pages are generated directly as records (parsing excluded): a title, four paragraphs and
``COMMENTS_PER_PAGE`` comments each, from a Zipf-distributed vocabulary of invented
Arabic-letter words (our own; no dataset text) written with clitics and suffixes (و، ال،
ب، لل … ات، ه، ها) so that the stemmer works as it does on news. Ingest time is the time of
``upsert_pages`` (rows, stemming, SQL, FTS5) in batches of ``BATCH`` pages; generating the
records is not counted.

Then 200 fixed queries (seeded) in five frequency bands, from rare names to the commonest
words, 40 per band: 20 without filters, 20 with one (site, a date range, comments only, a
decision), and a quarter of each band two words (the band's word and a medium one). Each
query runs once to warm the cache, then its time is measured over a second pass.

    .venv/bin/python -m benchmarks.store_search [--comments 1000000] [--pg URL]

``--pg`` (or MARSAD_TEST_POSTGRES) measures PostgreSQL too, in a schema of its own that is
dropped afterwards (``--pg-comments`` for a smaller PostgreSQL corpus, ``--no-sqlite`` for
PostgreSQL alone).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from benchmarks.common import machine
from marsad.record import Comment, DialectGuess, Page, Paragraph, Verdict
from marsad.store.base import Store, open_store
from marsad.store.filters import Filters
from marsad.store.rows import rows_for
from marsad.store.search import search

COMMENTS_PER_PAGE = 10
BATCH = 500
VOCABULARY = 60_000
ZIPF_S = 1.05
LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
PREFIXES = [("", 60), ("ال", 22), ("و", 7), ("وال", 4), ("ب", 3), ("لل", 2), ("بال", 2)]
SUFFIXES = [("", 82), ("ات", 6), ("ه", 6), ("ها", 3), ("ين", 3)]
SITES = [f"site{n}.test" for n in range(20)]
DECISIONS = [("publish", 80), ("review", 15), ("reject", 5)]
DIALECTS = ["msa", "levantine", "gulf", "egyptian", "maghrebi", "iraqi"]
# Bands by vocabulary rank: (name, first rank, last rank).
BANDS = [
    ("rare names", 30_000, VOCABULARY - 1),
    ("uncommon", 3_000, 10_000),
    ("medium", 300, 1_000),
    ("common", 20, 100),
    ("very common", 0, 8),
]
QUERIES_PER_BAND = 40


def _weighted(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [p for p, _ in pairs], [w for _, w in pairs]


class Corpus:
    """A seeded generator of pages; the same seed makes the same corpus."""

    def __init__(self, seed: int = 7) -> None:
        rng = random.Random(seed)
        seen: set[str] = set()
        self.words: list[str] = []
        while len(self.words) < VOCABULARY:
            word = "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 6)))
            if word not in seen:
                seen.add(word)
                self.words.append(word)
        weights = [1 / (rank + 1) ** ZIPF_S for rank in range(VOCABULARY)]
        total = 0.0
        self.cumulative = []
        for w in weights:
            total += w
            self.cumulative.append(total)
        self.prefixes = _weighted(PREFIXES)
        self.suffixes = _weighted(SUFFIXES)
        self.rng = rng

    def text(self, n: int) -> str:
        rng = self.rng
        ranks = rng.choices(range(VOCABULARY), cum_weights=self.cumulative, k=n)
        pre = rng.choices(self.prefixes[0], self.prefixes[1], k=n)
        suf = rng.choices(self.suffixes[0], self.suffixes[1], k=n)
        return " ".join(p + self.words[r] + s for r, p, s in zip(ranks, pre, suf, strict=True))

    def pages(self, count: int, start: int = 0) -> Iterator[Page]:
        rng = self.rng
        decisions = _weighted(DECISIONS)
        for n in range(start, start + count):
            day = rng.randrange(730)
            published = f"{2023 + day // 365}-{1 + day % 365 // 31:02d}-{1 + day % 28:02d}T12:00:00"
            comments = [
                Comment(id=f"p{n}:c{i}", index=i + 1, text=self.text(rng.randint(6, 18)),
                        dialect=DialectGuess(rng.choice(DIALECTS), 0.8),
                        verdict=Verdict(decision=rng.choices(*decisions)[0]))
                for i in range(COMMENTS_PER_PAGE)
            ]
            yield Page(
                id=f"p{n}", url=f"https://{SITES[n % len(SITES)]}/{n}",
                site=SITES[n % len(SITES)], language="ar", published_at=published,
                title=self.text(8), paragraphs=[Paragraph(self.text(30)) for _ in range(4)],
                comments=comments,
            )


@dataclass
class Query:
    band: str
    text: str
    filters: Filters
    label: str


def make_queries(corpus: Corpus, seed: int = 11) -> list[Query]:
    rng = random.Random(seed)
    prefixes = ["", "ال", "و", "بال"]
    choices = [
        ("site", lambda: Filters(site=rng.choice(SITES))),
        ("dates", lambda: Filters(date_from="2023-03-01", date_to="2023-06-30")),
        ("comments", lambda: Filters(kind="comment")),
        ("decision", lambda: Filters(decision="reject")),
    ]
    queries = []
    for band, first, last in BANDS:
        for i in range(QUERIES_PER_BAND):
            word = rng.choice(prefixes) + corpus.words[rng.randint(first, last)]
            if i % 4 == 3:
                word += " " + corpus.words[rng.randint(300, 1_000)]
            label, make = choices[i % len(choices)] if i % 2 else ("none", Filters)
            queries.append(Query(band, word, make(), label))
    return queries


@dataclass
class Ingest:
    pages: int
    rows_cpu: float  # seconds computing rows (stemming included): `marsad run` workers do this
    writer_wall: float  # seconds executing SQL: the one writer
    writer_cpu: float

    def rate(self, seconds: float) -> float:
        return self.pages / seconds if seconds else 0.0


def ingest(store: Store, corpus: Corpus, pages: int, label: str) -> Ingest:
    """Upsert ``pages`` generated pages, in two timed halves (generation excluded): the
    rows (``rows_for``, which run workers compute in parallel) and the writer's SQL."""
    result = Ingest(pages, 0.0, 0.0, 0.0)
    with tqdm(total=pages, desc=f"ingest {label}", unit=" pages") as bar:
        for start in range(0, pages, BATCH):
            batch = list(corpus.pages(min(BATCH, pages - start), start))
            cpu = time.process_time()
            rows = [rows_for(page) for page in batch]
            result.rows_cpu += time.process_time() - cpu
            wall, cpu = time.perf_counter(), time.process_time()
            store.upsert_rows(rows)
            result.writer_wall += time.perf_counter() - wall
            result.writer_cpu += time.process_time() - cpu
            bar.update(len(batch))
    return result


def time_queries(store: Store, queries: list[Query], label: str) -> dict[str, list[float]]:
    for q in tqdm(queries, desc=f"warm {label}", unit=" queries"):
        search(store, q.text, q.filters)
    times: dict[str, list[float]] = {}
    hits: dict[str, list[int]] = {}
    for q in tqdm(queries, desc=f"search {label}", unit=" queries"):
        began, cpu = time.perf_counter(), time.process_time()
        found = search(store, q.text, q.filters)
        ms = 1000 * (time.perf_counter() - began)
        cpu_ms = 1000 * (time.process_time() - cpu)
        for key in (q.band, "all"):
            times.setdefault(key, []).append(ms)
            times.setdefault(f"_cpu {key}", []).append(cpu_ms)
        hits.setdefault(q.band, []).append(len(found))
    times.update({f"_hits {band}": [float(statistics.mean(h))] for band, h in hits.items()})
    return times


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


Measured = tuple[str, int, Ingest, dict[str, list[float]]]


def measure(location: str, comments: int, label: str) -> Measured:
    corpus = Corpus()
    pages = max(1, comments // COMMENTS_PER_PAGE)
    with open_store(location) as store:
        done = ingest(store, corpus, pages, label)
        if label == "PostgreSQL":
            store.conn.execute("ANALYZE")  # type: ignore[attr-defined]
        times = time_queries(store, make_queries(corpus), label)
    return label, comments, done, times


def report(rows: list[Measured]) -> None:
    console = Console(width=max(120, Console().width))
    ingest_table = Table(title=f"store ingest (pages of {COMMENTS_PER_PAGE} comments, 4 "
                         f"paragraphs, a title; generation excluded) — {machine()}")
    for column in ("store", "pages", "writer pages/s (wall)", "writer pages/s (CPU)",
                   "rows pages/s (CPU, per worker)", "one process pages/s (CPU)"):
        ingest_table.add_column(column, justify="left" if column == "store" else "right")
    for name, _comments, done, _times in rows:
        writer = done.writer_cpu if name == "SQLite" else None
        one = done.rows_cpu + done.writer_cpu if name == "SQLite" else None
        ingest_table.add_row(
            name, f"{done.pages:,}", f"{done.rate(done.writer_wall):,.0f}",
            f"{done.rate(writer):,.0f}" if writer else "server-side",
            f"{done.rate(done.rows_cpu):,.0f}", f"{done.rate(one):,.0f}" if one else "",
        )
    console.print(ingest_table)
    table = Table(title=f"search latency, {QUERIES_PER_BAND} queries per band, limit 20, "
                  f"snippets included — {machine()}")
    for column in ("store", "comments", "band", "queries", "p50 ms", "p95 ms", "max ms",
                   "p95 ms (client CPU)", "mean hits"):
        table.add_column(column, justify="left" if column in ("store", "band") else "right")
    for name, comments, _done, times in rows:
        first = True
        for band, _, _ in [*BANDS, ("all", 0, 0)]:
            values = times[band]
            mean_hits = times.get(f"_hits {band}", [0.0])[0] if band != "all" else None
            table.add_row(
                name if first else "", f"{comments:,}" if first else "", band,
                str(len(values)), f"{pct(values, 50):.1f}", f"{pct(values, 95):.1f}",
                f"{max(values):.1f}", f"{pct(times[f'_cpu {band}'], 95):.1f}",
                f"{mean_hits:.1f}" if mean_hits is not None else "",
            )
            first = False
    console.print(table)
    console.print("bars (issue 5): SQLite ingest ≥ 1,000 pages/s; SQLite search p95 ≤ 100 ms "
                  "over all 200 queries on 1,000,000 comments. Client CPU excludes waiting "
                  "for the machine (and, for PostgreSQL, the server's work).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--pg", default=os.environ.get("MARSAD_TEST_POSTGRES"),
                        help="a PostgreSQL URL (default $MARSAD_TEST_POSTGRES)")
    parser.add_argument("--pg-comments", type=int, help="default: --comments")
    parser.add_argument("--db", help="SQLite file to build (default: a temporary one)")
    parser.add_argument("--no-sqlite", action="store_true",
                        help="measure PostgreSQL only (with --pg)")
    args = parser.parse_args()
    rows = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            db = args.db or str(Path(tmp) / "bench.db")
            rows.append(measure(db, args.comments, "SQLite"))
    if args.pg:
        rows.append(_postgres(args.pg, args.pg_comments or args.comments))
    report(rows)


def _postgres(url: str, comments: int) -> Measured:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    try:
        return measure(f"{url}{sep}options=-csearch_path%3D{schema}", comments, "PostgreSQL")
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
