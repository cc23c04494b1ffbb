"""The REST API's routes: thin wrappers over the library functions.

Each route checks the caller (``auth``), calls one library function (``store.moderation``,
``store.users``, ``serve.stream``, ``serve.pages``, ``store.search``) and shapes its
answer (``schemas``). The review UI calls the same functions, not these routes.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from marsad import __version__
from marsad.names import Dialect, Queue
from marsad.read.limits import format_size
from marsad.read.page import clean_text
from marsad.record import Page
from marsad.serve import auth, config, schemas
from marsad.serve.errors import ApiError
from marsad.serve.export import csv_lines, jsonl_lines
from marsad.serve.pages import UnreadablePage, process_page, store_page
from marsad.serve.schemas import ErrorBody
from marsad.serve.state import AppState, app_state
from marsad.serve.stream import Article, IncomingComment, moderate_stream
from marsad.store import moderation as mod
from marsad.store import users
from marsad.store.users import TokenInfo

router = APIRouter()

Moderator = Annotated[TokenInfo, Depends(auth.moderator)]
Admin = Annotated[TokenInfo, Depends(auth.admin)]
Limit = Annotated[int, Query(ge=1, le=config.PAGE_SIZE_MAX)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody} for code in codes}


AUTH_ERRORS = _errors(401, 403, 422)


def _clean(value: str) -> str:
    """A path or query value made safe for the database (no NUL, no lone surrogates)."""
    return clean_text(value)


# ---- service ---------------------------------------------------------------------------


@router.get("/healthz", response_model=schemas.Health, tags=["service"])
def healthz(request: Request) -> schemas.Health:
    """Is the server up and its store reachable (no token needed)."""
    store = app_state(request).store()
    return schemas.Health(status="ok", schema_version=store.schema_version(), version=__version__)


# ---- sign-in and users -----------------------------------------------------------------


@router.post("/v1/tokens", response_model=schemas.TokenOut, tags=["auth"],
             responses=_errors(401, 422, 429))
def sign_in(body: schemas.SignIn, request: Request, response: Response) -> schemas.TokenOut:
    """Sign in with a user name and password; returns a token that expires.

    Repeated failures for one user name from one address are throttled: after
    ``max_failures`` (5) within 15 minutes, that pair gets 429 with ``Retry-After``.
    """
    state = app_state(request)
    ttl = state.config.session_ttl
    if body.ttl_seconds is not None:
        ttl = min(ttl, timedelta(seconds=body.ttl_seconds))
    ip = request.client.host if request.client else "unknown"
    try:
        issued = users.sign_in(state.store(), body.username, body.password, ip, ttl,
                               policy=state.config.throttle, now=state.config.clock())
    except users.SignInThrottled as exc:
        raise ApiError(429, "too_many_failures", str(exc),
                       headers={"Retry-After": str(exc.retry_after)},
                       retry_after=exc.retry_after) from None
    except users.SignInFailed as exc:
        raise ApiError(401, "unauthorized", str(exc)) from None
    response.headers["Cache-Control"] = "no-store"
    return _token_out(issued)


def _token_out(issued: users.IssuedToken) -> schemas.TokenOut:
    info = issued.info
    return schemas.TokenOut(token=issued.token, token_id=info.id, user=info.user,
                            role=info.role, expires_at=info.expires_at)


@router.get("/v1/tokens/current", response_model=schemas.WhoAmI, tags=["auth"],
            responses=AUTH_ERRORS)
def whoami(who: Moderator) -> schemas.WhoAmI:
    return schemas.WhoAmI(user=who.user, role=who.role, token_id=who.id,
                          expires_at=who.expires_at)


@router.delete("/v1/tokens/current", status_code=204, tags=["auth"], responses=AUTH_ERRORS)
def sign_out(who: Moderator, request: Request) -> Response:
    """Revoke the token this request carries."""
    users.revoke_token(app_state(request).store(), who.id)
    return Response(status_code=204)


@router.get("/v1/users", response_model=list[schemas.UserOut], tags=["auth"],
            responses=AUTH_ERRORS)
def list_users(_: Admin, request: Request) -> list[schemas.UserOut]:
    return [schemas.UserOut(**asdict(u)) for u in users.list_users(app_state(request).store())]


@router.post("/v1/users", response_model=schemas.UserOut, status_code=201, tags=["auth"],
             responses=_errors(401, 403, 409, 422))
def add_user(body: schemas.UserIn, _: Admin, request: Request) -> schemas.UserOut:
    """Add a moderator or an admin (admins only)."""
    state = app_state(request)
    store = state.store()
    if users.get_user(store, body.name) is not None:
        raise ApiError(409, "user_exists", f"user {body.name!r} already exists")
    try:
        user = users.add_user(store, body.name, body.role, body.password,
                              now=state.config.clock())
    except users.UserError as exc:
        raise ApiError(422, "invalid_user", str(exc)) from None
    return schemas.UserOut(**asdict(user))


@router.delete("/v1/users/{name}", status_code=204, tags=["auth"],
               responses=_errors(401, 403, 404, 422))
def disable_user(name: str, _: Admin, request: Request) -> Response:
    """Disable a user and revoke their tokens; their decisions stay in the audit log."""
    state = app_state(request)
    try:
        users.disable_user(state.store(), _clean(name), now=state.config.clock())
    except users.UserError as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    return Response(status_code=204)


# ---- moderation of incoming comments and pages -----------------------------------------


@router.post("/v1/moderate", response_model=schemas.ModerateResponse, tags=["moderate"],
             responses=_errors(401, 403, 413, 422))
def moderate(body: schemas.ModerateRequest, _: Moderator,
             request: Request) -> schemas.ModerateResponse:
    """Verdicts for one comment or a batch, stored for the queues.

    Send the site's own comment ids: the same id returns the same stored verdict and
    stores nothing twice. Comments live under the site's stream page (``stream:SITE``).
    """
    state = app_state(request)
    cfg = state.config
    items = body.items()
    if len(items) > cfg.batch_max:
        raise ApiError(422, "batch_too_long", f"a batch holds at most {cfg.batch_max} "
                       f"comments; this one has {len(items)}: split it",
                       limit=cfg.batch_max)
    for n, item in enumerate(items, 1):
        size = len(item.text.encode("utf-8", "surrogatepass"))
        if size > cfg.comment_text_max:
            raise ApiError(413, "comment_too_large", f"comment {n} is {format_size(size)}; "
                           f"a comment may be at most {format_size(cfg.comment_text_max)}",
                           limit_bytes=cfg.comment_text_max)
    article = body.article
    results = moderate_stream(
        state.store(), body.site,
        [IncomingComment(i.text, i.id, i.author, i.posted_at, i.parent) for i in items],
        Article(article.title, article.text, article.url) if article else None,
        now=cfg.clock(),
    )
    return schemas.ModerateResponse(results=[
        schemas.ModerateResult(
            id=r.comment.id, site_comment_id=r.comment.site_comment_id, created=r.created,
            state=r.comment.state, dialect=r.comment.dialect,
            verdict=r.comment.verdict,  # type: ignore[arg-type]  # validated into Verdict
        )
        for r in results
    ])


PAGE_BODY = {
    "required": True,
    "content": {
        "text/html": {"schema": {"type": "string"}},
        "text/plain": {"schema": {"type": "string"}},
    },
}


@router.post("/v1/pages", response_model=Page, tags=["pages"],
             responses=_errors(401, 403, 413, 422), openapi_extra={"requestBody": PAGE_BODY})
async def post_page(request: Request, _: Moderator,
                    url: Annotated[str | None, Query(max_length=2000)] = None,
                    site: Annotated[str | None, Query(max_length=config.SITE_MAX_CHARS)] = None,
                    fetched_at: Annotated[str | None, Query(max_length=40)] = None) -> Any:
    """A page's raw HTML or text in the body → parsed, enriched, moderated and stored.

    The server never fetches ``url``: it only names the page (its id comes from it). A
    charset in Content-Type is weighed like an HTTP header's.
    """
    state = app_state(request)
    body = await request.body()
    charset = _charset(request.headers.get("content-type", ""))
    if fetched_at is not None:
        try:
            datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
        except ValueError:
            raise ApiError(422, "invalid_request", f"fetched_at {fetched_at!r}: not an ISO "
                           "8601 time; write it as 2024-03-05T10:30:00Z") from None

    def work() -> Page:
        try:
            page = process_page(body, url=_opt(url), site=_opt(site), fetched_at=fetched_at,
                                charset=charset, max_bytes=state.config.page_body_max)
        except UnreadablePage as exc:
            raise ApiError(422, "unreadable_page", str(exc), kind=exc.kind) from None
        store_page(state.store(), page)
        return page

    return await run_in_threadpool(work)


def _opt(value: str | None) -> str | None:
    return _clean(value) if value else None


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"').strip()[:40] or None
    return None


@router.get("/v1/pages/{page_id:path}", response_model=Page, tags=["pages"],
            responses=_errors(401, 403, 404, 422))
def get_page(page_id: str, _: Moderator, request: Request) -> Any:
    page = app_state(request).store().get_page(_clean(page_id))
    if page is None:
        raise ApiError(404, "not_found", f"no page {page_id!r} in the store")
    return page


# ---- search ------------------------------------------------------------------------------


class DecisionParam(StrEnum):
    """A comment's effective decision: the model's, or a human approval (a human rejection
    is ``reject``)."""

    PUBLISH = "publish"
    REVIEW = "review"
    REJECT = "reject"
    APPROVE = "approve"


class UnitKindParam(StrEnum):
    TITLE = "title"
    PARAGRAPH = "paragraph"
    COMMENT = "comment"
    QUOTE = "quote"


@router.get("/v1/search", tags=["search"], responses=_errors(401, 403, 422, 501))
def search(
    _: Moderator,
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Arabic words")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    site: Annotated[str | None, Query(max_length=config.SITE_MAX_CHARS)] = None,
    date_from: Annotated[str | None, Query(max_length=40)] = None,
    date_to: Annotated[str | None, Query(max_length=40)] = None,
    decision: DecisionParam | None = None,
    entity: Annotated[str | None, Query(max_length=200)] = None,
    speaker: Annotated[str | None, Query(max_length=200)] = None,
    dialect: Dialect | None = None,
    cluster: Annotated[str | None, Query(max_length=200)] = None,
    kind: UnitKindParam | None = None,
) -> dict[str, Any]:
    """Titles, paragraphs, comments and quotes matching every word of ``q``, best first."""
    try:
        from marsad.store.filters import Filters
        from marsad.store.search import search as run_search
    except ImportError:
        raise ApiError(501, "not_implemented", "search is not part of this build of "
                       "marsad yet") from None
    values = {"site": site, "date_from": date_from, "date_to": date_to,
              "decision": decision.value if decision else None, "entity": entity,
              "speaker": speaker, "dialect": dialect.value if dialect else None,
              "cluster": cluster, "kind": kind.value if kind else None}
    try:
        filters = Filters(**{k: _clean(v) if v is not None else None for k, v in values.items()})
        hits = run_search(app_state(request).store(), _clean(q), filters, limit, offset)
    except ValueError as exc:
        raise ApiError(422, "invalid_filter", str(exc)) from None
    return {"hits": [asdict(h) for h in hits], "offset": offset}


# ---- queues, decisions, authors, audit -------------------------------------------------


@router.get("/v1/queues", response_model=schemas.QueueCounts, tags=["queues"],
            responses=AUTH_ERRORS)
def queues(_: Moderator, request: Request) -> schemas.QueueCounts:
    """How many comments wait in each queue."""
    return schemas.QueueCounts(counts=mod.queue_counts(app_state(request).store()))


@router.get("/v1/queues/{name}", response_model=schemas.QueuePage, tags=["queues"],
            responses=_errors(401, 403, 404, 422))
def queue(name: Queue, _: Moderator, request: Request,
          limit: Limit = config.PAGE_SIZE_DEFAULT, offset: Offset = 0) -> schemas.QueuePage:
    """A queue's comments, oldest first, each with its verdict and the page it is on."""
    store = app_state(request).store()
    items = mod.queue_items(store, name, limit=limit, offset=offset)
    total = mod.queue_counts(store)[name.value]
    return schemas.QueuePage(queue=name.value, total=total, offset=offset,
                             items=[schemas.CommentOut.of(v) for v in items])


