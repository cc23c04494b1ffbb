"""Which variety of Arabic a sentence or a comment is written in.

Labels are ``marsad.names.Dialect``: ``msa`` and five dialect groups. The model is linear
over hashed features (``dialect_features``): one weight per (bucket, label) and one bias per
label, shipped as float16 arrays in ``models/dialect.npz`` and scored here with numpy alone
(no scikit-learn at run time, no pickles). It is trained by ``training/train_dialect.py``;
``models/DIALECT_CARD.md`` gives the data, parameters and figures.

Each label has its own one-against-the-rest logistic score; the probabilities are the
sigmoids of those scores scaled to sum to one, and a guess's confidence is the probability
of its label.

A comment mixes sentences, often MSA around one dialect phrase, so ``identify_comment``
splits it into sentences, scores each, and averages their probabilities weighted by their
number of words (DESIGN.md: "a comment's label comes from its sentences, weighted by
length"); the label is the top of that average.

The model is loaded once per process, on first use.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.enrich.dialect_features import (
    FEATURE_VERSION,
    N_BUCKETS,
    bigram_bucket,
    text_words,
    word_buckets,
)
from marsad.names import Dialect
from marsad.record import DialectGuess

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "dialect.npz"
MODEL_NAME = "dialect-nbsvm"

# A text with no word in it (emoji, punctuation, an empty comment) gives no evidence: it is
# reported as MSA, the written default, with confidence 0 so that a reader can tell.
NO_EVIDENCE = DialectGuess(Dialect.MSA.value, 0.0)

# Sentence ends: Latin and Arabic full stop, question and exclamation marks, the Arabic
# semicolon, the ellipsis character and line breaks. A run of them is one boundary. (One
# character class repeated: no backtracking, safe on any line.)
SENTENCE_END = re.compile(r"[.!?؟؛…\n\r]+")

# Distinct words whose summed weights are kept; the cache starts afresh when full.
WORD_CACHE_SIZE = 200_000


class DialectModelError(RuntimeError):
    """The shipped model file is missing or was made for other features."""


@dataclass(frozen=True)
class DialectModel:
    """A loaded linear model: ``weights[bucket, label]`` and ``bias[label]``.

    A text's feature vector is its bucket counts over sqrt(number of features)
    (``dialect_features.feature_vector``), so its logits are the sum of its words' and
    bigrams' weight rows divided by that square root, plus the bias. Each word's summed
    rows are cached: the same result as the full vector product, without rebuilding it.
    """

    labels: tuple[str, ...]
    weights: np.ndarray  # float32, (N_BUCKETS, len(labels))
    bias: np.ndarray  # float32, (len(labels),)
    _words: dict[str, tuple[np.ndarray, int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def _word(self, word: str) -> tuple[np.ndarray, int]:
        """A word's summed weight rows and its number of features."""
        hit = self._words.get(word)
        if hit is None:
            buckets = list(word_buckets(word))
            hit = (self.weights[buckets].sum(axis=0), len(buckets))
            if len(self._words) >= WORD_CACHE_SIZE:
                self._words.clear()
            self._words[word] = hit
        return hit

    def logits_of_words(self, words: list[str]) -> np.ndarray | None:
        """One-against-the-rest scores for a list of normalised words, None if empty."""
        if not words:
            return None
        rows = []
        n_features = 0
        for w in words:
            summed, n = self._word(w)
            rows.append(summed)
            n_features += n
        total = np.sum(rows, axis=0)
        if len(words) > 1:
            bigrams = [bigram_bucket(a, b) for a, b in itertools.pairwise(words)]
            total = total + self.weights[bigrams].sum(axis=0)
            n_features += len(bigrams)
        return total / np.sqrt(n_features) + self.bias

    def probabilities_of_words(self, words: list[str]) -> np.ndarray | None:
        """Probabilities over ``labels`` for a list of normalised words, None if empty."""
        logits = self.logits_of_words(words)
        if logits is None:
            return None
        # Sigmoid of each one-against-the-rest score, clipped so exp cannot overflow.
        p = 1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0)))
        return p / p.sum()


def load_model(path: str | Path = MODEL_PATH) -> DialectModel:
    """Read a dialect model file written by ``training/train_dialect.py``."""
    path = Path(path)
    if not path.is_file():
        raise DialectModelError(
            f"{path}: dialect model missing; rebuild it with "
            "`python training/train_dialect.py` (needs ../shared/data/dialect)"
        )
    with np.load(path, allow_pickle=False) as data:
        version = int(data["feature_version"])
        if version != FEATURE_VERSION:
            raise DialectModelError(
                f"{path}: made for dialect features v{version}, the code has "
                f"v{FEATURE_VERSION}; retrain with `python training/train_dialect.py`"
            )
        labels = tuple(str(x) for x in data["labels"])
        weights = data["weights"].astype(np.float32)
        bias = data["bias"].astype(np.float32)
    unknown = set(labels) - {d.value for d in Dialect}
    if unknown or weights.shape != (N_BUCKETS, len(labels)) or bias.shape != (len(labels),):
        raise DialectModelError(
            f"{path}: unexpected model layout (labels {labels}, weights {weights.shape}); "
            "retrain with `python training/train_dialect.py`"
        )
    return DialectModel(labels, weights, bias)


@lru_cache(maxsize=1)
def get_model() -> DialectModel:
    """The shipped model, loaded on first use and kept for the life of the process."""
    return load_model()


def split_sentences(text: str) -> list[str]:
    """The sentences of a comment: pieces between sentence-ending marks, blanks dropped."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def _guess(labels: tuple[str, ...], p: np.ndarray) -> DialectGuess:
    best = int(np.argmax(p))
    return DialectGuess(labels[best], round(float(p[best]), 4))


def probabilities(text: str) -> dict[str, float]:
    """Probability of each label for ``text`` taken as one sentence ({} if it has no word)."""
    model = get_model()
    p = model.probabilities_of_words(text_words(text))
    if p is None:
        return {}
    return {label: float(x) for label, x in zip(model.labels, p, strict=True)}


def identify(text: str) -> DialectGuess:
    """The dialect of ``text`` taken as one sentence, with its probability as confidence."""
    model = get_model()
    p = model.probabilities_of_words(text_words(text))
    return NO_EVIDENCE if p is None else _guess(model.labels, p)


def comment_probabilities(text: str) -> np.ndarray | None:
    """A comment's label probabilities: its sentences' averaged, weighted by word count."""
    model = get_model()
    total: np.ndarray | None = None
    weight = 0
    for sentence in split_sentences(text):
        words = text_words(sentence)
        p = model.probabilities_of_words(words)
        if p is None:
            continue
        total = p * len(words) if total is None else total + p * len(words)
        weight += len(words)
    return None if total is None else total / weight


def identify_comment(text: str) -> DialectGuess:
    """The dialect of a comment: its sentences' probabilities, weighted by their length."""
    p = comment_probabilities(text)
    return NO_EVIDENCE if p is None else _guess(get_model().labels, p)


def identify_batch(texts: Iterable[str], *, comments: bool = True) -> list[DialectGuess]:
    """``identify_comment`` (or, with ``comments=False``, ``identify``) of each text."""
    one = identify_comment if comments else identify
    return [one(text) for text in texts]
