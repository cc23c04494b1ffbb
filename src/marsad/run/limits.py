"""Per-page limits on time and memory, and the problems a page gets when it breaks one.

A thread cannot interrupt lxml or a regular expression, so the limits are enforced per
process (``run/worker.py``, ``run/executors.py``):

- time, softly: a timer signal (``setitimer``) in the worker's main thread raises
  ``PageTimeout`` inside whatever Python code is running, regular expressions included;
- time, hard: code that never returns to the interpreter (a hang inside C) ignores the
  signal, so the local pool kills the worker ``HARD_GRACE_S`` after the soft limit,
  records the page as a problem and starts a fresh worker that goes on with the next page;
- memory: ``RLIMIT_AS`` on each pool worker, set after the models are loaded to what the
  worker then holds plus ``memory_mb``; an allocation beyond it raises ``MemoryError``
  (or kills the worker, which the pool handles like a hang).
"""

from __future__ import annotations

import resource
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

DEFAULT_PAGE_TIMEOUT_S = 60.0  # a 20 MB HTML page parses in a few seconds; 60 s is a hang
DEFAULT_PAGE_MEMORY_MB = 2048  # beyond what a worker holds once its models are loaded
HARD_GRACE_S = 5.0  # how long after the soft limit the pool kills a worker stuck in C code

# Problem kinds (Problem.kind) a run records for a page it had to give up on.
PROBLEM_TIMEOUT = "timeout"
PROBLEM_MEMORY = "memory"
PROBLEM_CRASH = "worker_crash"


@dataclass(frozen=True)
class PageLimits:
    """``None`` (or 0 from the command line) switches a limit off."""

    timeout_s: float | None = DEFAULT_PAGE_TIMEOUT_S
    memory_mb: int | None = DEFAULT_PAGE_MEMORY_MB
    grace_s: float = HARD_GRACE_S

    @property
    def hard_timeout_s(self) -> float | None:
        return None if not self.timeout_s else self.timeout_s + self.grace_s


class PageTimeout(BaseException):
    """Raised in a worker when a page runs past its time limit.

    A BaseException, so that a step's per-page ``except Exception`` does not swallow it and
    let the page run on through the later steps.
    """


def _raise_timeout(signum: int, frame: object) -> None:
    raise PageTimeout


@contextmanager
def page_deadline(timeout_s: float | None) -> Iterator[None]:
    """Raise ``PageTimeout`` in this block after ``timeout_s`` seconds of wall time.

    Only the main thread receives signals; elsewhere (a thread-pool test runner) the block
    runs without a soft limit and the executor's hard limit still applies.
    """
    if not timeout_s or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def address_space_bytes() -> int:
    """This process's virtual memory size now (Linux ``/proc/self/statm``)."""
    with open("/proc/self/statm", encoding="ascii") as f:
        pages = int(f.read().split()[0])
    return pages * resource.getpagesize()


def cap_address_space(memory_mb: int | None) -> int | None:
    """Let this process grow by at most ``memory_mb`` from now; returns the cap in bytes."""
    if not memory_mb:
        return None
    try:
        cap = address_space_bytes() + memory_mb * 1024 * 1024
    except OSError:  # no /proc (not Linux): no memory limit, the time limit still holds
        return None
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return cap


def timeout_message(source: str, step: str, timeout_s: float | None) -> str:
    return (f"{source}: the {step} step ran past the page time limit ({timeout_s:g} s, "
            "--page-timeout); the page is kept with this problem and the run went on")


def memory_message(source: str, step: str, memory_mb: int | None) -> str:
    limit = f"{memory_mb} MB, --page-memory" if memory_mb else "the machine's memory"
    return (f"{source}: the {step} step needed more memory than the page limit ({limit}); "
            "the page is kept with this problem and the run went on")


def crash_message(source: str, exitcode: int | None) -> str:
    return (f"{source}: the worker processing this page died (exit code {exitcode}); the "
            "page is kept with this problem and the run went on; please report it")


def killed_message(source: str, limits: PageLimits) -> str:
    return (f"{source}: the pipeline was still on this page {limits.grace_s:g} s after the "
            f"page time limit ({limits.timeout_s:g} s, --page-timeout), inside code that cannot be "
            "interrupted, so its worker was stopped; the page is kept with this problem and "
            "the run went on")
