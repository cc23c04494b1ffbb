"""The clustering stage: near-duplicate clusters kept in the store, built incrementally.

``cluster_new_pages(store)`` takes the pages whose signature is stored but that the stage
has not seen (or whose signature changed: their text did), earliest first, and for each:

1. finds candidates: pages sharing an LSH band bucket (``dedup_bands``) or the exact text
   hash (``dedup_pages.text_hash``), among everything clustered before it;
2. verifies them: the same text hash is an exact duplicate; otherwise Jaccard or
   containment of the shingle sets must reach its threshold (``similarity``);
3. unions: with no verified candidate the page founds a cluster of one; with one cluster it
   joins it; with several it merges them (union-find over clusters, each member pointing
   straight at its cluster, so finding is one lookup). The cluster whose representative is
   earliest keeps its id; the others' members move to it.

A cluster's representative is its earliest page by (published_at, fetched_at, page id).
Cluster ids never change when a page joins, so a new copy of an old story lands in the
cluster researchers already know. A changed page leaves its old cluster first (its cluster
is not split if that page was the only link between two halves: ``rebuild_clusters`` does
the whole corpus again). Each batch of pages is read in a few queries, decided in memory
(``dedup.batch``) and committed in one transaction: an interrupted run keeps what it
finished and the next run goes on from there. Comments without a text hash are hashed
first (``dedup.comments``).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tqdm import tqdm

from marsad.dedup.batch import Batch, Prepared
from marsad.dedup.comments import hash_new_comments
from marsad.dedup.params import DEFAULT_PARAMS, DedupParams
from marsad.dedup.signature import (
    shingle_hashes,
    store_shingles,
    text_hash,
    unpack_uint32,
)
from marsad.dedup.similarity import band_buckets
from marsad.dedup.tables import ClusterRow, DedupTables, Pending, sort_key
from marsad.store.base import Store
from marsad.text.tokens import words

BATCH_SIZE = 500
_PARAMS_KEY = "params"


@dataclass
class ClusterSummary:
    # this run
    pages: int = 0  # pages clustered (new or changed)
    founded: int = 0  # pages that found no earlier copy and started a cluster
    joined_near: int = 0  # joined by near-duplicate verification
    joined_exact: int = 0  # joined by the exact text hash
    merged: int = 0  # clusters merged into another by a page that matched both
    changed: int = 0  # pages whose text changed since they were clustered
    dropped: int = 0  # pages that lost their signature, taken out of their cluster
    skipped: int = 0  # signatures of another length than the parameters say
    comments_hashed: int = 0
    seconds: float = 0.0
    # the whole store, after the run
    pages_clustered: int = 0
    clusters: int = 0  # clusters of two or more pages
    pages_in_clusters: int = 0
    largest: int = 0


class ParamsMismatch(ValueError):
    """The store's clusters were built with other parameters."""


def check_params(tables: DedupTables, params: DedupParams) -> None:
    recorded = tables.get_state(_PARAMS_KEY)
    if recorded is None:
        tables.set_state(_PARAMS_KEY, params.index_key())
    elif json.loads(recorded) != json.loads(params.index_key()):
        raise ParamsMismatch(
            f"the store's clusters were built with {recorded}, not {params.index_key()}; "
            "run `marsad cluster --rebuild` to cluster every page again with the new ones"
        )


def rebuild_clusters(store: Store, params: DedupParams = DEFAULT_PARAMS,
                     progress: bool = False) -> ClusterSummary:
    """Forget every cluster and the LSH index, then cluster every signed page again."""
    tables = DedupTables(store)
    with tables.write():
        tables.clear()
    return cluster_new_pages(store, params, progress=progress)


