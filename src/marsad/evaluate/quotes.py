"""How well quotations are found: ``marsad eval quotes FILE.jsonl``.

The file holds one JSON object per line, ``{"id", "text", "quotes": [{"speaker",
"speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "content", "content_start",
"content_end", "direct", "via", "anonymous"}]}``, offsets in code points into ``text``
(``speaker`` and its offsets may be null). ``find_quotes(text)`` is scored against it:

- a predicted quotation **matches** a gold one when their content spans overlap by at least
  half of the longer of the two; matching is one-to-one (the pairs with the largest overlap
  first), so a quotation found twice counts once;
- ``quotes``: precision, recall and F1 of matched quotations;
- ``speaker``, ``via``, ``anonymous``, ``direct``: accuracy over the matched pairs. A speaker
  is right when its span overlaps the gold speaker span, or both are null; via must be equal
  (both null counts as equal).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from marsad.evaluate.jsonl import json_objects
from marsad.record import Quote

QUOTE_FIELDS: tuple[str, ...] = (
    "speaker", "speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "content",
    "content_start", "content_end", "direct", "via", "anonymous",
)
MIN_OVERLAP = 0.5  # of the longer content span
ATTRIBUTES: tuple[str, ...] = ("speaker", "via", "anonymous", "direct")
# What `marsad eval quotes --json` prints, exactly.
QUOTE_FIGURES: tuple[str, ...] = ("quotes", *ATTRIBUTES)


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """The annotated passages of a quotes JSONL file; a bad line raises ValueError naming it."""
    rows = []
    for where, row in json_objects(path):
        if not isinstance(row.get("text"), str) or not isinstance(row.get("quotes"), list):
            raise ValueError(f'{where}: a line needs "text" (a string) and "quotes" (a list)')
        for k, q in enumerate(row["quotes"], 1):
            _check_quote(q, row["text"], f"{where}, quotation {k}")
        rows.append(row)
    return rows


def _check_quote(q: Any, text: str, where: str) -> None:
    if not isinstance(q, dict):
        raise ValueError(f"{where}: a quotation is an object with {', '.join(QUOTE_FIELDS)}")
    missing = [f for f in QUOTE_FIELDS if f not in q]
    if missing:
        raise ValueError(f"{where}: missing {', '.join(missing)}")
    for part in ("content", "cue", "speaker"):
        start, end = q[f"{part}_start"], q[f"{part}_end"]
        if part == "speaker" and start is None and end is None:
            continue
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
            raise ValueError(f"{where}: {part}_start/{part}_end ({start}, {end}) are not offsets "
                             f"into the text ({len(text)} characters)")


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(gold: Sequence[dict[str, Any]], pred: Sequence[Quote]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs, largest overlap first."""
    pairs = []
    for g, gq in enumerate(gold):
        gs = (gq["content_start"], gq["content_end"])
        for p, pq in enumerate(pred):
            ps = (pq.content.start, pq.content.end)
            ov = _overlap(gs, ps)
            longer = max(gs[1] - gs[0], ps[1] - ps[0])
            if longer and ov >= MIN_OVERLAP * longer:
                pairs.append((ov, g, p))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, g, p in pairs:
        if g in used_g or p in used_p:
            continue
        used_g.add(g)
        used_p.add(p)
        out.append((g, p))
    return sorted(out)


def attribute_right(gq: dict[str, Any], pq: Quote) -> dict[str, bool]:
    if gq["speaker_start"] is None or pq.speaker is None:
        speaker = gq["speaker_start"] is None and pq.speaker is None
    else:
        speaker = _overlap((gq["speaker_start"], gq["speaker_end"]),
                           (pq.speaker.start, pq.speaker.end)) > 0
    return {
        "speaker": speaker,
        "via": (gq["via"] or None) == (pq.via or None),
        "anonymous": bool(gq["anonymous"]) == pq.anonymous,
        "direct": bool(gq["direct"]) == pq.direct,
    }


def score(rows: Sequence[dict[str, Any]],
          predictions: Sequence[Sequence[Quote]]) -> dict[str, Any]:
    """The figures of the module docstring, plus counts and the misses for a report."""
    if len(rows) != len(predictions):
        raise ValueError(f"{len(rows)} passages but {len(predictions)} predictions")
    n_gold = n_pred = n_match = 0
    right = dict.fromkeys(ATTRIBUTES, 0)
    for row, pred in zip(rows, predictions, strict=True):
        gold = row["quotes"]
        pairs = match(gold, pred)
        n_gold += len(gold)
        n_pred += len(pred)
        n_match += len(pairs)
        for g, p in pairs:
            for name, ok in attribute_right(gold[g], pred[p]).items():
                right[name] += ok
    precision = n_match / n_pred if n_pred else 0.0
    recall = n_match / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    result: dict[str, Any] = {"quotes": {"precision": precision, "recall": recall, "f1": f1}}
    for name in ATTRIBUTES:
        result[name] = {"accuracy": right[name] / n_match if n_match else 0.0}
    result["counts"] = {"passages": len(rows), "gold": n_gold, "predicted": n_pred,
                        "matched": n_match}
    return result


def evaluate_quotes(
    path: str | Path, extract: Callable[[str], list[Quote]] | None = None
) -> dict[str, Any]:
    """Score ``find_quotes`` (or ``extract``) on a quotes JSONL file."""
    if extract is None:
        from marsad.enrich.quotes import find_quotes

        extract = find_quotes
    rows = read_rows(path)
    if not rows:
        raise ValueError(f"{path}: no annotated passages")
    return score(rows, [extract(row["text"]) for row in rows])


def format_table(result: dict[str, Any]) -> str:
    from rich.console import Console
    from rich.table import Table

    counts = result.get("counts", {})
    table = Table(title=f"quotations: {counts.get('passages', '?')} passages, "
                        f"{counts.get('gold', '?')} gold, {counts.get('predicted', '?')} found, "
                        f"{counts.get('matched', '?')} matched")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key in ("precision", "recall", "f1"):
        table.add_row(f"quotes {key}", f"{result['quotes'][key]:.3f}")
    for name in ATTRIBUTES:
        table.add_row(f"{name} accuracy", f"{result[name]['accuracy']:.3f}")
    console = Console(width=100, record=True)
    with console.capture() as capture:
        console.print(table)
    return capture.get()
