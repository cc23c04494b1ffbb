"""Moderation state: queues, human decisions, undo, an author's record and the audit log.

The library functions behind the REST API, the review UI and the CLI alike. A comment's
state is its latest standing human decision (``approved``, ``rejected_by_human``), else
the model's decision as a queue (``review``, ``rejected``) or ``published`` (DESIGN.md,
"Names and values"). Human decisions live in ``human_decisions`` (the audit log) and
``comment_states`` (the current human state), which re-runs of the pipeline never touch.

Two moderators deciding one comment at once: each says which state they saw
(``expected_state``); the decision reads the state and writes in one transaction that
holds the comment (SQLite's write lock, PostgreSQL's row lock), so the second finds the
state changed and gets ``StateConflict`` instead of overwriting the first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from marsad.names import Decision, HumanDecision, Queue
from marsad.store.base import Store
from marsad.store.sql import Db, now_iso


class State(StrEnum):
    """Where a comment stands: the four queues, or published by the model."""

    REVIEW = Queue.REVIEW
    REJECTED = Queue.REJECTED
    APPROVED = Queue.APPROVED
    REJECTED_BY_HUMAN = Queue.REJECTED_BY_HUMAN
    PUBLISHED = "published"  # the model published it and nobody decided otherwise
    UNSCORED = "unscored"  # no verdict (a page that is not Arabic)


MODEL_STATE: dict[str | None, State] = {
    Decision.REVIEW: State.REVIEW,
    Decision.REJECT: State.REJECTED,
    Decision.PUBLISH: State.PUBLISHED,
    None: State.UNSCORED,
}
HUMAN_STATE: dict[HumanDecision, State] = {
    HumanDecision.APPROVE: State.APPROVED,
    HumanDecision.REJECT: State.REJECTED_BY_HUMAN,
}
UNDO = "undo"  # the action of an audit row that undoes a decision


class ModerationError(Exception):
    """A request the moderation state cannot grant; ``code`` is stable, for APIs."""

    code = "moderation_error"


class CommentNotFound(ModerationError, LookupError):
    code = "comment_not_found"

    def __init__(self, comment_id: str) -> None:
        super().__init__(f"comment {comment_id!r} is not in the store")
        self.comment_id = comment_id


class StateConflict(ModerationError):
    """The comment's state is not the one the moderator saw: someone decided first."""

    code = "state_conflict"

    def __init__(self, comment_id: str, expected: str, current: str) -> None:
        super().__init__(
            f"comment {comment_id!r} is now {current!r}, not {expected!r} as you saw it: "
            "someone else decided it meanwhile; reload it and decide again if needed"
        )
        self.comment_id, self.expected, self.current = comment_id, expected, current


class NothingToUndo(ModerationError):
    code = "nothing_to_undo"

    def __init__(self, comment_id: str) -> None:
        super().__init__(f"comment {comment_id!r} has no human decision standing to undo")
        self.comment_id = comment_id


@dataclass
class AuditEntry:
    """One row of the audit log: a decision, or an undo (``action == "undo"``)."""

    id: int
    comment_id: str
    moderator: str
    decided_at: str
    action: str  # approve | reject | undo
    from_state: str | None
    to_state: str
    reason: str | None = None
    undoes: int | None = None  # for an undo: the decision it reversed
    undone_at: str | None = None  # for a decision: when it was undone


@dataclass
class CommentView:
    """A comment as a moderator sees it: text, verdict, state and where it was posted."""

    id: str
    page_id: str
    index: int
    text: str
    author: str | None
    posted_at: str | None
    parent: str | None
    dialect: str | None
    verdict: dict[str, Any] | None
    model_state: str
    state: str
    decided_by: str | None
    decided_at: str | None
    page_title: str | None
    page_url: str | None
    site: str | None
    site_comment_id: str | None


@dataclass
class AuthorRecord:
    author: str
    comments: int
    by_state: dict[str, int] = field(default_factory=dict)
    recent: list[CommentView] = field(default_factory=list)
    decisions: list[AuditEntry] = field(default_factory=list)


_VIEW = """
SELECT c.id, c.page_id, c.idx, c.text, c.author, c.posted_at, c.parent, c.dialect,
       c.verdict, c.decision, s.state, s.moderator, s.decided_at,
       COALESCE(sc.article_title, p.title), COALESCE(sc.article_url, p.url), p.site,
       sc.site_comment_id
FROM comments c
JOIN pages p ON p.id = c.page_id
LEFT JOIN comment_states s ON s.comment_id = c.id
LEFT JOIN stream_comments sc ON sc.comment_id = c.id
"""
# Oldest first: stream comments by arrival, crawled ones by when their page was stored.
_ORDER = " ORDER BY COALESCE(sc.received_at, p.stored_at), c.page_id, c.idx"
_AUDIT = (
    "SELECT id, comment_id, moderator, decided_at, action, from_state, to_state, reason, "
    "undoes, undone_at FROM human_decisions"
)
_STANDING = "(action IS NULL OR action <> 'undo') AND undone_at IS NULL"
_SET_STATE = (
    "INSERT INTO comment_states (comment_id, state, decision_id, moderator, decided_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (comment_id) DO UPDATE SET state = excluded.state, "
    "decision_id = excluded.decision_id, moderator = excluded.moderator, "
    "decided_at = excluded.decided_at"
)


