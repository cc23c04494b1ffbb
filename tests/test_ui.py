"""The review UI through a test client: sign-in and sessions, every page, CSRF, escaping
and bidi isolation of hostile text, decisions and undo through the UI's own routes.

The store holds tests/test_api_state.py's ``moderated_page`` (one comment per model
decision) and a hostile page written here: markup in a comment, a title and a reason, and
U+202E (right-to-left override) in an author's name.
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
from urllib.parse import quote

import pytest

from marsad.record import Comment, Entity, Evidence, Page, Paragraph, Quote, Sourcing, Span, Verdict
from marsad.serve.app import create_app
from marsad.serve.config import ServeConfig
from marsad.serve.ui import CONTENT_SECURITY_POLICY
from marsad.store import moderation as mod
from marsad.store import users
from marsad.store.base import open_store
from marsad.store.users import ThrottlePolicy
from tests.test_api_state import moderated_page

with warnings.catch_warnings():  # starlette's TestClient would like httpx2; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "a long password"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
RLO = "\u202e"
SPOOF_AUTHOR = f"علي{RLO}gpj.exe"
HOSTILE_TEXT = f"{SCRIPT} كلام {IMG} قبيح"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def hostile_page() -> Page:
    """Our own page: markup where text should be, and a name that flips direction."""
    paragraphs = ["قال مسؤول لرويترز إن الوضع صعب.", f"وأضاف {IMG} في المدينة."]
    article = "\n".join(paragraphs)
    start = article.index("الوضع صعب")
    return Page(
        id="h1", url="javascript:alert(1)", site="hostile.test", language="ar",
        title=f"عنوان {SCRIPT}",
        paragraphs=[Paragraph(p) for p in paragraphs],
        entities=[Entity("رويترز", "رويترز", "ORG", "article", 11, 17)],
        quotes=[Quote(speaker=Span("مسؤول", 4, 9), cue=Span("قال", 0, 3),
                      content=Span("الوضع صعب", start, start + 9), direct=False,
                      via="رويترز", anonymous=True)],
        sourcing=Sourcing(agencies=["رويترز"], named_speakers=0, anonymous_speakers=1,
                          quoted_share=0.3),
        comments=[
            Comment(id="h1:c1", index=1, text=HOSTILE_TEXT, author=SPOOF_AUTHOR,
                    verdict=Verdict(scores={"offensive": 0.7, "hate": 0.1, "vulgar": 0.6,
                                            "violence": 0.0},
                                    labels={"offensive": True, "vulgar": True},
                                    decision="review", reasons=[f"سبب {SCRIPT}"],
                                    evidence=[Evidence(0, len(SCRIPT), "offensive"),
                                              Evidence(len(HOSTILE_TEXT) - 4,
                                                       len(HOSTILE_TEXT), "vulgar")],
                                    model="test")),
        ],
    )


class Ui:
    def __init__(self, client: TestClient, db: str, clock: Clock) -> None:
        self.client, self.db, self.clock = client, db, clock
        self.csrf = ""

    def sign_in(self, name: str = "mona", password: str = PASSWORD) -> Any:
        form = self.client.get("/ui/signin")
        token = csrf_of(form.text)
        r = self.client.post("/ui/signin", data={"csrf": token, "username": name,
                                                 "password": password,
                                                 "next": "/ui/queues/review"},
                             follow_redirects=False)
        if r.status_code == 303:
            self.csrf = csrf_of(self.client.get("/ui/queues/review").text)
        return r

    def post(self, path: str, data: dict[str, str], htmx: bool = True,
             csrf: str | None = None) -> Any:
        headers = {"HX-Request": "true"} if htmx else {}
        body = {**data, "csrf": self.csrf if csrf is None else csrf}
        return self.client.post(path, data=body, headers=headers, follow_redirects=False)

    def decide(self, comment_id: str, decision: str, expected: str, **kw: Any) -> Any:
        return self.post("/ui/decide", {"comment_id": comment_id, "decision": decision,
                                        "expected_state": expected, "reason": "offensive",
                                        "queue": expected, "back": "/ui/queues/review"}, **kw)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def make_ui(tmp_path: Path, base_url: str = "http://testserver", **settings: Any) -> Iterator[Ui]:
    db = str(tmp_path / "ui.db")
    clock = Clock()
    app = create_app(ServeConfig(db=db, clock=clock, **settings))
    with open_store(db) as store:
        store.upsert_pages([moderated_page(), hostile_page()])
        users.add_user(store, "mona", "moderator", PASSWORD)
        users.add_user(store, "sami", "moderator", PASSWORD)
    with TestClient(app, base_url=base_url) as client:
        yield Ui(client, db, clock)


@pytest.fixture
def ui(tmp_path: Path) -> Iterator[Ui]:
    yield from make_ui(tmp_path)


@pytest.fixture
def signed(ui: Ui) -> Ui:
    assert ui.sign_in().status_code == 303
    return ui


PAGES = ["/ui/queues/review", "/ui/queues/rejected_by_human", "/ui/pages/h1",
         "/ui/authors/" + quote("أبو علي"), "/ui/search?q=" + quote("تعليق"), "/ui/audit",
         "/ui/audit.csv", "/ui/audit.jsonl"]


# ---- sign-in, sessions -----------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_signed_out_pages_redirect_to_sign_in(ui: Ui, path: str) -> None:
    r = ui.client.get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/ui/signin?next=/ui/")


def test_signed_out_htmx_requests_are_told_to_sign_in(ui: Ui) -> None:
    r = ui.client.post("/ui/decide", data={"comment_id": "p1:review"},
                       headers={"HX-Request": "true"}, follow_redirects=False)
    assert r.status_code == 401 and r.headers["hx-redirect"].startswith("/ui/signin")


def test_sign_in_sets_a_safe_expiring_session_cookie(ui: Ui) -> None:
    r = ui.sign_in()
    assert r.status_code == 303 and r.headers["location"] == "/ui/queues/review"
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("marsad_session="))
    attrs = {a.strip().split("=")[0].lower() for a in cookie.split(";")}
    assert {"httponly", "max-age", "path"} <= attrs and "secure" not in attrs
    assert "samesite=lax" in cookie.lower()
    assert "Max-Age=28800" in cookie  # the server's session length (8 hours)
    page = ui.client.get("/ui/queues/review")
    assert page.status_code == 200 and "mona" in page.text


def test_session_cookie_is_secure_over_https(tmp_path: Path) -> None:
    ui = next(make_ui(tmp_path, base_url="https://testserver"))
    cookie = next(c for c in ui.sign_in().headers.get_list("set-cookie")
                  if c.startswith("marsad_session="))
    assert "secure" in cookie.lower()


def test_wrong_password_is_refused_and_repeated_failures_are_throttled(tmp_path: Path) -> None:
    ui = next(make_ui(tmp_path, throttle=ThrottlePolicy(max_failures=3)))
    r = ui.sign_in(password="not the password")
    assert r.status_code == 401 and "غير صحيحة" in r.text
    assert "marsad_session" not in r.headers.get("set-cookie", "")
    statuses = [ui.sign_in(password="wrong again").status_code for _ in range(2)]
    assert statuses[-1] == 429
    r = ui.sign_in()  # the right password, but locked out
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


def test_sign_in_form_needs_its_csrf_value(ui: Ui) -> None:
    ui.client.get("/ui/signin")
    r = ui.client.post("/ui/signin", data={"username": "mona", "password": PASSWORD},
                       follow_redirects=False)
    assert r.status_code == 403 and "marsad_session" not in r.headers.get("set-cookie", "")


def test_sessions_expire_and_sign_out_revokes(signed: Ui) -> None:
    assert signed.client.get("/ui/audit").status_code == 200
    signed.clock.now += timedelta(hours=9)  # past the 8-hour session
    assert signed.client.get("/ui/audit", follow_redirects=False).status_code == 303
    signed.clock.now -= timedelta(hours=9)
    cookie = signed.client.cookies.get("marsad_session")
    r = signed.post("/ui/signout", {}, htmx=False)
    assert r.status_code == 303 and r.headers["location"] == "/ui/signin"
    signed.client.cookies.set("marsad_session", cookie or "", path="/ui")  # replaying it
    assert signed.client.get("/ui/audit", follow_redirects=False).status_code == 303


def test_sign_in_never_redirects_off_site(ui: Ui) -> None:
    for target in ("//evil.test/x", "https://evil.test/", "/\\evil.test", "/v1/queues"):
        ui.client.cookies.clear()
        form = ui.client.get("/ui/signin")
        r = ui.client.post("/ui/signin", data={"csrf": csrf_of(form.text), "username": "mona",
                                               "password": PASSWORD, "next": target},
                           follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/ui/queues/review", target


# ---- pages ---------------------------------------------------------------------------


def test_every_page_renders_with_csp_and_no_inline_script(signed: Ui) -> None:
    for path in PAGES[:6]:
        r = signed.client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "'unsafe-inline'" not in r.headers["content-security-policy"]
        scripts = re.findall(r"<script\b[^>]*>", r.text)
        assert scripts and all('src="/ui/static/' in s for s in scripts), path
        assert not re.search(r"<script\b[^>]*>(?!</script>)", r.text), f"inline script in {path}"
        assert not re.search(r"<[^>]*\son[a-z]+=", r.text), f"inline handler in {path}"
        assert " style=" not in r.text, f"inline style in {path}"


def test_arabic_first_with_an_english_switch(signed: Ui) -> None:
    page = signed.client.get("/ui/queues/review").text
    assert '<html lang="ar" dir="rtl">' in page and "للمراجعة" in page
    r = signed.client.get("/ui/queues/review?lang=en")
    assert '<html lang="en" dir="ltr">' in r.text and "Review" in r.text
    assert "marsad_lang=en" in r.headers["set-cookie"]
    assert '<html lang="en" dir="ltr">' in signed.client.get("/ui/audit").text  # remembered


def test_queue_page_shows_counts_cards_chips_evidence_and_author_record(signed: Ui) -> None:
    html = signed.client.get("/ui/queues/review").text
    with open_store(signed.db) as store:
        counts = mod.queue_counts(store)
    tab = re.search(r'data-queue="review"[^>]*>[^<]*<span class="count">(\d+)</span>', html)
    assert tab and int(tab.group(1)) == counts["review"] == 2
    ids = re.findall(r'<article class="card[^"]*" data-comment-id="([^"]+)"', html)
    assert sorted(ids) == ["h1:c1", "p1:review"]
    card = html[html.index('data-comment-id="h1:c1"'):]
    card = card[:card.index("</article>")]
    assert 'chip chip-offensive chip-on">مسيء 70%' in card
    assert 'chip chip-hate">' in card  # shown, not raised
    marks = re.findall(r'<mark class="m-evidence[^"]*"[^>]*>([^<]*)</mark>', card)
    assert marks == ["&lt;script&gt;alert(1)&lt;/script&gt;", "قبيح"]
    assert "1 تعليقات" in card  # the author's record
    assert f'href="/ui/authors/{quote(SPOOF_AUTHOR, safe="")}"' in card
    assert 'href="/ui/pages/h1#c-1"' in card


@pytest.mark.parametrize("path", ["/ui/queues/review", "/ui/pages/h1",
                                  "/ui/authors/" + quote(SPOOF_AUTHOR),
                                  "/ui/search?q=" + quote("كلام")])
def test_hostile_text_is_escaped_everywhere(signed: Ui, path: str) -> None:
    html = signed.client.get(path).text
    assert "كلام" in html, path  # the comment is on the page…
    assert SCRIPT not in html and "<img src=x" not in html  # …as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html


def test_a_right_to_left_override_stays_inside_its_isolate(signed: Ui) -> None:
    for path in ("/ui/queues/review", "/ui/pages/h1"):
        html = signed.client.get(path).text
        for at in [m.start() for m in re.finditer(RLO, html)]:
            opened = max(html.rfind("<bdi>", 0, at), html.rfind('dir="auto"', 0, at))
            closed = max(html.rfind("</bdi>", 0, at), html.rfind("</p>", 0, at),
                         html.rfind("</li>", 0, at))
            assert opened > closed, f"U+202E outside an isolate in {path}: " \
                                    f"{html[max(0, at - 80):at + 20]!r}"
        assert f"<bdi>{SPOOF_AUTHOR}</bdi>" in html


def test_article_view_marks_quotes_by_speaker_and_outlet(signed: Ui) -> None:
    html = signed.client.get("/ui/pages/h1").text
    quote_mark = re.search(r'<mark class="m-quote m-quote-anonymous" title="([^"]+)"[^>]*>'
                           r"([^<]+)</mark>", html)
    assert quote_mark and quote_mark.group(2) == "الوضع صعب"
    assert "مسؤول" in quote_mark.group(1) and "رويترز" in quote_mark.group(1)
    assert "مجهول" in quote_mark.group(1)
    assert re.search(r'<mark class="m-speaker"[^>]*>مسؤول</mark>', html)
    assert re.search(r'<mark class="m-entity m-entity-ORG"[^>]*>رويترز</mark>', html)
    assert "متحدثون مجهولون</dt><dd>1</dd>" in html and "30%" in html
    assert 'id="c-1"' in html and "m-evidence" in html  # comments with their evidence
    assert signed.client.get("/ui/pages/nope").status_code == 404


def test_search_page_highlights_hits_and_keeps_filters(signed: Ui) -> None:
    html = signed.client.get("/ui/search", params={"q": "تعليق", "kind": "comment"}).text
    hits = re.findall(r'<mark class="m-hit"[^>]*>([^<]+)</mark>', html)
    assert hits and all("تعليق" in h for h in hits)
    assert '<option value="comment" selected>' in html
    bad = signed.client.get("/ui/search", params={"q": "تعليق", "date_from": "soon"})
    assert bad.status_code == 200 and "not an ISO date" in bad.text
    odd = signed.client.get("/ui/search", params={"q": SCRIPT})
    assert odd.status_code == 200 and SCRIPT not in odd.text


# ---- decisions -------------------------------------------------------------------------


def test_csrf_is_required_on_every_post(signed: Ui) -> None:
    for csrf in ("", "0" * 64, hashlib.sha256(b"guess").hexdigest()):
        r = signed.decide("p1:review", "reject", "review", csrf=csrf)
        assert r.status_code == 403, csrf
    r = signed.client.post("/ui/decide", json={"comment_id": "p1:review", "decision": "reject",
                                               "csrf": signed.csrf}, follow_redirects=False)
    assert r.status_code == 403  # JSON is not a form: no token read from it
    assert signed.post("/ui/signout", {}, csrf="nope").status_code == 403
    with open_store(signed.db) as store:
        assert mod.get_comment(store, "p1:review").state == "review"  # type: ignore[union-attr]


def test_csrf_token_belongs_to_its_session(ui: Ui) -> None:
    ui.sign_in("mona")
    mona_csrf = ui.csrf
    ui.client.cookies.clear()
    ui.sign_in("sami")
    assert ui.csrf != mona_csrf
    assert ui.decide("p1:review", "reject", "review", csrf=mona_csrf).status_code == 403
    assert ui.decide("p1:review", "reject", "review").status_code == 200


def test_reject_then_undo_through_the_ui(signed: Ui) -> None:
    r = signed.decide("p1:review", "reject", "review")
    assert r.status_code == 200
    assert 'data-comment-id="p1:review" data-state="rejected_by_human"' in r.text
    assert "card-done" in r.text and "f-undo" in r.text
    assert 'id="queue-tabs"' in r.text and 'hx-swap-oob="true"' in r.text
    assert re.search(r'data-queue="review"[^>]*>[^<]*<span class="count">1</span>', r.text)
    queue = signed.client.get("/ui/queues/review").text
    assert 'data-comment-id="p1:review"' not in queue
    audit = signed.client.get("/ui/audit").text
    row = re.search(r'<tr class="audit-row action-reject" data-comment-id="p1:review">(.*?)</tr>',
                    audit, re.S)
    assert row and "mona" in row.group(1) and "إساءة" in row.group(1)
    assert "للمراجعة" in row.group(1) and "رفضها مشرف" in row.group(1)

    r = signed.post("/ui/undo", {"comment_id": "p1:review",
                                 "expected_state": "rejected_by_human", "queue": "review"})
    assert r.status_code == 200 and 'data-state="review"' in r.text
    assert "card-done" not in r.text
    assert 'data-comment-id="p1:review"' in signed.client.get("/ui/queues/review").text
    with open_store(signed.db) as store:
        log = mod.audit_log(store)
    assert [e.action for e in log] == ["undo", "reject"]


def test_a_stale_decision_gets_409_and_the_current_card(signed: Ui) -> None:
    with open_store(signed.db) as store:
        mod.decide(store, "p1:review", "approve", "sami", expected_state="review")
    r = signed.decide("p1:review", "reject", "review")
    assert r.status_code == 409
    assert "قرّر مشرف آخر" in r.text and 'data-state="approved"' in r.text
    assert "sami" in r.text
    r = signed.post("/ui/undo", {"comment_id": "p1:publish", "expected_state": "published"})
    assert r.status_code == 409 and "لا قرار بشري" in r.text


def test_a_plain_form_post_redirects_back(signed: Ui) -> None:
    r = signed.decide("p1:review", "approve", "review", htmx=False)
    assert r.status_code == 303 and r.headers["location"] == "/ui/queues/review"
    with open_store(signed.db) as store:
        assert mod.get_comment(store, "p1:review").state == "approved"  # type: ignore[union-attr]


def test_audit_exports_are_safe_for_spreadsheets(signed: Ui) -> None:
    r = signed.post("/ui/decide", {"comment_id": "p1:review", "decision": "reject",
                                   "expected_state": "review", "reason": "not-a-reason",
                                   "note": "=HYPERLINK(\"http://evil.test\")"})
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(signed.client.get("/ui/audit.csv").text)))
    assert rows[0]["reason"].startswith("'=HYPERLINK")
    lines = signed.client.get("/ui/audit.jsonl").text.splitlines()
    assert json.loads(lines[0])["reason"].startswith("=HYPERLINK")


def test_static_files_and_the_vendored_htmx_match_its_readme(signed: Ui) -> None:
    js = signed.client.get("/ui/static/ui.js")
    assert js.status_code == 200 and "keydown" in js.text
    htmx = signed.client.get("/ui/static/vendor/htmx.min.js")
    readme = (Path(__file__).parents[1] / "src/marsad/serve/static/vendor/README.md").read_text()
    assert hashlib.sha256(htmx.content).hexdigest() in readme


def test_the_report_is_linked_and_served_with_its_own_policy(signed: Ui) -> None:
    from marsad.report.html import page_policy

    queue = signed.client.get("/ui/queues/review")
    assert 'href="/ui/report"' in queue.text
    r = signed.client.get("/ui/report")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == page_policy()
    assert "'unsafe-inline'" not in r.headers["content-security-policy"]
    assert "connect-src" not in r.headers["content-security-policy"]  # default-src 'none'
    assert '<html lang="ar" dir="rtl"' in r.text
    assert signed.client.get("/ui/report?date_from=yesterday").status_code == 422
    signed.client.cookies.clear()
    assert signed.client.get("/ui/report", follow_redirects=False).status_code == 303
