"""The corpus report (issue 8): its figures against the store, its JSON, its filters, and the
HTML page in a real browser (no errors, no network, no script from store text).

The figures are checked against counts computed here with SQL of our own over the demo
store, never against numbers written down: a figure that drifts from the store fails.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from marsad.cli import main
from marsad.dedup.cluster import cluster_new_pages
from marsad.demo import PAGES_DIR
from marsad.record import Comment, Entity, Page, Paragraph, Quote, Sourcing, Span, Verdict
from marsad.report import build_report, compute_figures
from marsad.report.figures import check_filters
from marsad.report.html import script_safe_json
from marsad.run.runner import run_corpus
from marsad.store.base import open_store
from marsad.store.filters import Filters
from marsad.store.moderation import decide
from marsad.store.sqlite import SQLiteStore

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HOSTILE_SCRIPT = "</script><script>window.__xss=1</script>"
HOSTILE_IMG = "<img src=x onerror=window.__xss=2>"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo pages run through the pipeline, clustered, with two human decisions (one
    approval of a comment the model held for review, one rejection of a published one), so
    the effective decision differs from the model's."""
    db = tmp_path_factory.mktemp("report") / "demo.db"
    run_corpus([str(PAGES_DIR)], str(db), engine="inprocess", progress=False)
    with SQLiteStore(db) as store:
        cluster_new_pages(store, progress=False)
        first = "SELECT id FROM comments WHERE decision = ? ORDER BY id LIMIT 1"
        review, publish = (_one(db, first, (d,)) for d in ("review", "publish"))
        decide(store, review, "approve", "tester", expected_state=None)
        decide(store, publish, "reject", "tester", expected_state=None)
    return db


@pytest.fixture(scope="module")
def figures(demo_db: Path) -> dict[str, Any]:
    with open_store(str(demo_db)) as store:
        return compute_figures(store)


