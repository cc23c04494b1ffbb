"""The ``marsad`` command. Every sub-command calls the same library functions as the API."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from marsad import __version__
from marsad.read import ReadLimits
from marsad.run.executors import ENGINES
from marsad.run.limits import DEFAULT_PAGE_MEMORY_MB, DEFAULT_PAGE_TIMEOUT_S, PageLimits
from marsad.run.runner import RunSummary
from marsad.run.shards import SHARD_SIZE
from marsad.serve.commands import DEFAULT_DB, DEFAULT_HOST, DEFAULT_PORT, add_serve_parsers
from marsad.serve.config import SESSION_TTL

if TYPE_CHECKING:
    from marsad.store.filters import Filters

# What `marsad eval extraction --json` prints: shares between 0 and 1, and the page count.
EXTRACTION_FIGURES = ("pages", "body_with", "body_without", "comments_found", "title_exact")


def demo_pages_dir() -> str:
    """The bundled demo pages (shipped inside the package)."""
    from marsad.demo import PAGES_DIR

    return str(PAGES_DIR)


def _limits(args: argparse.Namespace) -> ReadLimits:
    return ReadLimits(max_bytes=args.max_bytes)


def cmd_parse(args: argparse.Namespace) -> int:
    from marsad.run.pipeline import pages_from_inputs

    pages = list(pages_from_inputs(args.inputs, _limits(args)))
    if not pages:
        print(f"marsad parse: nothing to read in {', '.join(args.inputs)}", file=sys.stderr)
        return 1
    if len(pages) == 1 and not args.jsonl:
        print(pages[0].to_json(indent=2))
    else:
        for page in pages:
            print(page.to_json())
    return 0 if any(not _unreadable(p) for p in pages) else 1


def _unreadable(page: object) -> bool:
    return any(p.stage == "read" for p in page.problems)  # type: ignore[attr-defined]


def cmd_run(args: argparse.Namespace) -> int:
    from marsad.run.runner import run_corpus

    inputs = list(args.inputs)
    if args.demo:
        inputs.append(demo_pages_dir())
    if not inputs:
        print("marsad run: give INPUT files or folders, or --demo for the bundled pages",
              file=sys.stderr)
        return 2
    try:
        summary = run_corpus(
            inputs, args.db, limits=_limits(args), progress=not args.quiet,
            engine=args.engine, workers=args.workers, address=args.address,
            page_limits=PageLimits(args.page_timeout or None, args.page_memory or None),
            shard_size=args.shard_size, fresh=args.fresh,
        )
    except (ValueError, RuntimeError) as err:  # messages name the input and the fix
        print(f"marsad run: {err}", file=sys.stderr)
        return 2
    print_summary(summary, args.db)
    if summary.interrupted:
        return 130
    # Non-zero only when nothing at all could be read (pages resumed were read before).
    return 0 if summary.readable or summary.pages_resumed else 1


def cmd_demo(args: argparse.Namespace) -> int:
    """``marsad run --demo``, then a first admin for the demo store (its password printed
    once: marsad has no default password), then ``marsad serve`` unless ``--no-serve``."""
    code = cmd_run(args)
    if code != 0 or args.no_serve:
        return code
    from marsad.serve.commands import cmd_serve, demo_admin

    password = demo_admin(args.db)
    if password is not None:
        print(f"marsad demo: sign in at http://{args.host}:{args.port}/ui as 'demo' with "
              f"password {password} (shown once; add users with marsad user add)")
    serve = argparse.Namespace(db=args.db, host=args.host, port=args.port, webhook=None,
                               session_hours=SESSION_TTL.total_seconds() / 3600, workers=1,
                               log_level="info")
    return cmd_serve(serve)


def print_summary(summary: RunSummary, db: str) -> None:
    console = Console()
    rate = summary.pages / summary.seconds if summary.seconds else 0.0
    table = Table(title=f"marsad run → {db}", show_header=True)
    table.add_column("")
    table.add_column("this run", justify="right")
    table.add_column("in the store", justify="right")
    store = summary.store
    table.add_row("pages", str(summary.pages), str(store.pages if store else ""))
    table.add_row("comments", str(summary.comments), str(store.comments if store else ""))
    table.add_row("removed items", str(sum(summary.removed_by_kind.values())),
                  str(store.removed if store else ""))
    for kind, n in sorted(summary.removed_by_kind.items()):
        table.add_row(f"  removed: {kind}", str(n), "")
    for kind, n in sorted(summary.problems_by_kind.items()):
        in_store = store.problems_by_kind.get(kind, 0) if store else ""
        table.add_row(f"  problem: {kind}", str(n), str(in_store))
    for reason, n in sorted(summary.skipped.items()):
        table.add_row(f"  skipped: {reason}", str(n), "")
    if summary.pages_resumed:
        table.add_row("pages done by an earlier run (skipped)", str(summary.pages_resumed), "")
    if summary.clustering is not None:
        table.add_row("near-duplicate clusters (2+ pages)", "",
                      str(summary.clustering.clusters))
    table.add_row("seconds", f"{summary.seconds:.1f}", "")
    table.add_row("pages / second", f"{rate:.1f}", "")
    if summary.workers:
        peak = max(summary.workers.values())
        table.add_row(f"{summary.engine} workers, peak memory", f"{len(summary.workers)}, "
                      f"{peak:.0f} MB", "")
    console.print(table)
    steps = Table(title="where the time went", show_header=True)
    for column in ("step", "pages", "seconds", "ms / page", "failures"):
        steps.add_column(column, justify="right" if column != "step" else "left")
    for name, st in summary.steps.items():
        per = 1000 * st.seconds / st.pages if st.pages else 0.0
        steps.add_row(name, str(st.pages), f"{st.seconds:.2f}", f"{per:.1f}", str(st.failures))
    console.print(steps)
    if summary.interrupted:
        console.print("[yellow]interrupted: the pages done so far are stored; run again to "
                      "finish (stored pages are replaced, not doubled)[/yellow]")


@dataclass(frozen=True)
class Evaluation:
    """One ``marsad eval WHAT PATH``: what PATH must be, and how to score and print it."""

    wants: str  # said when PATH is not what it must be: what to give instead
    run: Callable[[argparse.Namespace], dict[str, Any]]  # reads args.path; ValueError names
    table: Callable[[dict[str, Any]], str]  # the file, the line and the fix
    figures: tuple[str, ...] | None = None  # keys printed by --json (None: all)
    folder: bool = False  # PATH is a folder with annotations.json, not a file


def _evaluations() -> dict[str, Evaluation]:
    # Imported here: `marsad eval` is the only command that needs the evaluation modules.
    from marsad.evaluate import dialect, extraction, moderation, ner, quotes

    return {
        "extraction": Evaluation(
            "a folder laid out like ../shared/data/extraction/comment_pages",
            lambda a: extraction.evaluate_extraction(Path(a.path)), extraction.format_table,
            EXTRACTION_FIGURES, folder=True),
        "moderation": Evaluation(
            "a JSONL file in the shared moderation format",
            lambda a: moderation.evaluate_moderation(a.path), moderation.format_table),
        "ner": Evaluation(
            "CoNLL with 'token label' per line (BIO) and a blank line between sentences",
            lambda a: ner.evaluate_ner(a.path, last_tenth=a.last_tenth), ner.format_table),
        "dialect": Evaluation(
            'a JSONL file with "text" and "dialect" fields',
            lambda a: dialect.evaluate_dialect(a.path, context=not a.sentences),
            dialect.format_table),
        "quotes": Evaluation(
            'a JSONL file with "id", "text" and "quotes" per line (see marsad.evaluate.quotes)',
            lambda a: quotes.evaluate_quotes(a.path), quotes.format_table, quotes.QUOTE_FIGURES),
    }


def cmd_eval(args: argparse.Namespace) -> int:
    evaluation = _evaluations().get(args.what)
    if evaluation is None:
        print(f"marsad eval: unknown evaluation {args.what!r}", file=sys.stderr)
        return 2
    path = Path(args.path)
    if not (path / "annotations.json" if evaluation.folder else path).is_file():
        what = "has no annotations.json" if evaluation.folder else "is not a file"
        print(f"marsad eval {args.what}: {path} {what}; give {evaluation.wants}",
              file=sys.stderr)
        return 2
    try:
        result = evaluation.run(args)
    except (ValueError, UnicodeDecodeError) as err:  # the message names the file and the fix
        print(f"marsad eval {args.what}: {err}", file=sys.stderr)
        return 2
    if args.json:
        keys = evaluation.figures or tuple(result)
        print(json.dumps({key: result[key] for key in keys}))
    else:
        print(evaluation.table(result))
    return 0


def cmd_moderate(args: argparse.Namespace) -> int:
    """One text → its verdict; or JSONL in (``{"id", "text"}`` per line) → JSONL out."""
    from dataclasses import asdict

    from marsad.moderate import moderate

    if args.text is not None:
        print(json.dumps(asdict(moderate(args.text)), ensure_ascii=False, indent=2))
        return 0
    source = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")  # noqa: SIM115
    failures = 0
    with source:
        for n, line in enumerate(source, 1):  # streaming: one verdict per line as it comes
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                text = item["text"]
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                failures += 1
                print(f"marsad moderate: {args.jsonl} line {n}: not a JSON object with a "
                      f'"text" field ({err}); skipped', file=sys.stderr)
                continue
            verdict = asdict(moderate(text))
            print(json.dumps({"id": item.get("id"), "verdict": verdict}, ensure_ascii=False),
                  flush=True)
    return 1 if failures else 0


def cmd_cluster(args: argparse.Namespace) -> int:
    """The clustering stage over a store: near-duplicate clusters and pasted comments."""
    from marsad.dedup.cluster import ParamsMismatch, cluster_new_pages, rebuild_clusters
    from marsad.store.base import open_store

    try:
        with open_store(args.db) as store:
            run = rebuild_clusters if args.rebuild else cluster_new_pages
            summary = run(store, progress=not args.quiet)
            pasted = store.duplicate_comments(min_pages=2, limit=None)
    except ParamsMismatch as err:
        print(f"marsad cluster: {args.db}: {err}", file=sys.stderr)
        return 2
    table = Table(title=f"marsad cluster → {args.db}")
    table.add_column("")
    table.add_column("", justify="right")
    rows = [
        ("pages clustered this run", summary.pages),
        ("  started a cluster", summary.founded),
        ("  joined as near-duplicates", summary.joined_near),
        ("  joined as exact duplicates", summary.joined_exact),
        ("  changed since last clustered", summary.changed),
        ("clusters merged", summary.merged),
        ("comments hashed", summary.comments_hashed),
        ("pages clustered in the store", summary.pages_clustered),
        ("clusters of 2 or more pages", summary.clusters),
        ("pages in those clusters", summary.pages_in_clusters),
        ("largest cluster", summary.largest),
        ("comment texts under 2 or more pages", len(pasted)),
        ("seconds", f"{summary.seconds:.1f}"),
    ]
    for label, value in rows:
        table.add_row(label, str(value))
    Console().print(table)
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    """Store every page again from its record (after a change to stemming or search units)."""
    from marsad.store.base import open_store
    from marsad.store.reindex import reindex

    with open_store(args.db) as store:
        summary = reindex(store, progress=not args.quiet)
    print(f"marsad reindex: {summary.pages:,} pages stored again from their records in "
          f"{summary.seconds:.1f} s → {args.db}")
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    """Moderators' standing decisions → JSONL in the shared moderation format."""
    from marsad.store.base import open_store
    from marsad.store.feedback import export_feedback

    with open_store(args.db) as store:
        counts = export_feedback(store, Path(args.out))
    print(f"marsad feedback export: {counts['rows']} decisions → {args.out} "
          f"({counts['offensive']} rejected, {counts['not_offensive']} approved); fold them "
          f"in with training/train_moderation.py --feedback {args.out}")
    return 0


