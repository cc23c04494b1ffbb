"""Per-page fingerprints: word shingles, a MinHash signature and an exact text hash.

Everything is computed from the normalised words of the article text (``text.tokens.words``:
the shared normaliser folds harakat, tatweel, hamza forms, ta marbuta and digits, and drops
punctuation), so a copy that only adds harakat or changes punctuation is an exact duplicate.

Hashing is numpy-vectorised rather than datasketch's: each distinct word is hashed once
(blake2b, cached), a shingle's hash mixes its words' hashes, and the permutations are
multiply-shift hashes ``(a * x + b) >> 32`` over all shingles at once.
``benchmarks/dedup.py`` measures this against datasketch's MinHash on the same pages.
Python's own ``hash`` is salted per process, so it is never used: signatures must agree
between workers and runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from marsad.dedup.params import DEFAULT_PARAMS, DedupParams
from marsad.record import Page
from marsad.text.tokens import words

# Odd 64-bit multipliers for combining the words of a shingle (from splitmix64).
_COMBINE = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# Shingles hashed per block, so a very long page never builds a huge matrix.
_BLOCK = 2048


@lru_cache(maxsize=1 << 18)
def word_hash(word: str) -> int:
    """A stable 64-bit hash of one normalised word."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every output bit depends on every input bit."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX1
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX2
    return x ^ (x >> np.uint64(31))


def shingle_hashes(tokens: list[str], size: int) -> np.ndarray:
    """The distinct 64-bit hashes of the word ``size``-grams, sorted.

    A text shorter than ``size`` words is one shingle (itself), so it still has a set.
    """
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    h = np.fromiter((word_hash(w) for w in tokens), dtype=np.uint64, count=len(tokens))
    n = max(len(tokens) - size + 1, 1)
    acc = h[:n].copy()
    for j in range(1, min(size, len(tokens))):
        acc = acc * _COMBINE + h[j:j + n]
    return np.unique(_mix(acc))


def store_shingles(hashes: np.ndarray) -> np.ndarray:
    """The 32-bit form kept in the store for verification: the top half of each hash."""
    return np.unique((hashes >> np.uint64(32)).astype(np.uint32))


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The multiply-shift hash functions: odd multipliers ``a`` and offsets ``b``."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64)
    return a.reshape(-1, 1), b.reshape(-1, 1)


def minhash(hashes: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """The MinHash signature (``num_perm`` values below 2**32) of a set of shingle hashes."""
    a, b = permutations(num_perm, seed)
    out = np.full(num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(hashes), _BLOCK):
        block = hashes[start:start + _BLOCK].reshape(1, -1)
        np.minimum(out, ((a * block + b) >> np.uint64(32)).min(axis=1), out=out)
    return out.astype(np.uint32)


def text_hash(tokens: list[str]) -> str:
    """The exact-duplicate key: a hash of the normalised words, joined by spaces."""
    return hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).hexdigest()


def article_words(page: Page) -> list[str]:
    """The words a page is compared by: its article text, normalised (no title)."""
    return words(page.article_text)


@dataclass(frozen=True)
class Fingerprint:
    """What the clustering stage compares: exact hash, shingle set, signature."""

    text_hash: str
    shingles: np.ndarray  # sorted distinct uint32 (``store_shingles``)
    signature: np.ndarray  # uint32 × num_perm


def fingerprint(tokens: list[str], params: DedupParams = DEFAULT_PARAMS) -> Fingerprint:
    hashes = shingle_hashes(tokens, params.shingle_size)
    return Fingerprint(
        text_hash=text_hash(tokens),
        shingles=store_shingles(hashes),
        signature=minhash(hashes, params.num_perm, params.seed),
    )


def page_signature(page: Page, params: DedupParams = DEFAULT_PARAMS) -> list[int] | None:
    """The page's MinHash signature, or None when its article is too short to compare."""
    tokens = article_words(page)
    if len(tokens) < params.min_words:
        return None
    hashes = shingle_hashes(tokens, params.shingle_size)
    return [int(v) for v in minhash(hashes, params.num_perm, params.seed)]


def pack_signature(signature: list[int]) -> bytes:
    """A signature as stored: little-endian uint32 values (ours are all below 2**32; a
    foreign record's are masked rather than refused, so storing never fails on them)."""
    return np.asarray([v & 0xFFFFFFFF for v in signature], dtype="<u4").tobytes()


def unpack_uint32(blob: bytes) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype="<u4").astype(np.uint32)


def pack_uint32(values: np.ndarray) -> bytes:
    return np.asarray(values, dtype="<u4").tobytes()
