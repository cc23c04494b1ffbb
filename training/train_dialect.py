"""Train the dialect identifier shipped as ``src/marsad/models/dialect.npz``.

    .venv/bin/python training/train_dialect.py            # train, write, report dev figures
    .venv/bin/python training/train_dialect.py --cv       # first choose alpha by 3-fold CV

Data (``../shared/data/dialect``, see its README): the ``train`` rows of ``aoc.jsonl``
(Arabic Online Commentary: sentences of reader comments, MSA or the site's dialect) and of
``cotterell2014.jsonl`` (adds Maghrebi and Iraqi). ``dev`` rows are only scored, never
trained on or tuned on.

Leakage: Cotterell & Callison-Burch took many of their news comments from the same three
AOC sites, so ~760 AOC dev sentences (from held-out articles) sit in Cotterell's train rows,
and ~790 Cotterell dev rows sit in AOC's train rows. A training row whose words equal those
of a dev row of the *other* corpus is dropped. Identical sentences inside one corpus across
its own split (short formulas like «الله يرحمه» under different articles) are kept, as the
corpus splits them; the dev figures are reported on all dev rows and on the dev rows whose
text is not among the training texts.

Model (NB-weighted logistic regression, "NBSVM" of Wang & Manning 2012, one label against the
rest): features are ``marsad.enrich.dialect_features`` (hashed word-bounded character 1–5
grams, words, word bigrams; counts over sqrt(number of features)). For each label j the Naive
Bayes log-count ratio r_j of every bucket (presence counts, add-one smoothing) scales the
features, and a logistic regression is trained by SGD on them with class weights
sqrt(n / 2 n_class) (MSA is the majority). Since (w_j ∘ r_j)·x = w_j·(r_j ∘ x), the shipped
weights are w_j ∘ r_j: the scorer stays one matrix product. Hyper-parameters were chosen by
3-fold cross-validation on the training rows, grouped by AOC article (``--cv`` repeats it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import SGDClassifier

from marsad.enrich.dialect import DialectModel, load_model
from marsad.enrich.dialect_features import (
    CHAR_NGRAM_MAX,
    CHAR_NGRAM_MIN,
    FEATURE_VERSION,
    HASH_BITS,
    N_BUCKETS,
    feature_vector,
    text_words,
    word_list_buckets,
)
from marsad.evaluate.dialect import LABELS, bootstrap_intervals, score

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "dialect"
OUT = REPO / "src" / "marsad" / "models" / "dialect.npz"
FILES = ("aoc.jsonl", "cotterell2014.jsonl")

SEED = 13
ALPHA = 3e-6  # L2 strength of SGD; chosen by --cv (see the model card)
ALPHA_GRID = (1e-6, 3e-6, 1e-5)
EPOCHS = 15
CLASS_WEIGHT_POWER = 0.5  # weight = (n / 2 n_class) ** power, per one-vs-rest problem
NB_SMOOTHING = 1.0
CV_FOLDS = 3


def load_rows(data: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in FILES:
        path = data / name
        if not path.is_file():
            sys.exit(f"{path}: missing; the dialect data lives in ../shared/data/dialect")
        with path.open(encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    for row in rows:
        row["words"] = text_words(row["text"])
        row["key"] = " ".join(row["words"])
    return rows


def training_mask(rows: list[dict[str, Any]]) -> np.ndarray:
    """Train rows, less those whose text is a dev row of the other corpus (module doc)."""
    dev_keys: dict[str, set[str]] = {}
    for row in rows:
        if row["split"] == "dev":
            dev_keys.setdefault(row["source"], set()).add(row["key"])
    others = {
        src: set().union(*(keys for s, keys in dev_keys.items() if s != src)) for src in dev_keys
    }
    mask = np.zeros(len(rows), dtype=bool)
    dropped = 0
    for i, row in enumerate(rows):
        if row["split"] != "train":
            continue
        if row["key"] in others.get(row["source"], set()):
            dropped += 1
            continue
        mask[i] = True
    print(f"training rows: {mask.sum()} ({dropped} dropped as text of the other corpus's dev)")
    return mask


def featurize(rows: list[dict[str, Any]]) -> sp.csr_matrix:
    t = time.time()
    indptr = [0]
    indices: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for row in rows:
        idx, val = feature_vector(word_list_buckets(row["words"]))
        indices.append(idx)
        values.append(val)
        indptr.append(indptr[-1] + len(idx))
    x = sp.csr_matrix(
        (np.concatenate(values), np.concatenate(indices), np.asarray(indptr)),
        shape=(len(rows), N_BUCKETS),
    )
    print(f"features: {x.shape[0]} rows, {x.nnz} non-zeros, {time.time() - t:.0f}s")
    return x


def nb_ratios(x: sp.csr_matrix, y: np.ndarray) -> np.ndarray:
    """Per label, log(P(bucket | label) / P(bucket | other labels)) over presence counts."""
    present = x.copy()
    present.data[:] = 1.0
    ratios = np.zeros((len(LABELS), x.shape[1]), dtype=np.float32)
    for j in range(len(LABELS)):
        p = np.asarray(present[y == j].sum(axis=0)).ravel() + NB_SMOOTHING
        q = np.asarray(present[y != j].sum(axis=0)).ravel() + NB_SMOOTHING
        ratios[j] = np.log((p / p.sum()) / (q / q.sum()))
    return ratios


def fit(x: sp.csr_matrix, y: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Weights (buckets × labels) and biases of the NB-weighted one-vs-rest model."""
    ratios = nb_ratios(x, y)
    weights = np.zeros((x.shape[1], len(LABELS)), dtype=np.float32)
    bias = np.zeros(len(LABELS), dtype=np.float32)
    for j in range(len(LABELS)):
        yj = (y == j).astype(np.int64)
        n, pos = len(yj), int(yj.sum())
        if pos == 0:
            sys.exit(f"no training rows labelled {LABELS[j]}; check the data files")
        w = np.where(yj == 1, n / (2 * pos), n / (2 * (n - pos))) ** CLASS_WEIGHT_POWER
        clf = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=EPOCHS, tol=None,
                            random_state=SEED)
        clf.fit(x @ sp.diags(ratios[j]), yj, sample_weight=w)
        weights[:, j] = clf.coef_[0] * ratios[j]
        bias[j] = clf.intercept_[0]
    return weights, bias


