"""Moderation speed on one core: verdicts per second in batch, and single-comment latency.

Batch: full verdicts (scores, labels, decision, target, evidence and reasons for flagged
comments) for the aj_comments dev texts, in batches of ``--batch``. Latency: one
``moderate(text)`` call at a time, for comments of up to 200, 500 and 1,000 characters
(longer ones are dev comments joined until they reach the length). The process is pinned
to one CPU where the OS allows it; the model is loaded before timing.

    .venv/bin/python -m benchmarks.moderation_speed [--batch 1000] [--latency 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
from rich.console import Console
from rich.table import Table

from benchmarks.common import SHARED, machine
from marsad.moderate import load_model, load_policy, moderate, moderate_batch

BARS = {"batch_per_s": 1500, "p99_ms": 10.0}
LENGTHS = (200, 500, 1000)


def pin_one_core() -> str:
    try:
        cpu = sorted(os.sched_getaffinity(0))[0]
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity here)"


def dev_texts() -> list[str]:
    path = SHARED / "data" / "moderation" / "aj_comments.jsonl"
    if not path.exists():
        raise SystemExit(f"{path} is absent: this benchmark needs ../shared beside the repo")
    with path.open(encoding="utf-8") as f:
        return [r["text"] for r in map(json.loads, f) if r["split"] == "dev"]


def of_length(texts: list[str], limit: int, n: int) -> list[str]:
    out: list[str] = []
    i = 0
    while len(out) < n:
        parts: list[str] = []
        while len(" ".join(parts)) < limit * 0.8:
            parts.append(texts[i % len(texts)])
            i += 1
        out.append(" ".join(parts)[:limit])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--latency", type=int, default=2000, help="comments timed per length")
    args = ap.parse_args()
    pinned = pin_one_core()
    texts = dev_texts()
    load_model()
    load_policy()
    moderate_batch(texts[:50])  # warm caches
    started = time.perf_counter()
    verdicts = []
    for i in range(0, len(texts), args.batch):
        verdicts.extend(moderate_batch(texts[i:i + args.batch]))
    seconds = time.perf_counter() - started
    per_s = len(texts) / seconds
    flagged = sum(v.decision != "publish" for v in verdicts) / len(verdicts)

    table = Table(title=f"moderation speed — {machine()}; {pinned}")
    for col in ("measure", "comments", "result", "bar"):
        table.add_column(col)
    table.add_row("batch verdicts/s (aj_comments dev)", str(len(texts)), f"{per_s:,.0f}",
                  f"≥ {BARS['batch_per_s']:,}")
    for limit in LENGTHS:
        sample = of_length(texts, limit, args.latency) if limit > 200 else [
            texts[i % len(texts)] for i in range(args.latency)]
        times = []
        for text in sample:
            t = time.perf_counter()
            moderate(text)
            times.append(time.perf_counter() - t)
        ms = np.array(times) * 1000
        table.add_row(f"latency ≤ {limit} chars, p50 / p99 ms", str(len(sample)),
                      f"{np.percentile(ms, 50):.2f} / {np.percentile(ms, 99):.2f}",
                      f"p99 ≤ {BARS['p99_ms']:.0f}")
    Console().print(table)
    print(f"{flagged:.0%} of the dev comments were flagged (evidence computed for those)")


if __name__ == "__main__":
    main()
