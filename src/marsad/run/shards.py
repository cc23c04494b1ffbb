"""Shards: the unit of work a run hands to a worker, commits, and records as finished.

How input is split (decided here, once, for every executor):

- The driver reads the inputs with ``marsad.read.Reader`` — the one place that walks
  folders, opens .gz, JSONL and WARC files and decodes bytes — and cuts the stream of
  Documents, in the reader's deterministic order, into runs of ``size`` documents. A shard
  is such a run: a few small files, or a record range of one large JSONL or WARC file (a
  100,000-record crawl file becomes 1,000 shards that run in parallel, not one).
- Workers receive the shard's decoded Documents, so Ray workers on other machines never
  need the input files.
- A shard's key digests its documents (source, url, kind, encoding, date, error, content)
  and the pipeline that processes them (marsad's version and the step names). The key is
  stored with the shard's last pages, in one transaction (``Store.upsert_rows``); a re-run
  reads the input again (reading is cheap next to parsing: see docs/benchmarks.md), skips
  every shard whose key is recorded and redoes the rest. Changed input or a changed
  pipeline gives a new key, so that shard is redone; pages are upserted by id, so redoing
  a page never doubles it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from marsad import __version__
from marsad.read.document import Document

SHARD_SIZE = 100  # documents per shard: the commit unit, and what a kill can cost to redo
KEY_LENGTH = 32  # hex characters of the shard key


@dataclass
class Shard:
    key: str
    index: int  # 0-based position in this run, for messages
    documents: list[Document]

    @property
    def first_source(self) -> str | None:
        return self.documents[0].source if self.documents else None


def pipeline_signature(step_names: Sequence[str]) -> str:
    """What a finished shard was processed with: a new version or step list redoes it."""
    return f"marsad {__version__}; steps {','.join(step_names)}"


def shard_key(documents: Sequence[Document], pipeline: str) -> str:
    h = hashlib.blake2b(digest_size=KEY_LENGTH // 2)
    h.update(pipeline.encode("utf-8"))
    for doc in documents:
        for part in (doc.source, doc.url, doc.kind, doc.encoding, doc.fetched_at, doc.error,
                     doc.error_kind, doc.content):
            h.update(b"\x00" if part is None else b"\x01" + part.encode("utf-8", "surrogatepass"))
            h.update(b"\x1f")
        h.update(b"\x1e")
    return h.hexdigest()


def plan_shards(
    documents: Iterable[Document], pipeline: str, size: int = SHARD_SIZE
) -> Iterator[Shard]:
    """Consecutive runs of ``size`` documents, each with its key."""
    if size < 1:
        raise ValueError(f"shard size must be at least 1, not {size}")
    batch: list[Document] = []
    index = 0
    for doc in documents:
        batch.append(doc)
        if len(batch) == size:
            yield Shard(shard_key(batch, pipeline), index, batch)
            batch, index = [], index + 1
    if batch:
        yield Shard(shard_key(batch, pipeline), index, batch)
