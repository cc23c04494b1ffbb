"""Moderation quality experiments: can a second learner, word vectors or source weights move
the issue-3 bars? (MODERATION_CARD.md, "What was tried", records what this printed.)

    nice -n 10 .venv/bin/python training/experiments/moderation_ensemble.py \
        [--attempts a,b,b2,c,d] [--cache /tmp/marsad_moderation_exp] [--out FIGURES.json]

Attempt c needs ``pip install fasttext-numpy2`` (this experiment's dependency only: nothing
that ships uses it). On two shared cores the whole study took about 90 minutes, most of it
liblinear fits of the offensive head (about 6 minutes each); a rerun with the cache prints
the table in about two minutes.

Every attempt runs the shipped pipeline's steps on the train rows of
``../shared/data/moderation`` (``train_moderation``'s loading, features, folds, source
intercepts, style prior and Platt calibration) and reports, for offensive (osact2020,
aj_comments) and hate (osact2020):

- OOF: 3-fold out-of-fold macro-F1 on train rows at the label threshold chosen on those
  OOF probabilities (best mean per-source macro-F1, as the training script chooses it);
- dev: the models refitted on all train rows, scored on dev at that same threshold; the
  offensive label is ``offensive >= t or hate >= t_hate`` as ``marsad eval`` counts it.

Dev is reported, never used for a choice. Attempts:

a. the shipped heads (liblinear LR on char 2–5 + word 1–2 hashed features plus one
   intercept column per source) — the baseline;
b. a second learner on the same features — NB-weighted LR (log-count ratios from each
   training fold) and a linear SVM fitted by SGD (b), a linear SVM and an NBSVM fitted by
   liblinear (b2) — each through the same style prior and Platt step, averaged with (a) in
   probability, or stacked (LR on the learners' logits fitted on OOF);
c. fastText skipgram vectors (char 2–5 subwords) trained on the unlabelled text of the
   shared sets' train rows (moderation, dialect, NER sentences); mean- and max-pooled per
   comment -> LR and a small MLP; stacked with (a);
d. per-head source weights: osact rows (2020, 2022) weighted x2 in the LR heads; and hate
   as P(offensive) x P(hate | offensive).

Learners' OOF and dev scores are cached (``--cache``) so attempts can be re-combined without
refitting. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.svm import LinearSVC
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import train_moderation as tm

from marsad.moderate import features as ft

LABELS = ("offensive", "hate")
C_LR = {"offensive": 4.0, "hate": 16.0}  # the shipped heads' C (card: chosen by OOF PR-AUC)
# The second learners are fitted by SGD: a liblinear fit of the offensive head takes ~5 CPU
# minutes on this machine, an SGD fit of 15 epochs well under one.
# alpha chosen per learner and label by OOF mean per-source PR-AUC (as the training script
# chooses C)
SGD_ALPHA_GRID = (2e-6, 5e-6, 1e-5, 3e-5)
SGD_EPOCHS = 15
# liblinear's dual solver for the SVMs (fast where the LR primal is not); C by OOF PR-AUC
SVM_C_GRID = (0.2,)  # one value: the time budget of this study allowed no grid
NB_ALPHA = 1.0
SOURCE_WEIGHTS = {"osact2020": 2.0, "osact2022": 2.0}  # attempt d
FASTTEXT = {"model": "skipgram", "dim": 100, "minn": 2, "maxn": 5, "epoch": 5,
            "minCount": 3, "bucket": 200_000, "ws": 5, "thread": 1}
C_VEC = 1.0
MLP_HIDDEN = (128,)
REPORT = (("offensive", "osact2020"), ("offensive", "aj_comments"), ("hate", "osact2020"))
NER_DIR = tm.SHARED / "data" / "ner"
DIALECT_DIR = tm.SHARED / "data" / "dialect"


def log(msg: str) -> None:
    tm.log(msg)


# --- data, cached ------------------------------------------------------------------------

class Data:
    """Train and dev matrices, labels, sources, folds and the domain posteriors."""

    def __init__(self, cache: Path, seed: int, folds: int) -> None:
        self.cache = cache
        rows = tm.load_rows(tm.DEFAULT_DATA, tm.DEFAULT_FIXTURES)
        self.train_rows = [r for r in rows if r["split"] == "train"]
        self.dev_rows = tm.dev_rows(tm.DEFAULT_DATA)
        self.sources = np.array([r["source"] for r in self.train_rows])
        self.dev_sources = np.array([r["source"] for r in self.dev_rows])
        self.names = sorted(set(self.sources))
        self.domain_names = [s for s in self.names if s not in tm.OWN_SOURCES]
        self.folds = tm.assign_folds(self.sources, folds, seed)
        self.k = folds
        self.seed = seed
        self.x = self._matrix("x_train", [tm.clean(r["text"]) for r in self.train_rows])
        # dev as `marsad eval` scores it: the raw text (the masks are in the text)
        self.x_dev = self._matrix("x_dev", [r["text"] for r in self.dev_rows])
        self.post, self.post_dev = self._domain()

    def _matrix(self, name: str, texts: Sequence[str]) -> sp.csr_matrix:
        path = self.cache / f"{name}.npz"
        if path.exists():
            return sp.load_npz(path).tocsr()
        t = time.time()
        x = tm.build_matrix(texts)
        sp.save_npz(path, x)
        log(f"{name}: {x.shape} in {time.time() - t:.0f}s")
        return x

    def _domain(self) -> tuple[np.ndarray, np.ndarray]:
        path = self.cache / "domain.npz"
        if path.exists():
            d = np.load(path)
            return d["post"], d["post_dev"]
        t = time.time()
        xd = tm.fold_columns(self.x, tm.DOMAIN_BITS)
        xd_dev = tm.fold_columns(self.x_dev, tm.DOMAIN_BITS)
        inside = ~np.isin(self.sources, tm.OWN_SOURCES)
        post = np.zeros((len(self.sources), len(self.domain_names)))
        for f in range(self.k):
            tr = (self.folds != f) & inside
            clf = tm.fit_domain(xd[tr], self.sources[tr], self.domain_names, self.seed)
            post[self.folds == f] = tm.domain_posteriors(clf, xd[self.folds == f],
                                                         len(self.domain_names))
        clf = tm.fit_domain(xd[inside], self.sources[inside], self.domain_names, self.seed)
        post_dev = tm.domain_posteriors(clf, xd_dev, len(self.domain_names))
        np.savez(path, post=post, post_dev=post_dev)
        log(f"domain posteriors in {time.time() - t:.0f}s")
        return post, post_dev

    def label(self, label: str) -> tuple[np.ndarray, np.ndarray]:
        y = tm.label_vector(self.train_rows, label)
        return y >= 0, y

    def dev_gold(self, label: str) -> np.ndarray:
        return tm.label_vector(self.dev_rows, label)


# --- learners: (train x, y, sources, weights) -> raw score function -------------------------

Fit = Callable[[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray | None],
               Callable[[sp.csr_matrix], np.ndarray]]


def with_sources(x: sp.csr_matrix, sources: np.ndarray, names: Sequence[str]) -> sp.csr_matrix:
    col = np.array([names.index(s) for s in sources])
    s = sp.csr_matrix((np.full(len(sources), tm.INTERCEPT_SCALE, dtype=np.float32),
                       (np.arange(len(sources)), col)), shape=(len(sources), len(names)))
    return sp.hstack([x, s]).tocsr()


def lr_learner(names: Sequence[str], c: float) -> Fit:
    """The shipped head: LR on content + source intercepts; scores content only."""
    def fit(x, y, s, w):
        clf = LogisticRegression(C=c, solver="liblinear", max_iter=300)
        clf.fit(with_sources(x, s, names), y, sample_weight=w)
        coef = clf.coef_.ravel()[: x.shape[1]]
        b = float(clf.intercept_[0])
        return lambda z: np.asarray(z @ coef).ravel() + b
    return fit


def sgd(loss: str, alpha: float, seed: int) -> SGDClassifier:
    return SGDClassifier(loss=loss, alpha=alpha, max_iter=SGD_EPOCHS, tol=None,
                         random_state=seed, average=True)


def nb_learner(names: Sequence[str], alpha: float, seed: int) -> Fit:
    """NB-LR (Wang & Manning 2012): features scaled by the log-count ratio of the fold."""
    def fit(x, y, s, w):
        xb = x.copy()
        xb.data[:] = 1.0
        p = np.asarray(xb[y == 1].sum(0)).ravel() + NB_ALPHA
        q = np.asarray(xb[y == 0].sum(0)).ravel() + NB_ALPHA
        r = (np.log(p / p.sum()) - np.log(q / q.sum())).astype(np.float32)
        scale = sp.diags(r)
        clf = sgd("log_loss", alpha, seed)
        clf.fit(with_sources((x @ scale).tocsr(), s, names), y, sample_weight=w)
        coef = clf.coef_.ravel()[: x.shape[1]] * r
        b = float(clf.intercept_[0])
        return lambda z: np.asarray(z @ coef).ravel() + b
    return fit


def svm_learner(names: Sequence[str], alpha: float, seed: int) -> Fit:
    def fit(x, y, s, w):
        clf = sgd("hinge", alpha, seed)
        clf.fit(with_sources(x, s, names), y, sample_weight=w)
        coef = clf.coef_.ravel()[: x.shape[1]]
        b = float(clf.intercept_[0])
        return lambda z: np.asarray(z @ coef).ravel() + b
    return fit


def liblinear_svm(names: Sequence[str], c: float, nb: bool) -> Fit:
    """Linear SVM (squared hinge, dual) on content + source columns; with ``nb`` the features
    are first scaled by the fold's NB log-count ratios (NBSVM, Wang & Manning 2012)."""
    def fit(x, y, s, w):
        r = np.ones(x.shape[1], dtype=np.float32)
        if nb:
            xb = x.copy()
            xb.data[:] = 1.0
            p = np.asarray(xb[y == 1].sum(0)).ravel() + NB_ALPHA
            q = np.asarray(xb[y == 0].sum(0)).ravel() + NB_ALPHA
            r = (np.log(p / p.sum()) - np.log(q / q.sum())).astype(np.float32)
            x = (x @ sp.diags(r)).tocsr()
        clf = LinearSVC(C=c, dual=True, max_iter=2000, random_state=0)
        clf.fit(with_sources(x, s, names), y, sample_weight=w)
        coef = clf.coef_.ravel()[: x.shape[1]] * r
        b = float(clf.intercept_[0])
        return lambda z: np.asarray(z @ coef).ravel() + b
    return fit


