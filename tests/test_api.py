"""The REST API, endpoint by endpoint: answers, auth failures, limits and error shapes.

A SQLite store in tmp_path; comments with known model decisions come from
tests/test_api_state.py's ``moderated_page`` so queue tests do not depend on the model.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from marsad.serve.app import create_app
from marsad.serve.config import ServeConfig
from marsad.store import users
from marsad.store.base import open_store
from marsad.store.users import ThrottlePolicy
from tests.pagegen import text_page
from tests.test_api_state import moderated_page

with warnings.catch_warnings():  # starlette's TestClient would like httpx2; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "a long password"


class Clock:
    """A clock the test moves (token expiry)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


class Api:
    def __init__(self, client: TestClient, db: str, clock: Clock, tokens: dict[str, str]):
        self.client, self.db, self.clock, self.tokens = client, db, clock, tokens

    def auth(self, who: str = "moderator") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, path: str, who: str = "moderator", **kw: Any) -> Any:
        return self.client.get(path, headers=self.auth(who), **kw)

    def post(self, path: str, who: str = "moderator", **kw: Any) -> Any:
        headers = {**self.auth(who), **kw.pop("headers", {})}
        return self.client.post(path, headers=headers, **kw)


def make_api(tmp_path: Path, **settings: Any) -> Iterator[Api]:
    db = str(tmp_path / "api.db")
    clock = Clock()
    notifier = settings.pop("notifier", None)
    app = create_app(ServeConfig(db=db, clock=clock, **settings), notifier=notifier)
    with open_store(db) as store:
        store.upsert_pages([moderated_page()])
        users.add_user(store, "root", "admin", PASSWORD)
        users.add_user(store, "mona", "moderator", PASSWORD)
        tokens = {
            "admin": users.issue_token(store, "root", timedelta(hours=1), now=clock()).token,
            "moderator": users.issue_token(store, "mona", timedelta(hours=1),
                                           now=clock()).token,
        }
    with TestClient(app) as client:
        yield Api(client, db, clock, tokens)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    yield from make_api(tmp_path)


def error_of(response: Any) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    return dict(body["error"])


# ---- service, errors, headers ----------------------------------------------------------


def test_healthz_is_public_json_with_safe_headers(api: Api) -> None:
    r = api.client.get("/healthz")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json()["status"] == "ok" and r.json()["schema_version"] >= 5
    assert r.headers["x-content-type-options"] == "nosniff"


def test_docs_page_loads_nothing_from_other_hosts(api: Api) -> None:
    page = api.client.get("/docs")
    assert page.status_code == 200 and "SwaggerUIBundle" in page.text
    sources = re.findall(r'(?:src|href)="([^"]*)"', page.text)
    assert sources and all(s.startswith(("/", "data:")) for s in sources), sources
    assert "cdn" not in page.text.lower() and "'/openapi.json'" in page.text
    readme = (Path(__file__).parents[1] / "src/marsad/serve/static/vendor/README.md").read_text()
    for source in sources:
        if source.startswith("/ui/static/vendor/"):
            served = api.client.get(source)
            assert served.status_code == 200
            assert hashlib.sha256(served.content).hexdigest() in readme
    assert api.client.get("/redoc").status_code == 404  # it would need a CDN


def test_openapi_lists_every_route(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    for path in ("/v1/moderate", "/v1/pages", "/v1/pages/{page_id}", "/v1/search",
                 "/v1/queues", "/v1/queues/{name}", "/v1/comments/{comment_id}/decision",
                 "/v1/comments/{comment_id}/undo", "/v1/authors/{author}", "/v1/audit",
                 "/v1/tokens", "/v1/users", "/healthz"):
        assert path in paths, path
    assert api.client.get("/docs").status_code == 200


def test_unknown_routes_and_methods_answer_the_json_error_shape(api: Api) -> None:
    assert error_of(api.get("/v1/nothing"))["code"] == "not_found"
    r = api.client.put("/v1/queues", headers=api.auth())
    assert r.status_code == 405 and error_of(r)["code"] == "method_not_allowed"


# ---- auth -------------------------------------------------------------------------------


@pytest.mark.parametrize("method,path", [
    ("get", "/v1/queues"), ("get", "/v1/queues/review"), ("get", "/v1/audit"),
    ("post", "/v1/moderate"), ("post", "/v1/pages"), ("get", "/v1/pages/p1"),
    ("post", "/v1/comments/p1:review/decision"), ("post", "/v1/comments/p1:review/undo"),
    ("get", "/v1/authors/x"), ("get", "/v1/search?q=x"), ("get", "/v1/users"),
])
def test_routes_need_a_token(api: Api, method: str, path: str) -> None:
    r = getattr(api.client, method)(path)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert error_of(r)["code"] == "unauthorized"
    r = getattr(api.client, method)(path, headers={"Authorization": "Bearer marsad_forged"})
    assert r.status_code == 401


def test_an_expired_token_is_refused(api: Api) -> None:
    assert api.get("/v1/queues").status_code == 200
    api.clock.now += timedelta(hours=1, seconds=1)
    r = api.get("/v1/queues")
    assert r.status_code == 401 and "expired" in error_of(r)["message"]


def test_user_admin_needs_the_admin_role(api: Api) -> None:
    r = api.get("/v1/users")
    assert r.status_code == 403 and "admin" in error_of(r)["message"]
    assert {u["name"] for u in api.get("/v1/users", who="admin").json()} == {"root", "mona"}


def test_sign_in_issues_an_expiring_token_and_sign_out_revokes_it(api: Api) -> None:
    r = api.client.post("/v1/tokens", json={"username": "mona", "password": PASSWORD})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    body = r.json()
    assert body["role"] == "moderator"
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=7) < expires - api.clock.now <= timedelta(hours=8)
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert api.client.get("/v1/tokens/current", headers=headers).json()["user"] == "mona"
    assert api.client.delete("/v1/tokens/current", headers=headers).status_code == 204
    assert api.client.get("/v1/queues", headers=headers).status_code == 401