def add_feedback_parser(sub: Any) -> None:
    p = sub.add_parser("feedback", help="export moderators' decisions for training")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("export", help="standing human decisions → moderation JSONL")
    a.add_argument("--db", default=DEFAULT_DB, help="SQLite file or postgresql:// URL")
    a.add_argument("--out", required=True, metavar="FILE.jsonl")
    p.set_defaults(func=cmd_feedback)


def _filters(args: argparse.Namespace) -> Filters:
    """The search/export filters from the command line (``ValueError`` names a bad one)."""
    from marsad.store.filters import Filters

    return Filters(site=args.site, date_from=args.date_from, date_to=args.date_to,
                   decision=args.decision, entity=args.entity, speaker=args.speaker,
                   dialect=args.dialect, cluster=args.cluster,
                   kind=getattr(args, "kind", None))


def cmd_search(args: argparse.Namespace) -> int:
    from marsad.store.base import open_store
    from marsad.store.search import search

    try:
        filters = _filters(args)
        with open_store(args.db) as store:
            hits = search(store, args.query, filters, limit=args.limit, offset=args.offset)
    except ValueError as err:
        print(f"marsad search: {err}", file=sys.stderr)
        return 2
    if args.json:
        from dataclasses import asdict

        for hit in hits:
            print(json.dumps(asdict(hit), ensure_ascii=False))
        return 0 if hits else 1
    shown = ", ".join(f"{k}={v}" for k, v in filters.active().items())
    table = Table(title=f"marsad search {args.query!r} → {args.db}"
                  + (f" ({shown})" if shown else ""), show_lines=True)
    for column in ("#", "score", "site", "published", "where", "title", "match"):
        table.add_column(column, justify="right" if column in ("#", "score") else "left",
                         overflow="fold")
    for n, hit in enumerate(hits, args.offset + 1):
        where = hit.kind if not hit.ref else f"{hit.kind} {hit.ref}"
        if args.plain:
            match = Text(hit.marked())
        else:  # page text is never read as markup: style the spans of a plain Text
            match = Text(hit.marked("", ""))
            lead = 1 if hit.snippet_start > 0 else 0  # the … marked() puts first
            for start, end in hit.highlights:
                match.stylize("bold yellow", start + lead, end + lead)
        cells = [str(n), f"{hit.score:.3g}", hit.site or "", (hit.published_at or "")[:10],
                 where, hit.title or ""]
        table.add_row(*(Text(c) for c in cells), match)
    console = Console()
    if hits:
        console.print(table)
    else:
        console.print(f"no match for {args.query!r}" + (f" with {shown}" if shown else ""))
    return 0 if hits else 1


