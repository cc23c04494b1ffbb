"""The FastAPI application: ``create_app(ServeConfig(db=…))``.

Layers, outermost first: security headers on every answer, the body-size limit (before any
route reads a body), then the routes (``api``) whose errors all take one JSON shape
(``errors``). OpenAPI is served at ``/openapi.json`` and browsable at ``/docs``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from marsad import __version__
from marsad.serve import api, errors, ui
from marsad.serve.bodylimit import BodyLimit
from marsad.serve.config import ServeConfig
from marsad.serve.state import AppState
from marsad.serve.webhook import WebhookNotifier

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",  # JSON is never sniffed into HTML
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def body_limits(config: ServeConfig) -> Callable[[str], int]:
    def limit_for(path: str) -> int:
        if path == "/v1/pages":
            return config.page_body_max
        if path == "/v1/moderate":
            return config.moderate_body_max
        return config.other_body_max

    return limit_for


def create_app(config: ServeConfig, notifier: WebhookNotifier | None = None) -> FastAPI:
    """The app for one store. ``notifier`` overrides the webhook made from the config."""
    if notifier is None and config.webhook_url:
        notifier = WebhookNotifier(config.webhook_url, config.webhook_secret)
    state = AppState(config, notifier)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(
        title="marsad",
        version=__version__,
        description="Moderation of Arabic news comments: verdicts, queues, decisions and "
        "their audit log. Every /v1 route but sign-in needs a bearer token.",
        lifespan=lifespan,
        # FastAPI's own pages load Swagger UI / ReDoc from a CDN (blank offline); /docs is
        # served below with the vendored copy (static/vendor/README.md).
        docs_url=None,
        redoc_url=None,
    )
    app.state.marsad = state
    errors.install(app)
    app.include_router(api.router)
    ui.install(app)  # the review web UI under /ui (templates, static files, CSP)

    @app.get("/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        """The OpenAPI description as Swagger UI, with nothing loaded from other hosts."""
        vendor = "/ui/static/vendor"
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title="marsad API",
            swagger_js_url=f"{vendor}/swagger-ui-bundle.js",
            swagger_css_url=f"{vendor}/swagger-ui.css",
            swagger_favicon_url="data:,",  # no icon rather than FastAPI's hosted one
        )

    @app.middleware("http")
    async def security_headers(request: Request,
                               call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.add_middleware(BodyLimit, limit_for=body_limits(config))
    return app
