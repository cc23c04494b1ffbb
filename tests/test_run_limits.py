"""Per-page time and memory limits: one pathological page becomes a problem, the run goes on.

The pages misbehave through a test-only step (tests/run_traps.py) handed to the run as its
pipeline factory; the limits themselves are the production ones.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from marsad.run.limits import PROBLEM_CRASH, PROBLEM_MEMORY, PROBLEM_TIMEOUT, PageLimits
from marsad.run.runner import run_corpus
from tests.pagegen import text_page
from tests.run_traps import TRAP_CRASH, TRAP_HANG, TRAP_LOOP, TRAP_MEMORY, trapped_pipeline

GOOD = 12


def _write(folder: Path, traps: list[str]) -> dict[str, str]:
    """Good pages plus one page per trap; returns file name → trap."""
    folder.mkdir()
    for n in range(GOOD):
        (folder / f"good{n:02}.txt").write_text(text_page(n, comments=1), encoding="utf-8")
    names = {}
    for i, trap in enumerate(traps):
        name = f"trap{i}.txt"
        page = text_page(100 + i, comments=1).split("\n", 1)
        (folder / name).write_text(f"{trap} {page[0]}\n{page[1]}", encoding="utf-8")
        names[name] = trap
    return names


def _problems(db: Path) -> dict[str, tuple[str, str, str]]:
    rows = sqlite3.connect(db).execute(
        "SELECT p.source, pr.stage, pr.kind, pr.message FROM problems pr "
        "JOIN pages p ON p.id = pr.page_id"
    )
    return {Path(source).name: (stage, kind, message) for source, stage, kind, message in rows}


def _counts(db: Path) -> tuple[int, int]:
    con = sqlite3.connect(db)
    pages = con.execute("SELECT count(*) FROM pages").fetchone()[0]
    verdicts = con.execute("SELECT count(*) FROM comments WHERE decision IS NOT NULL")
    return pages, verdicts.fetchone()[0]


def test_in_process_a_python_loop_is_stopped_by_the_soft_limit(tmp_path: Path) -> None:
    _write(tmp_path / "in", [TRAP_LOOP])
    db = tmp_path / "loop.db"
    summary = run_corpus([str(tmp_path / "in")], str(db), engine="inprocess", progress=False,
                         page_limits=PageLimits(timeout_s=1.0), make_pipeline=trapped_pipeline,
                         shard_size=5)
    problems = _problems(db)
    assert set(problems) == {"trap0.txt"}
    stage, kind, message = problems["trap0.txt"]
    assert (stage, kind) == ("enrich", PROBLEM_TIMEOUT)
    assert "trap0.txt" in message and "trap step" in message and "--page-timeout" in message
    assert _counts(db) == (GOOD + 1, GOOD)  # every good page stored, with its verdict
    assert summary.problems_by_kind[PROBLEM_TIMEOUT] == 1


def test_the_pool_survives_a_hang_a_memory_hog_and_a_crash(tmp_path: Path) -> None:
    names = _write(tmp_path / "in", [TRAP_LOOP, TRAP_HANG, TRAP_MEMORY, TRAP_CRASH])
    db = tmp_path / "pool.db"
    limits = PageLimits(timeout_s=2.0, memory_mb=256, grace_s=0.5)
    summary = run_corpus([str(tmp_path / "in")], str(db), engine="pool", workers=2,
                         progress=False, page_limits=limits, make_pipeline=trapped_pipeline,
                         shard_size=4)
    problems = _problems(db)
    assert set(problems) == set(names)
    expected = {TRAP_LOOP: PROBLEM_TIMEOUT, TRAP_HANG: PROBLEM_TIMEOUT,
                TRAP_MEMORY: PROBLEM_MEMORY, TRAP_CRASH: PROBLEM_CRASH}
    for name, trap in names.items():
        _stage, kind, message = problems[name]
        assert kind == expected[trap], (name, trap, message)
        assert name in message
    assert "stopped" in problems["trap1.txt"][2]  # the hang needed the hard limit
    assert _counts(db) == (GOOD + len(names), GOOD)
    assert not summary.interrupted and summary.pages == GOOD + len(names)


def test_a_limit_of_zero_means_none() -> None:
    assert PageLimits(timeout_s=None).hard_timeout_s is None
    assert PageLimits(timeout_s=2.0, grace_s=1.0).hard_timeout_s == pytest.approx(3.0)
