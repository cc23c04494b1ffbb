"""Telling the site's CMS of each decision: a JSON POST to a webhook, off the request path.

A decision is committed first, then its event is queued; one background thread sends the
queue in order, retrying a failed POST a few times with growing pauses (``config``). A
failure is logged, never raised: the moderator's decision stands whether or not the CMS
heard of it (the CMS can catch up from ``GET /v1/audit``). With a secret, each body is
signed: ``X-Marsad-Signature: sha256=<hex HMAC of the body>``.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import queue
import threading
import time
from typing import Any

import httpx

from marsad.serve import config

log = logging.getLogger("marsad.serve.webhook")
SIGNATURE_HEADER = "X-Marsad-Signature"
_STOP = object()


class WebhookNotifier:
    def __init__(self, url: str, secret: str | None = None,
                 transport: httpx.BaseTransport | None = None,
                 backoff_s: float = config.WEBHOOK_BACKOFF_S) -> None:
        self.url, self.secret, self.backoff_s = url, secret, backoff_s
        self.client = httpx.Client(timeout=config.WEBHOOK_TIMEOUT_S, transport=transport)
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=config.WEBHOOK_QUEUE_MAX)
        self.sent = 0
        self.failed = 0
        self.thread = threading.Thread(target=self._work, name="marsad-webhook", daemon=True)
        self.thread.start()

    def notify(self, event: dict[str, Any]) -> None:
        """Queue an event; never blocks and never raises."""
        try:
            self.queue.put_nowait(event)
        except queue.Full:
            self.failed += 1
            log.error("webhook %s: %d events waiting; dropped %s for comment %s",
                      self.url, self.queue.qsize(), event.get("event"), event.get("comment_id"))

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until every queued event was sent or given up on (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while self.queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self.queue.unfinished_tasks

    def close(self, timeout: float = 5.0) -> None:
        self.drain(timeout)
        with contextlib.suppress(queue.Full):
            self.queue.put_nowait(_STOP)
        self.thread.join(timeout)
        self.client.close()

    def _work(self) -> None:
        while True:
            event = self.queue.get()
            try:
                if event is _STOP:
                    return
                self._send(event)
            finally:
                self.queue.task_done()

    def _send(self, event: dict[str, Any]) -> None:
        body = json.dumps(event, ensure_ascii=False).encode("utf-8")
        headers = {"content-type": "application/json"}
        if self.secret:
            digest = hmac.new(self.secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
            headers[SIGNATURE_HEADER] = f"sha256={digest}"
        pause = self.backoff_s
        problem = ""
        for attempt in range(1, config.WEBHOOK_ATTEMPTS + 1):
            try:
                response = self.client.post(self.url, content=body, headers=headers)
                if response.status_code < 300:
                    self.sent += 1
                    return
                problem = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if attempt < config.WEBHOOK_ATTEMPTS:
                time.sleep(pause)
                pause *= 2
        self.failed += 1
        log.warning("webhook %s: %s for comment %s not delivered after %d attempts (%s)",
                    self.url, event.get("event"), event.get("comment_id"),
                    config.WEBHOOK_ATTEMPTS, problem)
