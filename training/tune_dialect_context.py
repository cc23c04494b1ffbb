"""Choose the page-context parameters of the dialect identifier by grouped CV on AOC train.

    .venv/bin/python training/tune_dialect_context.py          # folds (cached), then the grid
    .venv/bin/python training/tune_dialect_context.py --dev    # dev figures, both modes

``marsad.enrich.dialect.identify_page`` re-weights each comment's dialect probabilities
toward the region of the other comments of its page (``PageContext``). Its parameters are
chosen here, never on dev: the training rows are split into ``train_dialect.CV_FOLDS``
folds grouped by AOC article (the folds of ``train_dialect.py --cv``); the sentence model
is fitted on the other folds exactly as ``train_dialect.py`` fits it (float16-rounded, as
shipped), and scores each held-out AOC train row both ways ``identify_page`` can: whole, as
one sentence (what ``marsad eval dialect`` does with AOC rows), and split into sentences
combined by word count (what the enrich step does with a comment). The rows of one AOC
article are one page. The out-of-fold probabilities are cached (``--cache``, about 4
minutes to build on two cores), so the grid (about 1 minute) can be rerun without refitting.

Printed: how the sentence model's out-of-fold errors split between MSA↔dialect and one
region read as another (the part a page prior can fix), then AOC macro-F1 per fold for every
grid point, and the best point. Its values go in ``PAGE_CONTEXT`` (``enrich/dialect.py``)
and the model card.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_dialect import (  # a sibling script, not a package
    ALPHA,
    CV_FOLDS,
    DATA,
    featurize,
    fit,
    load_rows,
    training_mask,
)

from marsad.enrich.dialect import (
    DialectModel,
    PageContext,
    context_probabilities,
    weighted_probabilities,
)
from marsad.evaluate.dialect import (
    LABELS,
    bootstrap_intervals,
    confusion,
    predict_rows,
    read_rows,
    score,
    scores_from_confusion,
)

CACHE = Path("/tmp/marsad-dialect-oof.npz")

STRENGTHS = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 10.0)
PRIOR_WORDS = (1.0, 5.0, 10.0, 20.0, 40.0, 80.0)


def out_of_fold(data: Path) -> dict[str, np.ndarray]:
    """Each AOC train row's probabilities from a model that never saw its article."""
    rows = load_rows(data)
    y = np.array([LABELS.index(r["dialect"]) for r in rows])
    train = training_mask(rows)
    x = featurize(rows)
    folds = np.array([zlib.crc32(r.get("article", r["id"]).encode()) % CV_FOLDS for r in rows])
    aoc = np.array([r["source"] == "aoc" for r in rows])
    keep = np.flatnonzero(train & aoc)
    comment = np.zeros((len(keep), len(LABELS)))
    sentence = np.zeros((len(keep), len(LABELS)))
    words = np.zeros(len(keep), dtype=np.int64)
    sentence_words = np.array([len(rows[i]["words"]) for i in keep])
    position = {int(i): n for n, i in enumerate(keep)}
    for k in range(CV_FOLDS):
        t = time.time()
        weights, bias = fit(x[train & (folds != k)], y[train & (folds != k)], ALPHA)
        model = DialectModel(LABELS, weights.astype(np.float16).astype(np.float32),
                             bias.astype(np.float16).astype(np.float32))
        held = [int(i) for i in keep if folds[i] == k]
        print(f"fold {k}: fitted in {time.time() - t:.0f}s, scoring {len(held)} rows",
              flush=True)
        for i in tqdm(held, desc=f"fold {k}", mininterval=5):
            p, n = weighted_probabilities(rows[i]["text"], model)
            whole = model.probabilities_of_words(rows[i]["words"])
            if p is not None:
                comment[position[i]], words[position[i]] = p, n
            if whole is not None:
                sentence[position[i]] = whole
    articles = np.array([rows[i]["article"] for i in keep])
    _, pages = np.unique(articles, return_inverse=True)
    return {"comment": comment, "sentence": sentence, "words": words,
            "sentence_words": sentence_words, "gold": y[keep],
            "fold": folds[keep], "page": pages}


def predict(probs: np.ndarray) -> np.ndarray:
    # A row with no words has all-zero probabilities: argmax gives index 0, MSA, as
    # NO_EVIDENCE does.
    return np.asarray(probs.argmax(axis=1))


def macro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    return float(scores_from_confusion(confusion([LABELS[i] for i in gold],
                                                 [LABELS[i] for i in pred]))["macro_f1"])


def error_split(gold: np.ndarray, pred: np.ndarray) -> str:
    """Errors as dialect→MSA, MSA→dialect and region→other region, with shares."""
    wrong = gold != pred
    to_msa = wrong & (pred == 0) & (gold != 0)
    from_msa = wrong & (gold == 0)
    region = wrong & (gold != 0) & (pred != 0)
    n = int(wrong.sum())
    parts = [(name, int(m.sum())) for name, m in (("dialect read as MSA", to_msa),
                                                  ("MSA read as a dialect", from_msa),
                                                  ("dialect read as another region", region))]
    lines = [f"errors: {n} of {len(gold)} rows"]
    lines += [f"  {name}: {c} ({c / n:.1%})" for name, c in parts]
    return "\n".join(lines)


