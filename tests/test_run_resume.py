"""A run killed part-way (SIGKILL, or Ctrl-C) and run again stores every row exactly once.

The killed-and-resumed store is compared, table by table and row by row (as multisets),
with a store filled by one uninterrupted in-process run of the same input: every page,
comment (with its moderation decision), removed item, problem, entity and quote is there
once and nothing is missing. Runs on SQLite and on PostgreSQL (like tests/test_store.py).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from marsad.run.runner import run_corpus
from marsad.store.base import Store, open_store
from tests.pagegen import text_page

FILES = 120  # one page each
JSONL_RECORDS = 60  # one file of many records: it spans several shards
SHARD_SIZE = 12
SHARDS = (FILES + JSONL_RECORDS) // SHARD_SIZE
REPO = Path(__file__).resolve().parents[1]
# What a run stores, by table; stored_at (the commit time) differs from run to run.
TABLES = {
    "pages": "id, url, site, source, title, comments_declared, record",
    "comments": "id, page_id, idx, author, posted_at, parent, text, dialect, decision, verdict",
    "removed": "page_id, position, kind, text",
    "problems": "page_id, position, stage, kind, message",
    "entities": 'page_id, position, text, canonical, type, location, start, "end"',
    "quotes": "page_id, position, speaker, cue, content, direct, via, anonymous",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for n in range(FILES):
        (folder / f"p{n:04}.txt").write_text(text_page(n, seed=7), encoding="utf-8")
    with open(folder / "crawl.jsonl", "w", encoding="utf-8") as f:
        for n in range(FILES, FILES + JSONL_RECORDS):
            record = {"url": f"https://news.test/{n}", "text": text_page(n, seed=7)}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder


def _contents(store: Store) -> dict[str, Counter[tuple[Any, ...]]]:
    conn = store.conn  # type: ignore[attr-defined]
    return {
        table: Counter(tuple(row) for row in conn.execute(f"SELECT {cols} FROM {table}"))
        for table, cols in TABLES.items()
    }


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Counter]:
    db = tmp_path_factory.mktemp("reference") / "ref.db"
    run_corpus([str(corpus)], str(db), engine="inprocess", progress=False)
    with open_store(str(db)) as store:
        return _contents(store)


def _differences(got: dict[str, Counter], want: dict[str, Counter]) -> dict[str, str]:
    """Per table, how the stored rows differ (a short account: pytest's own diff of
    thousands of rows would take minutes)."""
    out: dict[str, str] = {}
    for table in sorted(set(got) | set(want)):
        extra, missing = got.get(table, Counter()) - want.get(table, Counter()), \
            want.get(table, Counter()) - got.get(table, Counter())
        if extra or missing:
            out[table] = (f"{sum(extra.values())} extra, {sum(missing.values())} missing; "
                          f"e.g. {next(iter(extra or missing))!r:.300}")
    return out


def _command(corpus: Path, location: str) -> list[str]:
    return [sys.executable, "-m", "marsad.cli", "run", str(corpus), "--db", location,
            "--quiet", "--workers", "2", "--shard-size", str(SHARD_SIZE)]


def _stop_part_way(corpus: Path, location: str, sig: int, store: Store) -> tuple[int, int]:
    """Start a run, send ``sig`` to it (and its workers) once a few shards are stored;
    returns (shards finished when signalled, exit code)."""
    proc = subprocess.Popen(_command(corpus, location), cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    finished = 0
    while proc.poll() is None and time.monotonic() < deadline:
        finished = len(store.finished_shards())
        if finished >= 2:
            break
        time.sleep(0.02)
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    code = proc.wait(timeout=60)
    if sig == signal.SIGKILL:
        # No worker outlives the driver for long: they see their pipe close.
        time.sleep(0.2)
    return finished, code


def test_sigkill_part_way_then_resume_stores_every_row_once(
    corpus: Path, location: str, reference: dict[str, Counter]
) -> None:
    with open_store(location) as store:  # creates the tables, and watches the run
        finished, code = _stop_part_way(corpus, location, signal.SIGKILL, store)
        assert code == -signal.SIGKILL
        assert 2 <= finished < SHARDS, "the run was not killed part-way"
        stored_at_kill = len(store.finished_shards())
        assert stored_at_kill < SHARDS
        again = subprocess.run(_command(corpus, location), cwd=REPO, capture_output=True,
                               text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        assert "earlier run" in again.stdout  # it skipped the shards the first run finished
        assert len(store.finished_shards()) == SHARDS
        got = _contents(store)
    for table, rows in reference.items():
        assert _differences({table: got[table]}, {table: rows}) == {}, \
            f"{table}: rows missing or doubled after the resume"
        assert all(n == 1 for n in got[table].values()), table
    assert sum(reference["pages"].values()) == FILES + JSONL_RECORDS
    assert sum(reference["comments"].values()) > 0


def test_ctrl_c_stops_cleanly_and_the_run_resumes(
    corpus: Path, tmp_path: Path, reference: dict[str, Counter]
) -> None:
    location = str(tmp_path / "interrupted.db")
    with open_store(location) as store:
        finished, code = _stop_part_way(corpus, location, signal.SIGINT, store)
        assert finished < SHARDS, "the run was not interrupted part-way"
        assert code == 130
        done = subprocess.run(_command(corpus, location), cwd=REPO, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert _differences(_contents(store), reference) == {}
        assert len(store.finished_shards()) == SHARDS


def test_fresh_redoes_finished_shards(corpus: Path, tmp_path: Path) -> None:
    one = corpus / "p0000.txt"
    db = str(tmp_path / "fresh.db")
    first = run_corpus([str(one)], db, engine="inprocess", progress=False)
    again = run_corpus([str(one)], db, engine="inprocess", progress=False)
    fresh = run_corpus([str(one)], db, engine="inprocess", progress=False, fresh=True)
    assert (first.pages, again.pages, again.pages_resumed, fresh.pages) == (1, 0, 1, 1)
    assert fresh.store is not None and fresh.store.pages == 1


def test_a_shard_is_marked_only_with_all_its_pages(location: str, full_page: Any) -> None:
    from marsad.store.base import FinishedShard
    from marsad.store.rows import rows_for

    good = rows_for(full_page)
    broken = rows_for(full_page)
    broken["page"] = [(None, *broken["page"][0][1:])]  # a page without an id: rejected
    with open_store(location) as store:
        with pytest.raises(Exception):  # noqa: B017 - each database names it differently
            store.upsert_rows([good, broken], FinishedShard("k1", "a.html", 2))
        assert store.finished_shards() == set()
        assert store.counts().pages == 0  # the good page went back out with the shard
        store.upsert_rows([good], FinishedShard("k1", "a.html", 1))
        assert store.finished_shards() == {"k1"}
        assert store.forget_shards() == 1 and store.finished_shards() == set()