@router.get("/v1/comments/{comment_id:path}", response_model=schemas.CommentOut,
            tags=["queues"], responses=_errors(401, 403, 404, 422))
def get_comment(comment_id: str, _: Moderator, request: Request) -> schemas.CommentOut:
    view = mod.get_comment(app_state(request).store(), _clean(comment_id))
    if view is None:
        raise ApiError(404, "comment_not_found", f"comment {comment_id!r} is not in the store")
    return schemas.CommentOut.of(view)


def _decided(state: AppState, entry: mod.AuditEntry) -> schemas.DecisionOut:
    view = mod.get_comment(state.store(), entry.comment_id)
    if view is None:  # removed by a re-crawl between the decision and now
        raise ApiError(404, "comment_not_found", f"comment {entry.comment_id!r} is gone")
    state.notify({
        "event": "undo" if entry.action == mod.UNDO else "decision",
        "audit_id": entry.id, "comment_id": entry.comment_id, "site": view.site,
        "site_comment_id": view.site_comment_id, "action": entry.action,
        "from_state": entry.from_state, "to_state": entry.to_state,
        "moderator": entry.moderator, "decided_at": entry.decided_at, "reason": entry.reason,
    })
    return schemas.DecisionOut(entry=schemas.AuditEntryOut.of(entry),
                               comment=schemas.CommentOut.of(view))


