"""A test-only step that misbehaves on marked pages, for the per-page limits of a run.

``trapped_pipeline`` is the default pipeline with ``TrapStep`` after parsing. A page whose
title holds one of the TRAP_* markers makes the step loop in Python, hang where no signal
reaches it (like C code), allocate without end, or kill its process. Production code
knows nothing of it: tests hand the factory to ``run_corpus(make_pipeline=...)``.
"""

from __future__ import annotations

import os
import signal
import time

from marsad.record import Page
from marsad.run.pipeline import Pipeline, default_steps
from marsad.run.step import PageStep

TRAP_LOOP = "TRAPLOOP"
TRAP_HANG = "TRAPHANG"
TRAP_MEMORY = "TRAPMEMORY"
TRAP_CRASH = "TRAPCRASH"
HANG_S = 120.0
MEMORY_CHUNK = 64 * 1024 * 1024


class TrapStep(PageStep):
    name = "trap"
    stage = "enrich"

    def process(self, page: Page) -> Page:
        title = page.title or ""
        if TRAP_LOOP in title:
            while True:  # pure Python: the soft limit interrupts it
                pass
        if TRAP_HANG in title:
            # Like code inside C: the timer signal is blocked, so only a kill ends it.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            try:
                time.sleep(HANG_S)
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
        if TRAP_MEMORY in title:
            hoard = []
            while True:
                hoard.append(bytearray(MEMORY_CHUNK))
        if TRAP_CRASH in title:
            os._exit(3)
        return page


def trapped_pipeline() -> Pipeline:
    return Pipeline([TrapStep(), *default_steps()])


def parse_only_pipeline() -> Pipeline:
    """Parsing alone: for tests about moving pages around, not about the steps."""
    return Pipeline([])
