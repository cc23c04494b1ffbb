"""Every error the API returns has one shape: ``{"error": {"code", "message", …}}``.

``code`` is short and stable (for programs), ``message`` says what was wrong and what to
do (for people). Library exceptions (moderation, users) are mapped here, once.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad.store.moderation import CommentNotFound, NothingToUndo, StateConflict

log = logging.getLogger("marsad.serve")

STATUS_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid_request", 429: "too_many_requests", 501: "not_implemented",
}


class ApiError(Exception):
    """Raise from a route to answer with an error (and optional extra fields, headers)."""

    def __init__(self, status: int, code: str, message: str, *,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers, self.extra = headers, extra


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, **extra}},
                        status_code=status, headers=headers)


def _location(loc: Any) -> str:
    return ".".join(str(part) for part in loc if part != "body") or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": _location(e.get("loc", ())), "problem": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        first = problems[0] if problems else {"where": "request", "problem": "invalid"}
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return error_response(422, "invalid_request",
                              f"{first['where']}: {first['problem']}{more}", details=problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = STATUS_CODES.get(exc.status_code, "error")
        return error_response(exc.status_code, code, str(exc.detail),
                              getattr(exc, "headers", None))

    @app.exception_handler(StateConflict)
    async def conflict(_: Request, exc: StateConflict) -> JSONResponse:
        return error_response(409, exc.code, str(exc), current_state=exc.current)

    @app.exception_handler(NothingToUndo)
    async def nothing(_: Request, exc: NothingToUndo) -> JSONResponse:
        return error_response(409, exc.code, str(exc))

    @app.exception_handler(CommentNotFound)
    async def missing(_: Request, exc: CommentNotFound) -> JSONResponse:
        return error_response(404, exc.code, str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return error_response(500, "internal_error",
                              "the server failed on this request; it is logged")
