"""The service's settings and limits, in one place (``marsad serve`` sets some of them).

Limits protect the server, not the client's convenience: every one of them is named in
the error a client gets when it is crossed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from marsad.store.users import ThrottlePolicy

KB = 1024
MB = 1024 * KB

PAGE_BODY_MAX = 2 * MB  # POST /v1/pages: one page's raw HTML or text
COMMENT_TEXT_MAX = 64 * KB  # one comment's text, UTF-8
BATCH_MAX = 1000  # comments in one POST /v1/moderate
# A full batch in JSON that escapes every Arabic letter (\uXXXX, 6 bytes) stays under this.
MODERATE_BODY_MAX = 8 * MB
OTHER_BODY_MAX = 64 * KB  # every other request body (decisions, sign-in, users)
ARTICLE_TEXT_MAX = 256 * KB  # the article context sent with comments
REASON_MAX_CHARS = 2000
SITE_MAX_CHARS = 200
SITE_ID_MAX_CHARS = 200

PAGE_SIZE_DEFAULT = 50  # items per page of a queue, a search, an author's record
PAGE_SIZE_MAX = 500
AUDIT_PAGE_MAX = 1000

SESSION_TTL = timedelta(hours=8)  # tokens from POST /v1/tokens (a moderator's shift)
SESSION_TTL_MAX = timedelta(days=30)
CLI_TOKEN_TTL = timedelta(days=90)  # tokens printed by `marsad user add` / `user token`

WEBHOOK_SECRET_ENV = "MARSAD_WEBHOOK_SECRET"  # a secret never goes on a command line
WEBHOOK_TIMEOUT_S = 5.0
WEBHOOK_ATTEMPTS = 3
WEBHOOK_BACKOFF_S = 0.5  # doubled after each failed attempt
WEBHOOK_QUEUE_MAX = 10_000  # decisions waiting to be sent; beyond it they are logged, dropped


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ServeConfig:
    """What one server runs with. ``clock`` is replaceable so tests can move time."""

    db: str
    session_ttl: timedelta = SESSION_TTL
    webhook_url: str | None = None
    webhook_secret: str | None = None  # signs webhook bodies (HMAC-SHA256) when set
    throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    page_body_max: int = PAGE_BODY_MAX
    moderate_body_max: int = MODERATE_BODY_MAX
    other_body_max: int = OTHER_BODY_MAX
    comment_text_max: int = COMMENT_TEXT_MAX
    batch_max: int = BATCH_MAX
    clock: Callable[[], datetime] = utc_now
