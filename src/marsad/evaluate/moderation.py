"""How well comment moderation does on labelled data: ``marsad eval moderation FILE.jsonl``.

The file is in the shared moderation format (``../shared/data/moderation/*.jsonl``): one
object per line with ``text`` and any of ``offensive``, ``hate``, ``vulgar``,
``violence`` (1, 0, or null = not annotated), ``hate_target`` and ``source``. Rows that
carry a ``split`` field are kept only when it equals the requested split (``dev`` by
default: those files also hold training rows); rows without one are always kept.

Figures (``evaluate_moderation`` returns them as one dict, ``format_table`` as text):

- per label, over the rows annotating it: ``macro_f1`` (both classes), ``precision`` and
  ``recall`` of the positive class at the label's policy threshold (``Verdict.labels``,
  where hate implies offensive), ``pr_auc`` (average precision of the score) and
  ``ci95`` for macro-F1 (bootstrap over rows);
- ``hate_target``: over rows with a gold target, ``accuracy`` of the target the model gives
  (its best guess, whether or not it labelled the row hateful, so that targeting is
  measured apart from detection) and ``confusion`` (gold → predicted → count);
- ``by_source``: macro-F1 per source and label.

A gold ``offensive`` left null is taken as 1 where ``hate`` is 1 (hate implies offensive).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from marsad.evaluate.jsonl import json_objects
from marsad.moderate import targets as tg
from marsad.moderate.features import prepare
from marsad.moderate.model import ModerationModel, load_model
from marsad.moderate.policy import Policy
from marsad.moderate.verdict import moderate_batch
from marsad.names import MODERATION_LABELS

DEFAULT_SPLIT = "dev"
BOOTSTRAP_SAMPLES = 2000
BOOTSTRAP_SEED = 20240305
BATCH = 2000


def read_rows(path: str | Path, split: str | None = DEFAULT_SPLIT) -> list[dict[str, Any]]:
    rows = []
    for where, row in json_objects(path):
        if not isinstance(row.get("text"), str):
            raise ValueError(f"{where}: a row needs a \"text\" string")
        for label in MODERATION_LABELS:
            if row.get(label) not in (None, 0, 1, True, False):
                raise ValueError(f"{where}: {label} = {row[label]!r}; use 1, 0 or null")
        if split is not None and "split" in row and row["split"] != split:
            continue
        rows.append(row)
    return rows


def gold(rows: Sequence[dict[str, Any]], label: str) -> np.ndarray:
    """1/0 per row, -1 where the label is not annotated."""
    y = np.array([-1 if r.get(label) is None else int(r[label]) for r in rows], dtype=np.int64)
    if label == "offensive":
        hate = np.array([r.get("hate") == 1 for r in rows], dtype=bool)
        y = np.where((y == -1) & hate, 1, y)
    return y


def cells(y: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """tp, fp, fn, tn."""
    return np.array([np.sum(pred & (y == 1)), np.sum(pred & (y == 0)),
                     np.sum(~pred & (y == 1)), np.sum(~pred & (y == 0))], dtype=np.float64)


def macro_f1_from_cells(c: np.ndarray) -> np.ndarray:
    """Macro-F1 for cell counts of shape (..., 4)."""
    tp, fp, fn, tn = c[..., 0], c[..., 1], c[..., 2], c[..., 3]
    with np.errstate(invalid="ignore", divide="ignore"):
        f_pos = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
        f_neg = np.where(2 * tn + fn + fp > 0, 2 * tn / (2 * tn + fn + fp), 0.0)
    return (f_pos + f_neg) / 2


def bootstrap_ci(c: np.ndarray, samples: int = BOOTSTRAP_SAMPLES,
                 seed: int = BOOTSTRAP_SEED) -> list[float]:
    """95% interval of macro-F1 when rows are resampled with replacement.

    Macro-F1 depends on the rows only through the four cell counts, so resampling rows is
    drawing the four counts from a multinomial with the observed shares.
    """
    n = int(c.sum())
    if n == 0:
        return [0.0, 0.0]
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, c / n, size=samples).astype(np.float64)
    lo, hi = np.quantile(macro_f1_from_cells(draws), [0.025, 0.975])
    return [round(float(lo), 4), round(float(hi), 4)]


def average_precision(y: np.ndarray, score: np.ndarray) -> float:
    order = np.argsort(-score, kind="stable")
    hits = y[order] == 1
    if not hits.any():
        return 0.0
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision[hits].mean())


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b else 0.0


def label_figures(y: np.ndarray, pred: np.ndarray, score: np.ndarray) -> dict[str, Any]:
    c = cells(y, pred)
    tp, fp, fn, _ = c
    return {
        "macro_f1": round(float(macro_f1_from_cells(c)), 4),
        "precision": round(_ratio(tp, tp + fp), 4),
        "recall": round(_ratio(tp, tp + fn), 4),
        "pr_auc": round(average_precision(y, score), 4),
        "ci95": bootstrap_ci(c),
    }


def target_guesses(texts: Sequence[str], model: ModerationModel) -> list[str]:
    """The target the model would give each text if it were hateful."""
    out: list[str] = []
    for i in range(0, len(texts), BATCH):
        prepared = [prepare(t) for t in texts[i:i + BATCH]]
        probs = model.score(prepared).target_probs
        out.extend(tg.choose_target(model.targets, probs[j],
                                    tg.cue_counts(p.tokens, model.targets),
                                    cue_weight=model.cue_weight)
                   for j, p in enumerate(prepared))
    return out


def evaluate_rows(rows: Sequence[dict[str, Any]], *, policy: Policy | None = None,
                  model: ModerationModel | None = None) -> dict[str, Any]:
    model = model or load_model()
    texts = [r["text"] for r in rows]
    verdicts = []
    for i in range(0, len(texts), BATCH):
        verdicts.extend(moderate_batch(texts[i:i + BATCH], policy=policy, model=model,
                                       explain=False))
    sources = np.array([str(r.get("source") or "unknown") for r in rows])
    result: dict[str, Any] = {"n": len(rows), "threshold": "policy", "labels": {}}
    by_source: dict[str, dict[str, Any]] = {}
    for label in MODERATION_LABELS:
        y = gold(rows, label)
        sel = y >= 0
        if not sel.any():
            continue
        pred = np.array([v.labels[label] for v in verdicts], dtype=bool)
        score = np.array([v.scores[label] for v in verdicts])
        result["labels"][label] = label_figures(y[sel], pred[sel], score[sel])
        for source in sorted(set(sources[sel])):
            m = sel & (sources == source)
            f1 = float(macro_f1_from_cells(cells(y[m], pred[m])))
            by_source.setdefault(source, {})[label] = {"macro_f1": round(f1, 4)}
    with_target = [i for i, r in enumerate(rows) if r.get("hate_target")]
    if with_target:
        guesses = target_guesses([texts[i] for i in with_target], model)
        confusion: dict[str, dict[str, int]] = {}
        right = 0
        for i, guess in zip(with_target, guesses, strict=True):
            g = str(rows[i]["hate_target"])
            confusion.setdefault(g, {})
            confusion[g][guess] = confusion[g].get(guess, 0) + 1
            right += guess == g
        result["hate_target"] = {"accuracy": round(right / len(with_target), 4),
                                 "confusion": confusion}
    result["by_source"] = by_source
    return result


def evaluate_moderation(path: str | Path, *, split: str | None = DEFAULT_SPLIT,
                        policy: Policy | None = None,
                        model: ModerationModel | None = None) -> dict[str, Any]:
    """Figures for one file (see the module docstring)."""
    rows = read_rows(path, split)
    if not rows:
        raise ValueError(f"{path}: no rows to evaluate (split {split!r}); give a file in the "
                         "shared moderation format, or another --split")
    return evaluate_rows(rows, policy=policy, model=model)


def format_table(result: dict[str, Any]) -> str:
    """The figures as a readable table."""
    lines = [f"{result['n']} comments; labels at the policy thresholds", "",
             f"{'label':<10} {'macro-F1':>8} {'95% interval':>15} {'precision':>9} "
             f"{'recall':>7} {'PR-AUC':>7}"]
    for label, f in result["labels"].items():
        lo, hi = f["ci95"]
        lines.append(f"{label:<10} {f['macro_f1']:>8.3f} {f'{lo:.3f}–{hi:.3f}':>15} "
                     f"{f['precision']:>9.3f} {f['recall']:>7.3f} {f['pr_auc']:>7.3f}")
    labels = [label for label in MODERATION_LABELS if label in result["labels"]]
    if result["by_source"]:
        lines += ["", "macro-F1 by source", f"{'source':<24}" + "".join(
            f"{label:>11}" for label in labels)]
        for source, figures in result["by_source"].items():
            cells_ = "".join(f"{figures[label]['macro_f1']:>11.3f}" if label in figures
                             else f"{'—':>11}" for label in labels)
            lines.append(f"{source:<24}{cells_}")
    target = result.get("hate_target")
    if target:
        lines += ["", f"hate target accuracy {target['accuracy']:.3f} (gold → predicted: count)"]
        for g, row in target["confusion"].items():
            lines.append(f"  {g:<22} " + ", ".join(f"{p} {n}" for p, n in
                                                    sorted(row.items(), key=lambda x: -x[1])))
    return "\n".join(lines)


# --- our own fixture sets ---------------------------------------------------------------

def _read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _flagged(decision: str) -> bool:
    return decision != "publish"


def evaluate_obfuscation(path: str | Path, *, policy: Policy | None = None,
                         model: ModerationModel | None = None) -> dict[str, Any]:
    """Flip rates of obfuscated variants against their plain base comment.

    Each row of the file holds ``base``, ``variant``, ``kind`` and gold ``offensive``. A
    *flip* is a variant whose offensive label (or flagged decision: review or reject)
    differs from its base's; rates are given per direction, from the base's prediction:
    ``offensive_to_clean`` among bases predicted offensive, ``clean_to_offensive`` among
    bases predicted clean.
    """
    rows = _read_jsonl(path)
    model = model or load_model()
    bases = sorted({r["base"] for r in rows})
    base_v = dict(zip(bases, moderate_batch(bases, policy=policy, model=model, explain=False),
                      strict=True))
    variants = moderate_batch([r["variant"] for r in rows], policy=policy, model=model,
                              explain=False)
    out: dict[str, Any] = {"n": len(rows)}
    for name, get in (("label", lambda v: v.labels["offensive"]),
                      ("decision", lambda v: _flagged(v.decision))):
        down = [get(base_v[r["base"]]) and not get(v) for r, v in zip(rows, variants,
                                                                       strict=True)]
        up = [not get(base_v[r["base"]]) and get(v) for r, v in zip(rows, variants,
                                                                     strict=True)]
        n_pos = sum(get(base_v[r["base"]]) for r in rows)
        n_neg = len(rows) - n_pos
        by_kind: dict[str, int] = {}
        for r, d, u in zip(rows, down, up, strict=True):
            if d or u:
                by_kind[r["kind"]] = by_kind.get(r["kind"], 0) + 1
        out[name] = {
            "offensive_to_clean": {"n": n_pos, "flips": sum(down),
                                   "rate": round(_ratio(sum(down), n_pos), 4)},
            "clean_to_offensive": {"n": n_neg, "flips": sum(up),
                                   "rate": round(_ratio(sum(up), n_neg), 4)},
            "flips_by_kind": by_kind,
        }
    gold_base = {r["base"]: int(r["offensive"]) for r in rows}
    out["base_accuracy"] = round(float(np.mean(
        [base_v[b].labels["offensive"] == bool(g) for b, g in gold_base.items()])), 4)
    out["variant_accuracy"] = round(float(np.mean(
        [v.labels["offensive"] == bool(r["offensive"]) for r, v in zip(rows, variants,
                                                                         strict=True)])), 4)
    return out


def evaluate_sectarian(path: str | Path, *, split: str = "heldout", policy: Policy | None = None,
                       model: ModerationModel | None = None) -> dict[str, Any]:
    """Our sectarian set: attacks, religion discussions and generic curses (one split).

    ``target_accuracy``: attacks whose target (the model's guess) is the gold one;
    ``hate_recall``: attacks labelled hate; ``attack_rejected``: attacks rejected;
    ``discussion_hate``: discussions wrongly labelled hate; ``discussion_flagged``:
    discussions sent to review or rejected; ``generic_curse_rejected``: must stay 0.
    """
    rows = [r for r in _read_jsonl(path) if r["split"] == split]
    model = model or load_model()
    verdicts = moderate_batch([r["text"] for r in rows], policy=policy, model=model,
                              explain=False)
    attacks = [(r, v) for r, v in zip(rows, verdicts, strict=True) if r["kind"] == "attack"]
    talks = [(r, v) for r, v in zip(rows, verdicts, strict=True) if r["kind"] == "discussion"]
    curses = [(r, v) for r, v in zip(rows, verdicts, strict=True)
              if r["kind"] == "generic_curse"]
    guesses = target_guesses([r["text"] for r, _ in attacks], model)
    return {
        "split": split,
        "attacks": len(attacks),
        "discussions": len(talks),
        "generic_curses": len(curses),
        "target_accuracy": round(_ratio(sum(g == r["hate_target"] for (r, _), g in
                                            zip(attacks, guesses, strict=True)), len(attacks)), 4),
        "hate_recall": round(_ratio(sum(v.labels["hate"] for _, v in attacks), len(attacks)), 4),
        "attack_rejected": round(_ratio(sum(v.decision == "reject" for _, v in attacks),
                                        len(attacks)), 4),
        "attack_flagged": round(_ratio(sum(_flagged(v.decision) for _, v in attacks),
                                       len(attacks)), 4),
        "discussion_hate": round(_ratio(sum(v.labels["hate"] for _, v in talks), len(talks)), 4),
        "discussion_flagged": round(_ratio(sum(_flagged(v.decision) for _, v in talks),
                                           len(talks)), 4),
        "generic_curse_rejected": sum(v.decision == "reject" for _, v in curses),
    }


def _without(text: str, spans: Sequence[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(text[last:start])
        last = max(last, end)
    out.append(text[last:])
    return " ".join("".join(out).split())


def evidence_deletion(texts: Sequence[str], *, policy: Policy | None = None,
                      model: ModerationModel | None = None) -> dict[str, Any]:
    """Does the evidence carry the decision? Among the rejected comments, the share whose
    rejecting score(s) fall below their threshold once the evidence spans are deleted."""
    from marsad.moderate.policy import load_policy

    model = model or load_model()
    policy = policy or load_policy()
    verdicts = []
    for i in range(0, len(texts), BATCH):
        verdicts.extend(moderate_batch(texts[i:i + BATCH], policy=policy, model=model))
    rejected = [(t, v) for t, v in zip(texts, verdicts, strict=True) if v.decision == "reject"]
    after = moderate_batch([_without(t, [(e.start, e.end) for e in v.evidence])
                            for t, v in rejected], policy=policy, model=model, explain=False)
    dropped = 0
    evidence_chars = 0.0
    for (text, before), now in zip(rejected, after, strict=True):
        below = [now.scores[label] < policy.decision[key]
                 for key, label in (("reject_hate", "hate"), ("reject_offensive", "offensive"))
                 if before.scores[label] >= policy.decision[key]]
        dropped += all(below)
        evidence_chars += sum(e.end - e.start for e in before.evidence) / max(len(text), 1)
    n = len(rejected)
    return {"rejected": n, "dropped": dropped, "share": round(_ratio(dropped, n), 4),
            "evidence_share_of_text": round(_ratio(evidence_chars, n), 4)}
