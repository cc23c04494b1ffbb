"""``marsad run``: read inputs, process them in shards on an executor, store with one writer.

    read (driver) ──► shards ──► executor: parse ──► steps ──► rows (workers)
                                      ──► one writer (driver): a shard's rows and its
                                          "finished" mark in one transaction
                                      ──► post-store stages (clustering)

A shard recorded as finished is skipped when the run is repeated, so a killed or
interrupted run resumes where it stopped; pages are upserted by id, so a shard redone after
a kill never doubles a page. ``fresh=True`` ignores the shard log and redoes everything.
A bad input is stored as a page that holds its problem; the run always finishes.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from marsad.dedup.cluster import ClusterSummary, cluster_new_pages
from marsad.read import Reader, ReadLimits
from marsad.read.document import Document
from marsad.run.executors import is_local_address, make_executor
from marsad.run.limits import PageLimits
from marsad.run.pipeline import Pipeline
from marsad.run.shards import SHARD_SIZE, Shard, pipeline_signature, plan_shards
from marsad.run.step import StepStats
from marsad.run.worker import PipelineFactory, ShardResult, Tally
from marsad.store.base import FinishedShard, Store, StoreCounts, open_store


@dataclass
class RunSummary:
    pages: int = 0  # pages processed and stored by this run
    readable: int = 0  # of those, pages whose input could be read at all
    comments: int = 0
    removed_by_kind: Counter[str] = field(default_factory=Counter)
    problems_by_kind: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    steps: dict[str, StepStats] = field(default_factory=dict)
    seconds: float = 0.0
    store: StoreCounts | None = None
    interrupted: bool = False
    engine: str = ""
    shards_done: int = 0
    shards_resumed: int = 0  # finished by an earlier run: skipped
    pages_resumed: int = 0
    workers: dict[str, float] = field(default_factory=dict)  # worker → peak memory, MB
    clustering: ClusterSummary | None = None  # the clustering stage after the writer

    def add_result(self, result: ShardResult) -> None:
        tally = Tally(self.pages, self.readable, self.comments, self.removed_by_kind,
                      self.problems_by_kind)
        tally.merge(result.tally)
        self.pages, self.readable, self.comments = tally.pages, tally.readable, tally.comments
        for name, st in result.steps.items():
            total = self.steps.setdefault(name, StepStats())
            total.pages += st.pages
            total.seconds += st.seconds
            total.failures += st.failures
        self.workers[result.worker] = max(self.workers.get(result.worker, 0.0),
                                          result.peak_rss_mb)
        self.shards_done += 1


def count_input_files(inputs: Sequence[str]) -> int:
    """A quick estimate of the pages to come, for the progress bar's ETA."""
    total = 0
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for _, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                total += sum(1 for f in files if not f.startswith("."))
        else:
            total += 1
    return total


def _timed(documents: Iterable[Document], stats: StepStats) -> Iterator[Document]:
    """Count the time spent reading and decoding (the time ``next`` takes)."""
    it = iter(documents)
    while True:
        started = time.perf_counter()
        try:
            doc = next(it)
        except StopIteration:
            stats.seconds += time.perf_counter() - started
            return
        stats.seconds += time.perf_counter() - started
        stats.pages += 1
        yield doc


def check_store_for_engine(db: str, engine: str, address: str | None) -> None:
    """A run on a Ray cluster must write to PostgreSQL: say so before anything starts."""
    remote = engine == "ray" and not is_local_address(address)
    if remote and not db.startswith(("postgresql://", "postgres://")):
        raise ValueError(
            f"--db {db}: a run on the Ray cluster at {address} needs a PostgreSQL store "
            "(a SQLite file lives on one machine and takes one writer; the cluster's results "
            "and the people reading them need a shared database). Give --db "
            "postgresql://USER@HOST/DB, or leave out --address to run on this machine."
        )


def after_store(store: Store, summary: RunSummary, *, progress: bool = False) -> None:
    """Stages over the store, after the writer has committed every shard of the run.

    The clustering stage (``marsad.dedup``) reads the signatures the run stored and
    clusters only the pages it has not seen, so a new page joins an existing cluster
    without the corpus being recomputed.
    """
    clustered = cluster_new_pages(store, progress=progress)
    summary.clustering = clustered
    summary.steps["cluster"] = StepStats(pages=clustered.pages, seconds=clustered.seconds)


def run_corpus(
    inputs: Sequence[str],
    db: str,
    *,
    limits: ReadLimits | None = None,
    progress: bool = True,
    engine: str = "pool",
    workers: int | None = None,
    address: str | None = None,
    page_limits: PageLimits = PageLimits(),  # noqa: B008 - frozen
    shard_size: int = SHARD_SIZE,
    fresh: bool = False,
    make_pipeline: PipelineFactory = Pipeline,
    ray_options: dict[str, Any] | None = None,
) -> RunSummary:
    check_store_for_engine(db, engine, address)
    summary = RunSummary(engine=engine)
    reader = Reader(limits or ReadLimits())
    read_stats, write_stats = StepStats(), StepStats()  # the driver's own work
    signature = pipeline_signature(list(make_pipeline().stats()))
    started = time.perf_counter()
    with open_store(db) as store:
        if fresh:
            store.forget_shards()
        finished = store.finished_shards()
        bar = tqdm(total=count_input_files(inputs), unit="page", disable=not progress,
                   dynamic_ncols=True, desc="marsad run")

        def todo(shards: Iterable[Shard]) -> Iterator[Shard]:
            for shard in shards:
                if shard.key in finished:  # done by an earlier run of the same input
                    summary.shards_resumed += 1
                    summary.pages_resumed += len(shard.documents)
                    bar.update(len(shard.documents))
                    continue
                yield shard

        shards = todo(plan_shards(_timed(reader.read(inputs), read_stats), signature,
                                  shard_size))
        executor = make_executor(engine, workers=workers, make_pipeline=make_pipeline,
                                 limits=page_limits, address=address, ray_options=ray_options)
        try:
            for result in executor.run(shards):
                # The one writer: the shard's pages and its mark commit together.
                writing = time.perf_counter()
                store.upsert_rows(
                    result.rows, FinishedShard(result.key, result.first_source, len(result.rows))
                )
                write_stats.seconds += time.perf_counter() - writing
                write_stats.pages += len(result.rows)
                summary.add_result(result)
                bar.update(len(result.rows))
        except KeyboardInterrupt:  # committed shards stay; the next run resumes after them
            summary.interrupted = True
        finally:
            executor.close()
            bar.close()
        if not summary.interrupted:
            after_store(store, summary, progress=progress)
        summary.store = store.counts()
    summary.seconds = time.perf_counter() - started
    summary.skipped = Counter(reader.skipped)
    cluster = summary.steps.pop("cluster", None)
    summary.steps = {"read": read_stats, **summary.steps, "store": write_stats}
    if cluster is not None:
        summary.steps["cluster"] = cluster
    return summary
