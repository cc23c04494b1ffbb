"""The same pages give the same stored records through every executor.

In-process, the local process pool and Ray run one pipeline; only where it runs differs.
The Ray cases run on a small local Ray instance (2 CPUs, 80 MB object store) and skip when
Ray is not installed (`pip install 'marsad[ray]'`; the dev extra has it, so CI runs them).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marsad.demo import PAGES_DIR
from marsad.read import Reader
from marsad.run.executors import make_executor
from marsad.run.limits import PROBLEM_CRASH, PROBLEM_TIMEOUT, PageLimits
from marsad.run.runner import check_store_for_engine, run_corpus
from marsad.run.shards import plan_shards
from marsad.run.worker import ShardWorker
from marsad.store.base import open_store
from tests.pagegen import text_page
from tests.run_traps import TRAP_CRASH, TRAP_LOOP, parse_only_pipeline, trapped_pipeline
from tests.test_run_resume import _contents, _differences

REPO = Path(__file__).resolve().parents[1]
RAY_OBJECT_STORE = 80 * 1024 * 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Text pages, the bundled demo pages (HTML and text, several sites), and JSONL."""
    folder = tmp_path_factory.mktemp("pages")
    for n in range(60):
        (folder / f"t{n:03}.txt").write_text(text_page(n, seed=3), encoding="utf-8")
    for page in sorted(Path(PAGES_DIR).iterdir()):
        (folder / page.name).write_bytes(page.read_bytes())
    with open(folder / "export.jsonl", "w", encoding="utf-8") as f:
        for n in range(60, 90):
            f.write(json.dumps({"url": f"https://x.test/{n}", "text": text_page(n, seed=3)},
                               ensure_ascii=False) + "\n")
    return folder


@pytest.fixture(scope="module")
def in_process(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Counter]:
    db = tmp_path_factory.mktemp("inprocess") / "a.db"
    run_corpus([str(corpus)], str(db), engine="inprocess", progress=False, shard_size=10)
    with open_store(str(db)) as store:
        return _contents(store)


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[Any]:
    ray = pytest.importorskip("ray", reason="Ray is not installed here: "
                              "pip install 'marsad[ray]' (CI installs it with the dev extra)")
    ray.init(num_cpus=2, object_store_memory=RAY_OBJECT_STORE, include_dashboard=False,
             log_to_driver=False, runtime_env={"env_vars": {"PYTHONPATH": str(REPO)}})
    yield ray
    ray.shutdown()


def _run(corpus: Path, db: Path, engine: str, **options: Any) -> dict[str, Counter]:
    summary = run_corpus([str(corpus)], str(db), engine=engine, workers=2, progress=False,
                         shard_size=10, **options)
    assert summary.pages == sum(1 for _ in Reader().read([str(corpus)]))
    with open_store(str(db)) as store:
        return _contents(store)


def test_the_pool_stores_what_in_process_stores(
    corpus: Path, tmp_path: Path, in_process: dict[str, Counter]
) -> None:
    got = _run(corpus, tmp_path / "pool.db", "pool")
    assert _differences(got, in_process) == {}
    assert sum(in_process["comments"].values()) > 0


def test_ray_stores_what_in_process_stores(
    corpus: Path, tmp_path: Path, in_process: dict[str, Counter], ray_instance: Any
) -> None:
    assert _differences(_run(corpus, tmp_path / "ray.db", "ray"), in_process) == {}


def test_on_ray_a_crashing_page_is_isolated_and_recorded(
    tmp_path: Path, ray_instance: Any
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(10):
        (folder / f"good{n}.txt").write_text(text_page(n, comments=1), encoding="utf-8")
    for name, trap in (("crash.txt", TRAP_CRASH), ("loop.txt", TRAP_LOOP)):
        (folder / name).write_text(f"{trap} عنوان\n\nقال مسؤول إن العمل مستمر.\n",
                                   encoding="utf-8")
    db = str(tmp_path / "traps.db")
    summary = run_corpus([str(folder)], db, engine="ray", progress=False, shard_size=6,
                         make_pipeline=trapped_pipeline, page_limits=PageLimits(timeout_s=1.0))
    with open_store(db) as store:
        rows = store.conn.execute(  # type: ignore[attr-defined]
            "SELECT p.source, pr.kind FROM problems pr JOIN pages p ON p.id = pr.page_id"
        ).fetchall()
        assert store.counts().pages == 12
    assert {(Path(s).name, k) for s, k in rows} == {
        ("crash.txt", PROBLEM_CRASH), ("loop.txt", PROBLEM_TIMEOUT)}
    assert summary.pages == 12


def test_a_sqlite_store_with_a_ray_cluster_is_refused_with_the_fix() -> None:
    with pytest.raises(ValueError, match="postgresql://") as err:
        check_store_for_engine("marsad.db", "ray", "ray://head.example:10001")
    assert "--address" in str(err.value)
    check_store_for_engine("marsad.db", "ray", None)  # a local Ray instance may use SQLite
    check_store_for_engine("postgresql://u@h/db", "ray", "ray://head.example:10001")


def test_shards_are_in_reader_order_and_keys_follow_content(corpus: Path) -> None:
    docs = list(Reader().read([str(corpus)]))
    shards = list(plan_shards(docs, "p", size=7))
    assert [d.source for s in shards for d in s.documents] == [d.source for d in docs]
    assert all(len(s.documents) == 7 for s in shards[:-1])
    again = list(plan_shards(Reader().read([str(corpus)]), "p", size=7))
    assert [s.key for s in again] == [s.key for s in shards]
    other_pipeline = list(plan_shards(docs, "q", size=7))
    assert not {s.key for s in other_pipeline} & {s.key for s in shards}
    docs[3].content = (docs[3].content or "") + " "
    changed = [s.key for s in plan_shards(docs, "p", size=7)]
    assert changed[0] != shards[0].key and changed[1:] == [s.key for s in shards[1:]]


def test_an_unknown_engine_is_named() -> None:
    with pytest.raises(ValueError, match="inprocess"):
        make_executor("spark")


def test_a_worker_counts_only_its_shard() -> None:
    worker = ShardWorker()
    worker.warm_up()
    docs = list(Reader().read([str(Path(PAGES_DIR) / "sham-press-food-aid.txt")]))
    result = worker.process("k", 0, docs)
    assert result.steps["parse"].pages == 1  # the warm-up page is not counted
    assert result.tally.pages == len(result.rows) == 1
    assert result.peak_rss_mb > 0 and str(os.getpid()) in result.worker


def test_large_shards_and_large_results_do_not_deadlock_the_pool(tmp_path: Path) -> None:
    """A shard and a result larger than a socket's buffer (~200 KB) cross at the same time."""
    import threading

    folder = tmp_path / "big"
    folder.mkdir()
    filler = "\n\n".join(f"فقرة إضافية رقم {i} عن أحوال السوق والأسعار في المدينة." for i in
                         range(1600))  # about 100 KB a page, so 600 KB a shard
    for n in range(12):
        head, rest = text_page(n, comments=2).split("\n", 1)
        (folder / f"b{n:02}.txt").write_text(f"{head}\n\n{filler}\n{rest}", encoding="utf-8")
    db = str(tmp_path / "big.db")
    outcome: list[Any] = []
    run = threading.Thread(target=lambda: outcome.append(run_corpus(
        [str(folder)], db, engine="pool", workers=1, shard_size=6, progress=False,
        make_pipeline=parse_only_pipeline)), daemon=True)
    run.start()
    run.join(timeout=120)
    assert not run.is_alive(), "the pool is stuck: the driver and a worker wait on each other"
    assert outcome and outcome[0].pages == 12
