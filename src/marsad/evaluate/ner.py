"""How well the entity tagger finds entities: ``marsad eval ner FILE.conll``.

Input: CoNLL, one ``token label`` per line (BIO tags; further columns, such as Wojood's
nested labels, are ignored: the first label column is the outermost entity), a blank line
between sentences. Gold types are mapped to ours (DESIGN.md, "entity type"): ANERcorp's
``PERS`` is ``PER``; Wojood's ``GPE`` and ``FAC`` are ``LOC``; ``NORP`` and every other type
Wojood has (``DATE``, ``OCC``, ``EVENT``…) are ``MISC``. ``--last-tenth`` keeps only the last
10% of the sentences: on ``anercorp_train.conll`` that is the dev part the shipped model was
not trained on (``training/train_ner.py`` holds the same sentences out).

Scoring follows conlleval: an entity is a chunk (start, end, type) read from the BIO tags,
where an ``I-`` tag that does not continue a chunk of its type starts a new one; a predicted
entity is right only when its span and type equal a gold one. Precision, recall and F1 are
reported per type and micro-averaged over all chunks.

The tagger is run on the sentence's tokens joined by spaces (``predict_labels``): the same
path as on page text (``marsad.enrich.entities.tag_text``), model and gazetteers together;
each predicted entity labels the CoNLL tokens its characters overlap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from marsad.names import EntityType

TYPES: tuple[str, ...] = tuple(t.value for t in EntityType)

# Gold types of the shared NER files → ours; any other type is MISC (module docstring).
TYPE_MAP: dict[str, str] = {
    "PER": "PER", "PERS": "PER",
    "ORG": "ORG",
    "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
    "MISC": "MISC", "NORP": "MISC",
}
DEV_SHARE = 0.1
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 20240305


@dataclass
class Sentence:
    tokens: list[str]
    labels: list[str]  # BIO with our types


def map_label(label: str, type_map: dict[str, str] | None = None) -> str:
    """A gold BIO label with its type mapped to ours (``O`` stays ``O``)."""
    if label == "O" or "-" not in label:
        return "O"
    prefix, kind = label.split("-", 1)
    if prefix not in ("B", "I"):
        return "O"
    mapped = (type_map or TYPE_MAP).get(kind, "MISC")
    return "O" if mapped == "O" else f"{prefix}-{mapped}"


def read_conll(path: str | Path, raw: bool = False) -> list[Sentence]:
    """The sentences of a CoNLL file, labels mapped to our types (``raw``: as written)."""
    path = Path(path)
    sentences: list[Sentence] = []
    tokens: list[str] = []
    labels: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                if tokens:
                    sentences.append(Sentence(tokens, labels))
                    tokens, labels = [], []
                continue
            if len(parts) < 2:
                raise ValueError(f"{path}:{n}: expected 'token label', got {line.strip()!r}; "
                                 "give CoNLL with a BIO label after each token")
            tokens.append(parts[0])
            labels.append(parts[1] if raw else map_label(parts[1]))
    if tokens:
        sentences.append(Sentence(tokens, labels))
    return sentences


def split_dev(sentences: Sequence[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """(train, dev): dev is the last 10% of the sentences, contiguous, so that no document
    is split between the two."""
    cut = len(sentences) - math.ceil(len(sentences) * DEV_SHARE)
    return list(sentences[:cut]), list(sentences[cut:])


def chunks(labels: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entities (start, end exclusive, type) of a BIO sequence, by conlleval's rule."""
    found: set[tuple[int, int, str]] = set()
    start, kind = -1, ""
    for i, label in enumerate([*labels, "O"]):
        prefix, _, t = label.partition("-")
        continues = prefix == "I" and t == kind and start >= 0
        if start >= 0 and not continues:
            found.add((start, i, kind))
            start, kind = -1, ""
        if prefix in ("B", "I") and not continues:
            start, kind = i, t
    return found