def test_wrong_passwords_are_throttled_per_user_and_address(tmp_path: Path) -> None:
    policy = ThrottlePolicy(max_failures=3)
    for api in make_api(tmp_path, throttle=policy):
        wrong = {"username": "mona", "password": "not the password"}
        codes = [api.client.post("/v1/tokens", json=wrong).status_code for _ in range(3)]
        assert codes == [401, 401, 429]
        r = api.client.post("/v1/tokens", json={"username": "mona", "password": PASSWORD})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        assert error_of(r)["code"] == "too_many_failures"
        r = api.client.post("/v1/tokens", json={"username": "root", "password": PASSWORD})
        assert r.status_code == 200  # another user is not locked out


def test_admins_add_and_disable_users(api: Api) -> None:
    new = {"name": "omar", "role": "moderator", "password": PASSWORD}
    r = api.post("/v1/users", who="admin", json=new)
    assert r.status_code == 201 and r.json()["role"] == "moderator"
    assert error_of(api.post("/v1/users", who="admin", json=new))["code"] == "user_exists"
    weak = api.post("/v1/users", who="admin", json={**new, "name": "x", "password": "short"})
    assert weak.status_code == 422 and "at least" in error_of(weak)["message"]
    assert api.post("/v1/users", json={**new, "name": "y"}).status_code == 403
    r = api.client.post("/v1/tokens", json={"username": "omar", "password": PASSWORD})
    token = {"Authorization": f"Bearer {r.json()['token']}"}
    assert api.client.delete("/v1/users/omar", headers=api.auth("admin")).status_code == 204
    assert api.client.get("/v1/queues", headers=token).status_code == 401
    assert api.client.delete("/v1/users/omar", headers=api.auth("admin")).status_code == 404


# ---- POST /v1/moderate ------------------------------------------------------------------


def moderate_body(*comments: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"site": "news.test", "comments": list(comments), **extra}


def test_moderate_one_comment_or_a_batch(api: Api) -> None:
    one = api.post("/v1/moderate", json={"site": "news.test", "comment": {"text": "مقال جيد"}})
    assert one.status_code == 200
    (result,) = one.json()["results"]
    assert result["verdict"]["decision"] in ("publish", "review", "reject")
    assert set(result["verdict"]["scores"]) == {"offensive", "hate", "vulgar", "violence"}
    assert result["created"] is True and result["site_comment_id"] is None
    # without a site id, the id hashes the text: the same text again is the same comment
    again = api.post("/v1/moderate", json={"site": "news.test", "comment": {"text": "مقال جيد"}})
    assert again.json()["results"][0]["id"] == result["id"]
    batch = api.post("/v1/moderate", json=moderate_body(
        {"id": "a1", "text": "شكرا على التغطية"}, {"id": "a2", "text": "كلام صحيح"},
        article={"title": "عنوان", "text": "نص المقال", "url": "https://news.test/x"}))
    assert [r["site_comment_id"] for r in batch.json()["results"]] == ["a1", "a2"]
    assert [r["id"] for r in batch.json()["results"]] == ["stream:news.test:a1",
                                                          "stream:news.test:a2"]


