"""The entity tagger's model in numpy: CRF weights and ANERGazet, hashed, in ``models/ner.npz``.

Training (``training/train_ner.py``) fits a linear-chain CRF with python-crfsuite and exports
it here (``export_crfsuite``); tagging needs numpy alone. The file holds:

- ``attr_hash`` (sorted uint64) and ``weights`` (float16, one row of label weights per
  attribute): every crfsuite state feature, its attribute string replaced by
  ``feature_hash`` of it; ``transitions`` (label × label) and ``labels``;
- the ANERGazet person, location and organisation lists (Benajiba et al. 2007) as hashes
  only, never as text: ``gazet_hash`` / ``gazet_first`` / ``gazet_len`` / ``gazet_type``
  per name (hash of the normalised name, of its first word, its number of words, its type)
  and ``gazet_word_hash`` (every word of every name: stems canonical names may strip
  clitics down to);
- ``groups`` and ``feature_version``: the ``ner_features`` settings the weights belong to.

Scoring (``CrfModel.tag_sentences``): a word's emission scores are the sum of the weights of
its feature strings (``marsad.enrich.ner_features``). Most of those depend on one word only
(its own, and what it gives a neighbour at offset -2…+2), so each distinct word's five
partial score vectors are computed once per process and cached; a sentence's emissions are
then a few numpy gathers and adds, plus the bigram, gap, BOS/EOS and gazetteer features.
Viterbi runs over every sentence of a batch at once (padded), in numpy.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from marsad.enrich.ner_features import (
    BOS,
    CONTEXT,
    EOS,
    FEATURE_VERSION,
    WordFeatures,
    bigram_feature,
    gap_after,
    gap_before,
    gap_classes,
    gazetteer_feature,
)
from marsad.text.match import clitic_readings
from marsad.text.tokens import Token

# Words whose score vectors a process keeps (a news stream's vocabulary fits; beyond it the
# cache starts again rather than grow without bound).
WORD_CACHE_LIMIT = 200_000
WEIGHT_DTYPE = np.float16


def feature_hash(text: str) -> int:
    """A stable 64-bit hash of a string (blake2b, 8 bytes): feature and gazetteer keys."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


@lru_cache(maxsize=200_000)
def _word_hash(word: str) -> int:
    return feature_hash(word)


@lru_cache(maxsize=200_000)
def _stems(word: str) -> tuple[str, ...]:
    return tuple(stem for stem, _ in clitic_readings(word))


