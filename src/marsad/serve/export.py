"""The audit log as CSV or JSONL, safe to open in a spreadsheet.

User text reaches these cells (a moderator's reason, a site's comment id, a user name). A
spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab
or a carriage return) as a formula — CSV formula injection — so such a cell is written
with a leading ``'``, which spreadsheets show as text. JSONL is for programs and keeps
values as they are.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, fields
from typing import Any

from marsad.store.moderation import AuditEntry

# Full-width forms too: some spreadsheets fold them to ASCII before parsing.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
AUDIT_COLUMNS = tuple(f.name for f in fields(AuditEntry))


def safe_cell(value: Any) -> str:
    """A value as a CSV cell that no spreadsheet evaluates."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    """The header, then one CSV line per entry (streamable)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(AUDIT_COLUMNS)
    yield flush()
    for entry in entries:
        row = asdict(entry)
        writer.writerow([safe_cell(row[c]) for c in AUDIT_COLUMNS])
        yield flush()


def jsonl_lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    for entry in entries:
        yield json.dumps(asdict(entry), ensure_ascii=False) + "\n"
