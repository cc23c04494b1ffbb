"""Arabic-aware search over a store: the library function the CLI and the API call.

A query is normalised, tokenised and lightly stemmed by the same function that built the
index (``marsad.text.stem``), so الرقة finds الرقه, وزير finds الوزراء and لرويترز finds
رويترز. Each query word becomes a group of stems; a unit matches when every group shares
a stem with it. The database sees only these stems, each quoted as a literal term, so
nothing a user types (quotes, ``*``, ``NEAR(``, ``OR``, ``-``, ``:``, brackets) is ever
read as query syntax: it is either part of a word or a separator.

Ranking: BM25 in SQLite (FTS5), ``ts_rank_cd`` in PostgreSQL, among the ``RANK_WINDOW``
most recently stored matching units. A query of rare words has fewer matches than that and
is ranked in full; one of very common words (في، على) would otherwise score hundreds of
thousands of units whose BM25 differs only by length, so the window keeps such a query as
fast as a rare one, and the newest units are the ones a reader wants first anyway.

Snippets are cut from the unit's original text and highlighted in Python (``Hit.highlights``
are spans into ``Hit.snippet``), the same way for both stores; ``Hit.marked`` wraps them in
markers for a terminal, and a web page escapes the snippet first, then inserts its tags.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from marsad.store.base import Store
from marsad.store.facets import DECISION_PREFIX, KIND_PREFIX, month_tokens, site_token
from marsad.store.filters import Filters, Where, date_to_bound, unit_where
from marsad.store.units import UnitKind
from marsad.text.stem import matching_tokens, query_terms

RANK_WINDOW = 5_000
MAX_QUERY_WORDS = 32  # a pasted paragraph is not a query; its first words are
MAX_LIMIT = 1_000
SNIPPET_CHARS = 180  # about two lines of a results table
SNIPPET_LEAD = 50  # characters of context kept before the first match
OPEN_MARK, CLOSE_MARK = "«[", "]»"


@dataclass(frozen=True)
class UnitMatch:
    """A matching unit as a store returns it (a higher score is a better match)."""

    page_id: str
    kind: str
    ref: str
    text: str
    title: str | None
    site: str | None
    published_at: str | None
    score: float


@dataclass(frozen=True)
class Hit:
    page_id: str
    kind: str  # title | paragraph | comment | quote
    ref: str  # '' (title), paragraph number, comment id, quote position
    title: str | None
    site: str | None
    published_at: str | None
    snippet: str  # a window of the unit's original text
    highlights: tuple[tuple[int, int], ...]  # spans of matched words, into ``snippet``
    score: float
    snippet_start: int  # where the snippet starts in the unit's text
    unit_chars: int  # the unit text's length: the snippet is clipped when shorter

    def marked(self, open_mark: str = OPEN_MARK, close_mark: str = CLOSE_MARK) -> str:
        """The snippet with each match wrapped in markers, and … where it was clipped."""
        out, at = [], 0
        for start, end in self.highlights:
            out += [self.snippet[at:start], open_mark, self.snippet[start:end], close_mark]
            at = end
        out.append(self.snippet[at:])
        before = "…" if self.snippet_start > 0 else ""
        after = "…" if self.snippet_start + len(self.snippet) < self.unit_chars else ""
        return before + "".join(out) + after


def search(
    store: Store, query: str, filters: Filters | None = None, limit: int = 20, offset: int = 0
) -> list[Hit]:
    """The units of ``store`` matching every word of ``query``, best first.

    Never raises on what a user types: a query with no words returns no hits. Raises
    ``ValueError`` for a filter the store cannot apply (a cluster before clustering).
    """
    groups = query_terms(query)[:MAX_QUERY_WORDS]
    if not groups or limit <= 0:
        return []
    limit = min(limit, MAX_LIMIT)
    matches = store.search_units(groups, filters or Filters(), limit, max(offset, 0))
    wanted = {stem for group in groups for stem in group}
    return [_hit(m, wanted) for m in matches]


def _hit(match: UnitMatch, wanted: set[str]) -> Hit:
    tokens = matching_tokens(match.text, wanted)
    start, end = snippet_window(match.text, tokens[0].start if tokens else 0)
    spans = tuple(
        (t.start - start, t.end - start) for t in tokens if t.start >= start and t.end <= end
    )
    return Hit(
        page_id=match.page_id, kind=match.kind, ref=match.ref, title=match.title,
        site=match.site, published_at=match.published_at, snippet=match.text[start:end],
        highlights=spans, score=match.score, snippet_start=start, unit_chars=len(match.text),
    )


def snippet_window(text: str, first_match: int) -> tuple[int, int]:
    """A window of about ``SNIPPET_CHARS`` around the first match, cut at spaces."""
    if len(text) <= SNIPPET_CHARS:
        return 0, len(text)
    start = max(0, first_match - SNIPPET_LEAD)
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 20 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first_match else end
    return start, end


# ---- the SQL each store runs (``?`` placeholders; PostgreSQL swaps them) ----------------


def fts5_match(groups: Sequence[Sequence[str]], facets: Sequence[Sequence[str]] = ()) -> str:
    """An FTS5 query: every group, each an OR of quoted terms, in the ``terms`` column; then
    every group of facet tokens in the ``facets`` column. Our terms hold only letters and
    digits, so a double-quoted term is always a plain string to FTS5."""
    def any_of(column: str, tokens: Sequence[str]) -> str:
        quoted = " OR ".join('"' + token.replace('"', '""') + '"' for token in tokens)
        return f"{column} : ({quoted})"

    return " AND ".join(
        [any_of("terms", group) for group in groups]
        + [any_of("facets", group) for group in facets]
    )


# FTS5's bm25 counts the units holding each token of the query, facets included, so a
# token that most units hold costs a scan of most of the index (40 ms at a million
# comments): comments are most of a store's units, so their kind is tested in SQL.
KINDS_LEFT_TO_SQL = frozenset({UnitKind.COMMENT.value})


def facet_filters(filters: Filters) -> tuple[list[list[str]], Filters]:
    """The filters FTS5 can apply from facet tokens (``facets.py``), and what is left for
    SQL on the unit and its page. Site, kind and (effective) decision are exact (only
    comments carry a decision token); a date
    range adds its months and keeps its exact bounds for SQL unless it covers whole
    months."""
    groups: list[list[str]] = []
    rest = filters
    if filters.site is not None:
        groups.append([site_token(filters.site)])
        rest = replace(rest, site=None)
    if filters.kind is not None and filters.kind not in KINDS_LEFT_TO_SQL:
        groups.append([KIND_PREFIX + filters.kind])
        rest = replace(rest, kind=None)
    if filters.decision is not None:
        groups.append([DECISION_PREFIX + filters.decision])
        rest = replace(rest, decision=None)
    if filters.date_from is not None and filters.date_to is not None:
        op, bound = date_to_bound(filters.date_to)
        months = month_tokens(filters.date_from, bound) if op == "<" else None
        if months is not None:
            groups.append(months)
            if _first_of_month(filters.date_from) and _first_of_month(bound):
                rest = replace(rest, date_from=None, date_to=None)
    return groups, rest


def _first_of_month(day: str) -> bool:
    return len(day) == 10 and day.endswith("-01")


def tsquery_text(groups: Sequence[Sequence[str]]) -> str:
    """The same query as a PostgreSQL tsquery literal (quoted lexemes, taken as they are)."""
    def lexeme(term: str) -> str:
        return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"

    return " & ".join("(" + " | ".join(lexeme(t) for t in group) + ")" for group in groups)


_SHOW = "u.page_id, u.kind, u.ref, u.text, p.title, p.site, p.published_at, top.score"


def sqlite_search_sql(
    groups: Sequence[Sequence[str]], filters: Filters, tables: set[str], limit: int,
    offset: int,
) -> tuple[str, list[object]]:
    facets, rest = facet_filters(filters)
    where = Where(["search_index MATCH ?"], [fts5_match(groups, facets)])
    where.extend(unit_where(rest, tables))
    joins = (
        " JOIN search_units u ON u.id = search_index.rowid JOIN pages p ON p.id = u.page_id"
        if len(where.clauses) > 1 else ""
    )
    # Three steps, so that only the page of hits is ever read in full: the window (FTS5
    # hands rows out in rowid order, newest first, so it costs only what it reads; bm25()
    # is negative, lower is better), the best of it, then their text and page.
    sql = (
        f"SELECT {_SHOW} FROM (SELECT id, score FROM ("
        "SELECT search_index.rowid AS id, -bm25(search_index, 1.0, 0.0) AS score "
        f"FROM search_index{joins} WHERE {where.sql()} "
        f"ORDER BY search_index.rowid DESC LIMIT {RANK_WINDOW}) "
        "ORDER BY score DESC, id DESC LIMIT ? OFFSET ?) top "
        "JOIN search_units u ON u.id = top.id JOIN pages p ON p.id = u.page_id "
        "ORDER BY top.score DESC, top.id DESC"
    )
    return sql, [*where.params, limit, offset]


def postgres_search_sql(
    groups: Sequence[Sequence[str]], filters: Filters, tables: set[str], limit: int,
    offset: int,
) -> tuple[str, list[object]]:
    query = tsquery_text(groups)
    where = Where(["u.terms @@ CAST(? AS tsquery)"], [query])
    where.extend(unit_where(filters, tables))
    # Normalisation 1 divides by 1 + log(length): the nearest to BM25's length weighting.
    sql = (
        f"SELECT {_SHOW} FROM (SELECT id, score FROM (SELECT w.id, "
        "ts_rank_cd(w.terms, CAST(? AS tsquery), 1) AS score FROM (SELECT u.id, u.terms "
        f"FROM search_units u JOIN pages p ON p.id = u.page_id WHERE {where.sql()} "
        f"ORDER BY u.id DESC LIMIT {RANK_WINDOW}) w) r "
        "ORDER BY score DESC, id DESC LIMIT ? OFFSET ?) top "
        "JOIN search_units u ON u.id = top.id JOIN pages p ON p.id = u.page_id "
        "ORDER BY top.score DESC, top.id DESC"
    )
    return sql, [query, *where.params, limit, offset]