class HashedGazetteer:
    """ANERGazet names as hashes: longest-match, clitic-aware search over tokens with the
    rules of ``marsad.text.match.Lexicon`` (each reading of the first word, fewest letters
    stripped first; for each, the longest name; the first list a name is in gives its type)."""

    def __init__(self, phrase_hash: np.ndarray, first_hash: np.ndarray, n_words: np.ndarray,
                 type_code: np.ndarray, types: Sequence[str], word_hash: np.ndarray) -> None:
        self.types = list(types)
        self._phrase = dict(zip(phrase_hash.tolist(), type_code.tolist(), strict=True))
        lengths: dict[int, set[int]] = {}
        for first, n in zip(first_hash.tolist(), n_words.tolist(), strict=True):
            lengths.setdefault(first, set()).add(n)
        self._lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}
        self._words = frozenset(word_hash.tolist())
        self._starts: dict[str, tuple[tuple[str, list[int]], ...]] = {}
        self.arrays = {"gazet_hash": phrase_hash, "gazet_first": first_hash,
                       "gazet_len": n_words, "gazet_type": type_code,
                       "gazet_types": np.array(self.types, dtype=str), "gazet_word_hash": word_hash}

    @classmethod
    def from_names(cls, names: Iterable[tuple[str, Sequence[str]]]) -> HashedGazetteer:
        """From (type, normalised words of a name) pairs, in order of precedence."""
        types: list[str] = []
        seen: dict[int, tuple[int, int, int]] = {}
        word_hashes: set[int] = set()
        for kind, name_words in names:
            if not name_words:
                continue
            if kind not in types:
                types.append(kind)
            word_hashes.update(feature_hash(w) for w in name_words)
            key = feature_hash(" ".join(name_words))
            seen.setdefault(key, (feature_hash(name_words[0]), len(name_words),
                                  types.index(kind)))
        keys = sorted(seen)
        return cls(np.array(keys, dtype=np.uint64),
                   np.array([seen[k][0] for k in keys], dtype=np.uint64),
                   np.array([seen[k][1] for k in keys], dtype=np.uint8),
                   np.array([seen[k][2] for k in keys], dtype=np.uint8),
                   types, np.array(sorted(word_hashes), dtype=np.uint64))

    def __len__(self) -> int:
        return len(self._phrase)

    def knows_word(self, word: str) -> bool:
        """Whether a normalised word is a word of some name."""
        return _word_hash(word) in self._words

    def find(self, forms: Sequence[str]) -> list[tuple[int, int, str]]:
        """(first token, end token, type) of every name in a sequence of normalised words."""
        found: list[tuple[int, int, str]] = []
        starts = self._starts
        n_tokens = len(forms)
        i = 0
        while i < n_tokens:
            candidates = starts.get(forms[i])
            if candidates is None:
                candidates = self._candidates(forms[i])
            hit = self._match_at(forms, i, candidates) if candidates else None
            if hit is None:
                i += 1
                continue
            length, code = hit
            found.append((i, i + length, self.types[code]))
            i += length
        return found

    def _candidates(self, word: str) -> tuple[tuple[str, list[int]], ...]:
        """The readings of a word that begin some name, with those names' lengths (most words
        begin none: remembered per word)."""
        found = self._starts.get(word)
        if found is None:
            if len(self._starts) > WORD_CACHE_LIMIT:
                self._starts.clear()
            found = self._starts[word] = tuple(
                (stem, self._lengths[h]) for stem in _stems(word)
                if (h := _word_hash(stem)) in self._lengths)
        return found

    def _match_at(self, forms: Sequence[str], i: int,
                  candidates: tuple[tuple[str, list[int]], ...]) -> tuple[int, int] | None:
        for stem, lengths in candidates:
            for n in lengths:
                if i + n > len(forms):
                    continue
                key = _word_hash(stem) if n == 1 else feature_hash(
                    " ".join((stem, *forms[i + 1:i + n])))
                code = self._phrase.get(key)
                if code is not None:
                    return n, code
        return None


@dataclass
class SentenceBatch:
    """Sentences to tag at once: the words of one or more texts, with their gaps.

    ``words[i]`` is a normalised word; ``gaps[i]`` the text before it and ``gaps_after[i]`` the
    text after it; ``sentences`` token ranges (never across texts); ``gazet[i]`` the
    ``(type, first)`` of an ANERGazet name word i is in, or None."""

    words: list[str]
    gaps: list[str]
    gaps_after: list[str]
    sentences: list[tuple[int, int]]
    gazet: list[tuple[str, bool] | None]


