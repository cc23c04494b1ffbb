"""``marsad run``: read, parse and process inputs, and store them with one writer.

Pages are committed in batches; a page's id is stable, so running twice stores each page
once. A bad input is stored as a page that holds its problem; the run always finishes.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from marsad.read import Reader, ReadLimits
from marsad.read.document import Document
from marsad.record import Page
from marsad.run.pipeline import Pipeline
from marsad.run.step import StepStats
from marsad.store.base import StoreCounts, open_store

BATCH_SIZE = 200


@dataclass
class RunSummary:
    pages: int = 0
    readable: int = 0  # pages whose input could be read at all
    comments: int = 0
    removed_by_kind: Counter[str] = field(default_factory=Counter)
    problems_by_kind: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    steps: dict[str, StepStats] = field(default_factory=dict)
    seconds: float = 0.0
    store: StoreCounts | None = None
    interrupted: bool = False

    def add(self, page: Page) -> None:
        self.pages += 1
        if not any(p.stage == "read" for p in page.problems):
            self.readable += 1
        self.comments += len(page.comments)
        self.removed_by_kind.update(r.kind for r in page.removed)
        self.problems_by_kind.update(p.kind for p in page.problems)


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


def run_corpus(
    inputs: Sequence[str],
    db: str,
    *,
    limits: ReadLimits | None = None,
    batch_size: int = BATCH_SIZE,
    progress: bool = True,
) -> RunSummary:
    summary = RunSummary()
    reader = Reader(limits or ReadLimits())
    pipeline = Pipeline()
    read_stats = StepStats()
    started = time.perf_counter()
    with open_store(db) as store:
        bar = tqdm(
            total=count_input_files(inputs), unit="page", disable=not progress,
            dynamic_ncols=True, desc="marsad run",
        )
        batch: list[Page] = []
        try:
            for page in pipeline.run(_timed(reader.read(inputs), read_stats)):
                summary.add(page)
                batch.append(page)
                bar.update(1)
                if len(batch) >= batch_size:
                    store.upsert_pages(batch)
                    batch = []
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            store.upsert_pages(batch)  # what was done is kept, even on Ctrl-C
            bar.close()
        summary.store = store.counts()
    summary.seconds = time.perf_counter() - started
    summary.skipped = Counter(reader.skipped)
    summary.steps = {"read": read_stats, **pipeline.stats()}
    return summary
