"""One batch of the clustering stage, decided in memory and written at the end.

Reading what a batch needs in a few large queries, deciding in memory and writing once
keeps the stage to a few dozen round trips per batch rather than several per page (which
is what makes PostgreSQL slow). The decisions are exactly the per-page ones described in
``dedup.cluster``: pages are taken earliest first, each sees every page clustered before
it (in the store or earlier in the batch), and clusters merge through a union-find whose
``redirect`` map sends a merged-away cluster id to the one that absorbed it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from marsad.dedup.params import DedupParams
from marsad.dedup.signature import pack_uint32, unpack_uint32
from marsad.dedup.similarity import compare, is_near_duplicate
from marsad.dedup.tables import ClusterRow, DedupTables


@dataclass
class Prepared:
    """A pending page with its fingerprints computed."""

    page_id: str
    key: tuple[Any, ...]  # sort key: (published_at, fetched_at, id)
    signature: bytes
    text_hash: str
    shingles: np.ndarray
    n_words: int
    buckets: list[int]


@dataclass
class _Cluster:
    id: str
    representative: str
    key: tuple[Any, ...]  # the representative's sort key
    size: int
    created: bool  # new in this batch: inserted, not updated
    changed: bool = False


@dataclass
class Outcome:
    founded: int = 0
    joined_near: int = 0
    joined_exact: int = 0
    merged: int = 0


@dataclass
class Batch:
    params: DedupParams
    clusters: dict[str, _Cluster] = field(default_factory=dict)
    redirect: dict[str, str] = field(default_factory=dict)  # merged away → absorbed by
    member: dict[str, str] = field(default_factory=dict)  # page → cluster (find() it)
    known: dict[str, tuple[str, np.ndarray]] = field(default_factory=dict)  # hash, shingles
    by_bucket: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_hash: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    added: list[tuple[Prepared, str, float | None]] = field(default_factory=list)
    merged_existing: list[str] = field(default_factory=list)
    outcome: Outcome = field(default_factory=Outcome)

    def find(self, cluster_id: str) -> str:
        while cluster_id in self.redirect:
            cluster_id = self.redirect[cluster_id]
        return cluster_id

    # -- reading -------------------------------------------------------------------------

    def load(self, tables: DedupTables, pages: list[Prepared]) -> None:
        """What the store already holds that these pages may match: pages sharing a
        bucket or a text hash, their shingles and clusters."""
        for bucket, page_id in tables.bucket_members([b for p in pages for b in p.buckets]):
            self.by_bucket[bucket].append(page_id)
        for text_hash, page_id in tables.hash_members([p.text_hash for p in pages]):
            self.by_hash[text_hash].append(page_id)
        ids = {pid for ids in self.by_bucket.values() for pid in ids}
        ids.update(pid for ids in self.by_hash.values() for pid in ids)
        for known in tables.known(ids):
            self.known[known.page_id] = (known.text_hash, unpack_uint32(known.shingles))
            self.member[known.page_id] = known.cluster_id
        for row in tables.clusters(set(self.member.values())).values():
            self.clusters[row.id] = _Cluster(row.id, row.representative, row.sort_key,
                                             row.size, created=False)

    # -- deciding ------------------------------------------------------------------------

    def add(self, page: Prepared, new_cluster_id: str) -> None:
        candidates: set[str] = set(self.by_hash.get(page.text_hash, ()))
        for bucket in page.buckets:
            candidates.update(self.by_bucket.get(bucket, ()))
        candidates.discard(page.page_id)
        matched: dict[str, float] = {}
        exact = False
        # Exact copies first: one verified page per cluster is enough to join it, so a
        # candidate whose cluster already matched is not compared again (a story copied
        # hundreds of times would otherwise cost hundreds of comparisons per copy).
        for other in sorted(candidates, key=lambda o: self.known.get(o, ("",))[0]
                            != page.text_hash):
            if other not in self.known or other not in self.member:
                continue  # an index row whose page is gone: nothing to match
            cluster_id = self.find(self.member[other])
            if cluster_id not in self.clusters:
                continue  # a member row whose cluster row is gone: never join a ghost
            if cluster_id in matched:
                continue
            text_hash, shingles = self.known[other]
            if text_hash == page.text_hash:
                similarity, exact = 1.0, True
            else:
                sim = compare(page.shingles, shingles)
                if not is_near_duplicate(sim, self.params):
                    continue
                similarity = sim.best
            matched[cluster_id] = similarity

        self.known[page.page_id] = (page.text_hash, page.shingles)
        if not exact:  # an exact copy adds nothing to the index its original is in
            self.by_hash[page.text_hash].append(page.page_id)
            for bucket in page.buckets:
                self.by_bucket[bucket].append(page.page_id)

        if not matched:
            self.clusters[new_cluster_id] = _Cluster(new_cluster_id, page.page_id, page.key, 1,
                                                     created=True)
            self.member[page.page_id] = new_cluster_id
            self.added.append((page, "founded", None))
            self.outcome.founded += 1
            return
        ordered = sorted((self.clusters[c] for c in matched), key=lambda c: c.key)
        survivor = ordered[0]
        for absorbed in ordered[1:]:  # union: the earliest representative's cluster absorbs
            self.redirect[absorbed.id] = survivor.id
            survivor.size += absorbed.size
            if not absorbed.created:
                self.merged_existing.append(absorbed.id)
            del self.clusters[absorbed.id]
            self.outcome.merged += 1
        survivor.size += 1
        if page.key < survivor.key:
            survivor.representative, survivor.key = page.page_id, page.key
        survivor.changed = True
        self.member[page.page_id] = survivor.id
        self.added.append((page, "exact" if exact else "near", max(matched.values())))
        if exact:
            self.outcome.joined_exact += 1
        else:
            self.outcome.joined_near += 1

    # -- writing -------------------------------------------------------------------------

    def write(self, tables: DedupTables) -> None:
        tables.add_pages([
            (p.page_id, p.signature, p.text_hash, pack_uint32(p.shingles), p.n_words)
            for p, _, _ in self.added
        ])
        tables.add_bands([(b, p.page_id) for p, how, _ in self.added if how != "exact"
                          for b in p.buckets])
        tables.add_members([
            (p.page_id, self.find(self.member[p.page_id]), how, similarity)
            for p, how, similarity in self.added
        ])
        for old in self.merged_existing:
            tables.move_members(old, self.find(old))
            tables.delete_cluster(old)
        for cluster in self.clusters.values():
            row = ClusterRow(cluster.id, cluster.representative, cluster.size)
            if cluster.created:
                tables.put_cluster(row, created=True)
            elif cluster.changed:
                tables.put_cluster(row, created=False)

