"""The moderation-state and user library functions behind the API, on SQLite and PostgreSQL.

PostgreSQL cases run when MARSAD_TEST_POSTGRES names a server (as in tests/test_store.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from marsad.record import Comment, Page, Verdict
from marsad.store import moderation as mod
from marsad.store import users
from marsad.store.base import Store, open_store
from marsad.store.stream import StreamComment, add_stream_comments, stream_page_id

T0 = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)


def verdict(decision: str) -> Verdict:
    return Verdict(scores={"offensive": 0.5}, decision=decision, model="test")


def moderated_page(page_id: str = "p1", author: str = "أبو علي") -> Page:
    """A page with one comment per model decision (ids name the decision)."""
    return Page(
        id=page_id, url=f"https://news.test/{page_id}", site="news.test", language="ar",
        title="عنوان",
        comments=[
            Comment(id=f"{page_id}:review", index=1, text="تعليق للمراجعة", author=author,
                    verdict=verdict("review")),
            Comment(id=f"{page_id}:reject", index=2, text="تعليق مرفوض", author=author,
                    verdict=verdict("reject")),
            Comment(id=f"{page_id}:publish", index=3, text="تعليق منشور", author="سلمى",
                    verdict=verdict("publish")),
            Comment(id=f"{page_id}:none", index=4, text="no verdict"),
        ],
    )


@pytest.fixture
def store(location: str) -> Iterator[Store]:
    with open_store(location) as s:
        s.upsert_pages([moderated_page()])
        yield s


def test_model_decisions_fill_the_model_queues(store: Store) -> None:
    assert mod.queue_counts(store) == {"review": 1, "rejected": 1, "approved": 0,
                                       "rejected_by_human": 0}
    states = {c: mod.get_comment(store, f"p1:{c}").state  # type: ignore[union-attr]
              for c in ("review", "reject", "publish", "none")}
    assert states == {"review": "review", "reject": "rejected", "publish": "published",
                      "none": "unscored"}
    items = mod.queue_items(store, "review")
    assert [i.id for i in items] == ["p1:review"]
    assert items[0].page_title == "عنوان" and items[0].verdict["decision"] == "review"


def test_decide_moves_a_comment_between_queues_and_logs_it(store: Store) -> None:
    entry = mod.decide(store, "p1:review", "reject", "mona", expected_state="review",
                       reason="شتيمة", now=T0)
    assert (entry.from_state, entry.to_state, entry.action) == ("review", "rejected_by_human",
                                                                "reject")
    assert mod.queue_counts(store)["review"] == 0
    assert [i.id for i in mod.queue_items(store, "rejected_by_human")] == ["p1:review"]
    view = mod.get_comment(store, "p1:review")
    assert view is not None and (view.state, view.model_state, view.decided_by) == (
        "rejected_by_human", "review", "mona")
    log = mod.audit_log(store)
    assert [(e.moderator, e.reason, e.decided_at) for e in log] == [
        ("mona", "شتيمة", "2024-03-05T12:00:00+00:00")]


def test_a_stale_expected_state_is_a_conflict_and_changes_nothing(store: Store) -> None:
    mod.decide(store, "p1:review", "approve", "mona", expected_state="review")
    with pytest.raises(mod.StateConflict) as err:
        mod.decide(store, "p1:review", "reject", "omar", expected_state="review")
    assert err.value.current == "approved"
    assert mod.get_comment(store, "p1:review").state == "approved"  # type: ignore[union-attr]
    assert len(mod.audit_log(store)) == 1


def test_unknown_comment_and_bad_decision(store: Store) -> None:
    with pytest.raises(mod.CommentNotFound):
        mod.decide(store, "nope", "approve", "mona", expected_state="review")
    with pytest.raises(ValueError):
        mod.decide(store, "p1:review", "publish", "mona", expected_state="review")


def test_undo_steps_back_through_decisions_to_the_model(store: Store) -> None:
    mod.decide(store, "p1:reject", "approve", "mona", expected_state="rejected")
    mod.decide(store, "p1:reject", "reject", "omar", expected_state="approved")
    first = mod.undo(store, "p1:reject", "omar", expected_state="rejected_by_human")
    assert (first.from_state, first.to_state) == ("rejected_by_human", "approved")
    view = mod.get_comment(store, "p1:reject")
    assert view is not None and (view.state, view.decided_by) == ("approved", "mona")
    second = mod.undo(store, "p1:reject", "omar")
    assert second.to_state == "rejected"
    assert mod.queue_counts(store)["rejected"] == 1
    with pytest.raises(mod.NothingToUndo):
        mod.undo(store, "p1:reject", "omar")
    log = mod.audit_log(store)  # newest first; undone decisions keep their rows
    assert [e.action for e in log] == ["undo", "undo", "reject", "approve"]
    assert log[0].undoes == log[3].id and log[1].undoes == log[2].id
    assert all(e.undone_at for e in log[2:])


def test_undo_checks_the_expected_state_too(store: Store) -> None:
    mod.decide(store, "p1:review", "approve", "mona", expected_state="review")
    with pytest.raises(mod.StateConflict):
        mod.undo(store, "p1:review", "omar", expected_state="review")


def test_a_recrawl_keeps_human_states(store: Store) -> None:
    mod.decide(store, "p1:review", "approve", "mona", expected_state="review")
    store.upsert_pages([moderated_page()])
    assert mod.get_comment(store, "p1:review").state == "approved"  # type: ignore[union-attr]
    assert mod.queue_counts(store)["approved"] == 1


def test_two_moderators_at_once_one_wins(location: str, store: Store) -> None:
    """Each thread has its own connection, as each request thread does in the server."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def moderator(name: str, decision: str) -> None:
        with open_store(location) as mine:
            barrier.wait()
            try:
                mod.decide(mine, "p1:review", decision, name, expected_state="review")
                outcomes.append("ok")
            except mod.StateConflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=moderator, args=a)
               for a in (("mona", "approve"), ("omar", "reject"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert len(mod.audit_log(store)) == 1


def test_author_record(store: Store) -> None:
    mod.decide(store, "p1:review", "reject", "mona", expected_state="review")
    record = mod.author_record(store, "أبو علي")
    assert record.comments == 2
    assert record.by_state == {"rejected_by_human": 1, "rejected": 1}
    assert {c.id for c in record.recent} == {"p1:review", "p1:reject"}
    assert [d.comment_id for d in record.decisions] == ["p1:review"]
    assert mod.author_record(store, "nobody").comments == 0


def test_audit_filters_and_iteration_in_order(store: Store) -> None:
    mod.decide(store, "p1:review", "approve", "mona", expected_state="review")
    mod.decide(store, "p1:reject", "approve", "omar", expected_state="rejected")
    mod.decide(store, "p1:publish", "reject", "mona", expected_state="published")
    assert [e.comment_id for e in mod.audit_log(store, moderator="mona")] == [
        "p1:publish", "p1:review"]
    assert [e.comment_id for e in mod.audit_log(store, limit=1, offset=1)] == ["p1:reject"]
    ordered = list(mod.iter_audit(store, batch=2))
    assert [e.comment_id for e in ordered] == ["p1:review", "p1:reject", "p1:publish"]


def test_stream_comments_are_stored_once_under_a_stream_page(store: Store) -> None:
    def item(cid: str, text: str) -> StreamComment:
        return StreamComment(Comment(id=cid, index=0, text=text, author="ر",
                                     verdict=verdict("review")), cid.rsplit(":", 1)[1],
                             "https://news.test/a", "مقال")

    page = stream_page_id("news.test")
    added = add_stream_comments(store, "news.test", [item(f"{page}:1", "أ"),
                                                     item(f"{page}:2", "ب")])
    again = add_stream_comments(store, "news.test", [item(f"{page}:1", "changed")])
    assert added == {f"{page}:1", f"{page}:2"} and again == set()
    view = mod.get_comment(store, f"{page}:1")
    assert view is not None
    assert (view.text, view.index, view.site_comment_id, view.page_title) == (
        "أ", 1, "1", "مقال")
    assert mod.get_comment(store, f"{page}:2").index == 2  # type: ignore[union-attr]
    assert mod.queue_counts(store)["review"] == 3


# ---- users, tokens, throttling ------------------------------------------------------------


def test_users_tokens_and_roles(store: Store) -> None:
    users.add_user(store, "mona", "admin", "a long password")
    with pytest.raises(users.UserError, match="already exists"):
        users.add_user(store, "mona", "moderator", "another password")
    with pytest.raises(users.UserError, match="at least"):
        users.add_user(store, "omar", "moderator", "short")
    with pytest.raises(users.UserError, match="unknown role"):
        users.add_user(store, "omar", "owner", "a long password")
    issued = users.issue_token(store, "mona", timedelta(hours=1), role="moderator", now=T0)
    assert issued.token.startswith(users.TOKEN_PREFIX)
    info = users.token_info(store, issued.token, now=T0 + timedelta(minutes=59))
    assert info is not None and (info.user, info.role) == ("mona", "moderator")
    assert users.token_info(store, issued.token, now=T0 + timedelta(hours=1)) is None  # expired
    assert users.token_info(store, issued.token + "x", now=T0) is None
    stored = store.conn.execute("SELECT token_hash FROM api_tokens").fetchone()  # type: ignore[attr-defined]
    assert issued.token not in stored[0]  # only a hash is kept


def test_a_token_cannot_outrank_its_user(store: Store) -> None:
    users.add_user(store, "omar", "moderator", "a long password")
    with pytest.raises(users.UserError, match="cannot be admin"):
        users.issue_token(store, "omar", timedelta(hours=1), role="admin")
    # an admin token whose user was demoted acts as a moderator
    users.add_user(store, "mona", "admin", "a long password")
    issued = users.issue_token(store, "mona", timedelta(hours=1))
    store.conn.execute("UPDATE users SET role = 'moderator' WHERE name = 'mona'")  # type: ignore[attr-defined]
    assert users.token_info(store, issued.token).role == "moderator"  # type: ignore[union-attr]


def test_disabling_a_user_revokes_their_tokens(store: Store) -> None:
    users.add_user(store, "omar", "moderator", "a long password")
    issued = users.issue_token(store, "omar", timedelta(hours=1))
    users.disable_user(store, "omar")
    assert users.token_info(store, issued.token) is None
    with pytest.raises(users.SignInFailed):
        users.sign_in(store, "omar", "a long password", "1.2.3.4", timedelta(hours=1))


def test_passwords_are_salted_scrypt() -> None:
    a, b = users.hash_password("same password"), users.hash_password("same password")
    assert a != b and a.startswith("scrypt$")
    assert users.verify_password("same password", a)
    assert not users.verify_password("other password", a)
    assert not users.verify_password("same password", "garbage")


def test_repeated_failures_lock_the_user_and_address_pair(store: Store) -> None:
    users.add_user(store, "mona", "admin", "a long password")
    policy = users.ThrottlePolicy(max_failures=3, window=timedelta(minutes=15),
                                  lockout=timedelta(minutes=10))
    ttl = timedelta(hours=1)
    for n in range(2):
        with pytest.raises(users.SignInFailed):
            users.sign_in(store, "mona", "wrong", "1.1.1.1", ttl, policy, T0 + timedelta(seconds=n))
    with pytest.raises(users.SignInThrottled) as third:
        users.sign_in(store, "mona", "wrong", "1.1.1.1", ttl, policy, T0 + timedelta(seconds=2))
    assert third.value.retry_after == 600
    later = T0 + timedelta(minutes=5, seconds=2)
    with pytest.raises(users.SignInThrottled) as locked:  # even the right password
        users.sign_in(store, "mona", "a long password", "1.1.1.1", ttl, policy, later)
    assert locked.value.retry_after == 300
    # another address is not locked out; nor is this one once the lockout has passed
    users.sign_in(store, "mona", "a long password", "2.2.2.2", ttl, policy, later)
    done = users.sign_in(store, "mona", "a long password", "1.1.1.1", ttl, policy,
                         T0 + timedelta(minutes=11))
    assert done.info.user == "mona"
    with pytest.raises(users.SignInFailed):  # success cleared the count: one failure is one
        users.sign_in(store, "mona", "wrong", "1.1.1.1", ttl, policy, T0 + timedelta(minutes=12))
