"""Review-UI sessions: a sign-in token in a cookie, and the CSRF token that goes with it.

- The session cookie holds a token from ``store.users.sign_in`` (the same tokens the API
  takes, so expiry, revocation, roles and throttling are the store's): HttpOnly (no
  script reads it), SameSite=Lax (no cross-site POST carries it), Secure when the request
  came over https, and it expires with the token.
- CSRF: every form and htmx POST carries a per-session token (a hidden field, or the
  ``X-CSRF-Token`` header htmx sends). It is an HMAC of the session token, so the server
  keeps nothing, and a page on another site, which cannot read our cookie, cannot make
  it. Before sign-in there is no session yet: the sign-in form is protected by a random
  value in a short-lived cookie that the form must repeat (double submit).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import parse_qsl

from fastapi import Request, Response

from marsad.serve.state import app_state
from marsad.serve.ui_text import ARABIC, LANGUAGES
from marsad.store.users import ROLE_RANK, Role, TokenInfo, token_info

SESSION_COOKIE = "marsad_session"
SIGNIN_COOKIE = "marsad_signin"  # the pre-session CSRF value of the sign-in form
LANG_COOKIE = "marsad_lang"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SIGNIN_COOKIE_SECONDS = 30 * 60
LANG_COOKIE_SECONDS = 365 * 24 * 3600
FORM_TYPE = "application/x-www-form-urlencoded"


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str,
               max_age: int, path: str = "/ui") -> None:
    response.set_cookie(name, value, max_age=max_age, path=path, httponly=True,
                        samesite="lax", secure=is_https(request))


def clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(name, path="/ui", httponly=True, samesite="lax",
                           secure=is_https(request))


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def signed_in(request: Request) -> TokenInfo | None:
    """The moderator this request's session belongs to, or None (no session, expired,
    revoked, user disabled, or a role below moderator)."""
    token = session_token(request)
    if token is None:
        return None
    state = app_state(request)
    info = token_info(state.store(), token, now=state.config.clock())
    if info is None or ROLE_RANK[Role(info.role)] < ROLE_RANK[Role.MODERATOR]:
        return None
    return info


def csrf_for(secret: str) -> str:
    """The CSRF token that belongs with a session (or sign-in) secret."""
    return hmac.new(secret.encode("utf-8"), b"marsad-ui-csrf", hashlib.sha256).hexdigest()


def new_signin_secret() -> str:
    return secrets.token_urlsafe(24)


def csrf_ok(expected_secret: str | None, sent: str | None) -> bool:
    if not expected_secret or not sent:
        return False
    return hmac.compare_digest(csrf_for(expected_secret), sent)


async def read_form(request: Request) -> dict[str, str]:
    """An urlencoded form body (what a <form> and htmx send); the first value per key.
    Other content types give an empty form (so the CSRF check fails, 403)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        return {}
    body = (await request.body()).decode("utf-8", "replace")
    form: dict[str, str] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        form.setdefault(key, value.replace("\x00", ""))
    return form


def sent_csrf(request: Request, form: dict[str, str]) -> str | None:
    return form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)


def language(request: Request) -> str:
    """``?lang=`` wins (and is remembered by the route), then the cookie, then Arabic."""
    for value in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if value in LANGUAGES:
            return value
    return ARABIC