def per_fold(oof: dict[str, np.ndarray], probs: np.ndarray) -> list[float]:
    pred = predict(probs)
    return [macro_f1(oof["gold"][oof["fold"] == k], pred[oof["fold"] == k])
            for k in range(CV_FOLDS)]


def dev_report(data: Path) -> None:
    """Dev figures of the shipped identifier with and without page context, once, as markdown.

    Uses ``marsad.evaluate.dialect.predict_rows``, what ``marsad eval dialect`` runs;
    intervals resample whole articles for AOC, rows for Cotterell (no article field).
    """
    for name in ("aoc.jsonl", "cotterell2014.jsonl"):
        rows = read_rows(data / name)
        gold = [r["dialect"] for r in rows]
        groups = [r["article"] for r in rows] if all("article" in r for r in rows) else None
        alone = predict_rows(rows, context=False)
        for mode, pred in (("article context", predict_rows(rows, context=True)),
                           ("each row alone (--sentences)", alone)):
            result = score(gold, pred)
            ci = bootstrap_intervals(gold, pred, groups)
            changed = sum(a != b for a, b in zip(alone, pred, strict=True))
            unit = "articles" if groups else "rows"
            print(f"\n{name} dev, {mode} ({len(rows)} rows, {changed} labels differ from "
                  f"the rows alone; 95% bootstrap over {unit})\n")
            print("| dialect | precision | recall | F1 (95% CI) | support |\n|---|---|---|---|---|")
            for label in LABELS:
                f = result["by_dialect"].get(label)
                if f is None:
                    continue
                lo, hi = ci.get(f"f1:{label}", (0.0, 0.0))
                print(f"| {label} | {f['precision']:.3f} | {f['recall']:.3f} | "
                      f"{f['f1']:.3f} ({lo:.3f}–{hi:.3f}) | {f['support']} |")
            for key in ("accuracy", "macro_f1"):
                lo, hi = ci[key]
                print(f"| **{key}** | | | {result[key]:.3f} ({lo:.3f}–{hi:.3f}) | {len(rows)} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--cache", type=Path, default=CACHE,
                        help="out-of-fold probabilities; reused when present")
    parser.add_argument("--dev", action="store_true",
                        help="only report the dev figures of the shipped PAGE_CONTEXT (once)")
    args = parser.parse_args(argv)
    if args.dev:
        dev_report(args.data)
        return 0

    if args.cache.is_file():
        with np.load(args.cache) as saved:
            oof = {k: saved[k] for k in saved.files}
        print(f"out-of-fold probabilities from {args.cache}")
    else:
        oof = out_of_fold(args.data)
        np.savez(args.cache, **oof)
    gold = oof["gold"]
    print(f"{len(gold)} AOC train rows, {int(oof['page'].max()) + 1} articles")

    for name in ("sentence", "comment"):
        pred = predict(oof[name])
        figures = per_fold(oof, oof[name])
        print(f"\nno context, each row scored {'whole' if name == 'sentence' else 'split at marks'}"
              f": macro-F1 per fold {', '.join(f'{f:.4f}' for f in figures)}; "
              f"mean {np.mean(figures):.4f}")
        print(error_split(gold, pred))
        print("confusion (rows gold, columns predicted):", LABELS)
        print(confusion([LABELS[i] for i in gold], [LABELS[i] for i in pred]))

    results = []
    grid = list(itertools.product(("sentence", "comment"), STRENGTHS, PRIOR_WORDS,
                                  (True, False), (True, False)))
    for base, strength, prior, loo, keep in tqdm(grid, desc="grid", mininterval=5):
        context = PageContext(strength, prior, loo, keep)
        words = oof["words"] if base == "comment" else oof["sentence_words"]
        probs = context_probabilities(oof[base], words, oof["page"], LABELS, context)
        figures = per_fold(oof, probs)
        results.append((float(np.mean(figures)), figures, base, context))
    results.sort(key=lambda r: -r[0])
    print("\nbest 20 grid points (mean AOC macro-F1 over folds):")
    print("| rows scored | strength | prior words | leave-one-out | keep dialect share | "
          "folds | mean |")
    print("|---|---|---|---|---|---|---|")
    for mean, figures, base, c in results[:20]:
        print(f"| {base} | {c.strength:g} | {c.prior_words:g} | {c.leave_one_out} | "
              f"{c.keep_dialect_share} | {' / '.join(f'{f:.4f}' for f in figures)} | {mean:.4f} |")
    print("\nbest per variant:")
    for base, loo, keep in itertools.product(("sentence", "comment"), (True, False),
                                             (True, False)):
        chosen = [r for r in results if r[2] == base and r[3].leave_one_out == loo
                  and r[3].keep_dialect_share == keep]
        if chosen:
            mean, figures, _, c = max(chosen, key=lambda r: r[0])
            print(f"| {base} | {c.strength:g} | {c.prior_words:g} | {loo} | {keep} | "
                  f"{' / '.join(f'{f:.4f}' for f in figures)} | {mean:.4f} |")
    for base in ("sentence", "comment"):
        mean, _, _, best_context = max((r for r in results if r[2] == base),
                                       key=lambda r: r[0])
        words = oof["words"] if base == "comment" else oof["sentence_words"]
        probs = context_probabilities(oof[base], words, oof["page"], LABELS, best_context)
        print(f"\nbest with rows scored as {base}s: {best_context} ({mean:.4f})")
        print(error_split(gold, predict(probs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
