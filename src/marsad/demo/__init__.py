"""The bundled demo pages: invented Arabic news pages with reader comments, for the quick start.

``marsad run --demo`` reads every file in ``PAGES_DIR``. ``manifest.json``, beside that
folder so that it is not read as a page, says per file what a correct reading gives
(title, comment count, declared count, replies) and which pages are syndicated copies of
each other; tests use it. See README.md here for what the pages contain.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PAGES_DIR = Path(__file__).resolve().parent / "pages"
MANIFEST_PATH = PAGES_DIR.parent / "manifest.json"

# Page files are HTML or plain-text exports.
PAGE_SUFFIXES = (".html", ".txt")


def page_paths() -> list[Path]:
    """The demo page files, in a stable (sorted) order."""
    return sorted(p for p in PAGES_DIR.iterdir() if p.suffix in PAGE_SUFFIXES and p.is_file())


def load_manifest() -> dict[str, dict[str, Any]]:
    """File name → what the page holds (see README.md for the fields)."""
    data: dict[str, dict[str, Any]] = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    return data
