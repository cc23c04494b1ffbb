"""The review UI: server-rendered pages under ``/ui`` (Jinja2 templates, htmx, our JS).

Routes are thin, like the API's: they check the session (``ui_session``), call the same
library functions (``store.moderation``, ``store.search``, ``serve.export``), and render.
User text only ever reaches HTML through Jinja2's autoescaping; highlighted text is cut
into pieces in Python (``ui_render``) and each piece escaped by the template.

Pages: sign-in and sign-out, the queues (comment cards; htmx decisions and undo, keyboard
in ``static/ui.js``), an article as read, an author's record, search, and the audit log
with its CSV and JSONL exports.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from markupsafe import escape

from marsad.names import MODERATION_LABELS, HumanDecision, Queue
from marsad.read.page import clean_text
from marsad.serve import ui_session as sess
from marsad.serve.config import PAGE_SIZE_DEFAULT, REASON_MAX_CHARS
from marsad.serve.export import csv_lines, jsonl_lines
from marsad.serve.state import AppState, app_state
from marsad.serve.ui_render import Mark, Piece, evidence_marks, hit_marks, paragraph_pieces, pieces
from marsad.serve.ui_text import REJECT_REASONS, Labels
from marsad.store import moderation as mod
from marsad.store import users
from marsad.store.base import Store
from marsad.store.users import TokenInfo

HERE = Path(__file__).resolve().parent
STATIC_URL = "/ui/static"
AUDIT_PAGE = 100
SEARCH_PAGE = 20
AUTHOR_RECENT = 50
HUMAN_STATES = (mod.State.APPROVED.value, mod.State.REJECTED_BY_HUMAN.value)
# Our scripts and styles come from files; nothing inline, nothing from other hosts.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)

router = APIRouter(prefix="/ui", include_in_schema=False)


class SignInRequired(Exception):
    """No valid session: pages redirect to sign-in, htmx requests are told to."""


class CsrfFailed(Exception):
    pass


@functools.cache
def templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its name
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["u"] = lambda value: quote(str(value), safe="")
    env.globals["labels"] = MODERATION_LABELS
    env.globals["reject_reasons"] = REJECT_REASONS
    env.globals["static"] = STATIC_URL
    return env


# ---- the request's context ---------------------------------------------------------------


@dataclass
class Ctx:
    """What every template gets: labels, the moderator, their CSRF token, the lang link."""

    request: Request
    t: Labels
    who: TokenInfo | None
    csrf: str
    other_lang_url: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def state(self) -> AppState:
        return app_state(self.request)

    def store(self) -> Store:
        return self.state.store()


def _ctx(request: Request, who: TokenInfo | None, csrf_secret: str | None) -> Ctx:
    t = Labels(sess.language(request))
    other = "en" if t.lang == "ar" else "ar"
    url = request.url.remove_query_params("lang").include_query_params(lang=other)
    return Ctx(request, t, who, sess.csrf_for(csrf_secret) if csrf_secret else "",
               f"{url.path}?{url.query}")


def page_ctx(request: Request) -> Ctx:
    """A signed-in page's context (raises ``SignInRequired`` without a session)."""
    who = sess.signed_in(request)
    if who is None:
        raise SignInRequired
    return _ctx(request, who, sess.session_token(request))


Page = Annotated[Ctx, Depends(page_ctx)]


async def post_ctx(request: Request) -> tuple[Ctx, dict[str, str]]:
    """A signed-in form POST: the session, then its CSRF token, then the form."""
    form = await sess.read_form(request)
    ctx = page_ctx(request)
    if not sess.csrf_ok(sess.session_token(request), sess.sent_csrf(request, form)):
        raise CsrfFailed
    return ctx, form


Post = Annotated[tuple[Ctx, dict[str, str]], Depends(post_ctx)]


TEMPLATE_DEFAULTS: dict[str, Any] = {"queue": None, "counts": None, "oob": False,
                                     "anchors": False}


