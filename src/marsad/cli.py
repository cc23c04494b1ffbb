"""The ``marsad`` command. Every sub-command calls the same library functions as the API."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from marsad import __version__
from marsad.read import ReadLimits
from marsad.run.runner import RunSummary

DEFAULT_DB = "marsad.db"
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
    summary = run_corpus(inputs, args.db, limits=_limits(args), progress=not args.quiet)
    print_summary(summary, args.db)
    if summary.interrupted:
        return 130
    return 0 if summary.readable else 1  # non-zero only when nothing at all could be read


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
    table.add_row("seconds", f"{summary.seconds:.1f}", "")
    table.add_row("pages / second", f"{rate:.1f}", "")
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


def cmd_eval(args: argparse.Namespace) -> int:
    if args.what == "extraction":
        from marsad.evaluate.extraction import evaluate_extraction, format_table

        folder = Path(args.path)
        if not (folder / "annotations.json").is_file():
            print(f"marsad eval extraction: {folder} has no annotations.json; give a folder "
                  "laid out like ../shared/data/extraction/comment_pages", file=sys.stderr)
            return 2
        result = evaluate_extraction(folder)
        if args.json:
            print(json.dumps({key: result[key] for key in EXTRACTION_FIGURES}))
        else:
            print(format_table(result))
        return 0
    if args.what == "moderation":
        from marsad.evaluate.moderation import evaluate_moderation
        from marsad.evaluate.moderation import format_table as moderation_table

        if not Path(args.path).is_file():
            print(f"marsad eval moderation: {args.path} is not a file; give a JSONL file in "
                  "the shared moderation format", file=sys.stderr)
            return 2
        try:
            result = evaluate_moderation(args.path)
        except ValueError as err:
            print(f"marsad eval moderation: {err}", file=sys.stderr)
            return 2
        print(json.dumps(result) if args.json else moderation_table(result))
        return 0
    if args.what == "dialect":
        from marsad.evaluate.dialect import evaluate_dialect
        from marsad.evaluate.dialect import format_table as dialect_table

        if not Path(args.path).is_file():
            print(f"marsad eval dialect: {args.path} is not a file; give a JSONL file with "
                  '"text" and "dialect" fields', file=sys.stderr)
            return 2
        try:
            result = evaluate_dialect(args.path)
        except ValueError as err:  # the message names the file, the line and the fix
            print(f"marsad eval dialect: {err}", file=sys.stderr)
            return 2
        print(json.dumps(result) if args.json else dialect_table(result))
        return 0
    print(f"marsad eval: unknown evaluation {args.what!r}", file=sys.stderr)
    return 2


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

    p = sub.add_parser("run", help="read, parse and store pages; print a summary")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="files, folders, .gz, JSONL, WARC")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file (default {DEFAULT_DB})")
    p.add_argument("--demo", action="store_true", help="add the bundled demo pages")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    read_options(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("moderate", help="a moderation verdict for a comment, or JSONL in/out")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("text", nargs="?", help="the comment text")
    group.add_argument("--jsonl", metavar="FILE", help='JSONL with "id" and "text"; - for stdin')
    p.set_defaults(func=cmd_moderate)

    p = sub.add_parser("eval", help="measure quality on annotated data")
    p.add_argument("what", choices=["extraction", "dialect", "moderation"])
    p.add_argument("path", help="the annotated data")
    p.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
