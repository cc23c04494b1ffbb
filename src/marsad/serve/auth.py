"""Who is asking: bearer tokens checked against the store, and the role a route needs.

Every ``/v1`` route but sign-in needs a token; moderator for moderation work, admin for
managing users. A token is sent as ``Authorization: Bearer <token>``. Failures answer 401
(no token, or one that is unknown, expired or revoked) or 403 (a role too low).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from marsad.serve.errors import ApiError
from marsad.serve.state import app_state
from marsad.store.users import ROLE_RANK, Role, TokenInfo, token_info

bearer = HTTPBearer(auto_error=False, description="a token from POST /v1/tokens or "
                    "`marsad user add` / `marsad user token`")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def require(role: Role) -> Callable[..., TokenInfo]:
    """A dependency that returns the caller's token, or refuses the request."""

    def check(request: Request, creds: Credentials) -> TokenInfo:
        if creds is None or creds.scheme.lower() != "bearer":
            raise ApiError(401, "unauthorized", "this needs a token: send "
                           "`Authorization: Bearer <token>` (sign in with POST /v1/tokens)",
                           headers=_CHALLENGE)
        state = app_state(request)
        info = token_info(state.store(), creds.credentials, now=state.config.clock())
        if info is None:
            raise ApiError(401, "unauthorized", "the token is unknown, expired or revoked; "
                           "sign in again (POST /v1/tokens)", headers=_CHALLENGE)
        if ROLE_RANK[Role(info.role)] < ROLE_RANK[role]:
            raise ApiError(403, "forbidden",
                           f"this needs the {role.value} role; {info.user} is {info.role}")
        return info

    return check


moderator = require(Role.MODERATOR)
admin = require(Role.ADMIN)
