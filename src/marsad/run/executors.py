"""Executors: where the one pipeline runs. Steps never know which one runs them.

- ``InProcess``: in the driver, one shard after another (tests, debugging). Time limit by
  signal only; no memory limit (it would cap the driver).
- ``LocalPool`` (the default): ``workers`` processes, each with its own pipeline (models load
  once per worker). The driver watches every worker: a page past its hard time limit gets
  its worker killed; a worker that dies (killed, out of memory, crashed) is replaced, and
  its shard is sent again with that page marked as a problem, so one pathological page
  costs one problem and a redo of at most one shard.
- ``RayExecutor`` (``pip install 'marsad[ray]'``): one Ray task per shard, on a local Ray
  instance or a cluster (``address``). A task that fails or runs past the shard's time
  budget is cancelled and its shard split in halves until the failing page is alone;
  that page is then recorded as a problem.

Every executor takes shards (``run/shards.py``) and yields ``ShardResult``s in any order;
it keeps a bounded number of shards in flight, so memory does not grow with the corpus.
The driver (``run/runner.py``) is the one writer.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from marsad.read.document import Document
from marsad.run.limits import (
    PROBLEM_CRASH,
    PROBLEM_MEMORY,
    PROBLEM_TIMEOUT,
    PageLimits,
    cap_address_space,
    crash_message,
    killed_message,
    memory_message,
)
from marsad.run.pipeline import Pipeline
from marsad.run.shards import Shard
from marsad.run.step import StepStats
from marsad.run.worker import PipelineFactory, ShardResult, ShardWorker, Tally

ENGINES = ("pool", "ray", "inprocess")
POLL_S = 0.5  # how often the driver looks at deadlines while it waits
PIPELINE_DEPTH = 2  # shards queued at each worker, so it never waits on the driver
MAX_BLIND_FAILURES = 3  # a shard whose worker dies between pages this often is a bug
# Ray cannot say when a task started, only when it was submitted: a task's time budget
# allows this much for waiting, starting a worker process and loading its models.
RAY_START_ALLOWANCE_S = 60.0
START_METHOD = "spawn"  # workers start clean: no driver threads or open store inherited


class Executor(Protocol):
    name: str

    def run(self, shards: Iterable[Shard]) -> Iterator[ShardResult]: ...

    def close(self) -> None: ...


@dataclass
class _Job:
    """A shard (or, on Ray, a part of one) and the pages to give up on in it."""

    shard: Shard
    offset: int = 0  # where ``documents`` start in the shard
    documents: list[Document] = field(default_factory=list)
    skip: dict[int, tuple[str, str]] = field(default_factory=dict)
    blind_failures: int = 0

    def __post_init__(self) -> None:
        if not self.documents and self.offset == 0:
            self.documents = self.shard.documents


# -- in-process -------------------------------------------------------------------------------


class InProcess:
    name = "inprocess"

    def __init__(self, make_pipeline: PipelineFactory = Pipeline,
                 limits: PageLimits = PageLimits()) -> None:  # noqa: B008 - frozen
        self.worker = ShardWorker(make_pipeline, limits)
        self.warm = False

    def run(self, shards: Iterable[Shard]) -> Iterator[ShardResult]:
        for shard in shards:
            if not self.warm:  # model loading is not charged to the first page's limit
                self.worker.warm_up()
                self.warm = True
            yield self.worker.process(shard.key, shard.index, shard.documents)

    def close(self) -> None:
        pass


# -- local process pool -----------------------------------------------------------------------


def _pool_worker(conn: Connection, progress: Any, make_pipeline: PipelineFactory,
                 limits: PageLimits) -> None:
    """A pool worker's life: load the models, cap memory, then take shards until told to stop.

    ``progress`` is shared memory the driver reads: [position in shard, monotonic start]."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    try:
        worker = ShardWorker(make_pipeline, limits)
        worker.warm_up()
        cap_address_space(limits.memory_mb)
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return

    def on_page(position: int | None) -> None:
        progress[1] = 0.0
        if position is not None:
            progress[0] = position
            progress[1] = time.monotonic()

    worker.on_page = on_page
    # A thread takes shards off the pipe as they come: were the worker to read only between
    # shards, a driver sending a large shard and a worker sending a large result would each
    # wait for the other to read.
    jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def take_jobs() -> None:
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):  # the driver is gone
                job = None
            jobs.put(job)
            if job is None:
                return

    threading.Thread(target=take_jobs, name="marsad-jobs", daemon=True).start()
    while True:
        job = jobs.get()
        if job is None:
            return
        key, index, documents, skip = job
        try:
            conn.send(worker.process(key, index, documents, skip))
        except (BrokenPipeError, OSError):
            return