class CrfModel:
    """A linear-chain CRF scored in numpy (module docstring). Holds per-process caches."""

    def __init__(self, labels: Sequence[str], attr_hash: np.ndarray, weights: np.ndarray,
                 transitions: np.ndarray, groups: frozenset[str],
                 gazetteer: HashedGazetteer) -> None:
        self.labels = list(labels)
        self.groups = groups
        self.gazetteer = gazetteer
        self._attr_hash = attr_hash
        self._stored_weights = weights
        # Scores are summed in float64, as crfsuite does.
        self._weights = np.vstack([weights.astype(np.float64),
                                   np.zeros((1, len(self.labels)))])
        self._none = len(attr_hash)  # the zero row: attributes the model does not know
        self._row = dict(zip(attr_hash.tolist(), range(len(attr_hash)), strict=True))
        self.transitions = transitions.astype(np.float64)
        self._use_bigram = "bigram" in groups
        self._use_gap = "gap" in groups
        self._use_gazet = "gazetteer" in groups
        self._reset_words()
        self._single: dict[str, np.ndarray] = {}
        self._gaps: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._bigrams: dict[tuple[str, str], int] = {}

    @property
    def n_attributes(self) -> int:
        return len(self._attr_hash)

    # -- files -------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        arrays: dict[str, Any] = {
            "labels": np.array(self.labels), "attr_hash": self._attr_hash,
            "weights": self._stored_weights, "transitions": self.transitions.astype(np.float32),
            "groups": np.array(sorted(self.groups), dtype=str),
            "feature_version": np.array(FEATURE_VERSION), **self.gazetteer.arrays}
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> CrfModel:
        with np.load(path) as data:
            version = int(data["feature_version"])
            if version != FEATURE_VERSION:
                raise ValueError(f"{path}: features v{version}, this marsad computes "
                                 f"v{FEATURE_VERSION}; rebuild it with training/train_ner.py")
            gazetteer = HashedGazetteer(
                data["gazet_hash"], data["gazet_first"], data["gazet_len"], data["gazet_type"],
                [str(t) for t in data["gazet_types"]], data["gazet_word_hash"])
            return cls([str(x) for x in data["labels"]], data["attr_hash"], data["weights"],
                       data["transitions"], frozenset(str(g) for g in data["groups"]),
                       gazetteer)

    @classmethod
    def from_weights(cls, labels: Sequence[str], state: dict[tuple[str, str], float],
                     transitions: dict[tuple[str, str], float], groups: frozenset[str],
                     gazetteer: HashedGazetteer) -> CrfModel:
        """From crfsuite's ``Tagger.info()`` dictionaries (attribute, label) → weight and
        (from, to) → weight."""
        index = {label: k for k, label in enumerate(labels)}
        rows: dict[int, np.ndarray] = {}
        for (attr, label), w in state.items():
            rows.setdefault(feature_hash(attr), np.zeros(len(labels)))[index[label]] += w
        keys = sorted(rows)
        weights = (np.array([rows[k] for k in keys]) if keys
                   else np.zeros((0, len(labels)))).astype(WEIGHT_DTYPE)
        trans = np.zeros((len(labels), len(labels)))
        for (a, b), w in transitions.items():
            trans[index[a], index[b]] = w
        return cls(labels, np.array(keys, dtype=np.uint64), weights, trans, groups, gazetteer)

    # -- per-word and per-feature score vectors --------------------------------------------

    def _reset_words(self) -> None:
        self._ids: dict[str, int] = {}
        self._own = np.zeros((1024, len(self.labels)))
        self._neighbour = np.zeros((len(CONTEXT), 1024, len(self.labels)))

    def _sum(self, feats: Iterable[str]) -> np.ndarray:
        rows = [self._row.get(feature_hash(f), self._none) for f in feats]
        return self._weights[rows].sum(axis=0)

    def _word_id(self, word: str) -> int:
        found = self._ids.get(word)
        if found is not None:
            return found
        if len(self._ids) >= WORD_CACHE_LIMIT:
            self._reset_words()
        k = len(self._ids)
        if k == len(self._own):
            self._own = np.concatenate([self._own, np.zeros_like(self._own)])
            self._neighbour = np.concatenate([self._neighbour, np.zeros_like(self._neighbour)],
                                             axis=1)
        info = WordFeatures(word, self.groups)
        self._own[k] = self._sum(info.own)
        for c, offset in enumerate(CONTEXT):
            self._neighbour[c, k] = self._sum(info.as_neighbour[offset])
        self._ids[word] = k
        return k

    def _feature(self, feature: str) -> np.ndarray:
        vec = self._single.get(feature)
        if vec is None:
            vec = self._single[feature] = self._sum([feature])
        return vec

    def _gap(self, gap: str) -> tuple[np.ndarray, np.ndarray]:
        """Scores a gap gives the word after it and the word before it."""
        vecs = self._gaps.get(gap)
        if vecs is None:
            if len(self._gaps) > 10_000:
                self._gaps.clear()
            classes = gap_classes(gap)
            vecs = self._gaps[gap] = (self._sum(gap_before(classes)),
                                      self._sum(gap_after(classes)))
        return vecs

    def _bigram_row(self, previous: str, word: str) -> int:
        key = (previous, word)
        row = self._bigrams.get(key)
        if row is None:
            if len(self._bigrams) > WORD_CACHE_LIMIT:
                self._bigrams.clear()
            row = self._bigrams[key] = self._row.get(
                feature_hash(bigram_feature(previous, word)), -1)
        return row

    # -- scoring ---------------------------------------------------------------------------

    def emissions(self, batch: SentenceBatch) -> np.ndarray:
        """Emission scores (words × labels) of every word of a batch."""
        n = len(batch.words)
        known = self._ids.get
        found = [known(w) for w in batch.words]
        if None in found:
            found = [self._word_id(w) if k is None else k
                     for w, k in zip(batch.words, found, strict=True)]
        ids = np.array(found, dtype=np.intp)
        scores = self._own[ids]
        sentence = np.zeros(n, dtype=np.intp)
        starts = np.array([a for a, _ in batch.sentences], dtype=np.intp)
        ends = np.array([b for _, b in batch.sentences], dtype=np.intp)
        sentence[starts[1:]] = 1
        sentence = np.cumsum(sentence)
        for c, k in enumerate(CONTEXT):
            if k > 0:
                same = np.flatnonzero(sentence[k:] == sentence[:-k])
                scores[same] += self._neighbour[c, ids[same + k]]
            else:
                same = np.flatnonzero(sentence[:k] == sentence[-k:]) - k
                scores[same] += self._neighbour[c, ids[same + k]]
        scores[starts] += self._feature(BOS)
        scores[ends - 1] += self._feature(EOS)
        words = batch.words
        if self._use_bigram and n > 1:
            get = self._bigrams.get
            pairs = list(itertools.pairwise(words))
            rows = [get(pair) for pair in pairs]
            for k, row in enumerate(rows):
                if row is None:
                    rows[k] = self._bigram_row(*pairs[k])
            row_of = np.array(rows, dtype=np.intp)  # row_of[i - 1]: word i's bigram
            row_of[starts[1:] - 1] = -1  # no bigram across sentences
            at = np.flatnonzero(row_of >= 0)
            scores[at + 1] += self._weights[row_of[at]]
        if self._use_gap:
            gap_ids: dict[str, int] = {}
            before = [gap_ids.setdefault(g, len(gap_ids)) for g in batch.gaps]
            after = [gap_ids.setdefault(g, len(gap_ids)) for g in batch.gaps_after]
            table = np.array([self._gap(g) for g in gap_ids])  # (gaps, 2, labels)
            scores += table[before, 0] + table[after, 1]
        if self._use_gazet:
            for i, tag in enumerate(batch.gazet):
                if tag is not None:
                    scores[i] += self._feature(gazetteer_feature(*tag))
        return scores

    def viterbi(self, scores: np.ndarray, sentences: Sequence[tuple[int, int]]) -> np.ndarray:
        """The best label index of every word, each sentence decoded on its own: all of them
        at once, longest first, so that the sentences still going at a position are a prefix
        of the padded arrays."""
        if not sentences:
            return np.zeros(len(scores), dtype=np.intp)
        if sentences[0][0] != 0 or sentences[-1][1] != len(scores) or any(
                b != a for (_, b), (a, _) in itertools.pairwise(sentences)):
            raise ValueError("sentences must cover the scores, in order, without gaps")
        n_labels = len(self.labels)
        lengths = np.array([b - a for a, b in sentences], dtype=np.intp)
        starts = np.array([a for a, _ in sentences], dtype=np.intp)
        order = np.argsort(-lengths, kind="stable")  # row r of the padded arrays: sentence
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        n_sent, longest = len(sentences), int(lengths[order[0]])
        going = np.searchsorted(-lengths[order], -np.arange(longest), side="left")
        row_of = np.repeat(rank, lengths)
        position = np.arange(len(scores)) - np.repeat(starts, lengths)
        padded = np.zeros((n_sent, longest, n_labels))
        padded[row_of, position] = scores
        delta = padded[:, 0].copy()
        back = np.zeros((longest, n_sent, n_labels), dtype=np.intp)
        trans = self.transitions[None]
        for t in range(1, longest):
            k = going[t]  # sentences longer than t
            candidates = delta[:k, :, None] + trans
            back[t, :k] = candidates.argmax(axis=1)
            delta[:k] = candidates.max(axis=1) + padded[:k, t]
        label = delta.argmax(axis=1)
        tagged = np.zeros((n_sent, longest), dtype=np.intp)
        for t in range(longest - 1, -1, -1):
            k = going[t]
            tagged[:k, t] = label[:k]
            if t:
                label[:k] = back[t, np.arange(k), label[:k]]
        return tagged[row_of, position]

    def tag_batch(self, batch: SentenceBatch) -> list[str]:
        """The label of every word of a batch."""
        if not batch.words:
            return []
        best = self.viterbi(self.emissions(batch), batch.sentences)
        return [self.labels[k] for k in best.tolist()]

    def tag(self, xseq: Sequence[Sequence[str]]) -> list[str]:
        """Labels of one sentence given as feature strings (crfsuite's ``Tagger.tag``; slow,
        for tests and comparisons)."""
        if not xseq:
            return []
        scores = np.array([self._sum(feats) for feats in xseq])
        best = self.viterbi(scores, [(0, len(xseq))])
        return [self.labels[k] for k in best.tolist()]