def cluster_new_pages(store: Store, params: DedupParams = DEFAULT_PARAMS, *,
                      batch_size: int = BATCH_SIZE, progress: bool = False) -> ClusterSummary:
    """Cluster the pages not clustered yet (and re-cluster changed ones); see the module."""
    started = time.perf_counter()
    tables = DedupTables(store)
    summary = ClusterSummary()
    with tables.write():
        check_params(tables, params)
        for page_id in tables.orphans():
            _leave_cluster(tables, page_id, params)
            summary.dropped += 1
    summary.comments_hashed = hash_new_comments(store)
    pending = tables.pending()
    bar = tqdm(total=len(pending), unit="page", desc="cluster", disable=not progress)
    for batch in _batches(pending, batch_size):
        records = tables.records([p.page_id for p in batch])
        prepared = []
        for page in batch:  # the CPU work, before taking the write lock
            ready = _prepare(page, records.get(page.page_id), params)
            if ready is None:
                summary.skipped += 1
            else:
                prepared.append(ready)
        with tables.write():
            for page in batch:
                if page.clustered_before:  # its text changed since
                    _leave_cluster(tables, page.page_id, params)
                    summary.changed += 1
            founding = _founding_ids(tables, prepared)
            state = Batch(params)
            state.load(tables, prepared)
            for ready in prepared:
                state.add(ready, founding[ready.page_id])
            state.write(tables)
        summary.pages += len(prepared)
        summary.founded += state.outcome.founded
        summary.joined_near += state.outcome.joined_near
        summary.joined_exact += state.outcome.joined_exact
        summary.merged += state.outcome.merged
        bar.update(len(batch))
    bar.close()
    (summary.pages_clustered, summary.clusters, summary.pages_in_clusters,
     summary.largest) = tables.totals()
    summary.seconds = time.perf_counter() - started
    return summary


def _batches(items: Sequence[Pending], size: int) -> Iterator[Sequence[Pending]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _article_text(record: str | None) -> str:
    """The article text (paragraphs joined by a newline, as ``Page.article_text``) straight
    from the stored JSON, without rebuilding the whole record."""
    if record is None:
        return ""
    paragraphs = json.loads(record).get("paragraphs") or []
    return "\n".join(p.get("text", "") for p in paragraphs)


def _prepare(page: Pending, record: str | None, params: DedupParams) -> Prepared | None:
    """A pending page's fingerprints, or None when its signature has another length than
    the parameters say (signed with other parameters)."""
    signature = unpack_uint32(page.signature)
    if len(signature) != params.num_perm:
        return None
    tokens = words(_article_text(record))
    return Prepared(
        page_id=page.page_id,
        key=sort_key(page.published_at, page.fetched_at, page.page_id),
        signature=page.signature,
        text_hash=text_hash(tokens),
        shingles=store_shingles(shingle_hashes(tokens, params.shingle_size)),
        n_words=len(tokens),
        buckets=band_buckets(signature, params.bands, params.rows),
    )


def _leave_cluster(tables: DedupTables, page_id: str, params: DedupParams) -> None:
    """Take a page out of the index and its cluster; the cluster keeps its id."""
    cluster_id = tables.cluster_of(page_id)
    old = tables.clustered_signature(page_id)
    buckets = band_buckets(unpack_uint32(old), params.bands, params.rows) if old else []
    copy = tables.indexed_copy(page_id)
    tables.forget_page(page_id, buckets)
    if copy is not None and buckets:  # an exact copy, kept out of the index, takes its place
        tables.add_bands([(bucket, copy) for bucket in buckets])
    if cluster_id is None:
        return
    remaining = tables.members(cluster_id)
    if not remaining:
        tables.delete_cluster(cluster_id)
        return
    keys = tables.sort_keys(remaining)
    representative = min(remaining, key=lambda p: keys.get(p, (True, "", True, "", p)))
    tables.put_cluster(ClusterRow(cluster_id, representative, len(remaining)), created=False)


def _founding_ids(tables: DedupTables, pages: list[Prepared]) -> dict[str, str]:
    """The id each page would give a cluster it founds: a stable hash of the page and its
    text, with a counter only if that id is taken (a page that changed back to a text it
    once founded a cluster with, the cluster still alive through other members)."""
    def make(page: Prepared, n: int) -> str:
        seed = f"{page.page_id}\n{page.text_hash}" + (f"\n{n}" if n else "")
        return "c" + hashlib.blake2b(seed.encode("utf-8"), digest_size=8).hexdigest()

    ids = {p.page_id: make(p, 0) for p in pages}
    taken = tables.existing_clusters(ids.values())
    for page in pages:
        n = 0
        while ids[page.page_id] in taken:
            n += 1
            ids[page.page_id] = make(page, n)
            if tables.cluster_exists(ids[page.page_id]):
                taken.add(ids[page.page_id])
    return ids