@router.post("/v1/comments/{comment_id:path}/decision", response_model=schemas.DecisionOut,
             tags=["queues"], responses=_errors(401, 403, 404, 409, 422))
def decide(comment_id: str, body: schemas.DecisionIn, who: Moderator,
           request: Request) -> schemas.DecisionOut:
    """Approve or reject a comment. ``expected_state`` is the state you saw: if someone
    decided it since, the answer is 409 with the ``current_state``."""
    state = app_state(request)
    entry = mod.decide(state.store(), _clean(comment_id), body.decision, who.user,
                       expected_state=body.expected_state, reason=body.reason,
                       now=state.config.clock())
    return _decided(state, entry)


@router.post("/v1/comments/{comment_id:path}/undo", response_model=schemas.DecisionOut,
             tags=["queues"], responses=_errors(401, 403, 404, 409, 422))
def undo(comment_id: str, who: Moderator, request: Request,
         body: schemas.UndoIn | None = None) -> schemas.DecisionOut:
    """Undo the latest standing human decision: the comment goes back to the state before
    it (the previous human decision, else the model's)."""
    state = app_state(request)
    body = body or schemas.UndoIn(expected_state=None)
    entry = mod.undo(state.store(), _clean(comment_id), who.user,
                     expected_state=body.expected_state, reason=body.reason,
                     now=state.config.clock())
    return _decided(state, entry)


