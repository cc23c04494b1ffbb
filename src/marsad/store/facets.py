"""Filter values indexed beside a search unit's words, so that SQLite's FTS5 applies the
common filters itself.

A filtered search of a common word used to read every matching unit's row and its page's
row to test the filter: on a store of a million comments, a date range took 300 ms. A
unit's *facets* are a few extra tokens in a second FTS5 column (``search_units.facets``,
migration 0006): its kind, its page's site, its page's month of publication and, for a
comment, its *effective* decision (the moderator's when there is one, else the model's),
kept current by triggers on ``comment_states`` and, when a page is stored again, by the
store. A filter becomes part of the full-text query (``facets : "kcomment"``), which
FTS5 answers from its posting lists. The facet column has weight 0 in ``bm25``, so it
never changes a score, and query words are matched in the ``terms`` column only.

Tokens hold only ASCII letters and digits (FTS5's ascii tokenizer splits at anything
else): the kind's name, the site's UTF-8 bytes in upper-case hex, the month as YYYYMM,
the decision's name. Migration 0006 computes the same tokens in SQL (``hex(site)``), so
both must stay as they are; the decision token comes last, so SQL can replace it.
"""

from __future__ import annotations

from datetime import date, timedelta

KIND_PREFIX, SITE_PREFIX, MONTH_PREFIX, DECISION_PREFIX = "k", "s", "m", "e"
# A date range spanning more months than this is left to the page join: its OR of month
# tokens would cost more than it saves.
MAX_MONTHS = 36


def unit_facets(
    kind: str, site: str | None, published_at: str | None, decision: str | None = None
) -> str:
    """The facet tokens of a unit, space-separated; ``decision`` is a comment's model
    decision (the store puts a moderator's in its place)."""
    tokens = [KIND_PREFIX + kind]
    if site:
        tokens.append(site_token(site))
    month = month_token(published_at)
    if month:
        tokens.append(month)
    if decision:
        tokens.append(DECISION_PREFIX + decision)
    return " ".join(tokens)


def site_token(site: str) -> str:
    return SITE_PREFIX + site.encode("utf-8").hex().upper()


def month_token(published_at: str | None) -> str | None:
    """``m`` + YYYYMM of an ISO date or time; None when it does not start with one."""
    if not published_at or len(published_at) < 7:
        return None
    year, dash, month = published_at[:4], published_at[4], published_at[5:7]
    if not (year.isdigit() and dash == "-" and month.isdigit()):
        return None
    return f"{MONTH_PREFIX}{year}{month}"


def month_tokens(date_from: str | None, date_to_exclusive: str | None) -> list[str] | None:
    """The month tokens covering [date_from, date_to_exclusive), or None when the range is
    open-ended or longer than ``MAX_MONTHS`` (the page join then does all the work). The
    months are a superset: the exact bounds are still checked against the page."""
    if not date_from or not date_to_exclusive:
        return None
    first = date.fromisoformat(date_from[:10]).replace(day=1)
    last = date.fromisoformat(date_to_exclusive[:10]) - timedelta(days=1)
    if last < first:
        return []
    months: list[str] = []
    at = first
    while at <= last:
        months.append(f"{MONTH_PREFIX}{at.year:04d}{at.month:02d}")
        if len(months) > MAX_MONTHS:
            return None
        at = (at.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months