def best_svm(d: Data, label: str, nb: bool) -> tuple[np.ndarray, np.ndarray]:
    best = None
    key = "nbsvm" if nb else "lsvm"
    for c in SVM_C_GRID:
        oof, dev = run_learner(d, f"{key}_c{c:g}", label, liblinear_svm(d.names, c, nb),
                               d.x, d.x_dev)
        auc = oof_pr_auc(d, label, oof)
        log(f"{key} {label} C {c:g}: OOF mean per-source PR-AUC {auc:.4f}")
        if best is None or auc > best[0]:
            best = (auc, oof, dev)
    assert best is not None
    return best[1], best[2]


def dense_learner(names: Sequence[str], kind: str, seed: int) -> Fit:
    """On dense pooled vectors: LR with source columns, or a small MLP (sources as inputs
    at training only would leak, so the MLP sees content alone)."""
    def fit(x, y, s, w):
        if kind == "lr":
            onehot = np.zeros((len(s), len(names)), dtype=np.float32)
            onehot[np.arange(len(s)), [names.index(v) for v in s]] = tm.INTERCEPT_SCALE
            clf = LogisticRegression(C=C_VEC, max_iter=2000)
            clf.fit(np.hstack([x, onehot]), y, sample_weight=w)
            coef = clf.coef_.ravel()[: x.shape[1]]
            b = float(clf.intercept_[0])
            return lambda z: z @ coef + b
        from sklearn.neural_network import MLPClassifier
        mlp = MLPClassifier(hidden_layer_sizes=MLP_HIDDEN, alpha=1e-3, max_iter=60,
                            early_stopping=True, random_state=seed)
        mlp.fit(x, y)
        return lambda z: np.log(np.clip(mlp.predict_proba(z)[:, 1], 1e-6, 1 - 1e-6)
                                / np.clip(mlp.predict_proba(z)[:, 0], 1e-6, 1))
    return fit


