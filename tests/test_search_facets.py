"""Search facets (``marsad.store.facets``): the filter tokens SQLite's FTS5 applies itself.

They must give exactly what the SQL joins give, stay true when a moderator decides or
undoes and when a page is stored again, keep FTS5's index consistent with its content
table, and be what migration 0006 computes for a store that had units before them.
Pages are our own writing (``tests/test_search.corpus``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import marsad.store.search as search_module
from marsad.store.base import Store, open_store
from marsad.store.facets import (
    MAX_MONTHS,
    month_token,
    month_tokens,
    site_token,
    unit_facets,
)
from marsad.store.filters import Filters
from marsad.store.migrations import migrations_for
from marsad.store.search import facet_filters, search
from tests.test_search import _sql, corpus, keys
from tests.test_search import store as store  # the sqlite/postgres fixture


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[Store]:
    with open_store(str(tmp_path / "s.db")) as store:
        store.upsert_pages(corpus())
        yield store


def test_tokens_are_ascii_words() -> None:
    facets = unit_facets("comment", "عكس.test", "2024-03-05T10:00:00", "reject")
    assert facets.split() == ["kcomment", site_token("عكس.test"), "m202403", "ereject"]
    assert all(token.isascii() and token.isalnum() for token in facets.split())
    assert unit_facets("title", None, None) == "ktitle"
    assert month_token("5 March 2024") is None and month_token("2024") is None


def test_month_ranges() -> None:
    assert month_tokens("2023-11-15", "2024-02-01") == ["m202311", "m202312", "m202401"]
    assert month_tokens("2024-03-01", "2024-03-01") == []
    assert month_tokens(None, "2024-03-01") is None
    assert month_tokens("2000-01-01", "2024-01-01") is None  # longer than MAX_MONTHS
    assert len(month_tokens("2020-01-01", "2023-01-01") or []) == MAX_MONTHS


def test_whole_months_need_no_join_and_other_ranges_keep_their_bounds() -> None:
    groups, rest = facet_filters(Filters(date_from="2024-03-01", date_to="2024-04-30"))
    assert groups == [["m202403", "m202404"]] and rest == Filters()
    groups, rest = facet_filters(Filters(date_from="2024-03-02", date_to="2024-04-30"))
    assert groups == [["m202403", "m202404"]] and rest.date_from == "2024-03-02"
    groups, rest = facet_filters(Filters(site="a.test", decision="reject", dialect="msa"))
    assert groups == [[site_token("a.test")], ["ereject"]]  # only comments carry "e…"
    assert rest == Filters(dialect="msa")
    groups, rest = facet_filters(Filters(kind="title"))
    assert groups == [["ktitle"]] and rest == Filters()
    groups, rest = facet_filters(Filters(kind="comment"))  # most units: SQL tests it
    assert groups == [] and rest == Filters(kind="comment")


FILTERS = [
    Filters(), Filters(site="sham.test"), Filters(site="nile.test", kind="comment"),
    Filters(kind="title"), Filters(kind="paragraph"), Filters(decision="reject"),
    Filters(decision="review"), Filters(decision="publish"), Filters(decision="approve"),
    Filters(date_from="2024-03-01", date_to="2024-03-31"),
    Filters(date_from="2024-03-06", date_to="2024-04-10"),
    Filters(date_from="2024-04-01"), Filters(date_to="2024-03-31"),
    Filters(date_from="2019-01-01", date_to="2024-12-31"),
    Filters(site="sham.test", date_from="2024-03-01", date_to="2024-04-30", decision="reject"),
    Filters(dialect="egyptian", decision="review"),
]
QUERIES = ["المستشفى", "الرقة", "ايران", "في", "يصل", "الخبز"]


def _same_as_joins(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with_facets = {(q, f): keys(search(store, q, f, limit=100))
                   for q, f in itertools.product(QUERIES, FILTERS)}
    with monkeypatch.context() as m:
        m.setattr(search_module, "facet_filters", lambda f: ([], f))
        for (q, f), found in with_facets.items():
            assert keys(search(store, q, f, limit=100)) == found, (q, f)
    assert any(with_facets.values())


def _fts_is_consistent(store: Store) -> None:
    # FTS5 checks its index against the content table (raises when they differ)
    _sql(store, "INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)")


def test_facets_give_what_the_joins_give(lite: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _same_as_joins(lite, monkeypatch)
    _fts_is_consistent(lite)


def test_decisions_move_facets_and_a_new_crawl_keeps_them(
    lite: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def decided(decision: str) -> set[tuple[str, str, str]]:
        return keys(search(lite, "المستشفى", Filters(decision=decision)))

    c1 = ("c", "comment", "c:1")  # the model said review
    assert c1 in decided("review")
    _sql(lite, "INSERT INTO comment_states (comment_id, state, decision_id, moderator, "
         "decided_at) VALUES ('c:1', 'rejected_by_human', 1, 'mona', '2024-04-01T00:00:00')")
    assert c1 in decided("reject") and c1 not in decided("review")
    _sql(lite, "UPDATE comment_states SET state = 'approved' WHERE comment_id = 'c:1'")
    assert c1 in decided("approve") and c1 not in decided("reject")
    _fts_is_consistent(lite)
    lite.upsert_pages(corpus())  # re-crawled: the rows carry only the model's decision
    assert c1 in decided("approve") and c1 not in decided("review")
    _same_as_joins(lite, monkeypatch)
    _fts_is_consistent(lite)
    _sql(lite, "DELETE FROM comment_states WHERE comment_id = 'c:1'")  # undone
    assert c1 in decided("review") and c1 not in decided("approve")
    _fts_is_consistent(lite)


def _fill_statements(dialect: str) -> list[str]:
    (migration,) = [m for m in migrations_for(dialect) if m.name == "search_facets"]
    return re.findall(r"^UPDATE search_units.*?;$", migration.sql, re.S | re.M)


def test_migration_computes_the_facets_python_makes(store: Store) -> None:
    _sql(store, "INSERT INTO comment_states (comment_id, state, decision_id, moderator, "
         "decided_at) VALUES ('a:1', 'rejected_by_human', 1, 'mona', '2024-04-01T00:00:00')")
    conn = store.conn  # type: ignore[attr-defined]
    read = "SELECT id, facets FROM search_units ORDER BY id"
    made = list(conn.execute(read).fetchall())
    assert any(f.endswith(" ereject") for _, f in made)  # a:1, set by the trigger
    _sql(store, "UPDATE search_units SET facets = ''")
    statements = _fill_statements("sqlite" if "sqlite" in type(store).__name__.lower()
                                  else "postgres")
    assert len(statements) == 2
    for statement in statements:
        conn.execute(statement)
    assert list(conn.execute(read).fetchall()) == made
