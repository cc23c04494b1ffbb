"""What a running server holds: its settings, its store connections and its webhook.

Each worker thread opens its own store connection, once, and keeps it (a SQLite
connection belongs to the thread that opened it; a PostgreSQL one is not safe to share
between threads either). The server migrates the store once at start, so these later
openings find it ready.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from fastapi import Request

from marsad.serve.config import ServeConfig
from marsad.serve.webhook import WebhookNotifier
from marsad.store.base import Store, open_store


class AppState:
    def __init__(self, config: ServeConfig, notifier: WebhookNotifier | None = None) -> None:
        self.config = config
        self.notifier = notifier
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Store] = []
        with open_store(config.db):  # migrate now, before any request thread opens it
            pass

    def store(self) -> Store:
        """This thread's store connection."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.config.db)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def notify(self, event: dict[str, Any]) -> None:
        if self.notifier is not None:
            self.notifier.notify(event)

    def close(self) -> None:
        if self.notifier is not None:
            self.notifier.close()
        with self._lock:
            opened, self._opened = self._opened, []
        for store in opened:
            # a SQLite connection refuses to close from another thread: GC closes it then
            with contextlib.suppress(Exception):
                store.close()


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.marsad
    return state