def run_learner(d: Data, key: str, label: str, fit: Fit, x: sp.csr_matrix | np.ndarray,
                x_dev: sp.csr_matrix | np.ndarray, weights: dict[str, float] | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """OOF raw scores on the label's train rows and dev raw scores of the refit, cached."""
    path = d.cache / f"raw_{key}_{label}.npz"
    if path.exists():
        z = np.load(path)
        return z["oof"], z["dev"]
    t = time.time()
    sel, y = d.label(label)
    xs, ys, ss, fs = x[sel], y[sel], d.sources[sel], d.folds[sel]
    w = (np.array([weights.get(s, 1.0) for s in ss]) if weights else None)
    oof = np.zeros(len(ys))
    for f in range(d.k):
        tr = fs != f
        score = fit(xs[tr], ys[tr], ss[tr], None if w is None else w[tr])
        oof[fs == f] = score(xs[fs == f])
    dev = fit(xs, ys, ss, w)(x_dev)
    np.savez(path, oof=oof, dev=dev)
    log(f"{key} {label}: {time.time() - t:.0f}s")
    return oof, dev


def oof_pr_auc(d: Data, label: str, oof: np.ndarray) -> float:
    sel, y = d.label(label)
    ys, ss = y[sel], d.sources[sel]
    return float(np.mean([tm.average_precision(ys[ss == s], oof[ss == s])
                          for s in sorted(set(ss)) if (ys[ss == s] == 1).sum() >= 5]))


def best_alpha(d: Data, key: str, label: str, learner: Callable[..., Fit], seed: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """The SGD learner's raw scores at the alpha of best OOF mean per-source PR-AUC."""
    best = None
    for alpha in SGD_ALPHA_GRID:
        oof, dev = run_learner(d, f"{key}_a{alpha:g}", label, learner(d.names, alpha, seed),
                               d.x, d.x_dev)
        auc = oof_pr_auc(d, label, oof)
        log(f"{key} {label} alpha {alpha:g}: OOF mean per-source PR-AUC {auc:.4f}")
        if best is None or auc > best[0]:
            best = (auc, oof, dev)
    assert best is not None
    return best[1], best[2]


def hate_given_offensive(d: Data, p_off: tuple[np.ndarray, np.ndarray]
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Raw hate scores as log P(offensive) + log P(hate | offensive): the second factor an LR
    (source intercepts, C of the hate head) fitted on offensive rows only, so that it learns
    what makes an insult hateful rather than what makes a text offensive."""
    path = d.cache / "raw_hate_given_off.npz"
    sel, y = d.label("hate")
    _, y_off = d.label("offensive")
    if not path.exists():
        t = time.time()
        fit = lr_learner(d.names, C_LR["hate"])
        cond = np.zeros(len(y))
        train = sel & (y_off == 1)
        for f in range(d.k):
            score = fit(d.x[train & (d.folds != f)], y[train & (d.folds != f)],
                        d.sources[train & (d.folds != f)], None)
            cond[d.folds == f] = score(d.x[d.folds == f])
        cond_dev = fit(d.x[train], y[train], d.sources[train], None)(d.x_dev)
        np.savez(path, oof=cond[sel], dev=cond_dev)
        log(f"hate | offensive: {time.time() - t:.0f}s")
    z = np.load(path)
    off_sel, _ = d.label("offensive")
    # P(offensive) OOF on the hate rows: offensive is annotated wherever hate is
    p_off_hate_rows = np.zeros(len(y))
    p_off_hate_rows[off_sel] = p_off[0]
    log_p = np.log(np.clip(p_off_hate_rows[sel], 1e-6, 1))
    return (log_p + np.log(tm.sigmoid(z["oof"])),
            np.log(np.clip(p_off[1], 1e-6, 1)) + np.log(tm.sigmoid(z["dev"])))


# --- style prior, calibration, thresholds, figures ------------------------------------------

def calibrate(d: Data, label: str, oof: np.ndarray, dev: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """The shipped step: per-source offsets under the domain head, then Platt on OOF."""
    sel, y = d.label(label)
    ys, ss = y[sel], d.sources[sel]
    offset = {s: -tm.best_threshold(ys[ss == s], oof[ss == s]) for s in sorted(set(ss))
              if (ys[ss == s] == 1).sum() >= 5}
    counts = {s: int((ss == s).sum()) for s in offset}
    mean = sum(offset[s] * counts[s] for s in offset) / sum(counts.values())
    row = np.array([offset.get(s, mean) for s in d.domain_names])
    score = oof + d.post[sel] @ row
    a, b = tm.platt(score, ys)
    return tm.sigmoid(a * score + b), tm.sigmoid(a * (dev + d.post_dev @ row) + b)


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def stack(d: Data, label: str, parts: Sequence[tuple[np.ndarray, np.ndarray]]
          ) -> tuple[np.ndarray, np.ndarray]:
    """LR on the learners' calibrated logits, fitted on OOF (a second level)."""
    sel, y = d.label(label)
    z = np.column_stack([logit(o) for o, _ in parts])
    zd = np.column_stack([logit(v) for _, v in parts])
    clf = LogisticRegression(C=1.0, max_iter=1000).fit(z, y[sel])
    return clf.predict_proba(z)[:, 1], clf.predict_proba(zd)[:, 1]


def average(parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    return (np.mean([o for o, _ in parts], axis=0), np.mean([v for _, v in parts], axis=0))


BOOTSTRAP = 1000


def paired_bootstrap(d: Data, base: dict[str, np.ndarray], other: dict[str, np.ndarray],
                     seed: int) -> dict[str, list[float]]:
    """95% interval of (other - base) dev macro-F1 for the bars, resampling dev rows."""
    rng = np.random.default_rng(seed)
    out = {}
    for label, source in REPORT:
        g = d.dev_gold(label)
        m = np.flatnonzero((d.dev_sources == source) & (g >= 0))
        diffs = []
        for _ in range(BOOTSTRAP):
            i = m[rng.integers(0, len(m), len(m))]
            diffs.append(tm.macro_f1(g[i], other[label][i].astype(int))
                         - tm.macro_f1(g[i], base[label][i].astype(int)))
        out[f"{label} {source}"] = [round(float(q), 4) for q in np.quantile(diffs, [0.025, 0.975])]
    return out


def figures(d: Data, probs: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict:
    """OOF and dev macro-F1 per source at OOF-chosen label thresholds (and the dev labels)."""
    out: dict = {"threshold": {}, "oof": {}, "dev": {}}
    dev_pred: dict[str, np.ndarray] = {}
    for label in LABELS:
        sel, y = d.label(label)
        ys, ss = y[sel], d.sources[sel]
        oof, dev = probs[label]
        t = tm.best_global_threshold(ys, oof, ss)
        out["threshold"][label] = round(t, 4)
        out["oof"][label] = {s: round(tm.macro_f1(ys[ss == s], (oof[ss == s] >= t).astype(int)), 4)
                             for s in sorted(set(ss)) if (ys[ss == s] == 1).sum() >= 5}
        dev_pred[label] = dev >= t
    dev_pred["offensive"] = dev_pred["offensive"] | dev_pred["hate"]  # as `marsad eval`
    for label in LABELS:
        g = d.dev_gold(label)
        out["dev"][label] = {}
        for s in sorted(set(d.dev_sources)):
            m = (d.dev_sources == s) & (g >= 0)
            if (g[m] == 1).sum() >= 5:
                out["dev"][label][s] = round(tm.macro_f1(g[m], dev_pred[label][m].astype(int)), 4)
    out["dev_pred"] = dev_pred
    return out


def row(name: str, fig: dict) -> str:
    cells = []
    for split in ("oof", "dev"):
        cells += [f"{fig[split][lab].get(src, float('nan')):.3f}" for lab, src in REPORT]
        cells.append(f"{np.mean(list(fig[split]['offensive'].values())):.3f}")
        cells.append(f"{np.mean(list(fig[split]['hate'].values())):.3f}")
    return f"| {name} | " + " | ".join(cells) + " |"


HEADER = ("| attempt | OOF off osact20 | OOF off aj | OOF hate osact20 | OOF off mean | "
          "OOF hate mean | dev off osact20 | dev off aj | dev hate osact20 | dev off mean | "
          "dev hate mean |\n" + "|---" * 11 + "|")


# --- word vectors (attempt c) ---------------------------------------------------------------

def unlabelled_text(d: Data, path: Path) -> None:
    """Tokens (the moderation tokenizer's) of every shared set's train rows, one line each."""
    texts = [tm.clean(r["text"]) for r in d.train_rows]
    for f in sorted(DIALECT_DIR.glob("*.jsonl")):
        with f.open(encoding="utf-8") as h:
            texts += [r["text"] for r in map(json.loads, filter(str.strip, h))
                      if r.get("split") == "train"]
    for f in sorted(NER_DIR.glob("*_train.conll")):
        sentence: list[str] = []
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sentence.append(line.split()[0])
            elif sentence:
                texts.append(" ".join(sentence))
                sentence = []
    with path.open("w", encoding="utf-8") as h:
        for t in tqdm(texts, desc="unlabelled text", leave=False):
            tokens = ft.prepare(t).tokens
            if tokens:
                h.write(" ".join(tokens) + "\n")
    log(f"unlabelled text: {len(texts)} texts -> {path}")


def pooled(model, texts: Sequence[str]) -> np.ndarray:
    dim = model.get_dimension()
    out = np.zeros((len(texts), 2 * dim), dtype=np.float32)
    for i, t in enumerate(tqdm(texts, desc="pooling", leave=False)):
        tokens = ft.prepare(t).tokens
        if tokens:
            v = np.array([model.get_word_vector(w) for w in tokens])
            out[i, :dim] = v.mean(0)
            out[i, dim:] = v.max(0)
    return out


def vectors(d: Data) -> tuple[np.ndarray, np.ndarray]:
    path = d.cache / "pooled.npz"
    if path.exists():
        z = np.load(path)
        return z["x"], z["x_dev"]
    import fasttext  # train-time only (pip install fasttext-numpy2)
    corpus = d.cache / "unlabelled.txt"
    if not corpus.exists():
        unlabelled_text(d, corpus)
    t = time.time()
    # one thread: deterministic (this binding takes no seed)
    model = fasttext.train_unsupervised(str(corpus), verbose=0, **FASTTEXT)
    log(f"fastText {FASTTEXT} in {time.time() - t:.0f}s, {len(model.words)} words")
    x = pooled(model, [tm.clean(r["text"]) for r in d.train_rows])
    x_dev = pooled(model, [r["text"] for r in d.dev_rows])
    np.savez(path, x=x, x_dev=x_dev)
    return x, x_dev


# --- main -----------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--attempts", default="a,b,b2,c,d")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/marsad_moderation_exp"))
    ap.add_argument("--out", type=Path, default=None, help="write all figures (JSON) here")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--folds", type=int, default=3)
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    wanted = set(args.attempts.split(","))
    d = Data(args.cache, args.seed, args.folds)
    results: dict[str, dict] = {}
    rows: list[str] = []

    def report(name: str, probs: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        results[name] = figures(d, probs)
        rows.append(row(name, results[name]))
        log(rows[-1])

    base = {lab: calibrate(d, lab, *run_learner(d, "lr", lab, lr_learner(d.names, C_LR[lab]),
                                                d.x, d.x_dev)) for lab in LABELS}
    for lab in LABELS:
        oof, _ = run_learner(d, "lr", lab, lr_learner(d.names, C_LR[lab]), d.x, d.x_dev)
        log(f"lr {lab}: OOF mean per-source PR-AUC {oof_pr_auc(d, lab, oof):.4f}")
    report("a. shipped heads (LR + source intercepts + style prior + Platt)", base)
    if "b" in wanted:
        nb = {lab: calibrate(d, lab, *best_alpha(d, "nb", lab, nb_learner, args.seed))
              for lab in LABELS}
        svm = {lab: calibrate(d, lab, *best_alpha(d, "svm", lab, svm_learner, args.seed))
               for lab in LABELS}
        report("b. NB-LR (SGD) alone", nb)
        report("b. linear SVM (SGD) alone", svm)
        report("b. mean(LR, NB-LR SGD)", {lab: average([base[lab], nb[lab]]) for lab in LABELS})
        report("b. mean(LR, SVM SGD)", {lab: average([base[lab], svm[lab]]) for lab in LABELS})
        report("b. mean(LR, NB-LR SGD, SVM SGD)",
               {lab: average([base[lab], nb[lab], svm[lab]]) for lab in LABELS})
        report("b. stacked LR, NB-LR SGD, SVM SGD",
               {lab: stack(d, lab, [base[lab], nb[lab], svm[lab]]) for lab in LABELS})
    if "b2" in wanted:  # liblinear SVMs
        lsvm = {lab: calibrate(d, lab, *best_svm(d, lab, nb=False)) for lab in LABELS}
        nbsvm = {lab: calibrate(d, lab, *best_svm(d, lab, nb=True)) for lab in LABELS}
        report("b. linear SVM (liblinear) alone", lsvm)
        report("b. NBSVM (liblinear) alone", nbsvm)
        report("b. mean(LR, SVM)", {lab: average([base[lab], lsvm[lab]]) for lab in LABELS})
        report("b. mean(LR, NBSVM)", {lab: average([base[lab], nbsvm[lab]]) for lab in LABELS})
        # stacking on logits is what could ship at no inference cost: each calibrated logit
        # is linear in the features plus a domain offset, so the stack folds into one head
        report("b. stacked LR, NBSVM",
               {lab: stack(d, lab, [base[lab], nbsvm[lab]]) for lab in LABELS})
        report("b. mean(LR, SVM, NBSVM)",
               {lab: average([base[lab], lsvm[lab], nbsvm[lab]]) for lab in LABELS})
        report("b. stacked LR, SVM, NBSVM",
               {lab: stack(d, lab, [base[lab], lsvm[lab], nbsvm[lab]]) for lab in LABELS})
    if "c" in wanted:
        xv, xv_dev = vectors(d)
        for kind in ("lr", "mlp"):
            vec = {lab: calibrate(d, lab, *run_learner(
                d, f"vec_{kind}", lab, dense_learner(d.names, kind, args.seed), xv, xv_dev))
                for lab in LABELS}
            report(f"c. fastText pooled -> {kind.upper()} alone", vec)
            report(f"c. stacked LR, fastText {kind.upper()}",
                   {lab: stack(d, lab, [base[lab], vec[lab]]) for lab in LABELS})
    if "d" in wanted:
        weighted = {lab: calibrate(d, lab, *run_learner(
            d, "lr_osactx2", lab, lr_learner(d.names, C_LR[lab]), d.x, d.x_dev,
            SOURCE_WEIGHTS)) for lab in LABELS}
        report("d. LR, osact rows ×2", weighted)
        product = calibrate(d, "hate", *hate_given_offensive(d, base["offensive"]))
        report("d. hate = P(offensive) × P(hate given offensive)",
               {"offensive": base["offensive"], "hate": product})
    print(HEADER)
    print("\n".join(rows))
    base_pred = results[next(iter(results))]["dev_pred"]
    for name, fig in results.items():
        fig["dev_minus_a_95"] = paired_bootstrap(d, base_pred, fig.pop("dev_pred"), args.seed)
        log(f"{name}: dev difference to (a), 95% paired bootstrap {fig['dev_minus_a_95']}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