def test_the_same_site_id_returns_the_stored_verdict_and_stores_once(api: Api) -> None:
    first = api.post("/v1/moderate", json=moderate_body({"id": "c7", "text": "تعليق أول"}))
    # the same id again, even with other text, and repeated inside one batch
    again = api.post("/v1/moderate", json=moderate_body(
        {"id": "c7", "text": "نص آخر تماما"}, {"id": "c7", "text": "نص آخر تماما"}))
    a, (b, c) = first.json()["results"][0], again.json()["results"]
    assert a["created"] and not b["created"] and not c["created"]
    assert a["verdict"] == b["verdict"] == c["verdict"] and a["id"] == b["id"]
    with open_store(api.db) as store:
        rows = store.conn.execute(  # type: ignore[attr-defined]
            "SELECT text FROM comments WHERE id = 'stream:news.test:c7'").fetchall()
    assert rows == [("تعليق أول",)]


def test_moderated_comments_that_need_a_human_join_the_queues(api: Api) -> None:
    results = api.post("/v1/moderate", json=moderate_body(
        *({"id": f"q{i}", "text": t} for i, t in enumerate(
            ["يا حمار يا كلب", "شكرا", "الله يلعنك يا حقير"])))).json()["results"]
    flagged = {r["id"] for r in results if r["state"] in ("review", "rejected")}
    queued = {i["id"] for q in ("review", "rejected")
              for i in api.get(f"/v1/queues/{q}").json()["items"]}
    assert flagged <= queued
    assert not ({r["id"] for r in results} - flagged) & queued


def test_moderate_needs_exactly_one_of_comment_and_comments(api: Api) -> None:
    for body in ({"site": "s"}, {"comment": {"text": "x"}, "comments": [{"text": "y"}]},
                 {"comments": []}):
        r = api.post("/v1/moderate", json=body)
        assert r.status_code == 422 and error_of(r)["code"] == "invalid_request"
    r = api.post("/v1/moderate", json={"comment": {"text": "x", "extra": 1}})
    assert r.status_code == 422 and "extra" in error_of(r)["message"]


def test_batch_and_comment_limits_are_named(tmp_path: Path) -> None:
    for api in make_api(tmp_path, batch_max=3, comment_text_max=100, moderate_body_max=4096):
        r = api.post("/v1/moderate", json=moderate_body(*({"text": "x"} for _ in range(4))))
        assert r.status_code == 422
        assert error_of(r)["code"] == "batch_too_long" and "at most 3" in error_of(r)["message"]
        r = api.post("/v1/moderate", json=moderate_body({"text": "ب" * 60}))
        assert r.status_code == 413 and error_of(r)["code"] == "comment_too_large"
        assert "100 bytes" in error_of(r)["message"]
        r = api.post("/v1/moderate", json=moderate_body({"text": "x" * 5000}))
        assert r.status_code == 413 and "4 KB" in error_of(r)["message"]


def test_a_chunked_body_is_cut_off_at_the_limit(tmp_path: Path) -> None:
    for api in make_api(tmp_path, moderate_body_max=1000):
        def chunks() -> Iterator[bytes]:
            for _ in range(100):
                yield b" " * 100

        r = api.post("/v1/moderate", content=chunks(),
                     headers={"content-type": "application/json"})
        assert r.status_code == 413 and error_of(r)["code"] == "too_large"


