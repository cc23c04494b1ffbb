"""Annotated JSONL files, read one way for every evaluation: blank lines skipped, a line that
is not a JSON object raises ValueError naming the file and line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def json_objects(path: str | Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(``path:line``, object) for each non-blank line of ``path``."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{where}: not JSON ({err}); give one object per line") from err
            if not isinstance(row, dict):
                raise ValueError(f"{where}: not a JSON object; give one object per line")
            yield where, row
