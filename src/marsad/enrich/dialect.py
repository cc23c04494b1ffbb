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
from collections.abc import Iterable, Sequence
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


def weighted_probabilities(
    text: str, model: DialectModel | None = None
) -> tuple[np.ndarray | None, int]:
    """A comment's sentences' probabilities averaged by word count, and that word count.

    ``model`` defaults to the shipped one (training scripts pass the model of a fold).
    """
    model = get_model() if model is None else model
    total: np.ndarray | None = None
    weight = 0
    for sentence in split_sentences(text):
        words = text_words(sentence)
        p = model.probabilities_of_words(words)
        if p is None:
            continue
        total = p * len(words) if total is None else total + p * len(words)
        weight += len(words)
    return (None, 0) if total is None else (total / weight, weight)


def comment_probabilities(text: str) -> np.ndarray | None:
    """A comment's label probabilities: its sentences' averaged, weighted by word count."""
    return weighted_probabilities(text)[0]


def identify_comment(text: str) -> DialectGuess:
    """The dialect of a comment: its sentences' probabilities, weighted by their length."""
    p = comment_probabilities(text)
    return NO_EVIDENCE if p is None else _guess(get_model().labels, p)


def identify_batch(texts: Iterable[str], *, comments: bool = True) -> list[DialectGuess]:
    """``identify_comment`` (or, with ``comments=False``, ``identify``) of each text."""
    one = identify_comment if comments else identify
    return [one(text) for text in texts]


# --- Page context -------------------------------------------------------------------------


@dataclass(frozen=True)
class PageContext:
    """How much the comments of one page pull each other toward their shared region.

    Readers under one article mostly share a country, so the page's dialect words say which
    region an ambiguous comment is likely from. The page's region evidence is the sum over
    its texts of (words × probability of each dialect), MSA left out; ``prior_words``
    pseudo-words spread evenly over the regions are added to it, so a page with little
    dialect in it gives an even prior and changes little. A text's dialect probabilities are
    multiplied by (number of regions × the prior's share of that region) ** ``strength``.
    With ``keep_dialect_share`` they are then scaled back to the text's own dialect total:
    the page decides *which* region, the text alone decides MSA against dialect (moving mass
    from MSA too measured worse, and so did a page prior on the dialect share itself:
    DIALECT_CARD.md). With ``leave_one_out`` a text's own words are taken out of its prior,
    so a lone comment is exactly unchanged. Values: ``PAGE_CONTEXT``, chosen by grouped CV.
    """

    strength: float
    prior_words: float
    leave_one_out: bool = True
    keep_dialect_share: bool = True


def context_probabilities(
    probs: np.ndarray,
    words: np.ndarray,
    pages: np.ndarray,
    labels: tuple[str, ...],
    context: PageContext,
) -> np.ndarray:
    """Texts' probabilities (rows of ``probs``) re-weighted by the texts of their page.

    ``words[i]`` is text i's word count (0 for a text with no evidence, which then gives
    none) and ``pages[i]`` the index of its page, so many pages are done in one call (the
    tuning script scores whole corpora this way; ``identify_page`` passes one page).
    """
    probs = np.asarray(probs, dtype=np.float64)
    if probs.size == 0 or context.strength == 0:
        return probs.copy()
    regions = [i for i, label in enumerate(labels) if label != Dialect.MSA.value]
    n_regions = len(regions)
    dialect_p = probs[:, regions]
    evidence = dialect_p * np.asarray(words, dtype=np.float64)[:, None]
    page_sum = np.zeros((int(pages.max()) + 1, n_regions))
    np.add.at(page_sum, pages, evidence)
    prior = page_sum[pages]
    if context.leave_one_out:
        prior = np.maximum(prior - evidence, 0.0)
    pseudo = max(context.prior_words, 1e-9)  # an empty prior is the even one, never 0/0
    share = (prior + pseudo / n_regions) / (prior.sum(axis=1, keepdims=True) + pseudo)
    moved = dialect_p * (n_regions * share) ** context.strength
    if context.keep_dialect_share:
        before, after = dialect_p.sum(axis=1), moved.sum(axis=1)
        moved *= np.divide(before, after, out=np.zeros_like(before), where=after > 0)[:, None]
    out = probs.copy()
    out[:, regions] = moved
    total = out.sum(axis=1, keepdims=True)
    return np.divide(out, total, out=out, where=total > 0)


# Chosen by training/tune_dialect_context.py (grouped 3-fold CV on AOC train articles;
# DIALECT_CARD.md, "Page context").
PAGE_CONTEXT = PageContext(strength=3.0, prior_words=40.0, leave_one_out=True,
                           keep_dialect_share=True)


def page_probabilities(
    texts: Sequence[str],
    *,
    comments: bool = True,
    context: PageContext = PAGE_CONTEXT,
    model: DialectModel | None = None,
) -> list[np.ndarray | None]:
    """Each text's probabilities in its page's context (None for a text with no word).

    A text is scored as ``comment_probabilities`` scores it (its sentences combined by word
    count), or with ``comments=False`` as one sentence, as ``identify`` scores it.
    """
    model = get_model() if model is None else model
    scored: list[tuple[np.ndarray | None, int]] = []
    for text in texts:
        if comments:
            scored.append(weighted_probabilities(text, model))
        else:
            words = text_words(text)
            scored.append((model.probabilities_of_words(words), len(words)))
    if not scored:
        return []
    probs = np.array([np.zeros(len(model.labels)) if p is None else p for p, _ in scored])
    words_per_text = np.array([n for _, n in scored])
    pages = np.zeros(len(scored), dtype=np.int64)
    moved = context_probabilities(probs, words_per_text, pages, model.labels, context)
    return [None if p is None else moved[i] for i, (p, _) in enumerate(scored)]


def identify_page(
    texts: Sequence[str], *, comments: bool = True, context: PageContext = PAGE_CONTEXT
) -> list[DialectGuess]:
    """The dialect of each comment of one page, each pulled toward the page's region.

    Each text is scored as ``identify_comment`` scores it (``comments=False``: as
    ``identify``, one sentence), then its dialect probabilities are re-weighted toward the
    region of the page's other texts (``PageContext``): a comment that could be Gulf or
    Levantine on a page of Levantine comments reads as Levantine; whether it is MSA or
    dialect stays its own evidence. A text with no word stays ``NO_EVIDENCE``; a page of one
    text is labelled as that text alone.
    """
    labels = get_model().labels
    return [NO_EVIDENCE if p is None else _guess(labels, p)
            for p in page_probabilities(texts, comments=comments, context=context)]
