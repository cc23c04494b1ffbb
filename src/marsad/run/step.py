"""The step contract: one method, ``run(pages) -> pages`` (DESIGN.md, "Flow").

Most steps work one page at a time; they subclass ``PageStep`` and write ``process``.
``PageStep`` counts pages and time per step (so a run ends with a table of where the time
went) and turns an exception on one page into a problem recorded on that page: a bad page
never stops a batch.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from marsad.record import Page


@dataclass
class StepStats:
    pages: int = 0
    seconds: float = 0.0
    failures: int = 0

    @contextmanager
    def one_page(self) -> Iterator[None]:
        """Count a page and the time spent on it once the step is done with it. A page
        stopped by a limit (a BaseException) is not counted: that is how the worker tells
        which step did not finish (run/worker.py)."""
        started = time.perf_counter()
        yield
        self.seconds += time.perf_counter() - started
        self.pages += 1


@runtime_checkable
class Step(Protocol):
    name: str
    stats: StepStats

    def run(self, pages: Iterable[Page]) -> Iterator[Page]: ...


class PageStep:
    """A step that handles each page on its own.

    ``stage`` names where problems are recorded (names.Stage). ``process`` may change the
    page in place (adding fields) and returns it.
    """

    name: str = "step"
    stage: str = "parse"

    def __init__(self) -> None:
        self.stats = StepStats()

    def process(self, page: Page) -> Page:
        raise NotImplementedError

    def run(self, pages: Iterable[Page]) -> Iterator[Page]:
        for page in pages:
            with self.stats.one_page():
                try:
                    page = self.process(page)
                except MemoryError:  # the worker records it against its page limit (limits.py)
                    raise
                except Exception as exc:  # one page's failure is recorded, the batch goes on
                    self.stats.failures += 1
                    page.add_problem(self.stage,
                                     f"{self.name} failed: {type(exc).__name__}: {exc}")
            yield page
