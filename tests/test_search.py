"""Search over both stores: spelling, morphology, clitics, escaping, filters, snippets.

Pages are our own writing. Both stores run every test (PostgreSQL when
MARSAD_TEST_POSTGRES is set, as in test_store.py); results are compared as sets, never
by rank order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.record import Comment, DialectGuess, Entity, Page, Paragraph, Quote, Span, Verdict
from marsad.store.base import Store, open_store
from marsad.store.filters import Filters
from marsad.store.search import SNIPPET_CHARS, Hit, search
from tests.conftest import postgres_location

Key = tuple[str, str, str]  # (page id, kind, ref)


def _comment(cid: str, n: int, text: str, decision: str, dialect: str | None = None) -> Comment:
    return Comment(id=cid, index=n, text=text, verdict=Verdict(decision=decision),
                   dialect=DialectGuess(dialect, 0.9) if dialect else None)


def corpus() -> list[Page]:
    a = Page(
        id="a", site="sham.test", published_at="2024-03-05T10:00:00",
        title="وزير الصحة يزور مستشفى الرقة",
        paragraphs=[
            Paragraph("قال الوزير لرويترز إن المستشفيات في الرقه تحتاج إلى أجهزة جديدة."),
            Paragraph("وأكد الوزراء في اجتماعهم أن الدعم سيصل قبل الشتاء."),
        ],
        comments=[
            _comment("a:1", 1, "الله يحمي أهل الرقة", "publish", "levantine"),
            _comment("a:2", 2, "كلام فارغ عن المستشفى", "reject", "msa"),
        ],
        entities=[Entity("الرقة", "الرقة", "LOC", "title", 23, 28)],
        quotes=[Quote(speaker=Span("أبو محمد", 0, 8), cue=Span("قال", 0, 3),
                      content=Span("الدعم سيصل قبل الشتاء", 0, 21), direct=True)],
    )
    b = Page(
        id="b", site="nile.test", published_at="2024-04-10T08:00:00",
        title="إيران ولبنان في محادثات جديدة",
        paragraphs=[
            Paragraph("التقى فيصل بوفد من ايران في بيروت."),
            Paragraph("وقال مصدر إن الاتفاق يصل إلى مراحله الأخيرة."),
        ],
        comments=[_comment("b:1", 1, "ايران دولة جارة ولبنان صغير", "review", "egyptian")],
        entities=[Entity("إيران", "إيران", "LOC", "title", 0, 5)],
        quotes=[Quote(speaker=Span("مصدر", 0, 4), cue=Span("قال", 0, 3),
                      content=Span("الاتفاق يصل إلى مراحله الأخيرة", 0, 30), direct=False)],
    )
    c = Page(
        id="c", site="sham.test", published_at="2024-03-31T23:59:00",
        title="أسعار الخبز واللبن",
        paragraphs=[
            Paragraph("ارتفع سعر اللبن والخبز في الأسواق."),
            Paragraph('Reuters wrote "NEAR OR AND NOT" -x: y* (see)'),
        ],
        comments=[_comment("c:1", 1, "المستشفى بعيد عن الحي", "review")],
    )
    return [a, b, c]


@pytest.fixture
def store(location: str) -> Iterator[Store]:
    with open_store(location) as s:
        s.upsert_pages(corpus())
        yield s


def keys(hits: list[Hit]) -> set[Key]:
    return {(h.page_id, h.kind, h.ref) for h in hits}


def found(store: Store, query: str, **filters: str) -> set[Key]:
    return keys(search(store, query, Filters(**filters), limit=100))


@pytest.mark.parametrize(("query", "expected"), [
    # the article, broken plurals, feminine and clitics (وزير finds الوزير and الوزراء)
    ("وزير", {("a", "title", ""), ("a", "paragraph", "1"), ("a", "paragraph", "2")}),
    # المستشفى finds المستشفيات and مستشفى
    ("المستشفى", {("a", "title", ""), ("a", "paragraph", "1"), ("a", "comment", "a:2"),
                  ("c", "comment", "c:1")}),
    # ta marbuta spelled ه: الرقة finds الرقه and the reverse
    ("الرقة", {("a", "title", ""), ("a", "paragraph", "1"), ("a", "comment", "a:1")}),
    ("الرقه", {("a", "title", ""), ("a", "paragraph", "1"), ("a", "comment", "a:1")}),
    # hamza: إيران finds ايران
    ("إيران", {("b", "title", ""), ("b", "paragraph", "1"), ("b", "comment", "b:1")}),
    # a query with a clitic finds the bare word
    ("لرويترز", {("a", "paragraph", "1")}),
    ("رويترز", {("a", "paragraph", "1")}),
    # every word must match
    ("الوزير الرقة", {("a", "title", ""), ("a", "paragraph", "1")}),
])
def test_spelling_and_morphology(store: Store, query: str, expected: set[Key]) -> None:
    assert found(store, query) == expected


def test_names_are_not_read_as_clitic_plus_word(store: Store) -> None:
    # فيصل is not ف + يصل (arrives); لبنان is not لبن (milk)
    assert found(store, "فيصل") == {("b", "paragraph", "1")}
    assert ("b", "paragraph", "2") in found(store, "يصل")
    assert found(store, "لبنان") == {("b", "title", ""), ("b", "comment", "b:1")}
    assert found(store, "اللبن") == {("c", "title", ""), ("c", "paragraph", "1")}


@pytest.mark.parametrize("query", [
    '"', '""', "*", "NEAR(", "NEAR(a b, 2)", "OR", "AND", "NOT", "(", ")", "((", "-", ":",
    "-x", "x:", "^", "'", "\\", "'; DROP TABLE pages; --", "وزير OR", "وزير*", '"وزير',
    "وزير AND NOT الرقة", "column:وزير", "{terms}: x", "%", "_", "?", "$1", "\x00",
])
def test_query_syntax_is_text(store: Store, query: str) -> None:
    search(store, query)  # never raises
    assert store.counts().pages == 3


def test_syntax_words_are_found_as_words(store: Store) -> None:
    expected = {("c", "paragraph", "2")}
    for query in ['"NEAR OR AND NOT"', "NEAR", "or", "NOT", "y*", "-x:", "(see)"]:
        assert found(store, query) == expected, query
    assert found(store, "وزير OR فيصل") == set()  # OR is a word here, and it is absent


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('"*()-:^\'\\ {}+.,OoRrNnEeAaTt والرقةوزير')),
               max_size=30) | st.text(max_size=30))
def test_random_queries_never_raise(store: Store, query: str) -> None:
    hits = search(store, query, limit=5)
    assert all(h.page_id in {"a", "b", "c"} for h in hits)


def test_filters(store: Store) -> None:
    assert found(store, "المستشفى", site="nile.test") == set()
    assert found(store, "المستشفى", site="sham.test") == found(store, "المستشفى")
    # a bare `to` date includes the whole day
    assert {k[0] for k in found(store, "الخبز", date_from="2024-03-31", date_to="2024-03-31")} \
        == {"c"}
    assert found(store, "المستشفى", date_to="2024-03-30") == {
        ("a", "title", ""), ("a", "paragraph", "1"), ("a", "comment", "a:2")}
    assert found(store, "الرقة", entity="الرقة") == found(store, "الرقة")
    assert found(store, "الرقة", entity="إيران") == set()
    assert found(store, "ايران", entity="إيران") == found(store, "ايران")
    assert found(store, "ايران", dialect="egyptian") == {("b", "comment", "b:1")}
    assert found(store, "الرقة", dialect="egyptian") == set()
    assert found(store, "الرقة", kind="title") == {("a", "title", "")}
    assert found(store, "المستشفى", decision="reject") == {("a", "comment", "a:2")}
    assert found(store, "المستشفى", decision="review") == {("c", "comment", "c:1")}


def test_speaker_filter_sees_through_spelling(store: Store) -> None:
    assert found(store, "الدعم", speaker="ابو محمد") == {("a", "quote", "0")}
    assert found(store, "الدعم", speaker="محمد") == {("a", "quote", "0")}
    assert found(store, "الدعم", speaker="مصدر") == set()
    assert found(store, "الاتفاق", speaker="%") == set()  # LIKE's wildcard is a character


def _sql(store: Store, statement: str, params: tuple[object, ...] = ()) -> None:
    conn = store.conn  # type: ignore[attr-defined]
    sqlite = isinstance(conn, sqlite3.Connection)
    conn.execute(statement if sqlite else statement.replace("?", "%s"), params)


def test_decision_filter_uses_the_human_decision_when_there_is_one(store: Store) -> None:
    # c:1: the model said review; a moderator approved it
    if "comment_states" in store.table_names():
        _sql(store, "INSERT INTO comment_states (comment_id, state, decision_id, moderator, "
             "decided_at) VALUES ('c:1', 'approved', 1, 'mona', '2024-04-01T00:00:00')")
    else:
        _sql(store, "INSERT INTO human_decisions (comment_id, moderator, decided_at, "
             "from_state, to_state) VALUES ('c:1', 'mona', '2024-04-01', 'review', 'approve')")
    assert found(store, "المستشفى", decision="approve") == {("c", "comment", "c:1")}
    assert found(store, "المستشفى", decision="review") == set()


def test_cluster_filter(store: Store) -> None:
    if "cluster_members" not in store.table_names():
        with pytest.raises(ValueError, match="no clusters"):
            search(store, "الرقة", Filters(cluster="k1"))
        return
    for page_id in ("a", "c"):
        _sql(store, "INSERT INTO cluster_members (page_id, cluster_id, how) VALUES (?, ?, ?)",
             (page_id, "k1", "near"))
    assert {k[0] for k in found(store, "المستشفى", cluster="k1")} == {"a", "c"}
    assert found(store, "ايران", cluster="k1") == set()


def test_bad_filters_are_named() -> None:
    with pytest.raises(ValueError, match="decision 'maybe'"):
        Filters(decision="maybe")
    with pytest.raises(ValueError, match="date from"):
        Filters(date_from="last week")


def test_a_re_upserted_page_replaces_its_search_units(store: Store) -> None:
    before = found(store, "الرقة")
    page = corpus()[0]
    changed = replace(page, title="زيارة إلى حمص", paragraphs=[Paragraph("خبر عن حمص")],
                      comments=[], quotes=[])
    store.upsert_pages([changed])
    store.upsert_pages([changed])
    assert found(store, "الرقة") == set() != before
    assert found(store, "حمص") == {("a", "title", ""), ("a", "paragraph", "1")}
    store.upsert_pages([page])
    assert found(store, "الرقة") == before


def test_snippets_highlight_the_original_words(store: Store) -> None:
    (hit,) = [h for h in search(store, "رويترز")]
    assert hit.snippet == corpus()[0].paragraphs[0].text
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["لرويترز"]
    assert hit.marked() == "قال الوزير «[لرويترز]» إن المستشفيات في الرقه تحتاج إلى أجهزة جديدة."
    assert hit.title == "وزير الصحة يزور مستشفى الرقة" and hit.site == "sham.test"
    assert hit.published_at == "2024-03-05T10:00:00" and hit.score >= 0


def test_a_long_unit_is_clipped_around_its_match(store: Store) -> None:
    filler = " ".join(["كلام"] * 200)
    text = f"{filler} وصل الوَزيـــر إلى المدينة {filler}"
    store.upsert_pages([Page(id="long", title="طويل", paragraphs=[Paragraph(text)])])
    (hit,) = [h for h in search(store, "الوزير") if h.page_id == "long"]
    assert hit.kind == "paragraph" and hit.snippet_start > 0
    assert len(hit.snippet) <= SNIPPET_CHARS < hit.unit_chars
    assert text[hit.snippet_start:hit.snippet_start + len(hit.snippet)] == hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["الوَزيـــر"]
    assert hit.marked().startswith("…") and hit.marked().endswith("…")


def test_paging_and_empty_queries(store: Store) -> None:
    everything = search(store, "المستشفى", limit=100)
    pages = search(store, "المستشفى", limit=2) + search(store, "المستشفى", limit=2, offset=2)
    assert keys(pages) == keys(everything) and len(pages) == len(everything) == 4
    assert search(store, "") == search(store, " ,.؟ ") == []
    assert search(store, "المستشفى", limit=0) == []


def test_both_stores_return_the_same_sets(tmp_path: Path) -> None:
    locations = postgres_location()  # skips without PostgreSQL
    pg_location = next(locations)
    queries = ["وزير", "المستشفى", "الرقة", "ايران", "لرويترز", "في", "يصل", "الخبز اللبن"]
    filters = [Filters(), Filters(site="sham.test"), Filters(kind="comment"),
               Filters(date_to="2024-03-31"), Filters(decision="review")]
    try:
        with open_store(str(tmp_path / "s.db")) as lite, open_store(pg_location) as pg:
            lite.upsert_pages(corpus())
            pg.upsert_pages(corpus())
            for query in queries:
                for f in filters:
                    assert keys(search(lite, query, f, limit=100)) == keys(
                        search(pg, query, f, limit=100)), (query, f)
    finally:
        for _ in locations:
            pass
