"""How well the dialect identifier labels sentences: ``marsad eval dialect FILE.jsonl``.

The file holds one JSON object per line with ``text`` and ``dialect`` (one of
``marsad.names.Dialect``), in the layout of ``../shared/data/dialect/*.jsonl``. Rows that
carry a ``split`` field are kept only when it equals the requested split (``dev`` by
default: those files also hold the training rows, and scoring a model on what it was trained
on measures nothing); rows without the field are always kept. Every row is one prediction.

Rows that share an ``article`` field are read as the comments of one page and labelled
together by ``identify_page``, the page context the enrich step applies to a page's comments
(each row's dialect probabilities pulled toward the region of the page's other rows). Each
row is still scored as one sentence (``comments=False``), as AOC labels single sentences.
Rows without the field stand alone and are labelled by ``identify(text)``. ``context=False``
(``marsad eval dialect --sentences``) labels every row alone; the result's ``context`` says
which was done: ``article`` when at least one row was read with its article, else ``none``.

Figures:

- ``accuracy``: share of rows whose predicted label equals the gold one;
- ``by_dialect``: per label, ``precision``, ``recall``, ``f1`` and ``support`` (gold rows).
  Every label that is gold or predicted at least once is listed, so a file with no Maghrebi
  still shows Maghrebi when the model wrongly predicts it (precision 0, support 0);
- ``macro_f1``: the unweighted mean of F1 over the labels with support > 0: a label absent
  from the gold data has no F1 to average, and its wrong predictions already cost the
  recall of the labels they were taken from.

``bootstrap_intervals`` gives 95% intervals for these figures by resampling rows, or whole
groups (AOC articles) when rows of a group are not independent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from marsad.evaluate.jsonl import json_objects
from marsad.names import Dialect

LABELS: tuple[str, ...] = tuple(d.value for d in Dialect)
DEFAULT_SPLIT = "dev"
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 20240305


def read_rows(path: str | Path, split: str | None = DEFAULT_SPLIT) -> list[dict[str, Any]]:
    """The rows of a dialect JSONL file to evaluate (see the module docstring on ``split``)."""
    rows = []
    for where, row in json_objects(path):
        if "text" not in row or "dialect" not in row:
            raise ValueError(f"{where}: a row needs \"text\" and \"dialect\"")
        if row["dialect"] not in LABELS:
            raise ValueError(f"{where}: unknown dialect {row['dialect']!r}; "
                             f"use one of {', '.join(LABELS)}")
        if split is not None and "split" in row and row["split"] != split:
            continue
        rows.append(row)
    return rows


def confusion(gold: Sequence[str], pred: Sequence[str]) -> np.ndarray:
    """Counts[gold label, predicted label], in the order of LABELS."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    index = {label: i for i, label in enumerate(LABELS)}
    g = np.fromiter((index[x] for x in gold), dtype=np.int64, count=len(gold))
    p = np.fromiter((index[x] for x in pred), dtype=np.int64, count=len(pred))
    return np.bincount(g * len(LABELS) + p, minlength=len(LABELS) ** 2).reshape(
        len(LABELS), len(LABELS)
    )


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b else 0.0


def scores_from_confusion(matrix: np.ndarray) -> dict[str, Any]:
    """Accuracy, macro-F1 and per-label figures from a confusion matrix (module docstring)."""
    total = int(matrix.sum())
    correct = np.diag(matrix)
    gold = matrix.sum(axis=1)
    predicted = matrix.sum(axis=0)
    by_dialect: dict[str, dict[str, float | int]] = {}
    f1s = []
    for i, label in enumerate(LABELS):
        if gold[i] == 0 and predicted[i] == 0:
            continue
        precision = _ratio(correct[i], predicted[i])
        recall = _ratio(correct[i], gold[i])
        f1 = _ratio(2 * precision * recall, precision + recall)
        by_dialect[label] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": int(gold[i]),
        }
        if gold[i] > 0:
            f1s.append(f1)
    return {
        "accuracy": _ratio(correct.sum(), total),
        "macro_f1": float(np.mean(f1s)) if f1s else 0.0,
        "by_dialect": by_dialect,
    }


