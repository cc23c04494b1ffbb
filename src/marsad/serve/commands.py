"""``marsad serve`` and ``marsad user``: start the service, manage who may use it.

Kept apart from ``marsad.cli`` so the main command stays one screen; nothing here imports
the server's libraries until ``serve`` runs, so ``marsad user`` works without them.
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
from datetime import timedelta
from typing import Any

from rich.console import Console
from rich.table import Table

from marsad.serve.config import CLI_TOKEN_TTL, SESSION_TTL, WEBHOOK_SECRET_ENV
from marsad.store.users import Role

DEFAULT_DB = "marsad.db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
SERVE_EXTRA_HINT = "install the server's libraries: pip install 'marsad[serve]'"


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        print("marsad user add: no terminal to ask for the password on; pipe it in with "
              "--password-stdin", file=sys.stderr)
        return None
    first = getpass.getpass(f"password for {args.name}: ")
    if getpass.getpass("again: ") != first:
        print("marsad user add: the two passwords differ; nothing was changed",
              file=sys.stderr)
        return None
    return first


def _print_token(token: str, expires_at: str) -> None:
    print(f"token (shown once; send as 'Authorization: Bearer …'; expires {expires_at}):")
    print(token)


def cmd_user(args: argparse.Namespace) -> int:
    from marsad.store import users
    from marsad.store.base import open_store

    name = f"marsad user {args.action}"
    try:
        with open_store(args.db) as store:
            if args.action == "add":
                password = _read_password(args)
                if password is None:
                    return 2
                user = users.add_user(store, args.name, args.role, password)
                issued = users.issue_token(store, user.name, timedelta(days=args.token_days))
                print(f"added {user.role} {user.name!r} to {args.db}")
                _print_token(issued.token, issued.info.expires_at)
            elif args.action == "token":
                issued = users.issue_token(store, args.name, timedelta(days=args.token_days),
                                           role=args.role)
                _print_token(issued.token, issued.info.expires_at)
            elif args.action == "disable":
                users.disable_user(store, args.name)
                print(f"disabled {args.name!r} and revoked their tokens")
            else:
                table = Table(title=f"users in {args.db}")
                for column in ("name", "role", "created", "disabled"):
                    table.add_column(column)
                for u in users.list_users(store):
                    table.add_row(u.name, u.role, u.created_at, u.disabled_at or "")
                Console().print(table)
    except users.UserError as err:
        print(f"{name}: {err}", file=sys.stderr)
        return 2
    return 0


def demo_admin(db: str) -> str | None:
    """For ``marsad demo``: when the store has no user yet, add the admin ``demo`` with a
    random password and return it (to be shown once); None when users exist already."""
    from marsad.store import users
    from marsad.store.base import open_store

    with open_store(db) as store:
        if users.count_users(store) > 0:
            return None
        password = secrets.token_urlsafe(12)
        users.add_user(store, "demo", Role.ADMIN, password)
        return password


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from marsad.serve.app import create_app
        from marsad.serve.asgi import CONFIG_ENV, config_to_env
        from marsad.serve.config import ServeConfig
    except ImportError as err:
        print(f"marsad serve: {err.name or 'a library'} is missing; {SERVE_EXTRA_HINT}",
              file=sys.stderr)
        return 2
    from marsad.store.base import open_store
    from marsad.store.users import count_users

    with open_store(args.db) as store:
        if count_users(store) == 0:
            print(f"marsad serve: {args.db} has no users yet, so nobody can sign in; add the "
                  f"first admin with: marsad user add NAME --role admin --db {args.db}",
                  file=sys.stderr)
    print(f"marsad serve: {args.db} on http://{args.host}:{args.port} "
          f"(review UI at /ui, API docs at /docs)", file=sys.stderr)
    if args.workers > 1:  # processes build their app from the environment (serve.asgi)
        os.environ[CONFIG_ENV] = config_to_env(args.db, args.session_hours, args.webhook)
        uvicorn.run("marsad.serve.asgi:app", factory=True, workers=args.workers,
                    host=args.host, port=args.port, log_level=args.log_level)
        return 0
    config = ServeConfig(db=args.db, session_ttl=timedelta(hours=args.session_hours),
                         webhook_url=args.webhook,
                         webhook_secret=os.environ.get(WEBHOOK_SECRET_ENV) or None)
    uvicorn.run(create_app(config), host=args.host, port=args.port, log_level=args.log_level)
    return 0


def add_serve_parsers(sub: Any) -> None:
    """Add ``serve`` and ``user`` to the ``marsad`` command's sub-commands."""
    p = sub.add_parser("serve", help="serve the REST API over a store")
    p.add_argument("--db", default=DEFAULT_DB, help="SQLite file or postgresql:// URL")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"default {DEFAULT_HOST} (this machine)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument("--webhook", metavar="URL", help="POST each decision there as JSON (signed "
                   f"with HMAC-SHA256 when {WEBHOOK_SECRET_ENV} is set)")
    p.add_argument("--session-hours", type=float,
                   default=SESSION_TTL.total_seconds() / 3600,
                   help="how long a sign-in token lasts (default %(default)s)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes sharing the store (default 1)")
    p.add_argument("--log-level", default="info",
                   choices=["critical", "error", "warning", "info", "debug"])
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("user", help="add users, issue tokens (no default user exists)")
    actions = p.add_subparsers(dest="action", required=True)
    ttl_days = CLI_TOKEN_TTL.days
    roles = [r.value for r in Role]

    a = actions.add_parser("add", help="add a user; asks for the password; prints a token")
    a.add_argument("name")
    a.add_argument("--role", choices=roles, default=Role.MODERATOR.value)
    a.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of standard input")
    a.add_argument("--token-days", type=float, default=ttl_days,
                   help="the printed token's lifetime (default %(default)s days)")

    a = actions.add_parser("token", help="issue a new token for a user")
    a.add_argument("name")
    a.add_argument("--role", choices=roles, help="lower than the user's role, if wanted")
    a.add_argument("--token-days", type=float, default=ttl_days)

    a = actions.add_parser("disable", help="disable a user and revoke their tokens")
    a.add_argument("name")

    actions.add_parser("list", help="list users")
    for action in actions.choices.values():
        action.add_argument("--db", default=DEFAULT_DB, help="SQLite file or postgresql:// URL")
    p.set_defaults(func=cmd_user)
