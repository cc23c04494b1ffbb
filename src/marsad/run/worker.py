"""What every executor runs on a shard: the pipeline, page by page, inside the page limits.

A ``ShardWorker`` lives as long as its process (so models load once per process) and turns
a shard's Documents into the rows the one writer stores (``store.rows.rows_for``: computing
them here keeps the writer to executing SQL). Each document goes through the pipeline on
its own, under ``page_deadline``; a page that runs out of time or memory becomes a page
holding that problem, and the next document goes on. Pages the executor has already given
up on (its worker was killed while on them) arrive in ``skip`` and become problem pages
without being run again.
"""

from __future__ import annotations

import os
import resource
import socket
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from marsad.names import Stage
from marsad.parse import parse_document
from marsad.read.document import Document
from marsad.record import Page
from marsad.run.limits import (
    PROBLEM_MEMORY,
    PROBLEM_TIMEOUT,
    PageLimits,
    PageTimeout,
    memory_message,
    page_deadline,
    timeout_message,
)
from marsad.run.pipeline import Pipeline
from marsad.run.step import StepStats
from marsad.store.rows import PageRows, rows_for

PipelineFactory = Callable[[], Pipeline]
# (problem kind, message) for a page an executor gave up on, by its position in the shard.
Skip = Mapping[int, tuple[str, str]]

# A page of our own that loads every model before a worker takes real pages, so that model
# loading is not charged to a page's time or memory limit.
WARM_UP_TEXT = (
    "خبر تجريبي لتحميل النماذج\n\n"
    "قال مسؤول في البلدية إن أعمال الصيانة ستنتهي قبل نهاية الشهر.\n\n"
    "تعليقان\n\n  1. شكرا على الخبر\n\n  2. الله يعطيكم العافية\n"
)


@dataclass
class Tally:
    """What a run counts about the pages it made (summed over shards by the runner)."""

    pages: int = 0
    readable: int = 0  # pages whose input could be read at all
    comments: int = 0
    removed_by_kind: Counter[str] = field(default_factory=Counter)
    problems_by_kind: Counter[str] = field(default_factory=Counter)

    def add(self, page: Page) -> None:
        self.pages += 1
        if not any(p.stage == Stage.READ for p in page.problems):
            self.readable += 1
        self.comments += len(page.comments)
        self.removed_by_kind.update(r.kind for r in page.removed)
        self.problems_by_kind.update(p.kind for p in page.problems)

    def merge(self, other: Tally) -> None:
        self.pages += other.pages
        self.readable += other.readable
        self.comments += other.comments
        self.removed_by_kind.update(other.removed_by_kind)
        self.problems_by_kind.update(other.problems_by_kind)


@dataclass
class ShardResult:
    """A processed shard, as a worker sends it back to the driver."""

    key: str
    index: int
    first_source: str | None
    rows: list[PageRows]
    tally: Tally
    steps: dict[str, StepStats]  # this shard's share of each step's time
    worker: str  # host:pid, for per-worker figures
    peak_rss_mb: float  # the worker process's peak resident memory so far
    seconds: float


def problem_page(doc: Document, stage: str, kind: str, message: str) -> Page:
    """A page that holds only a problem, identified like an unreadable input."""
    page = parse_document(replace(doc, content=None, error=message, error_kind=kind))
    page.problems[-1].stage = stage
    return page


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


class ShardWorker:
    def __init__(self, make_pipeline: PipelineFactory = Pipeline,
                 limits: PageLimits = PageLimits()) -> None:  # noqa: B008 - frozen
        self.pipeline = make_pipeline()
        self.limits = limits
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        # Where the page now running sits in its shard, and since when (time.monotonic),
        # for an executor that watches from another process; None when none is running.
        self.on_page: Callable[[int | None], None] = lambda index: None

    @property
    def step_names(self) -> list[str]:
        return list(self.pipeline.stats())

    def warm_up(self) -> None:
        """Load every model now (they load lazily, once per process)."""
        list(self.pipeline.run([Document(source="<warm-up>", content=WARM_UP_TEXT)]))

    def process(self, key: str, index: int, documents: Sequence[Document],
                skip: Skip | None = None) -> ShardResult:
        started = time.perf_counter()
        before = _copy_stats(self.pipeline.stats())
        skip = skip or {}
        rows: list[PageRows] = []
        tally = Tally()
        for position, doc in enumerate(documents):
            if position in skip:
                kind, message = skip[position]
                pages = [problem_page(doc, self._stage_of(None), kind, message)]
            else:
                self.on_page(position)
                pages = self.pages(doc)
                self.on_page(None)
            for page in pages:
                tally.add(page)
                rows.append(self._rows(page, doc))
        return ShardResult(
            key=key, index=index, first_source=documents[0].source if documents else None,
            rows=rows, tally=tally, steps=_minus(self.pipeline.stats(), before),
            worker=self.name, peak_rss_mb=peak_rss_mb(),
            seconds=time.perf_counter() - started,
        )

    def pages(self, doc: Document) -> list[Page]:
        """One document through the pipeline, within the page limits (one page, as steps
        add fields and never drop pages)."""
        done_before = [s.pages for s in self.pipeline.stats().values()]
        try:
            with page_deadline(self.limits.timeout_s):
                return list(self.pipeline.run([doc]))
        except PageTimeout:
            step = self._running_step(done_before)
            message = timeout_message(doc.source, step, self.limits.timeout_s)
            return [problem_page(doc, self._stage_of(step), PROBLEM_TIMEOUT, message)]
        except MemoryError:
            step = self._running_step(done_before)
            message = memory_message(doc.source, step, self.limits.memory_mb)
            return [problem_page(doc, self._stage_of(step), PROBLEM_MEMORY, message)]

    def _running_step(self, done_before: list[int]) -> str:
        """The first step, in flow order, that had not finished the page."""
        for (name, stats), before in zip(self.pipeline.stats().items(), done_before,
                                          strict=True):
            if stats.pages == before:
                return name
        return "store"

    def _stage_of(self, step: str | None) -> str:
        """names.Stage of a step (a step's ``stage``, else its name); parse when unknown."""
        candidates: list[Any] = [self.pipeline.parse, *self.pipeline.steps]
        for candidate in candidates:
            if candidate.name == step:
                return str(getattr(candidate, "stage", step))
        return Stage.PARSE if step is None else step

    def _rows(self, page: Page, doc: Document) -> PageRows:
        try:
            return rows_for(page)
        except Exception as exc:  # a record the store cannot take is kept as its problem
            message = (f"{doc.source}: the page could not be turned into store rows "
                       f"({type(exc).__name__}: {exc}); please report it")
            return rows_for(problem_page(doc, Stage.STORE, "store_error", message))


def _copy_stats(stats: dict[str, StepStats]) -> dict[str, StepStats]:
    return {name: replace(s) for name, s in stats.items()}


def _minus(now: dict[str, StepStats], before: dict[str, StepStats]) -> dict[str, StepStats]:
    zero = StepStats()
    return {
        name: StepStats(
            pages=s.pages - before.get(name, zero).pages,
            seconds=s.seconds - before.get(name, zero).seconds,
            failures=s.failures - before.get(name, zero).failures,
        )
        for name, s in now.items()
    }
