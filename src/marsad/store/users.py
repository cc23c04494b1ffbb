"""People, roles, API tokens and sign-in throttling, kept in the store.

- Passwords are hashed with the standard library's scrypt (memory-hard; parameters in the
  stored string, so they can be raised later without breaking old hashes). There is no
  default user and no default password: the first admin comes from ``marsad user add``.
- A token is 32 random bytes shown once; the store keeps only its SHA-256 (a token is
  high-entropy, so a fast hash is enough: there is nothing to brute-force). A token has a
  role and an expiry; it acts with the lower of its role and its user's current role, and
  dies with its user.
- Failed sign-ins are counted per user name and client address in the store (so every
  server process sees them): ``ThrottlePolicy.max_failures`` failures within ``window``
  lock that pair out for ``lockout`` after the last one, correct password or not.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from marsad.store.base import Store
from marsad.store.sql import Db, now_iso, parse_iso


class Role(StrEnum):
    MODERATOR = "moderator"
    ADMIN = "admin"


ROLE_RANK = {Role.MODERATOR: 1, Role.ADMIN: 2}  # a higher role may do all a lower one may

# scrypt cost: 2^14 × 8 × 128 bytes = 16 MiB and tens of milliseconds per hash.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN, SALT_BYTES = 2**14, 8, 1, 32, 16
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024  # hashing cost must not be the client's to choose
MAX_NAME_CHARS = 64
TOKEN_PREFIX = "marsad_"
TOKEN_BYTES = 32


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)


class UserError(ValueError):
    """A user-management request that cannot be done; the message says why."""


class SignInThrottled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after} seconds")
        self.retry_after = retry_after


class SignInFailed(Exception):
    """Wrong user name or password (deliberately not saying which)."""


@dataclass
class User:
    name: str
    role: str
    created_at: str
    disabled_at: str | None = None


@dataclass
class TokenInfo:
    id: str
    user: str
    role: str  # the role it acts with now
    created_at: str
    expires_at: str


@dataclass
class IssuedToken:
    token: str  # the secret: shown once, never stored
    info: TokenInfo


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                            p=SCRYPT_P, dklen=SCRYPT_LEN)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the user does not exist, so an unknown name costs the same."""
    return hash_password(secrets.token_hex(16))


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise UserError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise UserError(f"a password has at most {MAX_PASSWORD_CHARS} characters")


def check_name(name: str) -> str:
    if not name or name != name.strip() or len(name) > MAX_NAME_CHARS:
        raise UserError(f"a user name is 1 to {MAX_NAME_CHARS} characters, without spaces "
                        "around it")
    if any(not ch.isprintable() for ch in name):
        raise UserError("a user name holds no control or invisible characters")
    return name


def add_user(store: Store, name: str, role: Role | str, password: str,
             now: datetime | None = None) -> User:
    check_name(name)
    try:
        role = Role(role)
    except ValueError:
        raise UserError(f"unknown role {role!r}; use one of "
                        f"{', '.join(r.value for r in Role)}") from None
    check_password_rules(password)
    db, stamp = Db(store), now_iso(now)
    with db.write():
        if db.one(f"SELECT name FROM users WHERE name = ?{db.for_update}", (name,)):
            raise UserError(f"user {name!r} already exists")
        db.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
            (name, role.value, hash_password(password), stamp),
        )
    return User(name, role.value, stamp)


def get_user(store: Store, name: str) -> User | None:
    row = Db(store).one("SELECT name, role, created_at, disabled_at FROM users WHERE name = ?",
                        (name,))
    return User(*row) if row else None


def list_users(store: Store) -> list[User]:
    rows = Db(store).all("SELECT name, role, created_at, disabled_at FROM users ORDER BY name")
    return [User(*r) for r in rows]


def count_users(store: Store) -> int:
    row = Db(store).one("SELECT count(*) FROM users WHERE disabled_at IS NULL")
    return int(row[0]) if row else 0


def disable_user(store: Store, name: str, now: datetime | None = None) -> None:
    """Disable a user and revoke their tokens (the audit log keeps their name)."""
    db, stamp = Db(store), now_iso(now)
    with db.write():
        cur = db.execute("UPDATE users SET disabled_at = ? WHERE name = ? "
                         "AND disabled_at IS NULL", (stamp, name))
        if cur.rowcount != 1:
            raise UserError(f"no active user {name!r}")
        db.execute("UPDATE api_tokens SET revoked_at = ? WHERE user_name = ? "
                   "AND revoked_at IS NULL", (stamp, name))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(store: Store, name: str, ttl: timedelta, role: Role | str | None = None,
                now: datetime | None = None) -> IssuedToken:
    """A new token for an active user; ``role`` may be lower than the user's, not higher."""
    user = get_user(store, name)
    if user is None or user.disabled_at:
        raise UserError(f"no active user {name!r}")
    wanted = Role(role) if role else Role(user.role)
    if ROLE_RANK[wanted] > ROLE_RANK[Role(user.role)]:
        raise UserError(f"user {name!r} is a {user.role}; a token cannot be {wanted.value}")
    moment = now or datetime.now(UTC)
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    info = TokenInfo(id=secrets.token_hex(8), user=name, role=wanted.value,
                     created_at=now_iso(moment), expires_at=now_iso(moment + ttl))
    Db(store).execute(
        "INSERT INTO api_tokens (id, token_hash, user_name, role, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (info.id, _token_hash(token), name, info.role, info.created_at, info.expires_at),
    )
    return IssuedToken(token, info)