@dataclass
class _Slot:
    process: Any  # multiprocessing.Process (SpawnProcess)
    conn: Connection
    progress: Any
    jobs: deque[_Job] = field(default_factory=deque)  # the first is running
    killed_for_time: bool = False


class LocalPool:
    name = "pool"

    def __init__(self, workers: int | None = None, make_pipeline: PipelineFactory = Pipeline,
                 limits: PageLimits = PageLimits()) -> None:  # noqa: B008 - frozen
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.make_pipeline = make_pipeline
        self.limits = limits
        self.context: Any = multiprocessing.get_context(START_METHOD)
        self.slots: list[_Slot] = []
        self.restarts = 0

    def _start(self) -> _Slot:
        here, there = self.context.Pipe()
        progress = self.context.RawArray("d", 2)
        process = self.context.Process(
            target=_pool_worker, args=(there, progress, self.make_pipeline, self.limits),
            name="marsad-worker", daemon=True,
        )
        process.start()
        there.close()
        return _Slot(process, here, progress)

    def run(self, shards: Iterable[Shard]) -> Iterator[ShardResult]:
        source = iter(shards)
        retry: deque[_Job] = deque()
        exhausted = False
        while True:
            while self._has_room():  # hand out shards until every worker's queue is full
                job = retry.popleft() if retry else None
                if job is None and not exhausted:
                    shard = next(source, None)
                    exhausted = shard is None
                    job = None if shard is None else _Job(shard)
                if job is None:
                    break
                self._send(self._slot_with_room(), job, retry)
            busy = [slot for slot in self.slots if slot.jobs]
            if not busy:
                return
            waiting: list[Any] = [s.conn for s in busy] + [s.process.sentinel for s in busy]
            ready = set(wait(waiting, timeout=POLL_S))
            for slot in busy:
                if slot.conn in ready or slot.process.sentinel in ready:
                    result = self._receive(slot, retry)
                    if result is not None:
                        yield result
            self._enforce_deadlines(retry)

    def _has_room(self) -> bool:
        return len(self.slots) < self.workers or any(
            len(slot.jobs) < PIPELINE_DEPTH for slot in self.slots)

    def _slot_with_room(self) -> _Slot:
        """An idle worker, else a new one (workers start only when there is work for them:
        a one-shard run starts one), else the least busy one."""
        idle = [slot for slot in self.slots if not slot.jobs]
        if idle:
            return idle[0]
        if len(self.slots) < self.workers:
            self.slots.append(self._start())
            return self.slots[-1]
        return min(self.slots, key=lambda s: len(s.jobs))

    def _send(self, slot: _Slot, job: _Job, retry: deque[_Job]) -> None:
        slot.jobs.append(job)
        try:
            slot.conn.send((job.shard.key, job.shard.index, job.documents, dict(job.skip)))
        except OSError:  # the worker died while idle (the OOM killer, say): start another
            self._replace(slot, retry)

    def _receive(self, slot: _Slot, retry: deque[_Job]) -> ShardResult | None:
        """A result if the worker sent one; else the worker is gone, and is replaced."""
        message = None
        if slot.conn.poll():
            try:
                message = slot.conn.recv()
            except (EOFError, OSError):
                message = None
        if isinstance(message, ShardResult):
            slot.jobs.popleft()
            return message
        if isinstance(message, tuple) and message[0] == "failed":
            self.close()
            raise RuntimeError(f"marsad run: a worker could not start: {message[1]}")
        self._replace(slot, retry)
        return None

    def _enforce_deadlines(self, retry: deque[_Job]) -> None:
        hard = self.limits.hard_timeout_s
        if not hard:
            return
        now = time.monotonic()
        for slot in self.slots:
            started = slot.progress[1]
            if slot.jobs and started and now - started > hard:
                slot.killed_for_time = True
                slot.process.kill()
                slot.process.join()
                self._replace(slot, retry)

    def _replace(self, slot: _Slot, retry: deque[_Job]) -> None:
        """A worker died: record the page it was on, start another, send its shards again."""
        slot.process.join()
        exitcode = slot.process.exitcode
        position = int(slot.progress[0]) if slot.progress[1] else None
        if slot.jobs:
            job = slot.jobs[0]
            if position is None:
                job.blind_failures += 1
                if job.blind_failures > MAX_BLIND_FAILURES:
                    self.close()
                    raise RuntimeError(
                        f"marsad run: workers keep dying on the shard that starts with "
                        f"{job.shard.first_source} (exit code {exitcode}), between pages; "
                        "please report it")
            else:
                source = job.documents[position].source
                if slot.killed_for_time:
                    job.skip[position] = (PROBLEM_TIMEOUT,
                                          killed_message(source, self.limits))
                elif exitcode == -signal.SIGKILL:  # not us: most often the kernel's OOM killer
                    job.skip[position] = (PROBLEM_MEMORY,
                                          memory_message(source, "pipeline", None))
                else:
                    job.skip[position] = (PROBLEM_CRASH, crash_message(source, exitcode))
        retry.extendleft(reversed(slot.jobs))  # its shards go first, in their order
        slot.conn.close()
        fresh = self._start()
        slot.process, slot.conn, slot.progress = fresh.process, fresh.conn, fresh.progress
        slot.jobs = deque()
        slot.killed_for_time = False
        self.restarts += 1

    def close(self) -> None:
        """Stop the workers: idle ones are told to, busy ones (after Ctrl-C or an error:
        their shards will not be committed) are killed at once."""
        for slot in self.slots:
            if slot.jobs:
                slot.process.kill()
            else:
                with contextlib.suppress(OSError, ValueError):
                    slot.conn.send(None)
        deadline = time.monotonic() + 2.0
        for slot in self.slots:
            slot.process.join(max(0.0, deadline - time.monotonic()))
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
            slot.conn.close()
        self.slots = []


