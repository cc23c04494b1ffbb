"""The decision webhook: sent after each decision and undo, retried, signed, never blocking."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from pathlib import Path

import httpx
import pytest

from marsad.serve.webhook import SIGNATURE_HEADER, WebhookNotifier
from tests.test_api import make_api

URL = "http://cms.test/hook"


class Receiver:
    """A mocked CMS endpoint: fails the first ``failures`` requests, then accepts."""

    def __init__(self, failures: int = 0, refuse: bool = False) -> None:
        self.failures, self.refuse = failures, refuse
        self.attempts = 0
        self.received: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self.refuse:
            raise httpx.ConnectError("connection refused", request=request)
        if self.attempts <= self.failures:
            return httpx.Response(503)
        self.received.append(request)
        return httpx.Response(204)


def notifier(receiver: Receiver, secret: str | None = None) -> WebhookNotifier:
    return WebhookNotifier(URL, secret, transport=httpx.MockTransport(receiver), backoff_s=0.01)


def test_each_decision_and_undo_is_posted(tmp_path: Path) -> None:
    receiver = Receiver()
    hook = notifier(receiver)
    for api in make_api(tmp_path, notifier=hook):
        api.post("/v1/comments/p1:review/decision",
                 json={"decision": "reject", "expected_state": "review", "reason": "سب"})
        api.post("/v1/comments/p1:review/undo")
        assert hook.drain()
    events = [json.loads(r.content) for r in receiver.received]
    assert [(e["event"], e["from_state"], e["to_state"]) for e in events] == [
        ("decision", "review", "rejected_by_human"), ("undo", "rejected_by_human", "review")]
    assert events[0]["comment_id"] == "p1:review" and events[0]["moderator"] == "mona"
    assert events[0]["reason"] == "سب" and events[1]["audit_id"] > events[0]["audit_id"]


def test_a_failing_receiver_is_retried_and_the_body_signed() -> None:
    receiver = Receiver(failures=2)
    hook = notifier(receiver, secret="s3cret")
    hook.notify({"event": "decision", "comment_id": "c1"})
    assert hook.drain()
    hook.close()
    assert receiver.attempts == 3 and hook.sent == 1
    (request,) = receiver.received
    expected = hmac.new(b"s3cret", request.content, hashlib.sha256).hexdigest()
    assert request.headers[SIGNATURE_HEADER] == f"sha256={expected}"


def test_an_unreachable_receiver_never_blocks_a_decision(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    receiver = Receiver(refuse=True)
    hook = notifier(receiver)
    with caplog.at_level(logging.WARNING, logger="marsad.serve.webhook"):
        for api in make_api(tmp_path, notifier=hook):
            r = api.post("/v1/comments/p1:review/decision",
                         json={"decision": "approve", "expected_state": "review"})
            assert r.status_code == 200
            assert api.get("/v1/comments/p1:review").json()["state"] == "approved"
            assert hook.drain()
    assert hook.failed == 1 and receiver.attempts == 3
    assert "not delivered after 3 attempts" in caplog.text
