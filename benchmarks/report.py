"""Time to build the corpus report (``marsad report``) on a generated store.

The store is filled with bulk SQL (the parse and enrich stages are not what is measured):
``--pages`` pages over 30 sites and two years, ``--comments`` comments spread over them
(Poisson-like, so some pages have none and some many), each page with quotes (a share via
wire agencies, a share anonymous), entities in its title, article and comments, the
sourcing summary in its record JSON; comment verdicts with hate targets and dialects, human
decisions on 1% of comments, problems on 2% of pages, and 15% of pages in near-duplicate
clusters of 2–5 pages. Words are invented Arabic-letter strings (our own, no dataset text).
Search units are not written: the report does not read them.

Then the report is built twice (the first run reads a cold page cache, the second a warm
one): the figures (``compute_figures``, timed per section) and the HTML around them.

    .venv/bin/python -m benchmarks.report [--pages 100000] [--comments 1000000] [--db FILE]

``--db`` keeps the generated store (and reuses it when it exists) for repeated runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from benchmarks.common import machine
from marsad.names import Dialect, HateTarget
from marsad.report import compute_figures, render_html
from marsad.store.rows import CHILD_TABLES, COMMENT_COLUMNS, PAGE_COLUMNS, insert_sql
from marsad.store.sqlite import SQLiteStore

SITES = 30
BATCH = 2_000  # pages per transaction
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
AGENCIES = ["رويترز", "فرانس برس", "الأناضول", "واس", "سانا", "أ ش أ", "واع", "قنا"]
VIA_SHARE = 0.3
ANONYMOUS_SHARE = 0.35
HATE_SHARE = 0.03
HUMAN_SHARE = 0.01
PROBLEM_SHARE = 0.02
CLUSTERED_SHARE = 0.15
DECISIONS = ["publish"] * 80 + ["review"] * 15 + ["reject"] * 5
ENTITY_TYPES = ["PER", "ORG", "LOC", "MISC"]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 7)))


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(word(rng) for _ in range(n))


def generate(db: Path, pages: int, comments: int, seed: int = 8) -> None:
    """Fill a fresh store with ``pages`` pages and about ``comments`` comments."""
    rng = random.Random(seed)
    sites = [f"موقع{n} · site{n}.test" for n in range(SITES)]
    speakers = [sentence(rng, rng.randint(1, 3)) for _ in range(2_000)]
    entities = [(sentence(rng, rng.randint(1, 2)), rng.choice(ENTITY_TYPES)) for _ in range(5_000)]
    start = datetime(2023, 1, 1)
    per_page = comments / pages
    now = datetime.now(UTC).isoformat(timespec="seconds")
    page_sql = insert_sql("pages", PAGE_COLUMNS, "?")
    comment_sql = insert_sql("comments", COMMENT_COLUMNS, "?")
    child_sql = {t: insert_sql(t, cols, "?") for t, cols in CHILD_TABLES.items()}
    with SQLiteStore(db) as store:
        conn = store.conn
        made = 0
        cluster_rows: list[tuple[Any, ...]] = []
        member_rows: list[tuple[Any, ...]] = []
        state_rows: list[tuple[Any, ...]] = []
        copies_left = 0
        for first in tqdm(range(0, pages, BATCH), desc="generating", unit="batch"):
            rows: dict[str, list[tuple[Any, ...]]] = {"pages": [], "comments": [],
                                                      **{t: [] for t in CHILD_TABLES}}
            for n in range(first, min(first + BATCH, pages)):
                pid = f"p{n:07d}"
                site = rng.choice(sites)
                published = (start + timedelta(minutes=rng.randrange(730 * 24 * 60))).isoformat()
                title = sentence(rng, 8)
                article = [sentence(rng, 40) for _ in range(4)]
                named = anonymous = 0
                agencies = set()
                for i in range(rng.randint(0, 6)):
                    anon = rng.random() < ANONYMOUS_SHARE
                    via = rng.choice(AGENCIES) if rng.random() < VIA_SHARE else None
                    if via:
                        agencies.add(via)
                    speaker = "مسؤول" if anon else rng.choice(speakers)
                    named, anonymous = named + (not anon), anonymous + anon
                    rows["quotes"].append((pid, i, speaker, "قال", sentence(rng, 10), 0, via,
                                           int(anon)))
                for i in range(rng.randint(3, 12)):
                    text, kind = rng.choice(entities)
                    where = rng.choice(["title", "article", "article", "comment 1"])
                    rows["entities"].append((pid, i, text, text, kind, where, 0, len(text)))
                # int() drops half a comment on average: aim half a comment higher.
                k = min(int(rng.expovariate(1 / (per_page + 0.5))), 500) if per_page else 0
                page_comments = []
                for i in range(k):
                    cid = f"{pid}:c{i + 1}"
                    decision = rng.choice(DECISIONS)
                    target = rng.choice(list(HateTarget)).value if rng.random() < HATE_SHARE \
                        else None
                    text = sentence(rng, rng.randint(4, 25))
                    verdict = json.dumps({"scores": {"hate": 0.5}, "hate_target": target,
                                          "decision": decision}, ensure_ascii=False)
                    rows["comments"].append((cid, pid, i + 1, word(rng), published, None, text,
                                             rng.choice(list(Dialect)).value, decision, verdict))
                    page_comments.append({"id": cid, "index": i + 1, "text": text})
                    if rng.random() < HUMAN_SHARE:
                        state_rows.append((cid, rng.choice(["approved", "rejected_by_human"]),
                                           0, "bench", now))
                if rng.random() < PROBLEM_SHARE:
                    rows["problems"].append((pid, 0, "parse", rng.choice(["odd", "no_body"]),
                                             "generated"))
                declared = k + rng.choice([0, 0, 0, 1, -1, 3]) if rng.random() < 0.7 else None
                record = {
                    "id": pid, "site": site, "published_at": published, "title": title,
                    "paragraphs": [{"text": p} for p in article], "comments": page_comments,
                    "sourcing": {"agencies": sorted(agencies), "named_speakers": named,
                                 "anonymous_speakers": anonymous, "quoted_share": 0.4},
                }
                rows["pages"].append((pid, f"https://{site}/{pid}", site, None, "ar", "utf-8",
                                      published, now, title, None,
                                      max(declared, 0) if declared is not None else None,
                                      json.dumps(record, ensure_ascii=False), now))
                # Clusters: a page founds one, and the next pages copy it until it is full.
                if copies_left:
                    member_rows.append((pid, cluster_rows[-1][0], "near", 0.9))
                    copies_left -= 1
                else:
                    size = rng.randint(2, 5) if rng.random() < CLUSTERED_SHARE / 3.5 else 1
                    cluster_rows.append((f"k{n}", pid, size, now, now))
                    member_rows.append((pid, f"k{n}", "founded", None))
                    copies_left = size - 1
            conn.execute("BEGIN")
            conn.executemany(page_sql, rows["pages"])
            conn.executemany(comment_sql, rows["comments"])
            for table, sql in child_sql.items():
                conn.executemany(sql, rows[table])
            conn.execute("COMMIT")
            made += len(rows["comments"])
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO clusters VALUES (?, ?, ?, ?, ?)", cluster_rows)
        conn.executemany("INSERT INTO cluster_members VALUES (?, ?, ?, ?)", member_rows)
        conn.executemany("INSERT INTO comment_states VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT (comment_id) DO NOTHING", state_rows)
        # A cluster's size is how many members it got (the last one may be cut short).
        conn.execute("UPDATE clusters SET size = (SELECT count(*) FROM cluster_members m "
                     "WHERE m.cluster_id = clusters.id)")
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    print(f"generated {pages:,} pages, {made:,} comments in {db}")


def build(db: Path) -> dict[str, float]:
    timings: dict[str, float] = {}
    with SQLiteStore(db) as store:
        started = time.perf_counter()
        figures = compute_figures(store, timings=timings)
        timings["figures"] = time.perf_counter() - started
        started = time.perf_counter()
        html = render_html(figures)
        timings["html"] = time.perf_counter() - started
    timings["total"] = timings["figures"] + timings["html"]
    timings["size_mb"] = len(html.encode()) / 1e6
    timings["pages"] = figures["meta"]["pages"]
    timings["comments"] = figures["meta"]["comments"]
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--db", help="SQLite file to build or reuse (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "report.db"
        if not db.exists():
            started = time.perf_counter()
            generate(db, args.pages, args.comments)
            print(f"generation took {time.perf_counter() - started:.0f} s (not measured)")
        runs = [build(db) for _ in range(2)]
        size = os.path.getsize(db) / 1e9
    table = Table(title=f"marsad report: {runs[0]['pages']:,.0f} pages, "
                        f"{runs[0]['comments']:,.0f} comments, SQLite {size:.2f} GB")
    table.add_column("part")
    table.add_column("first run (s)", justify="right")
    table.add_column("second run (s)", justify="right")
    for key in ("meta", "sourcing", "voices", "climate", "syndication", "quality", "figures",
                "html", "total"):
        table.add_row(key, f"{runs[0][key]:.2f}", f"{runs[1][key]:.2f}")
    table.add_row("HTML size (MB)", f"{runs[0]['size_mb']:.2f}", f"{runs[1]['size_mb']:.2f}")
    table.caption = machine()
    Console().print(table)


if __name__ == "__main__":
    main()
