"""Every figure of the corpus report, as plain data computed from a store.

``compute_figures(store, filters)`` returns one JSON-ready dict: ``meta`` and one key per
section (sourcing, voices, climate, syndication, quality). ``marsad report --format json``
prints exactly this dict, and the HTML report is rendered from it and nothing else, so a
notebook sees the numbers the pictures show.

The report narrows the corpus by page only: site and publication dates (``Filters``, the
same meaning as ``marsad search``). Every figure counts what belongs to the pages kept:
their quotes, entities, comments, problems, and their memberships in near-duplicate
clusters. The per-site pseudo pages that hold comments posted to the moderation API are
not articles and are left out.

All SQL is written once with ``?`` placeholders and run through ``store.sql.Db``, so the
report runs on SQLite and PostgreSQL; the two expressions that differ (reading JSON,
finding a substring) come from ``_Dialect``. Aggregation happens in the database; Python
only folds spellings together and ranks.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from marsad import __version__
from marsad.report import labels as L
from marsad.store.base import Store
from marsad.store.filters import Filters, Where, effective_decision_sql, page_where
from marsad.store.sql import Db
from marsad.text.normalize import fold

Figures = dict[str, Any]


class _Dialect:
    """The few expressions SQLite and PostgreSQL write differently."""

    def __init__(self, db: Db) -> None:
        self.sqlite = db.sqlite

    def json_text(self, column: str, *path: str) -> str:
        """A JSON member as text (NULL when absent)."""
        if self.sqlite:
            return f"json_extract({column}, '$.{'.'.join(path)}')"
        return f"({column}::jsonb #>> '{{{','.join(path)}}}')"

    def json_object(self, column: str, key: str) -> str:
        """A JSON member that is an object or a list, as JSON text."""
        if self.sqlite:
            return f"json_extract({column}, '$.{key}')"
        return f"(({column}::jsonb) -> '{key}')::text"

    def contains(self, haystack: str, needle: str) -> str:
        if self.sqlite:
            return f"instr({haystack}, {needle}) > 0"
        return f"strpos({haystack}, {needle}) > 0"


def check_filters(filters: Filters) -> None:
    """The report narrows by page only: say so rather than ignore another filter."""
    other = {k for k in filters.active() if k not in ("site", "date_from", "date_to")}
    if other:
        raise ValueError(
            f"the report filters by site and dates only, not {', '.join(sorted(other))}"
        )


class _Query:
    """The store, the filters as SQL on pages (alias ``p``), and the dialect."""

    def __init__(self, store: Store, filters: Filters) -> None:
        check_filters(filters)
        self.db = Db(store)
        self.tables = store.table_names()
        self.dialect = _Dialect(self.db)
        where = page_where(filters, self.tables, "p")
        where.extend(Where(["p.id NOT LIKE ?"], [f"{L.STREAM_PREFIX}%"]))
        self.where = where.sql()
        self.params = list(where.params)

    @cached_property
    def page_comments(self) -> list[tuple[Any, ...]]:
        """(id, site, title, url, comments_declared, comments found) per kept page: read
        once, for the comment climate and for data quality."""
        return self.all(
            "SELECT p.id, p.site, p.title, p.url, p.comments_declared, count(c.id) FROM pages p "
            "LEFT JOIN comments c ON c.page_id = p.id WHERE {W} "
            "GROUP BY p.id, p.site, p.title, p.url, p.comments_declared"
        )

    def all(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Rows of ``sql``, whose page conditions are written ``{W}``; ``params`` follow the
        page parameters."""
        return self.db.all(sql.replace("{W}", self.where), [*self.params, *(params or [])])


def compute_figures(
    store: Store, filters: Filters | None = None, timings: dict[str, float] | None = None
) -> Figures:
    """The report's figures for the pages of ``store`` that pass ``filters``; ``timings``,
    when given, receives the seconds each section took (for ``benchmarks/report.py``)."""
    filters = filters or Filters()
    q = _Query(store, filters)
    sections: dict[str, Callable[[], Any]] = {
        "meta": lambda: _meta(q, filters),
        "sourcing": lambda: _sourcing(q),
        "voices": lambda: _voices(q),
        "climate": lambda: _climate(q),
        "syndication": lambda: _syndication(q),
        "quality": lambda: _quality(q),
        "labels": L.chart_labels,
    }
    figures: Figures = {}
    for name, compute in sections.items():
        started = time.perf_counter()
        figures[name] = compute()
        if timings is not None:
            timings[name] = time.perf_counter() - started
    return figures


