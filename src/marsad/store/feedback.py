"""Moderators' decisions as training rows, in the shared moderation format.

``marsad feedback export`` writes them; ``training/train_moderation.py --feedback FILE``
folds them in. One row per comment with a *standing* human decision (an undone decision is
not feedback): rejected by a moderator → ``offensive: 1``; approved → ``offensive: 0``.
A moderator's decision says only whether the comment may stand, not which kind of abuse
it is, so ``hate``, ``vulgar``, ``violence`` and ``hate_target`` are ``null`` ("not
annotated", as in ../shared/data/README.md), and only the offensive head learns from them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from marsad.names import MODERATION_LABELS
from marsad.store.base import Store
from marsad.store.moderation import State
from marsad.store.sql import Db

FEEDBACK_SOURCE = "marsad_feedback"
FEEDBACK_DOMAIN = "news_comment"
FEEDBACK_SPLIT = "train"  # decisions are for training; dev stays the public sets' dev
OFFENSIVE_BY_STATE = {State.REJECTED_BY_HUMAN.value: 1, State.APPROVED.value: 0}

_ROWS = (
    "SELECT c.id, c.text, c.dialect, s.state FROM comment_states s "
    "JOIN comments c ON c.id = s.comment_id WHERE s.state IN (?, ?) "
    "ORDER BY s.decided_at, c.id"
)


def feedback_rows(store: Store) -> Iterator[dict[str, Any]]:
    """The standing human decisions of ``store``, oldest first, as moderation rows."""
    for comment_id, text, dialect, state in Db(store).all(_ROWS, tuple(OFFENSIVE_BY_STATE)):
        row: dict[str, Any] = {
            "id": f"{FEEDBACK_SOURCE}:{comment_id}", "text": text, "source": FEEDBACK_SOURCE,
            "domain": FEEDBACK_DOMAIN, "split": FEEDBACK_SPLIT, "dialect": dialect or None,
        }
        row.update({label: None for label in MODERATION_LABELS})
        row["offensive"] = OFFENSIVE_BY_STATE[state]
        row["hate_target"] = None
        yield row


def export_feedback(store: Store, out: Path) -> dict[str, int]:
    """Write the feedback rows as JSONL; returns how many were rejected and approved."""
    counts = {"rows": 0, "offensive": 0, "not_offensive": 0}
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for row in feedback_rows(store):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            counts["rows"] += 1
            counts["offensive" if row["offensive"] else "not_offensive"] += 1
    return counts
