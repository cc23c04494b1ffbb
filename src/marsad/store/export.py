"""Export a store, or the part of it the filters select, as JSONL or Parquet.

The output is a folder with one file per table — ``pages``, ``comments``, ``quotes``,
``entities``, ``decisions`` (the human decisions) — as ``NAME.jsonl`` (one JSON object per
line) or ``NAME.parquet``, and a ``manifest.json`` with the row counts and the filters.
Tables join on ``page_id`` and ``comment_id``, as in the store.

Filters (``marsad.store.filters``) select pages by site, date, entity and cluster; a
comment filter (decision, dialect) keeps the pages with at least one such comment and only
those comments (and their decisions); a speaker filter keeps the pages with such a quote
and only those quotes. ``kind`` is for search and is ignored here.

Rows are read from the store as a stream and written in batches, so an export of any size
runs in constant memory. Parquet needs pyarrow (``pip install 'marsad[export]'``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from marsad import __version__
from marsad.store.base import Store
from marsad.store.filters import (
    Filters,
    Where,
    comment_where,
    effective_decision_sql,
    page_where,
    quote_where,
)

FORMATS = ("jsonl", "parquet")
BATCH_ROWS = 5_000

# Column types: Parquet needs them up front; every column not named here is a string.
INT_COLUMNS = frozenset({"comments_declared", "idx", "position", "start", "end"})
BOOL_COLUMNS = frozenset({"direct", "anonymous"})


@dataclass(frozen=True)
class TableQuery:
    name: str
    columns: tuple[str, ...]
    sql: str  # with ``?`` placeholders
    params: list[Any]
    count_sql: str
    convert: Callable[[tuple[Any, ...]], dict[str, Any]] | None = None
    ints: frozenset[str] = INT_COLUMNS


@dataclass
class ExportSummary:
    folder: Path
    format: str
    rows: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def selected_pages(f: Filters, tables: set[str]) -> Where:
    """Which pages an export keeps (alias ``p``)."""
    where = page_where(f, tables, "p")
    if f.about_comments:
        comments = comment_where(f, tables, "c")
        where.clauses.append(
            f"EXISTS (SELECT 1 FROM comments c WHERE c.page_id = p.id AND {comments.sql()})"
        )
        where.params += comments.params
    if f.speaker is not None:
        quotes = quote_where(f, "q")
        where.clauses.append(
            f"EXISTS (SELECT 1 FROM quotes q WHERE q.page_id = p.id AND {quotes.sql()})"
        )
        where.params += quotes.params
    return where


def _page_convert(row: tuple[Any, ...]) -> dict[str, Any]:
    *head, record, cluster_id = row
    paragraphs = json.loads(record).get("paragraphs") or []
    out = dict(zip(PAGE_EXPORT[:-2], head, strict=True))
    out["text"] = "\n".join(p["text"] for p in paragraphs)  # quote offsets point into this
    out["cluster_id"] = cluster_id
    return out


PAGE_EXPORT = (
    "id", "url", "site", "source", "language", "encoding", "published_at", "fetched_at",
    "title", "author", "comments_declared", "text", "cluster_id",
)


def table_queries(f: Filters, tables: set[str]) -> list[TableQuery]:
    pages = selected_pages(f, tables)
    comments = comment_where(f, tables, "c")
    quotes = quote_where(f, "q")
    cluster = (
        "(SELECT m.cluster_id FROM cluster_members m WHERE m.page_id = p.id)"
        if "cluster_members" in tables else "NULL"
    )

    def query(name: str, columns: tuple[str, ...], select: str, source: str, where: Where,
              order: str, convert: Callable[[tuple[Any, ...]], dict[str, Any]] | None = None,
              ints: frozenset[str] = INT_COLUMNS) -> TableQuery:
        tail = f"FROM {source} WHERE {where.sql()}"
        return TableQuery(name, columns, f"SELECT {select} {tail} ORDER BY {order}",
                          where.params, f"SELECT count(*) {tail}", convert, ints)

    page_cols = PAGE_EXPORT[:-2]
    on_comment = _and(pages, comments)
    return [
        query("pages", PAGE_EXPORT,
              ", ".join(f'p."{c}"' for c in page_cols) + f", p.record, {cluster}",
              "pages p", pages, "p.id", _page_convert),
        query("comments",
              ("id", "page_id", "idx", "author", "posted_at", "parent", "text", "dialect",
               "decision", "effective_decision", "verdict"),
              "c.id, c.page_id, c.idx, c.author, c.posted_at, c.parent, c.text, c.dialect, "
              f"c.decision, {effective_decision_sql(tables, 'c')}, c.verdict",
              "comments c JOIN pages p ON p.id = c.page_id", on_comment, "c.page_id, c.idx"),
        query("quotes",
              ("page_id", "position", "speaker", "cue", "content", "direct", "via",
               "anonymous"),
              "q.page_id, q.position, q.speaker, q.cue, q.content, q.direct, q.via, "
              "q.anonymous",
              "quotes q JOIN pages p ON p.id = q.page_id", _and(pages, quotes),
              "q.page_id, q.position"),
        query("entities",
              ("page_id", "position", "text", "canonical", "type", "location", "start", "end"),
              'e.page_id, e.position, e.text, e.canonical, e.type, e.location, e.start, e."end"',
              "entities e JOIN pages p ON p.id = e.page_id", pages, "e.page_id, e.position"),
        query("decisions",
              ("id", "comment_id", "moderator", "decided_at", "from_state", "to_state",
               "reason"),
              "h.id, h.comment_id, h.moderator, h.decided_at, h.from_state, h.to_state, "
              "h.reason",
              "human_decisions h JOIN comments c ON c.id = h.comment_id "
              "JOIN pages p ON p.id = c.page_id", on_comment, "h.id",
              ints=INT_COLUMNS | {"id"}),
    ]


def _and(a: Where, b: Where) -> Where:
    return Where([*a.clauses, *b.clauses], [*a.params, *b.params])


def export(
    store: Store, out: str | Path, fmt: str = "jsonl", filters: Filters | None = None,
    progress: bool = False,
) -> ExportSummary:
    """Write the selected part of ``store`` to the folder ``out`` (created if missing)."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: not one of {', '.join(FORMATS)}")
    f = filters or Filters()
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder}: exists and is not a folder; give a folder for the "
                         "export (one file per table goes in it)")
    writer = _parquet_writer if fmt == "parquet" else _jsonl_writer
    if fmt == "parquet":
        _need_pyarrow()
    folder.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary(folder, fmt)
    for tq in table_queries(f, store.table_names()):
        total = _count(store, tq) if progress else None
        rows = _records(store, tq)
        bar = tqdm(rows, total=total, desc=tq.name, unit=" rows", disable=not progress)
        path = folder / f"{tq.name}.{fmt}"
        summary.rows[tq.name] = writer(path, tq, bar)
        summary.files.append(path)
    manifest = {
        "marsad": __version__, "format": fmt, "filters": f.active(), "rows": summary.rows,
        "files": [p.name for p in summary.files],
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return summary


def _count(store: Store, tq: TableQuery) -> int:
    total = 0
    for (n,) in store.stream(tq.count_sql, tq.params):  # read to the end: frees the cursor
        total = int(n)  # type: ignore[call-overload]
    return total


def _records(store: Store, tq: TableQuery) -> Iterator[dict[str, Any]]:
    for row in store.stream(tq.sql, tq.params):
        record = tq.convert(row) if tq.convert else dict(zip(tq.columns, row, strict=True))
        for name in BOOL_COLUMNS.intersection(record):
            if record[name] is not None:
                record[name] = bool(record[name])
        yield record


def _jsonl_writer(path: Path, tq: TableQuery, records: Iterator[dict[str, Any]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def _need_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise RuntimeError(
            "Parquet export needs pyarrow; install it with `pip install 'marsad[export]'`, "
            "or export --format jsonl"
        ) from exc


def arrow_schema(tq: TableQuery) -> Any:
    import pyarrow as pa

    def kind(name: str) -> Any:
        if name in tq.ints:
            return pa.int64()
        if name in BOOL_COLUMNS:
            return pa.bool_()
        return pa.string()

    return pa.schema([(c, kind(c)) for c in tq.columns])


def _parquet_writer(path: Path, tq: TableQuery, records: Iterator[dict[str, Any]]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(tq)
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(record)
            if len(batch) >= BATCH_ROWS:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:  # an empty table still gets its file, with its columns
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n