def batch_of(texts: Sequence[tuple[str, Sequence[Token], Sequence[tuple[int, int]]]],
             gazetteer: HashedGazetteer | None) -> tuple[SentenceBatch, list[int]]:
    """One batch from several texts (text, its tokens, its sentences); and the offset of each
    text's first token in the batch."""
    words: list[str] = []
    gaps: list[str] = []
    after: list[str] = []
    sentences: list[tuple[int, int]] = []
    gazet: list[tuple[str, bool] | None] = []
    offsets = []
    for text, tokens, sents in texts:
        base = len(words)
        offsets.append(base)
        forms = [t.text for t in tokens]
        words.extend(forms)
        between = [text[0:tokens[0].start]] if tokens else []
        between += [text[tokens[k - 1].end:tokens[k].start] for k in range(1, len(tokens))]
        if tokens:
            between.append(text[tokens[-1].end:])
        gaps.extend(between[:-1])
        after.extend(between[1:])
        sentences.extend((base + a, base + b) for a, b in sents)
        tags: list[tuple[str, bool] | None] = [None] * len(tokens)
        if gazetteer is not None:
            for i, j, kind in gazetteer.find(forms):
                for k in range(i, j):
                    tags[k] = (kind, k == i)
        gazet.extend(tags)
    return SentenceBatch(words, gaps, after, sentences, gazet), offsets


def export_crfsuite(model_path: Path, groups: frozenset[str], gazetteer: HashedGazetteer
                    ) -> CrfModel:
    """The numpy model of a trained crfsuite file (needs python-crfsuite: training only)."""
    tagger = _crfsuite_tagger(model_path)
    info: Any = tagger.info()
    return CrfModel.from_weights(tagger.labels(), info.state_features, info.transitions,
                                 groups, gazetteer)


def _crfsuite_tagger(model_path: Path) -> Any:
    try:
        import pycrfsuite
    except ImportError as err:
        raise RuntimeError("training the entity tagger needs python-crfsuite: "
                           "pip install 'marsad[train]'") from err
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    return tagger