@router.get("/v1/authors/{author:path}", response_model=schemas.AuthorOut, tags=["queues"],
            responses=_errors(401, 403, 404, 422))
def author(author: str, _: Moderator, request: Request,
           limit: Limit = config.PAGE_SIZE_DEFAULT) -> schemas.AuthorOut:
    """An author's comments (newest first), how they were decided, and the decisions."""
    record = mod.author_record(app_state(request).store(), _clean(author), limit=limit)
    return schemas.AuthorOut(
        author=record.author, comments=record.comments, by_state=record.by_state,
        recent=[schemas.CommentOut.of(v) for v in record.recent],
        decisions=[schemas.AuditEntryOut.of(e) for e in record.decisions],
    )


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    JSONL = "jsonl"


AUDIT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}},
                      "application/x-ndjson": {"schema": {"type": "string"}}}},
    **AUTH_ERRORS,
}


@router.get("/v1/audit", response_model=schemas.AuditPage, tags=["audit"],
            responses=AUDIT_RESPONSES)
def audit(
    _: Moderator,
    request: Request,
    format: ExportFormat = ExportFormat.JSON,
    limit: Annotated[int, Query(ge=1, le=config.AUDIT_PAGE_MAX)] = 100,
    offset: Offset = 0,
    moderator: Annotated[str | None, Query(max_length=64)] = None,
    comment_id: Annotated[str | None, Query(max_length=500)] = None,
    since: Annotated[str | None, Query(max_length=40, description="ISO 8601 time")] = None,
) -> Any:
    """The audit log: who decided what, when, from which state to which, and why.

    ``format=json`` pages through it newest first; ``csv`` and ``jsonl`` export all of it
    (with the same filters) in the order it happened. CSV cells that a spreadsheet would
    run as a formula are written as text.
    """
    state = app_state(request)
    store = state.store()
    moderator, comment_id, since = _opt(moderator), _opt(comment_id), _opt(since)
    if format == ExportFormat.JSON:
        entries = mod.audit_log(store, limit=limit, offset=offset, moderator=moderator,
                                comment_id=comment_id, since=since)
        return schemas.AuditPage(offset=offset, items=[schemas.AuditEntryOut.of(e)
                                                       for e in entries])
    # Read the rows here, in this thread: the store connection belongs to it.
    entries = list(mod.iter_audit(store, moderator=moderator, comment_id=comment_id,
                                  since=since))
    if format == ExportFormat.CSV:
        return StreamingResponse(csv_lines(entries), media_type="text/csv; charset=utf-8",
                                 headers=_download("audit.csv"))
    return StreamingResponse(jsonl_lines(entries), media_type="application/x-ndjson",
                             headers=_download("audit.jsonl"))


def _download(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}