def cmd_export(args: argparse.Namespace) -> int:
    from marsad.store.base import open_store
    from marsad.store.export import export

    try:
        filters = _filters(args)
        with open_store(args.db) as store:
            summary = export(store, args.out, args.format, filters, progress=not args.quiet)
    except (ValueError, RuntimeError) as err:
        print(f"marsad export: {err}", file=sys.stderr)
        return 2
    table = Table(title=f"marsad export → {summary.folder} ({summary.format})")
    table.add_column("table")
    table.add_column("rows", justify="right")
    table.add_column("file")
    for path, (name, n) in zip(summary.files, summary.rows.items(), strict=True):
        table.add_row(name, f"{n:,}", str(path))
    Console().print(table)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """The corpus report (issue 8): one self-contained HTML file, or its figures as JSON."""
    from marsad.report import compute_figures, figures_json, render_html
    from marsad.store.base import open_store
    from marsad.store.filters import Filters

    try:
        filters = Filters(site=args.site, date_from=args.date_from, date_to=args.date_to)
        with open_store(args.db) as store:
            figures = compute_figures(store, filters)
    except ValueError as err:
        print(f"marsad report: {err}", file=sys.stderr)
        return 2
    text = render_html(figures) if args.format == "html" else figures_json(figures, indent=1)
    if args.out == "-":
        sys.stdout.write(text + ("" if text.endswith("\n") else "\n"))
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        meta = figures["meta"]
        print(f"marsad report: {meta['pages']:,} pages, {meta['comments']:,} comments "
              f"→ {args.out} ({args.format})")
    return 0


