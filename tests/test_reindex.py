"""``marsad reindex``: pages stored by older code get the rows today's code makes.

"Older code" is simulated by storing the pages while the search terms are made without
stemming; after reindexing, stemmed queries find them, and nothing else moved: human
decisions (and their facets), stream comments, counts. Pages are our own writing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import marsad.store.units as units
from marsad.cli import main
from marsad.record import Comment, Verdict
from marsad.store.base import Store, open_store
from marsad.store.filters import Filters
from marsad.store.reindex import reindex
from marsad.store.search import search
from marsad.store.stream import StreamComment, add_stream_comments
from marsad.text.tokens import words
from tests.test_search import _sql, corpus, keys
from tests.test_search import store as store  # the sqlite/postgres fixture


def _store_with_old_terms(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        m.setattr(units, "terms_string", lambda text: " ".join(words(text)))
        store.upsert_pages(corpus())  # the fixture's pages, stored again without stemming
    add_stream_comments(store, "sham.test", [StreamComment(
        Comment(id="s:1", index=1, text="المستشفيات بعيدة", verdict=Verdict("review")))])
    _sql(store, "INSERT INTO comment_states (comment_id, state, decision_id, moderator, "
         "decided_at) VALUES ('a:1', 'rejected_by_human', 1, 'mona', '2024-04-01T00:00:00')")


def test_reindex_brings_old_pages_up_to_date(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_with_old_terms(store, monkeypatch)
    assert ("a", "paragraph", "1") not in keys(search(store, "مستشفى", limit=100))
    counts = store.counts()
    summary = reindex(store, batch=2, progress=False)
    assert summary.pages == 3  # the stream page is left alone
    assert ("a", "paragraph", "1") in keys(search(store, "مستشفى", limit=100))
    assert store.counts() == counts
    conn = store.conn  # type: ignore[attr-defined]
    assert conn.execute("SELECT count(*) FROM comments WHERE id = 's:1'").fetchone()[0] == 1
    assert keys(search(store, "أهل", Filters(decision="reject"))) == {("a", "comment", "a:1")}
    if "sqlite" in type(store).__name__.lower():
        _sql(store, "INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)")


def test_reindex_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "r.db")
    with open_store(db) as s:
        s.upsert_pages(corpus())
    assert main(["reindex", "--db", db, "--quiet"]) == 0
    assert "3 pages stored again" in capsys.readouterr().out
