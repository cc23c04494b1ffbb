"""Candidates and their verification: LSH band buckets, shingle-set similarity, the rule.

These pure functions are the whole decision; ``dedup.cluster`` applies them to the store
and ``benchmarks/dedup.py`` to pages in memory, so both measure the same thing.

Candidates come from LSH (pages sharing a band bucket) and are verified on the exact
shingle sets (kept in the store as 32-bit hashes), not on the MinHash estimate: with 128
permutations the estimate's standard error is about 0.04 at the thresholds we use, and the
containment estimated from it is worse for pages of very different lengths. The benchmark
prints both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from marsad.dedup.params import DedupParams

_BAND_SEED = np.uint64(0x6D61727361640001)  # any fixed odd number
_PRIME = np.uint64(0x100000001B3)  # FNV's 64-bit prime
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float  # of the smaller set in the larger

    @property
    def best(self) -> float:
        return max(self.jaccard, self.containment)


def band_buckets(signature: np.ndarray, bands: int, rows: int) -> list[int]:
    """One signed 64-bit bucket per band: a hash of the band's number and its values.

    The band's number is in the hash, so equal values in different bands never collide.
    """
    values = np.asarray(signature[: bands * rows], dtype=np.uint64).reshape(bands, rows)
    acc = np.arange(bands, dtype=np.uint64) * _PRIME + _BAND_SEED
    for r in range(rows):
        acc = (acc ^ values[:, r]) * _PRIME
    acc = acc ^ (acc >> np.uint64(30))
    acc = acc * _MIX1
    acc = acc ^ (acc >> np.uint64(27))
    acc = acc * _MIX2
    acc = acc ^ (acc >> np.uint64(31))
    return [int(v) for v in acc.view(np.int64)]


def compare(a: np.ndarray, b: np.ndarray) -> Similarity:
    """Jaccard and containment of two sorted sets of distinct shingle hashes."""
    if not len(a) or not len(b):
        return Similarity(0.0, 0.0)
    common = len(np.intersect1d(a, b, assume_unique=True))
    return Similarity(
        jaccard=common / (len(a) + len(b) - common),
        containment=common / min(len(a), len(b)),
    )


def estimate(sig_a: np.ndarray, sig_b: np.ndarray, size_a: int, size_b: int) -> Similarity:
    """The same two figures estimated from MinHash signatures and the sets' sizes (for the
    benchmark's comparison; clustering uses ``compare``)."""
    j = float(np.mean(sig_a == sig_b))
    common = j / (1 + j) * (size_a + size_b)
    smaller = min(size_a, size_b)
    return Similarity(jaccard=j, containment=min(common / smaller, 1.0) if smaller else 0.0)


def is_near_duplicate(similarity: Similarity, params: DedupParams) -> bool:
    return similarity.jaccard >= params.jaccard or similarity.containment >= params.containment
