"""`marsad demo`: the quick start's command builds the demo store; its first admin gets a
random password, never a default one."""

from pathlib import Path

from marsad.cli import main
from marsad.demo import load_manifest
from marsad.serve.commands import demo_admin
from marsad.store import users
from marsad.store.base import open_store
from marsad.store.sql import Db


def test_demo_no_serve_builds_the_store_with_clusters_and_no_user(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    assert main(["demo", "--db", db, "--no-serve", "--quiet", "--engine", "inprocess"]) == 0
    with open_store(db) as store:
        assert store.counts().pages == 24
        assert users.count_users(store) == 0  # --no-serve adds nobody
        clusters = Db(store).one("SELECT count(*) FROM clusters WHERE size >= 2")
    pairs = {frozenset((name, entry["syndicated_with"]))
             for name, entry in load_manifest().items() if entry.get("syndicated_with")}
    assert clusters is not None and clusters[0] == len(pairs)  # each syndicated pair clusters


def test_demo_admin_is_random_and_made_once(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    first = demo_admin(db)
    assert first is not None and len(first) >= 16
    assert demo_admin(db) is None  # users exist: nothing added, nothing printed
    with open_store(db) as store:
        assert [u.name for u in users.list_users(store)] == ["demo"]
        assert users.list_users(store)[0].role == users.Role.ADMIN
    assert demo_admin(str(tmp_path / "b.db")) != first