def score(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """``{"accuracy", "macro_f1", "by_dialect"}`` of predictions against gold labels."""
    return scores_from_confusion(confusion(gold, pred))


def predict_rows(rows: Sequence[dict[str, Any]], *, context: bool = True) -> list[str]:
    """The shipped identifier's label for each row (module docstring: pages and context)."""
    from marsad.enrich.dialect import identify, identify_page

    labels = [""] * len(rows)  # every row is filled below, alone or with its page
    pages: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if context and row.get("article") is not None:
            pages.setdefault(str(row["article"]), []).append(i)
        else:
            labels[i] = identify(row["text"]).label
    for members in pages.values():
        guesses = identify_page([rows[i]["text"] for i in members], comments=False)
        for i, guess in zip(members, guesses, strict=True):
            labels[i] = guess.label
    return labels


def evaluate_dialect(
    path: str | Path, split: str | None = DEFAULT_SPLIT, *, context: bool = True
) -> dict[str, Any]:
    """Score the shipped identifier on a dialect JSONL file (its ``split`` rows)."""
    rows = read_rows(path, split)
    if not rows:
        where = f" with split {split!r}" if split is not None else ""
        raise ValueError(f"{path}: no rows{where} to evaluate")
    result = score([row["dialect"] for row in rows], predict_rows(rows, context=context))
    in_pages = context and any(row.get("article") is not None for row in rows)
    result["context"] = "article" if in_pages else "none"
    return result


def bootstrap_intervals(
    gold: Sequence[str],
    pred: Sequence[str],
    groups: Sequence[str] | None = None,
    *,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of accuracy, macro-F1 and each label's F1.

    With ``groups`` (e.g. AOC article ids) whole groups are resampled: sentences of one
    article share a topic and commenters, so resampling them one by one would make the
    intervals too narrow. Keys: ``accuracy``, ``macro_f1`` and ``f1:<label>``.
    """
    keys = groups if groups is not None else [str(i) for i in range(len(gold))]
    if len(keys) != len(gold):
        raise ValueError(f"{len(keys)} groups for {len(gold)} rows")
    group_ids: dict[str, int] = {}
    for k in keys:
        group_ids.setdefault(k, len(group_ids))
    n_groups = len(group_ids)
    # One confusion matrix per group; a bootstrap sample is a weighted sum of them.
    per_group = np.zeros((n_groups, len(LABELS), len(LABELS)), dtype=np.int64)
    index = {label: i for i, label in enumerate(LABELS)}
    for k, g, p in zip(keys, gold, pred, strict=True):
        per_group[group_ids[k], index[g], index[p]] += 1
    flat = per_group.reshape(n_groups, -1)
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(samples):
        weights = np.bincount(rng.integers(0, n_groups, n_groups), minlength=n_groups)
        matrix = (weights @ flat).reshape(len(LABELS), len(LABELS))
        result = scores_from_confusion(matrix)
        draws.setdefault("accuracy", []).append(result["accuracy"])
        draws.setdefault("macro_f1", []).append(result["macro_f1"])
        for label, figures in result["by_dialect"].items():
            if figures["support"]:
                draws.setdefault(f"f1:{label}", []).append(figures["f1"])
    return {
        key: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5)))
        for key, v in draws.items()
    }


def format_table(result: dict[str, Any]) -> str:
    """The figures as an aligned text table, one line per label then the summary lines."""
    lines = [f"{'dialect':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}"]
    for label in _ordered(result["by_dialect"]):
        f = result["by_dialect"][label]
        lines.append(f"{label:<10} {f['precision']:>9.3f} {f['recall']:>7.3f} {f['f1']:>6.3f} "
                     f"{f['support']:>8d}")
    total = sum(f["support"] for f in result["by_dialect"].values())
    lines.append(f"{'accuracy':<10} {result['accuracy']:>24.3f} {total:>8d}")
    lines.append(f"{'macro-F1':<10} {result['macro_f1']:>24.3f}")
    if "context" in result:
        lines.append(f"context: {result['context']} (rows of one article read together)"
                     if result["context"] == "article" else "context: none (each row alone)")
    return "\n".join(lines)


def _ordered(labels: Iterable[str]) -> list[str]:
    present = set(labels)
    return [label for label in LABELS if label in present]
