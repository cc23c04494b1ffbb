"""``marsad user`` and ``marsad serve``: the first admin, tokens printed once, start-up."""

from __future__ import annotations

import io
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from marsad.cli import main
from marsad.store import users
from marsad.store.base import open_store


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(argv)


def test_user_add_prints_a_working_token_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "u.db")
    code = run(["user", "add", "mona", "--role", "admin", "--db", db, "--password-stdin"],
               monkeypatch, "a long password\n")
    assert code == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    with open_store(db) as store:
        info = users.token_info(store, token)
        assert info is not None and (info.user, info.role) == ("mona", "admin")
        users.sign_in(store, "mona", "a long password", "127.0.0.1", timedelta(hours=1))
        assert token not in str(store.conn.execute("SELECT * FROM api_tokens").fetchall())  # type: ignore[attr-defined]


def test_user_add_refuses_without_a_password_source_or_a_weak_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "u.db")
    assert run(["user", "add", "mona", "--db", db], monkeypatch) == 2  # no terminal
    assert "--password-stdin" in capsys.readouterr().err
    assert run(["user", "add", "mona", "--db", db, "--password-stdin"], monkeypatch,
               "short\n") == 2
    assert "at least" in capsys.readouterr().err
    with open_store(db) as store:
        assert users.list_users(store) == []  # nothing half-made, no default user


def test_user_token_list_and_disable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "u.db")
    run(["user", "add", "omar", "--db", db, "--password-stdin"], monkeypatch, "a long password")
    capsys.readouterr()
    assert run(["user", "token", "omar", "--db", db, "--role", "admin"], monkeypatch) == 2
    assert "cannot be admin" in capsys.readouterr().err
    assert run(["user", "token", "omar", "--db", db], monkeypatch) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert run(["user", "list", "--db", db], monkeypatch) == 0
    assert "omar" in capsys.readouterr().out
    assert run(["user", "disable", "omar", "--db", db], monkeypatch) == 0
    with open_store(db) as store:
        assert users.token_info(store, token) is None


def test_serve_says_how_to_install_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if not installed
    assert run(["serve", "--db", str(tmp_path / "s.db")], monkeypatch) == 2
    assert "pip install 'marsad[serve]'" in capsys.readouterr().err


def test_serve_starts_uvicorn_on_loopback_and_warns_of_no_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    started: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    db = str(tmp_path / "s.db")
    assert run(["serve", "--db", db, "--port", "8123"], monkeypatch) == 0
    assert (started["host"], started["port"]) == ("127.0.0.1", 8123)
    assert "marsad user add NAME --role admin" in capsys.readouterr().err
    assert started["app"].title == "marsad"
