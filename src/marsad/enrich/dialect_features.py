"""Hashed features of a sentence for the dialect identifier, shared by training and scoring.

Dialects show in short function words and affixes (إيه، شو، وش، واش، شلون; the Egyptian
future «ح» and the Levantine «عم», «بـ» before verbs, Maghrebi «ما…ش»), so the features are
character n-grams of every word with its boundaries marked (a prefix «بيـ» is not the same
n-gram as «يـ» inside a word) plus word unigrams and bigrams. Every feature is hashed into
one fixed space (no vocabulary to ship): the model is just a weight matrix over buckets.

The text is normalised by the project normaliser (``marsad.text.tokens.words``, which uses
``marsad.text.normalize``), so training and scoring see exactly the same forms.

The same function builds the training matrix (``training/train_dialect.py``) and scores a
sentence at run time (``marsad.enrich.dialect``): change anything here and the shipped model
must be retrained; ``FEATURE_VERSION`` is stored in the model file and checked on load.
"""

from __future__ import annotations

import itertools
import zlib
from functools import lru_cache

import numpy as np

from marsad.text.tokens import words

# Bump when the features below change: a model trained on other features refuses to load.
FEATURE_VERSION = 2

HASH_BITS = 18  # 262,144 buckets × 6 dialects × float16 = 3.1 MB, inside the 4 MB budget
N_BUCKETS = 1 << HASH_BITS
CHAR_NGRAM_MIN = 1
CHAR_NGRAM_MAX = 5
WORD_BOUNDARY = " "  # marks the start and end of a word inside its character n-grams
# Words longer than this are URLs, glued runs or keyboard noise: their first characters
# carry what they have to say, and the cap bounds the work per word.
MAX_WORD_CHARS = 30
# A single comment may be a 100,000-character paste; the first words decide its dialect.
MAX_WORDS = 400

# Each kind of feature hashes with its own prefix, so the word «شو» and the character
# 2-gram «شو» are different features.
_CHAR_PREFIX = b"c"
_WORD_PREFIX = b"w"
_BIGRAM_PREFIX = b"b"
_MASK = N_BUCKETS - 1


def _bucket(prefix: bytes, feature: str) -> int:
    return zlib.crc32(prefix + feature.encode("utf-8")) & _MASK


@lru_cache(maxsize=200_000)
def word_buckets(word: str) -> tuple[int, ...]:
    """The buckets of one normalised word: its character n-grams and the word itself.

    Cached: words follow Zipf's law, so most words of a new text were hashed before.
    """
    word = word[:MAX_WORD_CHARS]
    padded = f"{WORD_BOUNDARY}{word}{WORD_BOUNDARY}"
    out = [_bucket(_WORD_PREFIX, word)]
    for n in range(CHAR_NGRAM_MIN, CHAR_NGRAM_MAX + 1):
        for i in range(len(padded) - n + 1):
            gram = padded[i:i + n]
            if gram != WORD_BOUNDARY:  # the lone boundary says nothing
                out.append(_bucket(_CHAR_PREFIX, gram))
    return tuple(out)


def text_words(text: str) -> list[str]:
    """The normalised words of ``text`` that the features look at (at most MAX_WORDS)."""
    return words(text)[:MAX_WORDS]


def word_list_buckets(tokens: list[str]) -> list[int]:
    """Buckets of a list of normalised words, repeated features included."""
    out: list[int] = []
    for w in tokens:
        out.extend(word_buckets(w))
    out.extend(bigram_bucket(a, b) for a, b in itertools.pairwise(tokens))
    return out


def text_buckets(text: str) -> list[int]:
    """Buckets of all the features of ``text`` (with repeats: a feature seen twice counts 2)."""
    return word_list_buckets(text_words(text))


def feature_vector(buckets: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The sparse feature vector of a text: (bucket indices, values).

    Values are counts divided by the square root of the number of features in the text, so a
    long comment and a short one land on the same scale. The scale depends only on that
    number, which keeps a text's score a plain sum over its words: the scorer caches each
    word's summed weights (``marsad.enrich.dialect``) instead of rebuilding this vector.
    (Log-scaled counts with unit length scored the same in cross-validation and cost 4× the
    time: DIALECT_CARD.md.)
    """
    if not buckets:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx, counts = np.unique(np.asarray(buckets, dtype=np.int64), return_counts=True)
    return idx, (counts / np.sqrt(len(buckets))).astype(np.float32)


def bigram_bucket(a: str, b: str) -> int:
    """The bucket of the word bigram «a b»."""
    return _bucket(_BIGRAM_PREFIX, f"{a} {b}")