def model_state(decision: str | None) -> State:
    return MODEL_STATE.get(decision, State.UNSCORED)


def _view(row: tuple[Any, ...]) -> CommentView:
    (cid, page_id, idx, text, author, posted_at, parent, dialect, verdict, decision, state,
     moderator, decided_at, title, url, site, site_cid) = row
    model = model_state(decision).value
    return CommentView(
        id=cid, page_id=page_id, index=int(idx), text=text, author=author,
        posted_at=posted_at, parent=parent, dialect=dialect,
        verdict=json.loads(verdict) if verdict else None, model_state=model,
        state=state or model, decided_by=moderator, decided_at=decided_at,
        page_title=title, page_url=url, site=site, site_comment_id=site_cid,
    )


def _entry(row: tuple[Any, ...]) -> AuditEntry:
    (eid, cid, moderator, decided_at, action, from_state, to_state, reason, undoes,
     undone_at) = row
    return AuditEntry(
        id=int(eid), comment_id=cid, moderator=moderator, decided_at=decided_at,
        action=action or to_state, from_state=from_state, to_state=to_state, reason=reason,
        undoes=int(undoes) if undoes is not None else None, undone_at=undone_at,
    )


def get_comment(store: Store, comment_id: str) -> CommentView | None:
    row = Db(store).one(f"{_VIEW} WHERE c.id = ?", (comment_id,))
    return _view(row) if row else None


def get_comments(store: Store, comment_ids: list[str]) -> dict[str, CommentView]:
    """Several comments by id (missing ones are absent from the result)."""
    db, found = Db(store), {}
    for start in range(0, len(comment_ids), 500):  # stay under SQLite's parameter limit
        chunk = comment_ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in db.all(f"{_VIEW} WHERE c.id IN ({marks})", chunk):
            view = _view(row)
            found[view.id] = view
    return found


def _locked_state(db: Db, comment_id: str, expected_state: str | None) -> State:
    """The comment's state, read inside a write transaction that holds the comment; raises
    ``StateConflict`` when it is not ``expected_state`` (None: any state will do)."""
    row = db.one(f"SELECT decision FROM comments WHERE id = ?{db.for_update}", (comment_id,))
    if row is None:
        raise CommentNotFound(comment_id)
    human = db.one("SELECT state FROM comment_states WHERE comment_id = ?", (comment_id,))
    current = State(human[0]) if human else model_state(row[0])
    if expected_state is not None and current != expected_state:
        raise StateConflict(comment_id, expected_state, current)
    return current


def decide(
    store: Store,
    comment_id: str,
    decision: HumanDecision | str,
    moderator: str,
    *,
    expected_state: str | None,
    reason: str | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Approve or reject a comment; ``expected_state`` is the state the moderator saw
    (None skips the check: for tools that decide without showing a state)."""
    action = HumanDecision(decision)
    to_state = HUMAN_STATE[action].value  # plain strings into SQL, whatever the driver
    stamp = now_iso(now)
    db = Db(store)
    with db.write():
        current = _locked_state(db, comment_id, expected_state)
        entry_id = db.insert_id(
            "INSERT INTO human_decisions (comment_id, moderator, decided_at, from_state, "
            "to_state, reason, action) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (comment_id, moderator, stamp, current.value, to_state, reason, action.value),
        )
        db.execute(_SET_STATE, (comment_id, to_state, entry_id, moderator, stamp))
    return AuditEntry(entry_id, comment_id, moderator, stamp, action.value, current.value,
                      to_state, reason)


def undo(
    store: Store,
    comment_id: str,
    moderator: str,
    *,
    expected_state: str | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Undo the latest standing human decision on a comment: its state goes back to the
    decision before it, else to the model's. Undo again to go further back."""
    stamp = now_iso(now)
    db = Db(store)
    with db.write():
        current = _locked_state(db, comment_id, expected_state)
        standing = db.all(
            f"SELECT id, to_state, moderator, decided_at FROM human_decisions "
            f"WHERE comment_id = ? AND {_STANDING} ORDER BY id DESC LIMIT 2",
            (comment_id,),
        )
        if not standing:
            raise NothingToUndo(comment_id)
        db.execute("UPDATE human_decisions SET undone_at = ? WHERE id = ?", (stamp, standing[0][0]))
        if len(standing) > 1:
            prev_id, prev_state, prev_moderator, prev_at = standing[1]
            db.execute(_SET_STATE, (comment_id, prev_state, prev_id, prev_moderator, prev_at))
            to_state = str(prev_state)
        else:
            db.execute("DELETE FROM comment_states WHERE comment_id = ?", (comment_id,))
            row = db.one("SELECT decision FROM comments WHERE id = ?", (comment_id,))
            to_state = model_state(row[0] if row else None).value
        entry_id = db.insert_id(
            "INSERT INTO human_decisions (comment_id, moderator, decided_at, from_state, "
            "to_state, reason, action, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (comment_id, moderator, stamp, current.value, to_state, reason, UNDO,
             standing[0][0]),
        )
    return AuditEntry(entry_id, comment_id, moderator, stamp, UNDO, current.value, to_state, reason,
                      undoes=int(standing[0][0]))