def _sql(db: Path, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    return sqlite3.connect(db).execute(query, params).fetchall()


def _one(db: Path, query: str, params: tuple[Any, ...] = ()) -> Any:
    return _sql(db, query, params)[0][0]


# ------------------------------------------------------------------ figures vs the store

def test_totals_and_sourcing_match_the_store(demo_db: Path, figures: dict[str, Any]) -> None:
    meta, s = figures["meta"], figures["sourcing"]
    assert meta["pages"] == _one(demo_db, "SELECT count(*) FROM pages") > 0
    assert meta["comments"] == _one(demo_db, "SELECT count(*) FROM comments") > 0
    assert meta["sites"] == _one(demo_db, "SELECT count(DISTINCT site) FROM pages")

    assert s["statements"] == _one(demo_db, "SELECT count(*) FROM quotes") > 0
    assert s["statements_anonymous"] == _one(demo_db, "SELECT count(*) FROM quotes WHERE anonymous")
    assert s["statements_without_agency"] == _one(
        demo_db, "SELECT count(*) FROM quotes WHERE via IS NULL")
    via = dict(_sql(demo_db, "SELECT via, count(*) FROM quotes WHERE via IS NOT NULL GROUP BY via"))
    assert via, "the demo pages quote agencies"
    assert {a["agency"]: a["statements"] for a in s["agencies"]} == via
    for a in s["agencies"]:
        assert a["share"] == pytest.approx(a["statements"] / s["statements"])

    speakers = {
        site: (named, anonymous) for site, named, anonymous in _sql(
            demo_db,
            "SELECT site, sum(json_extract(record, '$.sourcing.named_speakers')), "
            "sum(json_extract(record, '$.sourcing.anonymous_speakers')) FROM pages GROUP BY site")
    }
    assert {r["site"]: (r["named"], r["anonymous"]) for r in s["speakers_by_site"]} == speakers
    dated = _one(demo_db, "SELECT sum(json_extract(record, '$.sourcing.anonymous_speakers')) "
                          "FROM pages WHERE published_at IS NOT NULL")
    assert sum(r["anonymous"] for r in s["speakers_by_month"]) == dated

    # The most anonymous-reliant articles come first, and each row is its page's summary.
    shares = [r["anonymous_share"] for r in s["anonymous_reliant"]]
    assert shares == sorted(shares, reverse=True) and shares
    top = s["anonymous_reliant"][0]
    record = json.loads(_one(demo_db, "SELECT record FROM pages WHERE id = ?", (top["page_id"],)))
    assert (top["named"], top["anonymous"]) == (record["sourcing"]["named_speakers"],
                                                record["sourcing"]["anonymous_speakers"])


def test_voices_match_the_store(demo_db: Path, figures: dict[str, Any]) -> None:
    v = figures["voices"]
    assert v["entities"]
    for e in v["entities"]:
        pages, mentions = _sql(
            demo_db, "SELECT count(DISTINCT page_id), count(*) FROM entities WHERE canonical = ? "
            "AND type = ? AND location IN ('title', 'article')", (e["entity"], e["type"]))[0]
        assert (e["pages"], e["mentions"]) == (pages, mentions)
    # No entity outside the list is named on more pages than the last one in it.
    most = _one(demo_db, "SELECT max(n) FROM (SELECT count(DISTINCT page_id) n FROM entities "
                         "WHERE location IN ('title', 'article') GROUP BY canonical, type)")
    assert v["entities"][0]["pages"] == most

    co = v["cooccurrence"]
    names = co["entities"]
    assert len(names) >= 2
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            both = _one(demo_db,
                        "SELECT count(*) FROM (SELECT page_id FROM entities WHERE canonical = ? "
                        "AND location IN ('title', 'article') INTERSECT SELECT page_id FROM "
                        "entities WHERE canonical = ? AND location IN ('title', 'article'))",
                        (a, b))
            assert co["pages"][i][j] == both

    quoted = Counter(dict(_sql(demo_db, "SELECT speaker, count(*) FROM quotes WHERE anonymous = 0 "
                                        "AND speaker IS NOT NULL GROUP BY speaker")))
    rows = v["speakers"] + v["organisations"]
    assert rows
    # Spellings are folded together, so a row counts at least its shown form's statements.
    for r in rows:
        assert r["statements"] >= quoted[r["speaker"]] > 0
        assert sum(o["statements"] for o in r["outlets"]) <= r["statements"]


def test_comment_climate_matches_the_store(demo_db: Path, figures: dict[str, Any]) -> None:
    c = figures["climate"]
    assert c["comments"] == _one(demo_db, "SELECT count(*) FROM comments")
    assert sum(b["pages"] for b in c["per_article_histogram"]) == c["articles"] == _one(
        demo_db, "SELECT count(*) FROM pages")
    # Effective decision: the human state where there is one, else the model's decision.
    effective = Counter()
    for decision, state, n in _sql(
        demo_db, "SELECT c.decision, s.state, count(*) FROM comments c LEFT JOIN comment_states s "
        "ON s.comment_id = c.id GROUP BY 1, 2"):
        group = {"approved": "published", "rejected_by_human": "rejected"}.get(state) or {
            "publish": "published", "review": "review", "reject": "rejected"}.get(decision,
                                                                                "unscored")
        effective[group] += n
    assert c["decisions"] == {g: effective[g] for g in ("published", "review", "rejected",
                                                         "unscored")}
    model_rejects = _one(demo_db, "SELECT count(*) FROM comments WHERE decision = 'reject'")
    assert c["decisions"]["rejected"] == model_rejects + 1  # the human rejection counts
    by_site = {r["site"]: sum(r[g] for g in effective) for r in c["decisions_by_site"]}
    assert by_site == dict(_sql(demo_db, "SELECT p.site, count(*) FROM comments c JOIN pages p "
                                         "ON p.id = c.page_id GROUP BY p.site"))

    hate = dict(_sql(demo_db, "SELECT json_extract(verdict, '$.hate_target'), count(*) FROM "
                              "comments WHERE json_extract(verdict, '$.hate_target') IS NOT NULL "
                              "GROUP BY 1"))
    assert hate, "the demo comments include hate speech"
    assert c["hate_targets"] == hate
    assert sum(sum(r["targets"].values()) for r in c["hate_targets_by_site"]) == sum(hate.values())
    assert c["dialects"] == dict(_sql(demo_db, "SELECT dialect, count(*) FROM comments WHERE "
                                               "dialect IS NOT NULL GROUP BY dialect"))
    most = c["most_commented"][0]
    assert most["comments"] == _one(demo_db, "SELECT max(n) FROM (SELECT count(*) n FROM "
                                             "comments GROUP BY page_id)")


def test_syndication_and_quality_match_the_store(demo_db: Path, figures: dict[str, Any]) -> None:
    y = figures["syndication"]
    clusters = _sql(demo_db, "SELECT id, size, representative FROM clusters WHERE size >= 2")
    assert clusters, "the demo pages include syndicated copies"
    assert y["clusters"] == len(clusters)
    assert y["pages_in_clusters"] == sum(size for _, size, _ in clusters)
    pairs = Counter()
    for rep_site, copy_site in _sql(
        demo_db, "SELECT rp.site, p.site FROM cluster_members m JOIN clusters k ON "
        "k.id = m.cluster_id JOIN pages p ON p.id = m.page_id JOIN pages rp ON "
        "rp.id = k.representative WHERE k.size >= 2 AND m.page_id <> k.representative"):
        pairs[(rep_site, copy_site)] += 1
    assert {(r["from_site"], r["to_site"]): r["pages"] for r in y["republishing"]} == pairs
    assert sum(r["first_seen"] for r in y["first_seen_vs_copies"]) == len(clusters)
    assert sum(r["copies"] for r in y["first_seen_vs_copies"]) == sum(pairs.values())

    q = figures["quality"]
    declared, found = _sql(
        demo_db, "SELECT sum(p.comments_declared), sum((SELECT count(*) FROM comments c WHERE "
        "c.page_id = p.id)) FROM pages p WHERE p.comments_declared IS NOT NULL")[0]
    assert (q["declared_vs_found"]["declared"], q["declared_vs_found"]["found"]) == (declared,
                                                                                     found)
    assert q["pages_with_problems"] == _one(demo_db, "SELECT count(DISTINCT page_id) FROM problems")
    assert q["pages_without_date"] == _one(demo_db,
                                           "SELECT count(*) FROM pages WHERE published_at IS NULL")
    for gap in q["largest_gaps"]:
        assert gap["found"] == _one(demo_db, "SELECT count(*) FROM comments WHERE page_id = ?",
                                    (gap["page_id"],))


def test_problems_are_counted_by_kind(tmp_path: Path) -> None:
    """The demo pages have no problems: a store with some counts each kind's pages."""
    with SQLiteStore(tmp_path / "p.db") as store:
        pages = [Page(id=f"p{n}", site="s", title="t") for n in range(3)]
        pages[0].add_problem("read", "binary", "binary")
        pages[1].add_problem("read", "binary", "binary")
        pages[1].add_problem("parse", "odd", "parse_error")
        store.upsert_pages(pages)
        problems = compute_figures(store)["quality"]["problems"]
    assert problems == [{"kind": "binary", "pages": 2, "problems": 2},
                        {"kind": "parse_error", "pages": 1, "problems": 1}]


# ------------------------------------------------------------------------ JSON and filters

def _without_time(f: dict[str, Any]) -> dict[str, Any]:
    return {**f, "meta": {k: v for k, v in f["meta"].items() if k != "generated_at"}}


def test_json_format_is_the_data_the_html_is_built_from(demo_db: Path, tmp_path: Path,
                                                        figures: dict[str, Any]) -> None:
    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"
    assert main(["report", "--db", str(demo_db), "--format", "json", "--out", str(out_json)]) == 0
    assert main(["report", "--db", str(demo_db), "--out", str(out_html)]) == 0
    from_cli = json.loads(out_json.read_text(encoding="utf-8"))
    html = out_html.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="marsad-figures">(.*?)</script>',
                      html, re.S)
    assert block is not None
    embedded = json.loads(block.group(1))
    assert _without_time(from_cli) == _without_time(embedded) == _without_time(figures)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="ar" dir="rtl">' in html
    assert "http://" not in html.split("<script")[0] and "https://cdn" not in html


