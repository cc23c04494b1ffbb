"""Versioned schema migrations: ``NNNN_name.sql`` files per database, applied in order."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations_for(dialect: str) -> list[Migration]:
    folder = files("marsad.store.migrations") / dialect
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql") and entry.name[:4].isdigit():
            found.append(Migration(int(entry.name[:4]), entry.name[5:-4], entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)
