"""Request body limits, enforced before any route reads the body.

A body that declares a larger Content-Length is refused at once; a chunked body is counted
as it arrives and refused as soon as it passes the limit, so an oversized request never
costs more memory than the limit itself. Refusals are 413 with the JSON error shape,
naming the limit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from marsad.read.limits import format_size

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]
ASGIApp = Callable[[Scope, Receive, Send], Any]


class BodyLimit:
    """ASGI middleware: ``limit_for(path)`` gives the largest body a path accepts."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, scope["path"], limit, declared)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refuse(send, scope["path"], limit, None)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:  # after the body, only a disconnect can come
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, path: str, limit: int, declared: int | None) -> None:
    size = f" ({format_size(declared)})" if declared is not None else ""
    body = json.dumps({"error": {
        "code": "too_large",
        "message": f"the request body{size} is larger than {format_size(limit)}, the limit "
                   f"for {path}; send less (split a batch, or trim the page)",
        "limit_bytes": limit,
    }}).encode("utf-8")
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"),
        (b"x-content-type-options", b"nosniff"),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"connection", b"close"),
    ]})
    await send({"type": "http.response.body", "body": body})