# -- Ray --------------------------------------------------------------------------------------

_RAY_WORKERS: dict[tuple[Any, PageLimits], ShardWorker] = {}


def _ray_process(make_pipeline: PipelineFactory, limits: PageLimits, key: str, index: int,
                 documents: list[Document], skip: dict[int, tuple[str, str]]) -> ShardResult:
    """A Ray task: the same worker code, one pipeline per Ray worker process."""
    worker = _RAY_WORKERS.get((make_pipeline, limits))
    if worker is None:
        worker = ShardWorker(make_pipeline, limits)
        worker.warm_up()
        _RAY_WORKERS[(make_pipeline, limits)] = worker
    return worker.process(key, index, documents, skip)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise RuntimeError("marsad run --engine ray needs Ray; install it with "
                           "`pip install 'marsad[ray]'`") from exc
    return ray


def is_local_address(address: str | None) -> bool:
    """True when Ray runs on this machine only (a new local instance)."""
    return address in (None, "", "local")


@dataclass
class _Assembly:
    """The parts of a shard that Ray bisected, until every part is back."""

    shard: Shard
    parts: dict[int, ShardResult] = field(default_factory=dict)
    pending: int = 1


class RayExecutor:
    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None,
                 make_pipeline: PipelineFactory = Pipeline,
                 limits: PageLimits = PageLimits(),  # noqa: B008 - frozen
                 init_options: dict[str, Any] | None = None) -> None:
        self.ray = _import_ray()
        self.make_pipeline = make_pipeline
        self.limits = limits
        self.started_ray = False
        if not self.ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if is_local_address(address):
                options["num_cpus"] = max(1, workers or os.cpu_count() or 1)
            else:
                options["address"] = address
            options.update(init_options or {})
            self.ray.init(**options)
            self.started_ray = True
        self.task = self.ray.remote(num_cpus=1, max_retries=0)(_ray_process)
        self.slots = max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def _budget(self, job: _Job) -> float | None:
        """Seconds from submission before a task is cancelled: its pages' time limits, one
        page's grace and the start allowance (the soft limit interrupts Python; this is the
        backstop for hangs in C)."""
        hard = self.limits.hard_timeout_s
        if not hard or not self.limits.timeout_s:
            return None
        return self.limits.timeout_s * len(job.documents) + hard + RAY_START_ALLOWANCE_S

    def run(self, shards: Iterable[Shard]) -> Iterator[ShardResult]:
        ray = self.ray
        source = iter(shards)
        retry: deque[_Job] = deque()
        assemblies: dict[int, _Assembly] = {}
        flight: dict[Any, tuple[_Job, float, list[bool]]] = {}  # ref → job, start, cancelled
        exhausted = False
        capacity = self.slots + PIPELINE_DEPTH
        while True:
            while len(flight) < capacity:
                job = retry.popleft() if retry else None
                if job is None and not exhausted:
                    shard = next(source, None)
                    exhausted = shard is None
                    if shard is not None:
                        job = _Job(shard)
                        assemblies[id(shard)] = _Assembly(shard)
                if job is None:
                    break
                ref = self.task.remote(self.make_pipeline, self.limits, job.shard.key,
                                       job.shard.index, job.documents, dict(job.skip))
                flight[ref] = (job, time.monotonic(), [False])
            if not flight:
                return
            ready, _ = ray.wait(list(flight), num_returns=1, timeout=POLL_S)
            for ref in ready:
                job, _started, cancelled = flight.pop(ref)
                try:
                    result: ShardResult = ray.get(ref)
                except Exception as exc:  # the task failed or was cancelled
                    self._failed(job, exc, cancelled[0], retry, assemblies)
                    continue
                done = self._assemble(assemblies, job, result)
                if done is not None:
                    yield done
            now = time.monotonic()
            for ref, (job, started, cancelled) in flight.items():
                budget = self._budget(job)
                if budget and not cancelled[0] and now - started > budget:
                    cancelled[0] = True
                    ray.cancel(ref, force=True)

    def _failed(self, job: _Job, exc: Exception, cancelled: bool, retry: deque[_Job],
                assemblies: dict[int, _Assembly]) -> None:
        """Split a failed job in halves until the failing page is alone, then skip it."""
        unskipped = [i for i in range(len(job.documents)) if i not in job.skip]
        if len(unskipped) <= 1:
            if not unskipped:  # every page already skipped and it still fails: a bug
                raise RuntimeError(f"marsad run: Ray cannot run the shard that starts with "
                                   f"{job.shard.first_source}: {exc}")
            position = unskipped[0]
            source = job.documents[position].source
            kind, message = self._problem(exc, cancelled, source)
            job.skip[position] = (kind, message)
            retry.appendleft(job)
            return
        middle = len(job.documents) // 2
        halves = [
            _Job(job.shard, job.offset, job.documents[:middle],
                 {i: v for i, v in job.skip.items() if i < middle}),
            _Job(job.shard, job.offset + middle, job.documents[middle:],
                 {i - middle: v for i, v in job.skip.items() if i >= middle}),
        ]
        assemblies[id(job.shard)].pending += 1
        retry.extendleft(reversed(halves))

    def _problem(self, exc: Exception, cancelled: bool, source: str) -> tuple[str, str]:
        ray = self.ray
        if cancelled:
            return PROBLEM_TIMEOUT, killed_message(source, self.limits)
        if isinstance(exc, ray.exceptions.OutOfMemoryError):
            return PROBLEM_MEMORY, memory_message(source, "pipeline", None)
        return PROBLEM_CRASH, crash_message(source, None) + f" ({type(exc).__name__})"

    def _assemble(self, assemblies: dict[int, _Assembly], job: _Job,
                  result: ShardResult) -> ShardResult | None:
        whole = assemblies[id(job.shard)]
        whole.parts[job.offset] = result
        whole.pending -= 1
        if whole.pending:
            return None
        del assemblies[id(job.shard)]
        parts = [whole.parts[offset] for offset in sorted(whole.parts)]
        return merge_results(whole.shard, parts)

    def close(self) -> None:
        if self.started_ray:
            self.ray.shutdown()
            self.started_ray = False