def add_report_parser(sub: Any) -> None:
    p = sub.add_parser("report", help="the corpus report: one HTML file (or JSON) of figures")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file or postgresql:// URL "
                   f"(default {DEFAULT_DB})")
    p.add_argument("--site", help="only pages of this site")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="published on or after")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="published on or before")
    p.add_argument("--format", choices=["html", "json"], default="html", help="default html")
    p.add_argument("--out", default="report.html", metavar="FILE",
                   help="where to write it; - for standard output (default report.html)")
    p.set_defaults(func=cmd_report)


def add_filter_options(p: argparse.ArgumentParser) -> None:
    """The filters ``marsad search`` and ``marsad export`` share (``store/filters.py``)."""
    from marsad.names import Dialect
    from marsad.store.filters import DECISIONS

    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file or postgresql:// URL "
                   f"(default {DEFAULT_DB})")
    p.add_argument("--site", help="only pages of this site")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="published on or after")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="published on or before")
    p.add_argument("--decision", choices=DECISIONS,
                   help="comments whose effective decision (human, else model) is this")
    p.add_argument("--entity", metavar="CANONICAL", help="pages naming this entity")
    p.add_argument("--speaker", metavar="TEXT", help="quotes whose speaker contains this")
    p.add_argument("--dialect", choices=[str(d) for d in Dialect], help="comments in this dialect")
    p.add_argument("--cluster", metavar="ID", help="pages of this near-duplicate cluster")