def predict(weights: np.ndarray, bias: np.ndarray, x: sp.csr_matrix) -> np.ndarray:
    return np.asarray(x @ weights + bias).argmax(axis=1)


def macro(y: np.ndarray, pred: np.ndarray) -> dict[str, Any]:
    return score([LABELS[i] for i in y], [LABELS[i] for i in pred])


def cross_validate(rows: list[dict[str, Any]], x: sp.csr_matrix, y: np.ndarray,
                   train: np.ndarray) -> float:
    """3-fold CV over ALPHA_GRID on the training rows; returns the best alpha."""
    folds = np.array([zlib.crc32(r.get("article", r["id"]).encode()) % CV_FOLDS for r in rows])
    aoc = np.array([r["source"] == "aoc" for r in rows])
    best = (-1.0, ALPHA)
    print("\n| alpha | fold | AOC macro-F1 | Cotterell macro-F1 |\n|---|---|---|---|")
    for alpha in ALPHA_GRID:
        figures = []
        for k in range(CV_FOLDS):
            fit_rows, held = train & (folds != k), train & (folds == k)
            weights, bias = fit(x[fit_rows], y[fit_rows], alpha)
            pred = predict(weights, bias, x[held])
            a = aoc[held]
            fa = macro(y[held][a], pred[a])["macro_f1"]
            fc = macro(y[held][~a], pred[~a])["macro_f1"]
            figures.append((fa, fc))
            print(f"| {alpha:g} | {k} | {fa:.4f} | {fc:.4f} |", flush=True)
        mean = np.mean(figures, axis=0)
        print(f"| {alpha:g} | mean | {mean[0]:.4f} | {mean[1]:.4f} |", flush=True)
        if mean[0] > best[0]:
            best = (float(mean[0]), alpha)
    print(f"chosen alpha {best[1]:g} (mean AOC macro-F1 {best[0]:.4f})\n")
    return best[1]


def save(path: Path, weights: np.ndarray, bias: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        weights=weights.astype(np.float16),
        bias=bias.astype(np.float16),
        labels=np.array(LABELS),
        feature_version=np.array(FEATURE_VERSION),
        hash_bits=np.array(HASH_BITS),
        char_ngrams=np.array([CHAR_NGRAM_MIN, CHAR_NGRAM_MAX]),
    )
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")


def report(name: str, model: DialectModel, rows: list[dict[str, Any]],
           seen: set[str], grouped: bool) -> None:
    """Dev figures of the shipped (float16) model with bootstrap intervals, as markdown."""
    gold = [r["dialect"] for r in rows]
    pred = []
    for r in rows:
        probs = model.probabilities_of_words(r["words"])
        pred.append(LABELS[0] if probs is None else model.labels[int(np.argmax(probs))])
    for subset, keep in (("all dev rows", [True] * len(rows)),
                         ("dev rows whose text is not a training text",
                          [r["key"] not in seen for r in rows])):
        g = [x for x, k in zip(gold, keep, strict=True) if k]
        p = [x for x, k in zip(pred, keep, strict=True) if k]
        groups = ([r["article"] for r, k in zip(rows, keep, strict=True) if k]
                  if grouped else None)
        result = score(g, p)
        ci = bootstrap_intervals(g, p, groups)
        unit = "articles" if grouped else "rows"
        print(f"\n{name}, {subset} ({len(g)} rows; 95% bootstrap over {unit})\n")
        print("| dialect | precision | recall | F1 (95% CI) | support |\n|---|---|---|---|---|")
        for label, f in result["by_dialect"].items():
            lo, hi = ci.get(f"f1:{label}", (0.0, 0.0))
            print(f"| {label} | {f['precision']:.3f} | {f['recall']:.3f} | "
                  f"{f['f1']:.3f} ({lo:.3f}–{hi:.3f}) | {f['support']} |")
        for key in ("accuracy", "macro_f1"):
            lo, hi = ci[key]
            print(f"| **{key}** | | | {result[key]:.3f} ({lo:.3f}–{hi:.3f}) | {len(g)} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cv", action="store_true", help="choose alpha by cross-validation")
    args = parser.parse_args(argv)

    rows = load_rows(args.data)
    y = np.array([LABELS.index(r["dialect"]) for r in rows])
    train = training_mask(rows)
    x = featurize(rows)
    alpha = cross_validate(rows, x, y, train) if args.cv else ALPHA

    t = time.time()
    weights, bias = fit(x[train], y[train], alpha)
    print(f"trained on {train.sum()} rows in {time.time() - t:.0f}s (alpha {alpha:g})")
    save(args.out, weights, bias)

    model = load_model(args.out)
    dev = np.array([r["split"] == "dev" for r in rows])
    full = predict(weights, bias, x[dev])
    half = predict(model.weights, model.bias, x[dev])
    print(f"float16 weights change {int((full != half).sum())} of {dev.sum()} dev predictions")
    seen = {r["key"] for r, t_ in zip(rows, train, strict=True) if t_}
    for source, grouped in (("aoc", True), ("cotterell2014", False)):
        part = [r for r in rows if r["split"] == "dev" and r["source"] == source]
        report(f"{source} dev", model, part, seen, grouped)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