def merge_results(shard: Shard, parts: list[ShardResult]) -> ShardResult:
    """One shard's result from the results of its parts, in shard order."""
    if len(parts) == 1:
        return parts[0]
    tally = Tally()
    steps: dict[str, StepStats] = {}
    for part in parts:
        tally.merge(part.tally)
        for name, st in part.steps.items():
            total = steps.setdefault(name, StepStats())
            total.pages += st.pages
            total.seconds += st.seconds
            total.failures += st.failures
    return ShardResult(
        key=shard.key, index=shard.index, first_source=shard.first_source,
        rows=[row for part in parts for row in part.rows], tally=tally, steps=steps,
        worker=parts[0].worker, peak_rss_mb=max(p.peak_rss_mb for p in parts),
        seconds=sum(p.seconds for p in parts),
    )


def make_executor(engine: str = "pool", *, workers: int | None = None,
                  make_pipeline: PipelineFactory = Pipeline,
                  limits: PageLimits = PageLimits(),  # noqa: B008 - frozen
                  address: str | None = None,
                  ray_options: dict[str, Any] | None = None) -> Executor:
    if engine == "inprocess":
        return InProcess(make_pipeline, limits)
    if engine == "pool":
        return LocalPool(workers, make_pipeline, limits)
    if engine == "ray":
        return RayExecutor(address, workers, make_pipeline, limits, ray_options)
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
