"""The whole flow in one screen (DESIGN.md, "Flow").

    read ──► parse ──► [enrich ──► moderate ──► sign] ──► store ──► cluster

``read`` turns inputs into decoded Documents (``marsad.read``); ``ParseStep`` turns each
Document into a Page (``marsad.parse``); the steps of ``default_steps`` add fields to the
Page; one writer stores pages in batches (``marsad.run.runner``); the clustering stage
(``marsad.dedup.cluster``) then works over the store. Executors decide only
where a pipeline runs; the steps do not know.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from marsad.names import Stage
from marsad.parse import parse_document
from marsad.read import Reader, ReadLimits
from marsad.read.document import Document
from marsad.record import Page
from marsad.run.step import Step, StepStats


class ParseStep:
    """Documents in, Pages out; a parser crash on one document becomes that page's problem."""

    name = "parse"

    def __init__(self) -> None:
        self.stats = StepStats()

    def run(self, documents: Iterable[Document]) -> Iterator[Page]:
        for doc in documents:
            with self.stats.one_page():
                try:
                    page = parse_document(doc)
                except MemoryError:  # the worker records it against its page limit (limits.py)
                    raise
                except Exception as exc:  # a parser bug on one page must not stop the batch
                    self.stats.failures += 1
                    failed = Document(
                        source=doc.source,
                        url=doc.url,
                        error=f"{doc.source}: the parser failed ({type(exc).__name__}: "
                        f"{exc}); the page is kept with this problem; please report it",
                        error_kind="parse_error",
                    )
                    page = parse_document(failed)
                    page.problems[-1].stage = Stage.PARSE
            yield page


def default_steps() -> list[Step]:
    """The steps after parsing, in order: enrich (dialect), moderate, then sign (the
    MinHash signature the clustering stage reads from the store)."""
    from marsad.dedup.step import SignStep
    from marsad.enrich.step import EnrichStep
    from marsad.moderate.step import ModerateStep

    return [EnrichStep(), ModerateStep(), SignStep()]


class Pipeline:
    """Parse, then the steps; ``run`` is the in-process executor (chained generators)."""

    def __init__(self, steps: list[Step] | None = None) -> None:
        self.parse = ParseStep()
        self.steps: list[Step] = default_steps() if steps is None else steps

    def run(self, documents: Iterable[Document]) -> Iterator[Page]:
        pages: Iterable[Page] = self.parse.run(documents)
        for step in self.steps:
            pages = step.run(pages)
        yield from pages

    def stats(self) -> dict[str, StepStats]:
        """Pages, seconds and failures per step, in flow order."""
        return {self.parse.name: self.parse.stats, **{s.name: s.stats for s in self.steps}}


def pages_from_inputs(inputs: Iterable[str], limits: ReadLimits | None = None) -> Iterator[Page]:
    """Read, parse and process inputs in this process (tests, ``marsad parse``)."""
    reader = Reader(limits or ReadLimits())
    yield from Pipeline().run(reader.read(inputs))
