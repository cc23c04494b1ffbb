"""Shared test helpers: where ../shared is, and a fully populated Page."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.record import (
    Comment,
    DialectGuess,
    Entity,
    Evidence,
    Page,
    Paragraph,
    Problem,
    Quote,
    Removed,
    Sourcing,
    Span,
    Verdict,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed"


def need_shared(*parts: str) -> Path:
    """A path inside ../shared, or skip: a user's fresh clone has no ../shared (CI has it)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test needs ../shared beside the repository "
                    "(CI provides it)")
    return path


@pytest.fixture
def full_page() -> Page:
    """A page with every field filled, for round-trip and store tests."""
    return Page(
        id="p1",
        url="https://news.test/a?id=1",
        site="news.test",
        source="a.html",
        language="ar",
        encoding="utf-8",
        published_at="2024-03-05T10:30:00",
        fetched_at="2024-03-06T00:00:00+00:00",
        title="عنوان الخبر",
        author="مراسلنا",
        paragraphs=[Paragraph("قال مسؤول لرويترز إن الوضع صعب."), Paragraph("وأضاف: “نعم”.")],
        removed=[Removed("[ads3]", "ad_marker"), Removed("3 تعليقات", "comment_count")],
        comments_declared=3,
        comments=[
            Comment(id="p1:c1", index=1, text="تعليق أول\nسطر ثان", author="أبو علي",
                    posted_at="2024-03-05T11:00:00",
                    dialect=DialectGuess("levantine", 0.8),
                    verdict=Verdict(scores={"offensive": 0.9}, labels={"offensive": True},
                                    hate_target="religion", decision="reject",
                                    reasons=["شتيمة"], evidence=[Evidence(0, 4, "offensive")],
                                    model="m1")),
            Comment(id="p1:c2", index=2, text="رد", parent="p1:c1"),
        ],
        entities=[Entity("رويترز", "رويترز", "ORG", "article", 10, 16)],
        quotes=[Quote(speaker=Span("مسؤول", 4, 9), cue=Span("قال", 0, 3),
                      content=Span("الوضع صعب", 20, 29), direct=False, via="رويترز",
                      anonymous=True)],
        sourcing=Sourcing(agencies=["رويترز"], named_speakers=0, anonymous_speakers=1,
                          quoted_share=0.4),
        signature=[1, 2, 3],
        problems=[Problem("parse", "something odd", "odd")],
    )


# ---- both stores ---------------------------------------------------------------------

PG_URL = os.environ.get("MARSAD_TEST_POSTGRES")


def postgres_location() -> Iterator[str]:
    """A fresh PostgreSQL schema on MARSAD_TEST_POSTGRES (dropped afterwards); skips with the
    reason when no server is named, and fails under CI, which must run both stores."""
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must run the store suite on PostgreSQL: set MARSAD_TEST_POSTGRES "
                        "(.ci/run does, through .ci/postgres.sh)")
        pytest.skip("no PostgreSQL: set MARSAD_TEST_POSTGRES, e.g. "
                    'eval "$(bash .ci/postgres.sh)"')
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a store lives, once per store: a SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
    else:
        yield from postgres_location()