# ---------------------------------------------------------------------------------- meta

def _meta(q: _Query, filters: Filters) -> dict[str, Any]:
    ((pages, sites, first, last),) = q.all(
        "SELECT count(*), count(DISTINCT p.site), min(p.published_at), max(p.published_at) "
        "FROM pages p WHERE {W}"
    )
    ((comments,),) = q.all(
        "SELECT count(*) FROM comments c JOIN pages p ON p.id = c.page_id WHERE {W}"
    )
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "marsad": __version__,
        "filters": filters.active(),
        "pages": int(pages),
        "sites": int(sites),
        "comments": int(comments),
        "first_published": first,
        "last_published": last,
    }


def _month(value: str | None) -> str | None:
    return value[:7] if value and len(value) >= 7 else None


def _ranked(counter: Counter[Any], limit: int | None = None) -> list[tuple[Any, int]]:
    """Most common first; ties by key, so the order is stable run to run."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))[:limit]


# ------------------------------------------------------------------------------ sourcing

def _sourcing(q: _Query) -> dict[str, Any]:
    # Statements (quotes) by the agency they came through.
    by_agency: Counter[str | None] = Counter()
    anonymous_by_agency: Counter[str | None] = Counter()
    for via, anonymous, n in q.all(
        "SELECT q.via, q.anonymous, count(*) FROM quotes q JOIN pages p ON p.id = q.page_id "
        "WHERE {W} GROUP BY q.via, q.anonymous"
    ):
        by_agency[via] += int(n)
        if anonymous:
            anonymous_by_agency[via] += int(n)
    statements = sum(by_agency.values())
    agencies = [
        {"agency": via, "statements": n, "anonymous": anonymous_by_agency[via],
         "share": n / statements if statements else 0.0}
        for via, n in _ranked(Counter({k: v for k, v in by_agency.items() if k is not None}),
                              L.TOP_AGENCIES)
    ]

    # Speakers (distinct people per page, the enrich step's sourcing summary).
    sourcing = q.dialect.json_object("p.record", "sourcing")
    per_site: dict[str | None, Counter[str]] = defaultdict(Counter)
    per_month: dict[str, Counter[str]] = defaultdict(Counter)
    cited: Counter[str] = Counter()
    reliant = []
    for page_id, site, title, url, published, summary in q.all(
        f"SELECT p.id, p.site, p.title, p.url, p.published_at, {sourcing} "
        "FROM pages p WHERE {W}"
    ):
        s = json.loads(summary) if summary else None
        if not s:
            continue
        named, anonymous = int(s.get("named_speakers") or 0), int(s.get("anonymous_speakers") or 0)
        for counts in (per_site[site], *([per_month[m]] if (m := _month(published)) else [])):
            counts["named"] += named
            counts["anonymous"] += anonymous
            counts["pages"] += 1
        cited.update(set(s.get("agencies") or []))
        if anonymous:
            reliant.append({
                "page_id": page_id, "site": site, "title": title, "url": url,
                "published_at": published, "named": named, "anonymous": anonymous,
                "anonymous_share": anonymous / (named + anonymous),
            })
    reliant.sort(key=lambda r: (-r["anonymous_share"], -r["anonymous"], r["page_id"]))
    return {
        "statements": statements,
        "statements_anonymous": sum(anonymous_by_agency.values()),
        "statements_without_agency": by_agency[None],
        "agencies": agencies,
        "pages_citing_agency": [{"agency": a, "pages": n}
                                for a, n in _ranked(cited, L.TOP_AGENCIES)],
        "speakers_by_site": [
            {"site": site, "named": c["named"], "anonymous": c["anonymous"], "pages": c["pages"]}
            for site, c in sorted(per_site.items(), key=lambda kv: (-kv[1]["pages"], str(kv[0])))
        ],
        "speakers_by_month": [
            {"month": m, "named": c["named"], "anonymous": c["anonymous"], "pages": c["pages"]}
            for m, c in sorted(per_month.items())
        ],
        "anonymous_reliant": reliant[: L.TOP_ANONYMOUS_ARTICLES],
    }


# -------------------------------------------------------------------------------- voices

def _voices(q: _Query) -> dict[str, Any]:
    d = q.dialect
    # A speaker speaks for an organisation when an organisation the tagger found in the
    # article lies inside the speaker's words («الناطق باسم وزارة المياه») and no person
    # does («وزير الاقتصاد سامر الحلبي» is a person).
    def has(kind: str) -> str:
        return (f"EXISTS (SELECT 1 FROM entities e WHERE e.page_id = q.page_id "
                f"AND e.location = 'article' AND e.type = '{kind}' "
                f"AND {d.contains('q.speaker', 'e.text')})")

    forms: dict[str, Counter[str]] = defaultdict(Counter)
    outlets: dict[str, Counter[str | None]] = defaultdict(Counter)
    org_votes: Counter[str] = Counter()
    for speaker, site, is_org, n in q.all(
        f"SELECT q.speaker, p.site, CASE WHEN {has('ORG')} AND NOT {has('PER')} THEN 1 ELSE 0 "
        "END, count(*) FROM quotes q JOIN pages p ON p.id = q.page_id "
        "WHERE {W} AND q.anonymous = 0 AND q.speaker IS NOT NULL GROUP BY 1, 2, 3"
    ):
        key = fold(speaker).strip()
        if not key:
            continue
        forms[key][speaker] += int(n)
        outlets[key][site] += int(n)
        org_votes[key] += int(n) if is_org else -int(n)
    people: list[dict[str, Any]] = []
    organisations: list[dict[str, Any]] = []
    for key, _ in _ranked(Counter({k: sum(c.values()) for k, c in outlets.items()})):
        row = {
            "speaker": _ranked(forms[key])[0][0],
            "statements": sum(outlets[key].values()),
            "outlets": [{"site": s, "statements": n}
                        for s, n in _ranked(outlets[key], L.OUTLETS_PER_SPEAKER)],
        }
        (organisations if org_votes[key] > 0 else people).append(row)

    locations = ", ".join(f"'{loc}'" for loc in L.EDITORIAL_LOCATIONS)
    mentioned = q.all(
        "SELECT e.canonical, e.type, count(*), count(DISTINCT e.page_id) FROM entities e "
        f"JOIN pages p ON p.id = e.page_id WHERE {{W}} AND e.location IN ({locations}) "
        "GROUP BY e.canonical, e.type"
    )
    entities = sorted(
        ({"entity": c, "type": t, "mentions": int(m), "pages": int(n)} for c, t, m, n in mentioned),
        key=lambda r: (-r["pages"], -r["mentions"], r["entity"], r["type"]),
    )[: L.TOP_ENTITIES]
    return {
        "speakers": people[: L.TOP_SPEAKERS],
        "organisations": organisations[: L.TOP_SPEAKERS],
        "entities": entities,
        "cooccurrence": _cooccurrence(q, entities, locations),
    }


def _cooccurrence(q: _Query, entities: list[dict[str, Any]], locations: str) -> dict[str, Any]:
    """Pages naming both of two top entities: a symmetric matrix (diagonal: pages naming it)."""
    top: list[str] = []
    for row in entities:
        if row["entity"] not in top:
            top.append(row["entity"])
    top = top[: L.TOP_COOCCURRING]
    if not top:
        return {"entities": [], "pages": []}
    marks = ", ".join("?" for _ in top)
    rows = q.all(
        "WITH pe AS (SELECT DISTINCT e.page_id, e.canonical FROM entities e "
        f"JOIN pages p ON p.id = e.page_id WHERE {{W}} AND e.location IN ({locations}) "
        f"AND e.canonical IN ({marks})) "
        "SELECT a.canonical, b.canonical, count(*) FROM pe a JOIN pe b "
        "ON a.page_id = b.page_id GROUP BY a.canonical, b.canonical",
        top,
    )
    index = {name: i for i, name in enumerate(top)}
    matrix = [[0] * len(top) for _ in top]
    for a, b, n in rows:
        matrix[index[a]][index[b]] = int(n)
    return {"entities": top, "pages": matrix}


# ------------------------------------------------------------------------------- climate

def _climate(q: _Query) -> dict[str, Any]:
    d = q.dialect
    per_page = q.page_comments
    counts = [int(r[5]) for r in per_page]
    histogram = []
    for low, high in L.COMMENT_BUCKETS:
        n = sum(1 for c in counts if c >= low and (high is None or c <= high))
        histogram.append({"from": low, "to": high, "pages": n})
    most = sorted(per_page, key=lambda r: (-int(r[5]), r[0]))[: L.TOP_COMMENTED_ARTICLES]

    # Decisions and dialects in one pass over the comments.
    decision = effective_decision_sql(q.tables, "c")
    by_site: dict[str | None, Counter[str]] = defaultdict(Counter)
    dialect_site: dict[str | None, Counter[str]] = defaultdict(Counter)
    for site, effective, dialect, n in q.all(
        f"SELECT p.site, {decision}, c.dialect, count(*) FROM comments c "
        "JOIN pages p ON p.id = c.page_id WHERE {W} GROUP BY 1, 2, 3"
    ):
        by_site[site][L.DECISION_GROUPS.get(effective, "unscored")] += int(n)
        if dialect is not None:
            dialect_site[site][dialect] += int(n)
    total: Counter[str] = Counter()
    for c in by_site.values():
        total.update(c)

    target = d.json_text("c.verdict", "hate_target")
    hate_site: dict[str | None, Counter[str]] = defaultdict(Counter)
    hate_month: dict[str, Counter[str]] = defaultdict(Counter)
    for site, month, tgt, n in q.all(
        "SELECT site, month, target, count(*) FROM (SELECT p.site AS site, "
        "substr(COALESCE(c.posted_at, p.published_at), 1, 7) AS month, "
        f"{target} AS target FROM comments c JOIN pages p ON p.id = c.page_id WHERE {{W}}) t "
        "WHERE target IS NOT NULL GROUP BY site, month, target"
    ):
        hate_site[site][tgt] += int(n)
        if month and len(month) == 7:
            hate_month[month][tgt] += int(n)
    hate_total: Counter[str] = Counter()
    for c in hate_site.values():
        hate_total.update(c)

    dialect_total: Counter[str] = Counter()
    for c in dialect_site.values():
        dialect_total.update(c)

    comments = sum(counts)
    return {
        "comments": comments,
        "articles": len(counts),
        "per_article_mean": comments / len(counts) if counts else 0.0,
        "per_article_median": statistics.median(counts) if counts else 0,
        "per_article_histogram": histogram,
        "most_commented": [{"page_id": r[0], "site": r[1], "title": r[2], "url": r[3],
                            "comments": int(r[5])} for r in most if int(r[5]) > 0],
        "decisions": {g: total[g] for g in L.GROUP_ORDER},
        "decisions_by_site": [
            {"site": s, **{g: c[g] for g in L.GROUP_ORDER}}
            for s, c in sorted(by_site.items(), key=lambda kv: (-kv[1].total(), str(kv[0])))
        ],
        "hate_targets": dict(_ranked(hate_total)),
        "hate_targets_by_site": [
            {"site": s, "targets": dict(_ranked(c))}
            for s, c in sorted(hate_site.items(), key=lambda kv: (-kv[1].total(), str(kv[0])))
        ],
        "hate_targets_by_month": [{"month": m, "targets": dict(_ranked(c))}
                                  for m, c in sorted(hate_month.items())],
        "dialects": dict(_ranked(dialect_total)),
        "dialects_by_site": [
            {"site": s, "dialects": dict(_ranked(c))}
            for s, c in sorted(dialect_site.items(), key=lambda kv: (-kv[1].total(), str(kv[0])))
        ],
    }


# --------------------------------------------------------------------------- syndication

def _hours_between(first: str | None, later: str | None) -> float | None:
    """Hours from one stored time to another (bare dates are midnight), or None."""
    if not first or not later:
        return None
    try:
        a, b = datetime.fromisoformat(first), datetime.fromisoformat(later)
    except ValueError:
        return None
    if (a.tzinfo is None) != (b.tzinfo is None):  # one says UTC, one is local: compare clocks
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return (b - a).total_seconds() / 3600


def _syndication(q: _Query) -> dict[str, Any]:
    # Every kept page that belongs to a cluster of two or more, with its cluster's
    # representative (the earliest page; it may lie outside the filters).
    rows = q.all(
        "SELECT m.cluster_id, p.id, p.site, p.published_at, k.representative, "
        "rp.site, rp.title, rp.url, rp.published_at, k.size "
        "FROM cluster_members m JOIN pages p ON p.id = m.page_id "
        "JOIN clusters k ON k.id = m.cluster_id LEFT JOIN pages rp ON rp.id = k.representative "
        "WHERE {W} AND k.size >= 2"
    )
    ((clustered,),) = q.all(
        "SELECT count(*) FROM cluster_members m JOIN pages p ON p.id = m.page_id WHERE {W}"
    )
    clusters: dict[str, dict[str, Any]] = {}
    pairs: Counter[tuple[str | None, str | None]] = Counter()
    first_seen: Counter[str | None] = Counter()
    copies: Counter[str | None] = Counter()
    lags: dict[str | None, list[float]] = defaultdict(list)
    for cid, page_id, site, published, rep, rep_site, rep_title, rep_url, rep_pub, size in rows:
        c = clusters.setdefault(cid, {
            "cluster_id": cid, "size": int(size), "pages": 0, "representative": rep,
            "site": rep_site, "title": rep_title, "url": rep_url, "first_published": rep_pub,
            "copy_sites": Counter(), "last_copy_published": None,
        })
        c["pages"] += 1
        if page_id == rep:
            first_seen[site] += 1
            continue
        copies[site] += 1
        pairs[(rep_site, site)] += 1
        c["copy_sites"][site] += 1
        if published and (c["last_copy_published"] or "") < published:
            c["last_copy_published"] = published
        if (hours := _hours_between(rep_pub, published)) is not None:
            lags[site].append(hours)
    largest = sorted(clusters.values(), key=lambda c: (-c["pages"], -c["size"], c["cluster_id"]))
    for c in largest:
        c["copies"] = c["copy_sites"].total()
        c["copy_sites"] = [{"site": s, "pages": n} for s, n in _ranked(c["copy_sites"])]
        c["lag_hours"] = _hours_between(c["first_published"], c["last_copy_published"])
    sites = set(first_seen) | set(copies)
    return {
        "pages_clustered": int(clustered),
        "clusters": len(clusters),
        "pages_in_clusters": sum(c["pages"] for c in clusters.values()),
        "largest": largest[: L.TOP_CLUSTERS],
        "republishing": [{"from_site": a, "to_site": b, "pages": n}
                         for (a, b), n in _ranked(pairs)],
        "first_seen_vs_copies": [
            {"site": s, "first_seen": first_seen[s], "copies": copies[s],
             "median_lag_hours": statistics.median(lags[s]) if lags[s] else None}
            for s in sorted(sites, key=lambda s: (-(first_seen[s] + copies[s]), str(s)))
        ],
    }


# ------------------------------------------------------------------------------- quality

def _quality(q: _Query) -> dict[str, Any]:
    problems = [
        {"kind": kind, "pages": int(pages), "problems": int(n)}
        for kind, pages, n in q.all(
            "SELECT pr.kind, count(DISTINCT pr.page_id), count(*) FROM problems pr "
            "JOIN pages p ON p.id = pr.page_id WHERE {W} GROUP BY pr.kind"
        )
    ]
    problems.sort(key=lambda r: (-r["pages"], r["kind"]))
    ((with_problems,),) = q.all(
        "SELECT count(DISTINCT pr.page_id) FROM problems pr JOIN pages p ON p.id = pr.page_id "
        "WHERE {W}"
    )
    per_page = [r for r in q.page_comments if r[4] is not None]
    by_site: dict[str | None, Counter[str]] = defaultdict(Counter)
    summary: Counter[str] = Counter()
    gaps = []
    for page_id, site, title, url, declared, found in per_page:
        declared, found = int(declared), int(found)
        outcome = "equal" if found == declared else ("fewer" if found < declared else "more")
        for c in (summary, by_site[site]):
            c["pages"] += 1
            c["declared"] += declared
            c["found"] += found
            c[outcome] += 1
        if found != declared:
            gaps.append({"page_id": page_id, "site": site, "title": title, "url": url,
                         "declared": declared, "found": found})
    gaps.sort(key=lambda r: (-abs(r["declared"] - r["found"]), r["page_id"]))
    ((undated, no_site),) = q.all(
        "SELECT sum(CASE WHEN p.published_at IS NULL THEN 1 ELSE 0 END), "
        "sum(CASE WHEN p.site IS NULL THEN 1 ELSE 0 END) FROM pages p WHERE {W}"
    )
    keys = ("pages", "declared", "found", "equal", "fewer", "more")
    return {
        "pages_with_problems": int(with_problems),
        "problems": problems,
        "pages_without_date": int(undated or 0),
        "pages_without_site": int(no_site or 0),
        "declared_vs_found": {k: summary[k] for k in keys},
        "declared_vs_found_by_site": [
            {"site": s, **{k: c[k] for k in keys}}
            for s, c in sorted(by_site.items(), key=lambda kv: (-kv[1]["pages"], str(kv[0])))
        ],
        "largest_gaps": gaps[: L.TOP_DECLARED_GAPS],
    }