def render(ctx: Ctx, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    values = {**TEMPLATE_DEFAULTS, "back": ctx.request.url.path, **values}
    html = templates().get_template(name).render(
        t=ctx.t, who=ctx.who, csrf=ctx.csrf, other_lang_url=ctx.other_lang_url,
        path=ctx.request.url.path, **values)
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    lang = ctx.request.query_params.get("lang")
    if lang == ctx.t.lang:  # remember a switch
        sess.set_cookie(ctx.request, response, sess.LANG_COOKIE, lang,
                        sess.LANG_COOKIE_SECONDS)
    return response


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def safe_next(value: str | None) -> str:
    """Only our own pages: no scheme, no host, no ``//`` (an open redirect otherwise)."""
    if value and value.startswith("/ui/") and not value.startswith("//") \
            and "\\" not in value and all(ch.isprintable() for ch in value):
        return value
    return "/ui/queues/review"


def _clean(value: str | None) -> str | None:
    return clean_text(value) if value else None


# ---- comment cards -----------------------------------------------------------------------


@dataclass
class Chip:
    label: str
    score: float
    on: bool


@dataclass
class Card:
    view: mod.CommentView
    text: list[Piece]
    chips: list[Chip]
    reasons: list[str]
    hate_target: str | None
    author_comments: int = 0
    author_states: dict[str, int] = field(default_factory=dict)
    message: str = ""
    message_kind: str = ""  # ok | conflict | error
    done: bool = False  # decided in this view: the card left its queue

    @property
    def can_undo(self) -> bool:
        return self.view.state in HUMAN_STATES

    @property
    def default_reason(self) -> str:
        """The reject reason offered first: the strongest label the model raised."""
        verdict = self.view.verdict or {}
        on = [c for c in self.chips if c.on]
        if verdict.get("labels") and on:
            best = max(on, key=lambda c: c.score)
            if best.label in REJECT_REASONS:
                return best.label
        return REJECT_REASONS[0]


class Authors:
    """Authors' records for a page of cards, each read once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen: dict[str, mod.AuthorRecord] = {}

    def get(self, author: str) -> mod.AuthorRecord:
        if author not in self.seen:
            self.seen[author] = mod.author_record(self.store, author, limit=1)
        return self.seen[author]


def make_card(view: mod.CommentView, t: Labels, authors: Authors | None = None,
              **extra: Any) -> Card:
    verdict = view.verdict or {}
    scores, flags = verdict.get("scores") or {}, verdict.get("labels") or {}
    chips = [Chip(label, float(scores[label]), bool(flags.get(label)))
             for label in MODERATION_LABELS if label in scores]
    marks = evidence_marks(verdict, lambda label: t("l", label))
    card = Card(view, pieces(view.text, marks), chips,
                list(verdict.get("reasons") or []), verdict.get("hate_target"), **extra)
    if authors is not None and view.author:
        record = authors.get(view.author)
        card.author_comments, card.author_states = record.comments, record.by_state
    return card


# ---- sign-in -------------------------------------------------------------------------


@router.get("", include_in_schema=False)
@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    return RedirectResponse("/ui/queues/review", status_code=303)


@router.get("/signin")
def signin_page(request: Request, next: str | None = None) -> Response:
    if sess.signed_in(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _signin_form(request, next)


def _signin_form(request: Request, next: str | None, error: str = "", username: str = "",
                 status: int = 200) -> HTMLResponse:
    secret = sess.new_signin_secret()
    ctx = _ctx(request, None, secret)
    response = render(ctx, "signin.html", status=status, next=safe_next(next), error=error,
                      username=username)
    sess.set_cookie(request, response, sess.SIGNIN_COOKIE, secret, sess.SIGNIN_COOKIE_SECONDS)
    return response


@router.post("/signin")
async def signin(request: Request) -> Response:
    form = await sess.read_form(request)
    t = Labels(sess.language(request))
    next_url = safe_next(form.get("next"))
    if not sess.csrf_ok(request.cookies.get(sess.SIGNIN_COOKIE), form.get(sess.CSRF_FIELD)):
        return _signin_form(request, next_url, t.csrf_failed, status=403)
    state = app_state(request)
    name, password = form.get("username", "")[:200], form.get("password", "")
    ip = request.client.host if request.client else "unknown"

    def attempt() -> users.IssuedToken:
        return users.sign_in(state.store(), name, password, ip, state.config.session_ttl,
                             policy=state.config.throttle, now=state.config.clock())

    try:
        issued = await run_in_threadpool(attempt)  # scrypt: keep the event loop free
    except users.SignInThrottled as exc:
        refused = _signin_form(request, next_url,
                               t.signin_throttled.format(seconds=exc.retry_after), name, 429)
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    except users.SignInFailed:
        return _signin_form(request, next_url, t.signin_failed, name, 401)
    response = RedirectResponse(next_url, status_code=303)
    seconds = int(state.config.session_ttl.total_seconds())
    sess.set_cookie(request, response, sess.SESSION_COOKIE, issued.token, seconds)
    sess.clear_cookie(request, response, sess.SIGNIN_COOKIE)
    return response


@router.post("/signout")
def signout(post: Post) -> Response:
    ctx, _ = post
    if ctx.who is not None:
        users.revoke_token(ctx.store(), ctx.who.id)
    response = RedirectResponse("/ui/signin", status_code=303)
    sess.clear_cookie(ctx.request, response, sess.SESSION_COOKIE)
    return response


# ---- queues and decisions ------------------------------------------------------------


@router.get("/queues/{name}")
def queue_page(name: Queue, ctx: Page, offset: int = 0) -> HTMLResponse:
    store = ctx.store()
    offset = max(0, min(offset, 1_000_000))
    counts = mod.queue_counts(store)
    authors = Authors(store)
    cards = [make_card(v, ctx.t, authors) for v in
             mod.queue_items(store, name, limit=PAGE_SIZE_DEFAULT, offset=offset)]
    return render(ctx, "queue.html", queue=name.value, counts=counts, cards=cards,
                  offset=offset, page_size=PAGE_SIZE_DEFAULT, total=counts[name.value])


def _decision_answer(ctx: Ctx, form: dict[str, str], comment_id: str,
                     act: Callable[[], mod.AuditEntry], done_message: str) -> Response:
    store = ctx.store()
    queue = form.get("queue") or None
    status, message, kind = 200, done_message, "ok"
    try:
        entry = act()
        _notify(ctx.state, entry, mod.get_comment(store, comment_id))
    except mod.StateConflict:
        status, message, kind = 409, ctx.t.conflict, "conflict"
    except mod.NothingToUndo:
        status, message, kind = 409, ctx.t.nothing_to_undo, "conflict"
    except mod.CommentNotFound:
        status, message, kind = 404, ctx.t.gone, "error"
    if not is_htmx(ctx.request):  # a plain form post (no JavaScript): back to the list
        return RedirectResponse(safe_next(form.get("back")), status_code=303)
    view = mod.get_comment(store, comment_id)
    if view is None:
        return HTMLResponse(f'<p class="flash flash-error">{_escape(ctx.t.gone)}</p>',
                            status_code=404)
    done = queue is not None and view.state != queue
    card = make_card(view, ctx.t, Authors(store), message=message, message_kind=kind, done=done)
    counts = mod.queue_counts(store) if queue else None
    return render(ctx, "card_response.html", status=status, card=card, queue=queue,
                  counts=counts, back=safe_next(form.get("back")))


def _notify(state: AppState, entry: mod.AuditEntry, view: mod.CommentView | None) -> None:
    """Tell the site's CMS, as the API does for its decisions (the same event shape)."""
    state.notify({
        "event": "undo" if entry.action == mod.UNDO else "decision",
        "audit_id": entry.id, "comment_id": entry.comment_id,
        "site": view.site if view else None,
        "site_comment_id": view.site_comment_id if view else None, "action": entry.action,
        "from_state": entry.from_state, "to_state": entry.to_state,
        "moderator": entry.moderator, "decided_at": entry.decided_at, "reason": entry.reason,
    })


def _escape(text: str) -> str:
    return str(escape(text))


def _reason(form: dict[str, str], t: Labels) -> str | None:
    """A reason from the card: one of ours (stored in the moderator's language), or free
    text (the ``note`` field) after it."""
    code = form.get("reason", "")
    parts = [t("r", code)] if code in REJECT_REASONS else []
    note = (form.get("note") or "").strip()
    if note:
        parts.append(note)
    text = " — ".join(parts)[:REASON_MAX_CHARS]
    return clean_text(text) or None


@router.post("/decide")
def decide(post: Post) -> Response:
    ctx, form = post
    comment_id = _clean(form.get("comment_id")) or ""
    try:
        decision = HumanDecision(form.get("decision", ""))
    except ValueError:
        return HTMLResponse("unknown decision", status_code=422)
    expected = _clean(form.get("expected_state"))
    reason = _reason(form, ctx.t) if decision == HumanDecision.REJECT else None
    who = ctx.who
    assert who is not None
    state = ctx.state

    def act() -> mod.AuditEntry:
        return mod.decide(ctx.store(), comment_id, decision, who.user, expected_state=expected,
                          reason=reason, now=state.config.clock())

    return _decision_answer(ctx, form, comment_id, act, ctx.t.decided_now)


@router.post("/undo")
def undo(post: Post) -> Response:
    ctx, form = post
    comment_id = _clean(form.get("comment_id")) or ""
    expected = _clean(form.get("expected_state"))
    who = ctx.who
    assert who is not None
    state = ctx.state

    def act() -> mod.AuditEntry:
        return mod.undo(ctx.store(), comment_id, who.user, expected_state=expected,
                        now=state.config.clock())

    return _decision_answer(ctx, form, comment_id, act, ctx.t.undone_now)


# ---- article, author, search, audit --------------------------------------------------


def _quote_note(t: Labels, quote: Any) -> str:
    bits = []
    if quote.speaker is not None:
        bits.append(f"{t.speaker}: {quote.speaker.text}")
    elif quote.anonymous:
        bits.append(f"{t.speaker}: {t.anonymous}")
    if quote.via:
        bits.append(f"{t.via} {quote.via}")
    if quote.anonymous and quote.speaker is not None:
        bits.append(t.anonymous)
    return " · ".join(bits)


@router.get("/pages/{page_id:path}")
def article_page(page_id: str, ctx: Page) -> HTMLResponse:
    store = ctx.store()
    page = store.get_page(clean_text(page_id))
    if page is None:
        return render(ctx, "message.html", status=404, message=ctx.t.not_found)
    marks: list[Mark] = []
    for q in page.quotes:
        note = _quote_note(ctx.t, q)
        marks.append(Mark(q.content.start, q.content.end, "quote",
                          "anonymous" if q.anonymous else "named", note))
        if q.speaker is not None:
            marks.append(Mark(q.speaker.start, q.speaker.end, "speaker", "", note))
    for entity in page.entities:
        if entity.where == "article":
            marks.append(Mark(entity.start, entity.end, "entity", entity.type,
                              f"{ctx.t('e', entity.type)}: {entity.canonical}"))
    title_marks = [Mark(e.start, e.end, "entity", e.type, f"{ctx.t('e', e.type)}: {e.canonical}")
                   for e in page.entities if e.where == "title"]
    paragraphs = paragraph_pieces([p.text for p in page.paragraphs], marks)
    entities: dict[str, list[str]] = {}
    for entity in page.entities:
        names = entities.setdefault(entity.type, [])
        if entity.canonical not in names:
            names.append(entity.canonical)
    views = mod.get_comments(store, [c.id for c in page.comments])
    authors = Authors(store)
    cards = [make_card(views[c.id], ctx.t, authors) for c in page.comments if c.id in views]
    return render(ctx, "page.html", page=page, title=pieces(page.title or "", title_marks),
                  paragraphs=paragraphs, entities=entities, cards=cards,
                  quotes=[(q, _quote_note(ctx.t, q)) for q in page.quotes])


@router.get("/authors/{author:path}")
def author_page(author: str, ctx: Page) -> HTMLResponse:
    store = ctx.store()
    record = mod.author_record(store, clean_text(author), limit=AUTHOR_RECENT)
    authors = Authors(store)
    return render(ctx, "author.html", record=record,
                  cards=[make_card(v, ctx.t, authors) for v in record.recent])


SEARCH_FIELDS = ("site", "date_from", "date_to", "decision", "dialect", "kind", "entity",
                 "speaker")


@router.get("/search")
def search_page(ctx: Page, q: str = "", offset: int = 0) -> HTMLResponse:
    from marsad.store.filters import DECISIONS, Filters
    from marsad.store.search import search
    from marsad.store.units import UnitKind

    params = ctx.request.query_params
    chosen = {k: (_clean(params.get(k, "")[:200]) or None) for k in SEARCH_FIELDS}
    offset = max(0, min(offset, 10_000))
    hits, error = [], ""
    query = clean_text(q[:500]).strip()
    if query:
        try:
            found = search(ctx.store(), query, Filters(**chosen), SEARCH_PAGE, offset)
        except ValueError as exc:
            error = str(exc)
        else:
            hits = [(h, pieces(h.snippet, hit_marks(h.highlights))) for h in found]
    from marsad.names import Dialect

    return render(ctx, "search.html", q=query, chosen=chosen, hits=hits, error=error,
                  offset=offset, page_size=SEARCH_PAGE, decisions=DECISIONS,
                  request_query=ctx.request.url.include_query_params(
                      offset=offset + SEARCH_PAGE).query,
                  dialects=[str(d) for d in Dialect], kinds=[str(k) for k in UnitKind])


@router.get("/audit")
def audit_page(ctx: Page, offset: int = 0, moderator: str | None = None) -> HTMLResponse:
    store = ctx.store()
    offset = max(0, min(offset, 1_000_000))
    who = _clean(moderator[:64]) if moderator else None
    entries = mod.audit_log(store, limit=AUDIT_PAGE, offset=offset, moderator=who)
    comments = mod.get_comments(store, sorted({e.comment_id for e in entries}))
    return render(ctx, "audit.html", entries=entries, comments=comments, offset=offset,
                  page_size=AUDIT_PAGE, moderator=who or "")


@router.get("/audit.csv")
def audit_csv(ctx: Page) -> StreamingResponse:
    entries = list(mod.iter_audit(ctx.store()))  # read in this thread: its connection
    return StreamingResponse(csv_lines(entries), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="audit.csv"'})


@router.get("/audit.jsonl")
def audit_jsonl(ctx: Page) -> StreamingResponse:
    entries = list(mod.iter_audit(ctx.store()))
    return StreamingResponse(jsonl_lines(entries), media_type="application/x-ndjson",
                             headers={"Content-Disposition":
                                      'attachment; filename="audit.jsonl"'})


@router.get("/report")
def report_page(ctx: Page, site: str | None = None, date_from: str | None = None,
                date_to: str | None = None) -> HTMLResponse:
    """The corpus report (``marsad report``) for this store, as a page of its own: it brings
    its own Content-Security-Policy (inline scripts allowed by hash, no network)."""
    from marsad.report import build_report
    from marsad.report.html import page_policy
    from marsad.store.filters import Filters

    try:
        filters = Filters(site=_clean(site), date_from=_clean(date_from),
                          date_to=_clean(date_to))
    except ValueError as err:
        return HTMLResponse(f"<p>{_escape(str(err))}</p>", status_code=422)
    return HTMLResponse(build_report(ctx.store(), filters),
                        headers={"Content-Security-Policy": page_policy()})


# ---- wiring --------------------------------------------------------------------------


def install(app: FastAPI) -> None:
    """Mount the UI, its static files, its redirects and its security headers."""
    app.include_router(router)
    app.mount(STATIC_URL, StaticFiles(directory=HERE / "static"), name="ui-static")

    @app.exception_handler(SignInRequired)
    async def to_signin(request: Request, _: SignInRequired) -> Response:
        target = "/ui/signin?next=" + quote(request.url.path, safe="/")
        if is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _: CsrfFailed) -> Response:
        t = Labels(sess.language(request))
        return HTMLResponse(f"<p>{_escape(t.csrf_failed)}</p>", status_code=403)

    @app.middleware("http")
    async def ui_headers(request: Request,
                        call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        if request.url.path.startswith("/ui"):  # a page with its own policy keeps it
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

