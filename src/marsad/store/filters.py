"""What a search or an export is narrowed to, and the SQL that narrows it.

One ``Filters`` for ``marsad search``, ``marsad export`` and the API. The SQL is written once
with ``?`` placeholders (``marsad.store.sql`` swaps them for PostgreSQL's); values are always
parameters, never spliced into the text.

Meaning of each filter:
- site, date_from, date_to (``published_at``; a bare date ``to`` includes that whole day),
  entity (an entity of the page has this canonical form, exactly), cluster (the page is a
  member of this near-duplicate cluster): about the page;
- decision (a comment's effective decision: the current human one, else the model's) and
  dialect (a comment's dialect label): about comments — a search returns only comments;
- speaker (a quote's speaker contains this text, compared after normalisation, so ابو/أبو
  meet): about quotes — a search returns only quotes;
- kind (title, paragraph, comment, quote): which units a search returns.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from marsad.names import Decision, Dialect, HumanDecision, Queue
from marsad.store.units import UnitKind
from marsad.text.normalize import fold

# A comment's effective decision takes one of these values.
DECISIONS: tuple[str, ...] = (*[str(d) for d in Decision], str(HumanDecision.APPROVE))
# comment_states.state (migration 0005) → the human decision it stands for.
HUMAN_STATE_DECISION = {
    str(Queue.APPROVED): str(HumanDecision.APPROVE),
    str(Queue.REJECTED_BY_HUMAN): str(HumanDecision.REJECT),
}


@dataclass(frozen=True)
class Filters:
    site: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    decision: str | None = None
    entity: str | None = None
    speaker: str | None = None
    dialect: str | None = None
    cluster: str | None = None
    kind: str | None = None

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    datetime.fromisoformat(value)
                except ValueError:
                    raise ValueError(
                        f"{name.replace('_', ' ')} {value!r}: not an ISO date; write it as "
                        "2024-03-05 or 2024-03-05T10:30"
                    ) from None
        _check("decision", self.decision, DECISIONS)
        _check("dialect", self.dialect, [str(d) for d in Dialect])
        _check("kind", self.kind, [str(k) for k in UnitKind])

    def active(self) -> dict[str, str]:
        """The filters that are set, by name (for a heading or a log line)."""
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}

    @property
    def about_comments(self) -> bool:
        return self.decision is not None or self.dialect is not None


def _check(name: str, value: str | None, allowed: list[str] | tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise ValueError(f"{name} {value!r}: not one of {', '.join(allowed)}")


@dataclass
class Where:
    """SQL conditions joined by AND, and their parameters in order."""

    clauses: list[str]
    params: list[Any]

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "1 = 1"

    def extend(self, other: Where) -> None:
        self.clauses += other.clauses
        self.params += other.params


def date_to_bound(value: str) -> tuple[str, str]:
    """(operator, bound) for ``published_at`` against a ``to`` date: a bare date means up to
    the end of that day (times are stored as ISO text, so they compare as text)."""
    if len(value) == 10:
        return "<", (date.fromisoformat(value) + timedelta(days=1)).isoformat()
    return "<=", value


def page_where(f: Filters, tables: Container[str], p: str = "p") -> Where:
    """Conditions on a page row (alias ``p``)."""
    where = Where([], [])
    if f.site is not None:
        where.clauses.append(f"{p}.site = ?")
        where.params.append(f.site)
    if f.date_from is not None:
        where.clauses.append(f"{p}.published_at >= ?")
        where.params.append(f.date_from)
    if f.date_to is not None:
        op, bound = date_to_bound(f.date_to)
        where.clauses.append(f"{p}.published_at {op} ?")
        where.params.append(bound)
    if f.entity is not None:
        where.clauses.append(
            f"EXISTS (SELECT 1 FROM entities e WHERE e.page_id = {p}.id AND e.canonical = ?)"
        )
        where.params.append(f.entity)
    if f.cluster is not None:
        if "cluster_members" not in tables:
            raise ValueError(
                f"cluster {f.cluster!r}: this store has no clusters yet; cluster it first "
                "(the dedup stage fills cluster_members)"
            )
        where.clauses.append(
            f"EXISTS (SELECT 1 FROM cluster_members m WHERE m.page_id = {p}.id "
            "AND m.cluster_id = ?)"
        )
        where.params.append(f.cluster)
    return where


def effective_decision_sql(tables: Container[str], c: str = "c") -> str:
    """A comment's effective decision: the current human one, else the model's.

    With the moderators' tables (migration 0005) the current human state is one row in
    ``comment_states`` (undo already applied); without them, the latest human decision.
    """
    if "comment_states" in tables:
        cases = " ".join(f"WHEN '{s}' THEN '{d}'" for s, d in HUMAN_STATE_DECISION.items())
        human = (f"(SELECT CASE s.state {cases} END FROM comment_states s "
                 f"WHERE s.comment_id = {c}.id)")
    else:
        human = (f"(SELECT h.to_state FROM human_decisions h WHERE h.comment_id = {c}.id "
                 "ORDER BY h.decided_at DESC, h.id DESC LIMIT 1)")
    return f"COALESCE({human}, {c}.decision)"


def comment_where(f: Filters, tables: Container[str], c: str = "c") -> Where:
    """Conditions on a comment row (alias ``c``)."""
    where = Where([], [])
    if f.decision is not None:
        where.clauses.append(f"{effective_decision_sql(tables, c)} = ?")
        where.params.append(f.decision)
    if f.dialect is not None:
        where.clauses.append(f"{c}.dialect = ?")
        where.params.append(f.dialect)
    return where


def speaker_pattern(speaker: str) -> str:
    """A LIKE pattern for 'contains', on folded text, with LIKE's own characters escaped."""
    folded = fold(speaker)
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


SPEAKER_LIKE = "LIKE ? ESCAPE '\\'"


def quote_where(f: Filters, q: str = "q") -> Where:
    """Conditions on a quote row (alias ``q``). The folded speaker is kept with the quote's
    search unit (``units.py``), so the comparison sees through spelling there."""
    where = Where([], [])
    if f.speaker is not None:
        where.clauses.append(
            f"EXISTS (SELECT 1 FROM search_units su WHERE su.page_id = {q}.page_id "
            f"AND su.kind = '{UnitKind.QUOTE}' AND su.ref = CAST({q}.position AS TEXT) "
            f"AND su.speaker {SPEAKER_LIKE})"
        )
        where.params.append(speaker_pattern(f.speaker))
    return where


def unit_where(f: Filters, tables: Container[str], u: str = "u", p: str = "p") -> Where:
    """Conditions on a search unit (alias ``u``) and its page (alias ``p``)."""
    where = page_where(f, tables, p)
    if f.kind is not None:
        where.clauses.append(f"{u}.kind = ?")
        where.params.append(f.kind)
    if f.about_comments:
        comments = comment_where(f, tables, "c")
        where.clauses.append(
            f"{u}.kind = '{UnitKind.COMMENT}' AND EXISTS (SELECT 1 FROM comments c "
            f"WHERE c.id = {u}.ref AND {comments.sql()})"
        )
        where.params += comments.params
    if f.speaker is not None:
        where.clauses.append(f"{u}.kind = '{UnitKind.QUOTE}' AND {u}.speaker {SPEAKER_LIKE}")
        where.params.append(speaker_pattern(f.speaker))
    return where
