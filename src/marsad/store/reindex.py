"""Store every page again from its record: ``marsad reindex``.

A stored page's table rows (search units and their terms, facets, comments, entities …)
are made from its record by ``rows.rows_for`` when the page is stored. When the code that
makes them changes — the stemmer, the search units, the facets — pages stored before the
change keep their old rows, and a query stemmed the new way misses them. Reindexing
stores each page again from its own record, in batches, through the store's ordinary
upsert: human decisions live in their own tables and stay, and so do clusters (a page's
signature is part of its record, so the clustering stage sees nothing changed).

Stream pages (``stream:SITE``, comments posted to the API one by one) are skipped: their
comments are rows, not part of a record, and have no search units.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from tqdm import tqdm

from marsad.record import Page
from marsad.store.base import Store
from marsad.store.sql import Db
from marsad.store.stream import STREAM_SOURCE

BATCH_PAGES = 200


@dataclass
class ReindexSummary:
    pages: int = 0
    seconds: float = 0.0


def reindex(store: Store, *, batch: int = BATCH_PAGES, progress: bool = True) -> ReindexSummary:
    """Store every page of ``store`` again from its record; one transaction per batch, so
    an interrupted reindex leaves every page either old or new, and can simply be rerun."""
    db = Db(store)
    began = time.perf_counter()
    summary = ReindexSummary()
    total = db.one("SELECT count(*) FROM pages WHERE source IS NULL OR source <> ?",
                   (STREAM_SOURCE,))
    last = ""
    with tqdm(total=int(total[0]) if total else 0, unit=" pages", desc="reindex",
              disable=not progress) as bar:
        while True:
            # Keyset pages by id, records read with them in one query: no cursor stays open
            # while the batch is written.
            rows = db.all(
                "SELECT id, record FROM pages WHERE id > ? AND (source IS NULL OR source <> ?) "
                "ORDER BY id LIMIT ?", (last, STREAM_SOURCE, batch))
            if not rows:
                break
            store.upsert_pages([Page.from_json(record) for _, record in rows])
            summary.pages += len(rows)
            bar.update(len(rows))
            last = rows[-1][0]
    summary.seconds = time.perf_counter() - began
    return summary