def test_control_characters_are_cleaned_and_lone_surrogates_refused(api: Api) -> None:
    body = '{"site": "s", "comment": {"id": "z\\u0000", "text": "نص هنا\\u0007"}}'
    r = api.post("/v1/moderate", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200
    assert r.json()["results"][0]["site_comment_id"] == "z"
    comment = api.get(f"/v1/comments/{r.json()['results'][0]['id']}").json()
    assert comment["text"] == "نص هنا"
    body = '{"site": "s", "comment": {"text": "\\ud800"}}'  # no database stores it
    r = api.post("/v1/moderate", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and "comment.text" in error_of(r)["message"]


# ---- pages and search -------------------------------------------------------------------


def test_post_a_page_then_get_and_search_it(api: Api) -> None:
    raw = text_page(3, comments=2).encode("utf-8")
    r = api.post("/v1/pages?url=https://news.test/p3&site=news.test", content=raw,
                 headers={"content-type": "text/plain; charset=utf-8"})
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["site"] == "news.test" and len(page["comments"]) == 2
    assert all(c["verdict"] for c in page["comments"])
    assert api.get(f"/v1/pages/{page['id']}").json() == page
    word = page["title"].split()[0]
    hits = api.get("/v1/search", params={"q": word}).json()["hits"]
    assert page["id"] in {h["page_id"] for h in hits}
    r = api.get("/v1/search", params={"q": word, "dialect": "klingon"})
    assert r.status_code == 422 and "dialect" in error_of(r)["message"]


def test_pages_refuse_what_cannot_be_read(tmp_path: Path) -> None:
    for api in make_api(tmp_path, page_body_max=2048):
        r = api.post("/v1/pages", content=b"\x00\x01\x02\x03" * 100,
                     headers={"content-type": "text/html"})
        assert r.status_code == 422 and error_of(r)["code"] == "unreadable_page"
        r = api.post("/v1/pages", content=b"x" * 3000, headers={"content-type": "text/html"})
        assert r.status_code == 413 and "2 KB" in error_of(r)["message"]
        assert api.get("/v1/pages/nope").status_code == 404
        r = api.post("/v1/pages?fetched_at=yesterday", content=b"text")
        assert r.status_code == 422 and "fetched_at" in error_of(r)["message"]


# ---- queues, decisions, undo, authors ---------------------------------------------------


def test_queue_counts_and_items(api: Api) -> None:
    counts = api.get("/v1/queues").json()["counts"]
    assert counts == {"review": 1, "rejected": 1, "approved": 0, "rejected_by_human": 0}
    page = api.get("/v1/queues/review").json()
    assert page["total"] == 1 and page["items"][0]["id"] == "p1:review"
    assert page["items"][0]["page_title"] == "عنوان"
    assert api.get("/v1/queues/review?limit=0").status_code == 422
    assert error_of(api.get("/v1/queues/nonsense"))["code"] == "invalid_request"


def test_decide_then_undo(api: Api) -> None:
    r = api.post("/v1/comments/p1:review/decision",
                 json={"decision": "reject", "expected_state": "review", "reason": "سب"})
    assert r.status_code == 200
    assert r.json()["comment"]["state"] == "rejected_by_human"
    assert r.json()["entry"]["moderator"] == "mona"
    assert api.get("/v1/queues").json()["counts"]["review"] == 0
    r = api.post("/v1/comments/p1:review/undo", json={"expected_state": "rejected_by_human"})
    assert r.status_code == 200 and r.json()["comment"]["state"] == "review"
    r = api.post("/v1/comments/p1:review/undo")
    assert r.status_code == 409 and error_of(r)["code"] == "nothing_to_undo"


def test_the_second_of_two_moderators_gets_409(api: Api) -> None:
    seen = api.get("/v1/comments/p1:reject").json()["state"]
    first = api.post("/v1/comments/p1:reject/decision",
                     json={"decision": "approve", "expected_state": seen})
    second = api.post("/v1/comments/p1:reject/decision", who="admin",
                      json={"decision": "reject", "expected_state": seen})
    assert first.status_code == 200 and second.status_code == 409
    assert error_of(second)["current_state"] == "approved"
    assert api.get("/v1/comments/p1:reject").json()["decided_by"] == "mona"


def test_deciding_unknown_comments_and_bad_decisions(api: Api) -> None:
    r = api.post("/v1/comments/nope/decision",
                 json={"decision": "approve", "expected_state": "review"})
    assert r.status_code == 404 and error_of(r)["code"] == "comment_not_found"
    r = api.post("/v1/comments/p1:review/decision",
                 json={"decision": "publish", "expected_state": "review"})
    assert r.status_code == 422
    r = api.post("/v1/comments/p1:review/decision", json={"decision": "approve"})
    assert r.status_code == 422 and "expected_state" in error_of(r)["message"]


def test_an_authors_record(api: Api) -> None:
    api.post("/v1/comments/p1:review/decision",
             json={"decision": "approve", "expected_state": "review"})
    record = api.get("/v1/authors/أبو علي").json()
    assert record["comments"] == 2
    assert record["by_state"] == {"approved": 1, "rejected": 1}
    assert [d["comment_id"] for d in record["decisions"]] == ["p1:review"]


# ---- audit log and its exports ----------------------------------------------------------

HOSTILE = ["=HYPERLINK(\"http://evil.test\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_audit_log_json_csv_jsonl(api: Api) -> None:
    for n, reason in enumerate(HOSTILE):
        decision = "approve" if n % 2 == 0 else "reject"
        cid = "p1:publish"
        seen = api.get(f"/v1/comments/{cid}").json()["state"]
        r = api.post(f"/v1/comments/{cid}/decision",
                     json={"decision": decision, "expected_state": seen, "reason": reason})
        assert r.status_code == 200
    page = api.get("/v1/audit?limit=2").json()
    assert len(page["items"]) == 2 and page["items"][0]["reason"] == HOSTILE[-1]

    r = api.get("/v1/audit?format=csv")
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["reason"] for row in rows] == ["'" + h for h in HOSTILE]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
               for row in rows for cell in row.values())

    r = api.get("/v1/audit?format=jsonl&moderator=mona")
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert [line["reason"] for line in lines] == HOSTILE  # JSONL keeps values as they are
    assert api.get("/v1/audit?format=xml").status_code == 422