def add_search_export_parsers(sub: Any) -> None:
    from marsad.store.export import FORMATS
    from marsad.store.units import UnitKind

    p = sub.add_parser("search", help="search titles, paragraphs, comments and quotes")
    p.add_argument("query", help="words to find, in any spelling (all must match)")
    add_filter_options(p)
    p.add_argument("--kind", choices=[str(k) for k in UnitKind], help="only this kind of text")
    p.add_argument("--limit", type=int, default=20, help="how many hits (default 20)")
    p.add_argument("--offset", type=int, default=0, help="skip this many hits first")
    p.add_argument("--json", action="store_true", help="one JSON object per hit")
    p.add_argument("--plain", action="store_true", help="mark matches with «[ ]», no colour")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("export", help="export pages, comments, quotes, entities, decisions")
    add_filter_options(p)
    p.add_argument("--format", choices=FORMATS, default="jsonl", help="default jsonl")
    p.add_argument("--out", required=True, metavar="FOLDER", help="one file per table in it")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marsad", description="Arabic news pages and their reader comments, as records."
    )
    parser.add_argument("--version", action="version", version=f"marsad {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def read_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--max-bytes", type=int, default=ReadLimits().max_bytes,
                       help="largest page to read, raw or decompressed (default 20 MB)")

    p = sub.add_parser("parse", help="parse pages and print their records as JSON")
    p.add_argument("inputs", nargs="+", metavar="FILE", help="files, folders, .gz, JSONL, WARC")
    p.add_argument("--jsonl", action="store_true", help="one JSON record per line")
    read_options(p)
    p.set_defaults(func=cmd_parse)

    def run_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--quiet", action="store_true", help="no progress bar")
        p.add_argument("--engine", choices=ENGINES, default="pool",
                       help="where the pipeline runs: a local process pool (default), Ray "
                            "(pip install 'marsad[ray]'), or in this process")
        p.add_argument("--workers", type=int, default=None,
                       help="worker processes (default: one per core)")
        p.add_argument("--address", default=None,
                       help="Ray cluster address (with --engine ray; default: a local Ray)")
        p.add_argument("--page-timeout", type=float, default=DEFAULT_PAGE_TIMEOUT_S,
                       help=f"seconds one page may take; 0 for no limit "
                            f"(default {DEFAULT_PAGE_TIMEOUT_S:g})")
        p.add_argument("--page-memory", type=int, default=DEFAULT_PAGE_MEMORY_MB,
                       help=f"MB a worker may grow by on one page; 0 for no limit "
                            f"(default {DEFAULT_PAGE_MEMORY_MB})")
        p.add_argument("--shard-size", type=int, default=SHARD_SIZE,
                       help=f"pages per shard, the unit committed and resumed "
                            f"(default {SHARD_SIZE})")
        p.add_argument("--fresh", action="store_true",
                       help="redo every shard, even those an earlier run finished")
        read_options(p)

    p = sub.add_parser("run", help="read, parse and store pages; print a summary")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="files, folders, .gz, JSONL, WARC")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file (default {DEFAULT_DB})")
    p.add_argument("--demo", action="store_true", help="add the bundled demo pages")
    run_options(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("demo", help="the quick start: store the bundled demo pages, then serve "
                                    "the review UI over them")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file (default {DEFAULT_DB})")
    p.add_argument("--no-serve", action="store_true", help="only build the demo store")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"default {DEFAULT_HOST} (this machine)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    run_options(p)
    p.set_defaults(func=cmd_demo, inputs=[], demo=True)

    p = sub.add_parser("cluster", help="cluster near-duplicate pages in a store; print a summary")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file or postgresql:// URL "
                   f"(default {DEFAULT_DB})")
    p.add_argument("--rebuild", action="store_true",
                   help="forget every cluster and cluster all pages again")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_cluster)

    p = sub.add_parser("reindex", help="store every page again from its record (after a "
                       "change to stemming or search units)")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file or postgresql:// URL "
                   f"(default {DEFAULT_DB})")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("moderate", help="a moderation verdict for a comment, or JSONL in/out")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("text", nargs="?", help="the comment text")
    group.add_argument("--jsonl", metavar="FILE", help='JSONL with "id" and "text"; - for stdin')
    p.set_defaults(func=cmd_moderate)

    p = sub.add_parser("eval", help="measure quality on annotated data")
    p.add_argument("what", choices=["extraction", "dialect", "moderation", "ner", "quotes"])
    p.add_argument("path", help="the annotated data")
    p.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    p.add_argument("--last-tenth", action="store_true",
                   help="ner: score only the last 10%% of the sentences (ANERcorp dev)")
    p.add_argument("--sentences", action="store_true",
                   help="dialect: label every row alone, not with its article's rows")
    p.set_defaults(func=cmd_eval)

    add_search_export_parsers(sub)
    add_report_parser(sub)  # marsad report (marsad.report)
    add_serve_parsers(sub)  # serve, user (marsad.serve.commands)
    add_feedback_parser(sub)  # marsad feedback export (marsad.store.feedback)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