def test_filters_split_the_figures_consistently(demo_db: Path, figures: dict[str, Any]) -> None:
    sites = [s for (s,) in _sql(demo_db, "SELECT DISTINCT site FROM pages WHERE site IS NOT NULL")]
    assert len(sites) >= 2
    unsited = Counter(dict(zip(("pages", "comments"), _sql(
        demo_db, "SELECT count(DISTINCT p.id), count(c.id) FROM pages p LEFT JOIN comments c "
        "ON c.page_id = p.id WHERE p.site IS NULL")[0], strict=True)))
    total: Counter[str] = Counter(unsited)
    with open_store(str(demo_db)) as store:
        for site in sites:
            one = compute_figures(store, Filters(site=site))
            assert one["meta"]["sites"] == 1
            total["pages"] += one["meta"]["pages"]
            total["comments"] += one["meta"]["comments"]
            # A site's own report agrees with its row in the whole corpus's report.
            row = next(r for r in figures["climate"]["decisions_by_site"] if r["site"] == site)
            assert one["climate"]["decisions"] == {g: row[g] for g in one["climate"]["decisions"]}
            row = next(r for r in figures["sourcing"]["speakers_by_site"] if r["site"] == site)
            assert one["sourcing"]["speakers_by_site"] == [row]
        assert (total["pages"], total["comments"]) == (figures["meta"]["pages"],
                                                       figures["meta"]["comments"])

        # Dates: up to a day (inclusive) and from the next day split the dated pages.
        days = sorted(d[:10] for (d,) in _sql(demo_db, "SELECT published_at FROM pages WHERE "
                                                       "published_at IS NOT NULL"))
        middle = days[len(days) // 2]
        after = (date.fromisoformat(middle) + timedelta(days=1)).isoformat()
        early = compute_figures(store, Filters(date_to=middle))
        late = compute_figures(store, Filters(date_from=after))
        undated = figures["quality"]["pages_without_date"]
        assert early["meta"]["pages"] == sum(d <= middle for d in days) > 0
        assert late["meta"]["pages"] == sum(d > middle for d in days) > 0
        assert early["meta"]["pages"] + late["meta"]["pages"] + undated == figures["meta"]["pages"]
        for key in ("statements", "statements_anonymous"):
            undated_n = _one(demo_db, "SELECT count(*) FROM quotes q JOIN pages p ON p.id = "
                             "q.page_id WHERE p.published_at IS NULL" +
                             (" AND q.anonymous" if key.endswith("anonymous") else ""))
            assert (early["sourcing"][key] + late["sourcing"][key] + undated_n
                    == figures["sourcing"][key])
        assert early["meta"]["last_published"] <= middle < late["meta"]["first_published"]


def test_the_report_filters_by_page_only() -> None:
    with pytest.raises(ValueError, match="site and dates only"):
        check_filters(Filters(decision="reject"))
    assert main(["report", "--db", ":memory:", "--from", "2024-13-01", "--out", "-"]) == 2


def test_data_block_cannot_be_closed_by_store_text() -> None:
    hostile = {"a": HOSTILE_SCRIPT, "b": "<!-- x & y -->", "c": "\u2028\u2029"}
    text = script_safe_json(hostile)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == hostile


def test_postgres_gives_the_same_figures(demo_db: Path, figures: dict[str, Any]) -> None:
    """The same pages, clusters and decisions in PostgreSQL give the same report."""
    url = os.environ.get("MARSAD_TEST_POSTGRES")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must run the report on PostgreSQL: set MARSAD_TEST_POSTGRES")
        pytest.skip('no PostgreSQL: set MARSAD_TEST_POSTGRES, e.g. eval "$(bash .ci/postgres.sh)"')
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    location = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    try:
        run_corpus([str(PAGES_DIR)], location, engine="inprocess", progress=False)
        decided = _sql(demo_db, "SELECT comment_id, to_state FROM human_decisions ORDER BY id")
        with open_store(location) as store:
            cluster_new_pages(store, progress=False)
            for comment_id, state in decided:
                action = "approve" if state == "approved" else "reject"
                decide(store, comment_id, action, "tester", expected_state=None)
            on_postgres = compute_figures(store)
            site = figures["sourcing"]["speakers_by_site"][1]["site"]
            one_site = compute_figures(store, Filters(site=site, date_from="2024-01-01"))
        assert _without_time(on_postgres) == _without_time(figures)
        with open_store(str(demo_db)) as store:
            expected = compute_figures(store, Filters(site=site, date_from="2024-01-01"))
        assert _without_time(one_site) == _without_time(expected)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


# ------------------------------------------------------------------------------- browser

def _hostile_store(path: Path) -> None:
    """A store whose every kind of text a report shows carries markup."""
    article = f"قال {HOSTILE_IMG} لوكالة {HOSTILE_SCRIPT} إن الوضع صعب."
    verdict = Verdict(scores={"hate": 0.9}, labels={"hate": True}, hate_target="religion",
                      decision="reject", model="m")
    pages = [
        Page(id=f"h{n}", url=f"https://x.test/{HOSTILE_SCRIPT}", site=HOSTILE_IMG if n else
             HOSTILE_SCRIPT, published_at=f"2024-0{n + 1}-01", title=HOSTILE_SCRIPT,
             paragraphs=[Paragraph(article)], comments_declared=5,
             comments=[Comment(id=f"h{n}:c1", index=1, text=HOSTILE_SCRIPT, author=HOSTILE_IMG,
                               verdict=verdict)],
             entities=[Entity(HOSTILE_SCRIPT, HOSTILE_SCRIPT, "ORG", "article", 0, 5),
                       Entity(HOSTILE_IMG, HOSTILE_IMG, "PER", "article", 0, 5)],
             quotes=[Quote(speaker=Span(HOSTILE_IMG, 4, 10), cue=Span("قال", 0, 3),
                           content=Span("x", 0, 1), direct=False, via=HOSTILE_SCRIPT),
                     Quote(speaker=Span("مسؤول", 4, 9), cue=Span("قال", 0, 3),
                           content=Span("x", 0, 1), direct=False, via=HOSTILE_IMG,
                           anonymous=True)],
             sourcing=Sourcing(agencies=[HOSTILE_SCRIPT], named_speakers=1,
                               anonymous_speakers=1))
        for n in range(2)
    ]
    with SQLiteStore(path) as store:
        store.upsert_pages(pages)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        reason = (f"{CHROMIUM} or {CHROMEDRIVER} is absent: apt-get install chromium "
                  "chromium-driver fonts-noto-core to run the report's browser tests")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def _open(driver: Any, path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Load a report file; return its console entries and every URL it requested."""
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get_log("performance")
    driver.get(path.as_uri())
    console = driver.get_log("browser")
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    return console, requests


def test_demo_report_opens_with_no_errors_and_no_network(browser: Any, demo_db: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "demo.html"
    with open_store(str(demo_db)) as store:
        out.write_text(build_report(store), encoding="utf-8")
    console, requests = _open(browser, out)
    assert console == []
    assert requests == [out.as_uri()]
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    drawn = int(browser.execute_script("return document.documentElement.dataset.charts"))
    canvases = browser.execute_script(
        "return document.querySelectorAll('canvas:not([hidden])').length")
    assert drawn == canvases >= 10
    # Arabic labels reach the canvas: the agencies chart's labels are the agencies.
    labels = browser.execute_script(
        "return Chart.getChart('chart-agencies').data.labels")
    with open_store(str(demo_db)) as store:
        agencies = [a["agency"] for a in compute_figures(store)["sourcing"]["agencies"]]
    assert labels == agencies


def test_hostile_store_text_runs_no_script(browser: Any, tmp_path: Path) -> None:
    db = tmp_path / "hostile.db"
    _hostile_store(db)
    out = tmp_path / "hostile.html"
    with open_store(str(db)) as store:
        out.write_text(build_report(store), encoding="utf-8")
    console, requests = _open(browser, out)
    assert browser.execute_script("return window.__xss === undefined")
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert browser.execute_script("return document.querySelectorAll('script').length") == 3
    assert requests == [out.as_uri()]  # the <img src=x> was never fetched
    assert console == []
    # The hostile text is shown, as text.
    body = browser.execute_script("return document.body.innerText")
    assert HOSTILE_SCRIPT in body and HOSTILE_IMG in body
    assert int(browser.execute_script("return document.documentElement.dataset.charts")) > 0
