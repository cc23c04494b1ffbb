"""Load on ``POST /v1/moderate``: comments per second and latency through the real server.

Starts ``marsad serve`` (uvicorn, one process) on loopback over a fresh SQLite store in a
temporary folder, adds a user and a token, then keeps ``--concurrency`` clients posting
for ``--seconds``; each request carries ``--batch`` new comments with their own site ids
(so every comment is moderated and stored, none answered from the store). Comments are
assembled from short phrases of our own writing, a few of them insults, so some comments
are flagged and take the evidence path. Latency is per request, measured by the client.

    .venv/bin/python -m benchmarks.api_load [--seconds 20] [--concurrency 16] [--batch 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
import numpy as np
from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from benchmarks.common import machine
from marsad.store import users
from marsad.store.base import open_store

OPENERS = ["والله", "يا جماعة", "بصراحة", "للأسف", "الحمد لله", "يا أخي", "شو هالحكي"]
BODIES = [
    "الأسعار صارت نار وما حدا سائل عن الناس",
    "شكرا على هذا التقرير الواضح",
    "المسؤولين وعدونا من سنة وما تغير شي",
    "الكهرباء مقطوعة من الصبح والمي كمان",
    "خبر جميل إن شاء الله يكون بداية خير",
    "يا حمار شو عم تحكي انت",
    "انت كلب وما بتفهم شي",
    "الله ياخدكم كلكم يا كذابين",
]
CLOSERS = ["", "!", "؟", " والله العظيم", " يعطيكم العافية"]
TRIES_FOR_READY = 300  # × 0.1 s


def comment_text(rng: random.Random, n: int) -> str:
    return f"{rng.choice(OPENERS)} {rng.choice(BODIES)}{rng.choice(CLOSERS)} ({n})"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "marsad.cli", "serve", "--db", db, "--port", str(port),
           "--log-level", "warning", "--workers", str(workers)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (uvicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(TRIES_FOR_READY):
        if server.poll() is not None:
            err = server.stderr.read().decode() if server.stderr else ""
            raise SystemExit(f"the server exited early:\n{err}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not answer /healthz in 30 s")


async def load(base: str, token: str, seconds: float, concurrency: int,
               batch: int) -> tuple[list[float], int, int, int]:
    """(latencies in s, comments moderated, flagged comments, failed requests)."""
    latencies: list[float] = []
    counts = {"comments": 0, "flagged": 0, "failed": 0}
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client(k: int, http: httpx.AsyncClient) -> None:
        rng = random.Random(k)
        n = 0
        while time.perf_counter() < deadline:
            comments = []
            for _ in range(batch):
                n += 1
                comments.append({"id": f"w{k}-{n}", "text": comment_text(rng, n),
                                 "author": f"reader{rng.randrange(500)}"})
            started = time.perf_counter()
            try:
                r = await http.post("/v1/moderate", json={"site": "load.test",
                                                          "comments": comments})
            except httpx.HTTPError:
                counts["failed"] += 1
                continue
            latencies.append(time.perf_counter() - started)
            if r.status_code != 200:
                counts["failed"] += 1
                continue
            results = r.json()["results"]
            counts["comments"] += len(results)
            counts["flagged"] += sum(x["state"] != "published" for x in results)

    async def ticker(bar: tqdm) -> None:
        while time.perf_counter() < deadline:
            await asyncio.sleep(1)
            bar.update(1)

    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                 timeout=60) as http:
        with tqdm(total=int(seconds), unit="s", desc="load") as bar:
            await asyncio.gather(ticker(bar), *(client(k, http) for k in range(concurrency)))
    return latencies, counts["comments"], counts["flagged"], counts["failed"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--batch", type=int, default=1, help="comments per request")
    ap.add_argument("--workers", type=int, default=1, help="server processes")
    ap.add_argument("--warmup", type=float, default=3, help="seconds of load not counted")
    args = ap.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "load.db")
        with open_store(db) as store:
            users.add_user(store, "bench", "moderator", os.urandom(12).hex())
            token = users.issue_token(store, "bench", timedelta(hours=2)).token
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(db, port, args.workers)
        try:
            wait_ready(base, server)
            if args.warmup:
                asyncio.run(load(base, token, args.warmup, args.concurrency, args.batch))
            started, cpu_started = time.perf_counter(), cpu_seconds(server.pid)
            latencies, comments, flagged, failed = asyncio.run(
                load(base, token, args.seconds, args.concurrency, args.batch))
            elapsed = time.perf_counter() - started
            cpu = cpu_seconds(server.pid) - cpu_started
        finally:
            server.terminate()
            server.wait(10)
    ms = np.array(latencies) * 1000
    table = Table(title=f"POST /v1/moderate under load — {machine()}")
    for col in ("measure", "result"):
        table.add_column(col)
    table.add_row("seconds × concurrency, comments per request",
                  f"{elapsed:.1f} × {args.concurrency}, {args.batch}")
    table.add_row("requests (failed)", f"{len(latencies):,} ({failed})")
    table.add_row("comments moderated and stored / s", f"{comments / elapsed:,.0f}")
    table.add_row("requests / s", f"{len(latencies) / elapsed:,.0f}")
    if comments:  # what the server spent, whatever else ran on the machine
        table.add_row("server CPU ms per comment (→ comments / s per busy core)",
                      f"{1000 * cpu / comments:.1f} (→ {comments / cpu:,.0f})" if cpu else "-")
    if len(ms):
        table.add_row("latency p50 / p99 ms",
                      f"{np.percentile(ms, 50):.1f} / {np.percentile(ms, 99):.1f}")
    table.add_row("flagged comments (review or reject)",
                  f"{flagged / comments:.0%}" if comments else "-")
    table.add_row("server", f"marsad serve: uvicorn, {args.workers} process(es), SQLite (WAL)")
    table.add_row("load average before / after (other work on the machine)",
                  f"{load_before:.1f} / {os.getloadavg()[0]:.1f}")
    Console(width=max(Console().width, 120)).print(table)


if __name__ == "__main__":
    main()
