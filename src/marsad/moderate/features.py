"""Hashed character and word n-gram features, computed with numpy for a whole batch.

A comment is cleaned (``deobfuscate``: the project normaliser plus moderation's
de-obfuscation), split into tokens (words, and each emoji on its own) and written as a
*stream*: the tokens separated by single spaces with a space at each end. Features are

- character n-grams of 2–5 characters that stay inside one token, the spaces around a
  token counting as its boundary (scikit-learn's ``char_wb``): « كلب» and «لب » are
  features, «ب ا» is not;
- word unigrams and bigrams.

Each feature is hashed into ``2**HASH_BITS`` buckets with a polynomial rolling hash over
the code points (prefix sums, so every n-gram of a batch is hashed by a handful of numpy
operations) followed by a splitmix64 finaliser; the kind of feature (n-gram length, word,
bigram) salts the hash. Values are binary presence per comment, L2-normalised within the
character block and within the word block, each block then scaled by its weight. Training
(``training/train_moderation.py``) and scoring use these same functions, so the shipped
weights line up with the buckets bit for bit on any platform (uint64 arithmetic wraps).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from marsad.moderate.deobfuscate import Mapped, deobfuscate

HASH_BITS = 20
N_BUCKETS = 1 << HASH_BITS
CHAR_NGRAM_SIZES = (2, 3, 4, 5)
# Tokens: runs of letters/digits, or one emoji/pictograph (🖕 and 🐷 carry meaning).
TOKEN_RE = re.compile("[^\\W_]+|[\U0001f300-\U0001faff\u2600-\u27bf]")
# A token longer than this is not a word (a URL, a key-mash): its n-grams are kept but only
# its first MAX_TOKEN characters, which bounds the work per comment.
MAX_TOKEN = 40

_SPACE = np.uint64(ord(" "))
_BASE = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_INV_BASE = pow(_BASE, -1, 1 << 64)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_SALT = np.uint64(0x9E3779B97F4A7C15)
_PAIR = np.uint64(0xD6E8FEB86659FD93)
_SHIFT = np.uint64(64 - HASH_BITS)
# Salts per feature kind: n-gram length n uses n; words and bigrams come after.
KIND_WORD = 1
KIND_BIGRAM = 7


@dataclass(frozen=True)
class Prepared:
    """A comment ready for featurisation: its cleaned text and its tokens."""

    mapped: Mapped
    tokens: tuple[str, ...]

    @property
    def original(self) -> str:
        return self.mapped.original

    @cached_property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """Token spans in ``mapped.text`` (computed when an explanation asks)."""
        return tuple(m.span() for m in TOKEN_RE.finditer(self.mapped.text))

    def token_span_in_original(self, i: int) -> tuple[int, int]:
        return self.mapped.span_to_original(*self.spans[i])


def prepare(text: str) -> Prepared:
    mapped = deobfuscate(text)
    tokens = TOKEN_RE.findall(mapped.text)
    if tokens and max(map(len, tokens)) > MAX_TOKEN:
        tokens = [t[:MAX_TOKEN] for t in tokens]
    return Prepared(mapped, tuple(tokens))


class _Powers:
    """B**i and B**-i modulo 2**64, grown on demand."""

    def __init__(self) -> None:
        self.pow = np.ones(1, dtype=np.uint64)
        self.inv = np.ones(1, dtype=np.uint64)

    def upto(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self.pow) < n:
            size = max(n, 2 * len(self.pow), 4096)
            with np.errstate(over="ignore"):
                self.pow = np.empty(size, dtype=np.uint64)
                self.pow[0] = 1
                self.pow[1:] = np.cumprod(np.full(size - 1, _BASE, dtype=np.uint64))
                self.inv = np.empty(size, dtype=np.uint64)
                self.inv[0] = 1
                self.inv[1:] = np.cumprod(np.full(size - 1, _INV_BASE, dtype=np.uint64))
        return self.pow[:n], self.inv[:n]


_POWERS = _Powers()


def _mix(h: np.ndarray, kind: int | np.ndarray) -> np.ndarray:
    """splitmix64 of the hash salted by its kind, reduced to a bucket."""
    z = h ^ (np.uint64(kind) * _SALT) if isinstance(kind, int) else h ^ (kind * _SALT)
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    z = z ^ (z >> np.uint64(31))
    return (z >> _SHIFT).astype(np.int64)


@dataclass(frozen=True)
class Occurrences:
    """Every feature occurrence of a batch: which comment, which bucket, which token.

    ``block`` is 0 for character n-grams and 1 for words and bigrams. ``token`` indexes the
    comment's tokens (for a bigram: its first token; ``token2`` is its second, else -1).
    """

    doc: np.ndarray
    bucket: np.ndarray
    block: np.ndarray
    token: np.ndarray
    token2: np.ndarray
    n_docs: int


def occurrences(batch: Sequence[Prepared]) -> Occurrences:
    """All feature occurrences of a batch, hashed (see the module docstring)."""
    streams = [" " + " ".join(p.tokens) + " " if p.tokens else "" for p in batch]
    joined = "".join(streams)
    lengths = np.fromiter((len(s) for s in streams), dtype=np.int64, count=len(streams))
    n = len(joined)
    empty = np.empty(0, dtype=np.int64)
    if n == 0:
        return Occurrences(empty, empty, empty, empty, empty, len(batch))
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    pw, inv = _POWERS.upto(n + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(cps * pw[:n], out=prefix[1:])
    is_space = cps == _SPACE
    spaces = np.concatenate(([0], np.cumsum(is_space)))
    doc_of = np.repeat(np.arange(len(batch), dtype=np.int64), lengths)
    # token number (within its comment) of every position: count of word starts so far
    word_start = ~is_space & np.concatenate(([True], is_space[:-1]))
    word_end = ~is_space & np.concatenate((is_space[1:], [True]))
    starts_idx = np.flatnonzero(word_start)
    ends_idx = np.flatnonzero(word_end) + 1
    word_doc = doc_of[starts_idx]
    first_word_of_doc = np.searchsorted(word_doc, np.arange(len(batch)))
    word_no = np.cumsum(word_start) - 1  # global word index at each position

    docs: list[np.ndarray] = []
    buckets: list[np.ndarray] = []
    blocks: list[np.ndarray] = []
    tokens: list[np.ndarray] = []
    tokens2: list[np.ndarray] = []
    with np.errstate(over="ignore"):
        for size in CHAR_NGRAM_SIZES:
            i = np.arange(n - size + 1)
            interior = spaces[i + size - 1] - spaces[i + 1]
            keep = interior == 0
            if size == 2:
                keep &= ~(is_space[i] & is_space[i + 1])
            i = i[keep]
            h = (prefix[i + size] - prefix[i]) * inv[i]
            # the token an n-gram belongs to: the one its second character is in
            owner = word_no[i + 1]
            d = doc_of[i]
            docs.append(d)
            buckets.append(_mix(h, size))
            blocks.append(np.zeros(len(i), dtype=np.int64))
            tokens.append(owner - first_word_of_doc[d])
            tokens2.append(np.full(len(i), -1, dtype=np.int64))
        wh = (prefix[ends_idx] - prefix[starts_idx]) * inv[starts_idx]
        local = np.arange(len(starts_idx)) - first_word_of_doc[word_doc]
        docs.append(word_doc)
        buckets.append(_mix(wh, KIND_WORD))
        blocks.append(np.ones(len(wh), dtype=np.int64))
        tokens.append(local)
        tokens2.append(np.full(len(wh), -1, dtype=np.int64))
        pair = np.flatnonzero(word_doc[1:] == word_doc[:-1])
        bh = wh[pair] * _PAIR + wh[pair + 1]
        docs.append(word_doc[pair])
        buckets.append(_mix(bh, KIND_BIGRAM))
        blocks.append(np.ones(len(pair), dtype=np.int64))
        tokens.append(local[pair])
        tokens2.append(local[pair + 1])
    return Occurrences(
        np.concatenate(docs), np.concatenate(buckets), np.concatenate(blocks),
        np.concatenate(tokens), np.concatenate(tokens2), len(batch),
    )


@dataclass(frozen=True)
class Features:
    """Distinct (comment, block, bucket) triples of a batch with their values.

    Sorted by comment, then block, then bucket. As a matrix (comments × buckets) the two
    blocks add up where they share a bucket.
    """

    doc: np.ndarray
    block: np.ndarray
    bucket: np.ndarray
    value: np.ndarray
    n_docs: int


def block_values(occ: Occurrences, block_weights: tuple[float, float]) -> Features:
    """Binary presence, L2-normalised per comment within each block, scaled per block."""
    if len(occ.doc) == 0:
        return Features(occ.doc, occ.block, occ.bucket, np.empty(0, dtype=np.float32),
                        occ.n_docs)
    key = (occ.doc << np.int64(HASH_BITS + 1)) | (occ.block << np.int64(HASH_BITS)) | occ.bucket
    key.sort()  # np.unique's hash table is slower than a sort for these sizes
    key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    doc = key >> np.int64(HASH_BITS + 1)
    block = (key >> np.int64(HASH_BITS)) & np.int64(1)
    bucket = key & np.int64(N_BUCKETS - 1)
    cell = doc * 2 + block
    counts = np.bincount(cell, minlength=2 * occ.n_docs)
    weights = np.asarray(block_weights, dtype=np.float64)
    value = weights[block] / np.sqrt(counts[cell])
    return Features(doc, block, bucket, value.astype(np.float32), occ.n_docs)


def featurize(batch: Sequence[Prepared], block_weights: tuple[float, float]) -> Features:
    return block_values(occurrences(batch), block_weights)