def queue_counts(store: Store) -> dict[str, int]:
    """How many comments wait in each queue (every queue named, zeros included)."""
    rows = Db(store).all(
        "SELECT COALESCE(s.state, CASE c.decision WHEN 'review' THEN 'review' "
        "WHEN 'reject' THEN 'rejected' END) AS queue, count(*) "
        "FROM comments c LEFT JOIN comment_states s ON s.comment_id = c.id "
        "WHERE s.state IS NOT NULL OR c.decision IN ('review', 'reject') GROUP BY queue"
    )
    counts = {q.value: 0 for q in Queue}
    for queue, n in rows:
        if queue in counts:
            counts[queue] = int(n)
    return counts


def _queue_where(queue: Queue) -> tuple[str, tuple[str, ...]]:
    if queue in (Queue.REVIEW, Queue.REJECTED):
        model = Decision.REVIEW if queue == Queue.REVIEW else Decision.REJECT
        return " WHERE c.decision = ? AND s.comment_id IS NULL", (model.value,)
    return " WHERE s.state = ?", (queue.value,)


def queue_items(store: Store, queue: Queue | str, *, limit: int = 50,
                offset: int = 0) -> list[CommentView]:
    """The comments in a queue, oldest first."""
    where, params = _queue_where(Queue(queue))
    rows = Db(store).all(f"{_VIEW}{where}{_ORDER} LIMIT ? OFFSET ?", (*params, limit, offset))
    return [_view(r) for r in rows]


def author_record(store: Store, author: str, *, limit: int = 50) -> AuthorRecord:
    """An author's comments (newest first), their states and the decisions on them."""
    db = Db(store)
    states: dict[str, int] = {}
    rows = db.all(
        "SELECT c.decision, s.state, count(*) FROM comments c "
        "LEFT JOIN comment_states s ON s.comment_id = c.id WHERE c.author = ? "
        "GROUP BY c.decision, s.state",
        (author,),
    )
    for decision, state, n in rows:
        key = state or model_state(decision).value
        states[key] = states.get(key, 0) + int(n)
    recent = [
        _view(r)
        for r in db.all(
            f"{_VIEW} WHERE c.author = ? ORDER BY COALESCE(sc.received_at, p.stored_at) DESC, "
            "c.page_id, c.idx DESC LIMIT ?",
            (author, limit),
        )
    ]
    decisions = [
        _entry(r)
        for r in db.all(
            f"{_AUDIT} WHERE comment_id IN (SELECT id FROM comments WHERE author = ?) "
            "ORDER BY id DESC LIMIT ?",
            (author, limit),
        )
    ]
    return AuthorRecord(author, sum(states.values()), states, recent, decisions)


def _audit_where(moderator: str | None, comment_id: str | None,
                 since: str | None) -> tuple[str, list[str]]:
    clauses, params = [], []
    for clause, value in (("moderator = ?", moderator), ("comment_id = ?", comment_id),
                          ("decided_at >= ?", since)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def audit_log(store: Store, *, limit: int = 100, offset: int = 0, moderator: str | None = None,
              comment_id: str | None = None, since: str | None = None) -> list[AuditEntry]:
    """The audit log, newest first."""
    where, params = _audit_where(moderator, comment_id, since)
    rows = Db(store).all(f"{_AUDIT}{where} ORDER BY id DESC LIMIT ? OFFSET ?",
                         (*params, limit, offset))
    return [_entry(r) for r in rows]


def iter_audit(store: Store, *, moderator: str | None = None, comment_id: str | None = None,
               since: str | None = None, batch: int = 1000) -> Iterator[AuditEntry]:
    """The whole audit log in the order it happened, read in batches (for exports)."""
    where, params = _audit_where(moderator, comment_id, since)
    joiner = " AND " if where else " WHERE "
    db, last = Db(store), 0
    while True:
        rows = db.all(f"{_AUDIT}{where}{joiner}id > ? ORDER BY id LIMIT ?",
                      (*params, last, batch))
        for row in rows:
            yield _entry(row)
        if len(rows) < batch:
            return
        last = int(rows[-1][0])