def counts(gold: Sequence[str], pred: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """Per type: (true positives, predicted, gold) chunks of one sentence."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predicted")
    g, p = chunks(gold), chunks(pred)
    out: dict[str, tuple[int, int, int]] = {}
    for t in {c[2] for c in g | p}:
        gt = {c for c in g if c[2] == t}
        pt = {c for c in p if c[2] == t}
        out[t] = (len(gt & pt), len(pt), len(gt))
    return out


def _prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def score(gold: Iterable[Sequence[str]], pred: Iterable[Sequence[str]]) -> dict[str, Any]:
    """``{"micro": {precision, recall, f1}, "by_type": {TYPE: {…, "support"}}}``."""
    totals: dict[str, list[int]] = {}
    for g, p in zip(gold, pred, strict=True):
        for t, (tp, np_, ng) in counts(g, p).items():
            acc = totals.setdefault(t, [0, 0, 0])
            acc[0] += tp
            acc[1] += np_
            acc[2] += ng
    by_type = {t: {**_prf(*totals[t]), "support": totals[t][2]} for t in _ordered(totals)}
    micro = [sum(v[i] for v in totals.values()) for i in range(3)]
    return {"micro": _prf(*micro), "by_type": by_type}


def bootstrap_f1(
    gold: Sequence[Sequence[str]],
    pred: Sequence[Sequence[str]],
    *,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of micro-F1 and each type's F1, resampling sentences."""
    kinds = list(TYPES)
    table = np.zeros((len(gold), len(kinds), 3), dtype=np.int64)
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        for t, c in counts(g, p).items():
            if t in kinds:
                table[i, kinds.index(t)] = c
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(samples):
        weights = np.bincount(rng.integers(0, len(gold), len(gold)), minlength=len(gold))
        summed = np.tensordot(weights, table, axes=1)  # (types, 3)
        draws.setdefault("micro", []).append(_prf(*summed.sum(axis=0))["f1"])
        for k, t in enumerate(kinds):
            if summed[k, 2]:
                draws.setdefault(t, []).append(_prf(*summed[k])["f1"])
    return {k: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5)))
            for k, v in draws.items()}


def conll_text(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The tokens joined by spaces, and each token's (start, end) in that text."""
    spans = []
    at = 0
    for tok in tokens:
        spans.append((at, at + len(tok)))
        at += len(tok) + 1
    return " ".join(tokens), spans


def labels_from_spans(
    spans: Sequence[tuple[int, int]], entities: Iterable[tuple[int, int, str]]
) -> list[str]:
    """BIO labels of tokens (character spans) from entities given as character spans."""
    labels = ["O"] * len(spans)
    for start, end, kind in sorted(entities):
        inside = [i for i, (s, e) in enumerate(spans) if s < end and e > start]
        for k, i in enumerate(inside):
            labels[i] = ("B-" if k == 0 else "I-") + kind
    return labels


def predict_labels(tokens: Sequence[str], *, gazetteer: bool = True, **kwargs: Any
                   ) -> list[str]:
    """The shipped tagger's BIO labels for one tokenised sentence (``kwargs``: the
    ``tagger`` override of ``tag_text``)."""
    from marsad.enrich.entities import tag_text

    text, spans = conll_text(tokens)
    found = tag_text(text, gazetteer=gazetteer, **kwargs)
    return labels_from_spans(spans, ((f.start, f.end, f.type) for f in found))


def evaluate_ner(
    path: str | Path, *, last_tenth: bool = False, gazetteer: bool = True
) -> dict[str, Any]:
    """Score the shipped tagger on a CoNLL file (its last tenth with ``last_tenth``)."""
    sentences = read_conll(path)
    if last_tenth:
        sentences = split_dev(sentences)[1]
    if not sentences:
        raise ValueError(f"{path}: no sentences to evaluate")
    pred = [predict_labels(s.tokens, gazetteer=gazetteer) for s in sentences]
    return score([s.labels for s in sentences], pred)


def format_table(result: dict[str, Any]) -> str:
    lines = [f"{'type':<6} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}"]
    for kind, f in result["by_type"].items():
        lines.append(f"{kind:<6} {f['precision']:>9.3f} {f['recall']:>7.3f} {f['f1']:>6.3f} "
                     f"{f['support']:>8d}")
    m = result["micro"]
    total = sum(f["support"] for f in result["by_type"].values())
    lines.append(f"{'micro':<6} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f} "
                 f"{total:>8d}")
    return "\n".join(lines)


def _ordered(kinds: Iterable[str]) -> list[str]:
    present = set(kinds)
    return [t for t in TYPES if t in present] + sorted(present - set(TYPES))