def token_info(store: Store, token: str, now: datetime | None = None) -> TokenInfo | None:
    """Who a token acts for, or None when it is unknown, expired, revoked or its user is
    disabled."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = Db(store).one(
        "SELECT t.id, t.user_name, t.role, u.role, t.created_at, t.expires_at "
        "FROM api_tokens t JOIN users u ON u.name = t.user_name "
        "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL",
        (_token_hash(token),),
    )
    if row is None:
        return None
    token_id, user, token_role, user_role, created, expires = row
    if parse_iso(expires) <= (now or datetime.now(UTC)):
        return None
    role = min(Role(token_role), Role(user_role), key=ROLE_RANK.__getitem__)
    return TokenInfo(token_id, user, role.value, created, expires)


def revoke_token(store: Store, token_id: str, now: datetime | None = None) -> bool:
    cur = Db(store).execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ? "
                            "AND revoked_at IS NULL", (now_iso(now), token_id))
    return bool(cur.rowcount == 1)


def sign_in(store: Store, name: str, password: str, ip: str, ttl: timedelta,
            policy: ThrottlePolicy = ThrottlePolicy(),  # frozen: safe as a default
            now: datetime | None = None) -> IssuedToken:
    """A token for a correct user name and password. Raises ``SignInThrottled`` while the
    (name, address) pair is locked out, and ``SignInFailed`` otherwise."""
    moment = now or datetime.now(UTC)
    wait = _locked_for(store, name, ip, moment, policy)
    if wait:
        raise SignInThrottled(wait)
    row = Db(store).one("SELECT password_hash, disabled_at FROM users WHERE name = ?", (name,))
    ok = verify_password(password[:MAX_PASSWORD_CHARS], row[0] if row else _dummy_hash())
    if not ok or row is None or row[1] is not None:
        wait = _record_failure(store, name, ip, moment, policy)
        if wait:
            raise SignInThrottled(wait)
        raise SignInFailed("wrong user name or password")
    Db(store).execute("DELETE FROM signin_failures WHERE user_name = ? AND ip = ?", (name, ip))
    return issue_token(store, name, ttl, now=moment)


def _locked_for(store: Store, name: str, ip: str, now: datetime,
                policy: ThrottlePolicy) -> int:
    row = Db(store).one("SELECT failures, last_at FROM signin_failures WHERE user_name = ? "
                        "AND ip = ?", (name, ip))
    if row is None or int(row[0]) < policy.max_failures:
        return 0
    remaining = parse_iso(row[1]) + policy.lockout - now
    return max(0, int(remaining.total_seconds() + 0.999))


def _record_failure(store: Store, name: str, ip: str, now: datetime,
                    policy: ThrottlePolicy) -> int:
    """Count a failure; returns the seconds of lockout it starts (0 if none)."""
    db, stamp = Db(store), now_iso(now)
    stale = now_iso(now - policy.window - policy.lockout)
    with db.write():
        # forget old failures, so guessed names cannot pile rows up
        db.execute("DELETE FROM signin_failures WHERE last_at < ?", (stale,))
        row = db.one(f"SELECT failures, first_at FROM signin_failures WHERE user_name = ? "
                     f"AND ip = ?{db.for_update}", (name, ip))
        if row is None or parse_iso(row[1]) + policy.window < now:
            db.execute(
                "INSERT INTO signin_failures (user_name, ip, failures, first_at, last_at) "
                "VALUES (?, ?, 1, ?, ?) ON CONFLICT (user_name, ip) DO UPDATE SET "
                "failures = 1, first_at = excluded.first_at, last_at = excluded.last_at",
                (name, ip, stamp, stamp),
            )
            failures = 1
        else:
            failures = int(row[0]) + 1
            db.execute("UPDATE signin_failures SET failures = ?, last_at = ? "
                       "WHERE user_name = ? AND ip = ?", (failures, stamp, name, ip))
    if failures >= policy.max_failures:
        return int(policy.lockout.total_seconds())
    return 0
