"""Moderators' decisions → the shared moderation format → the training script's loader."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from marsad.cli import main
from marsad.store import moderation as mod
from marsad.store.base import open_store
from marsad.store.feedback import FEEDBACK_SOURCE, feedback_rows
from tests.test_api_state import moderated_page

TRAINING = Path(__file__).resolve().parents[1] / "training" / "train_moderation.py"
FORMAT_KEYS = {"id", "text", "source", "domain", "split", "dialect", "offensive", "hate",
               "vulgar", "violence", "hate_target"}


def decided_store(path: Path) -> str:
    db = str(path / "fb.db")
    with open_store(db) as store:
        store.upsert_pages([moderated_page()])
        mod.decide(store, "p1:review", "reject", "mona", expected_state="review")
        mod.decide(store, "p1:reject", "approve", "mona", expected_state="rejected")
        mod.decide(store, "p1:publish", "reject", "mona", expected_state="published")
        mod.undo(store, "p1:publish", "mona")  # undone: not feedback
    return db


def test_feedback_export_writes_standing_decisions_in_the_shared_format(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = decided_store(tmp_path)
    out = tmp_path / "feedback.jsonl"
    assert main(["feedback", "export", "--db", db, "--out", str(out)]) == 0
    assert "2 decisions" in capsys.readouterr().out
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(set(r) == FORMAT_KEYS for r in rows)
    by_text = {r["text"]: r for r in rows}
    assert set(by_text) == {"تعليق للمراجعة", "تعليق مرفوض"}
    assert by_text["تعليق للمراجعة"]["offensive"] == 1  # rejected by a moderator
    assert by_text["تعليق مرفوض"]["offensive"] == 0  # approved despite the model
    for r in rows:
        assert (r["source"], r["domain"], r["split"]) == (FEEDBACK_SOURCE, "news_comment",
                                                           "train")
        assert r["hate"] is None and r["vulgar"] is None and r["violence"] is None
        assert r["id"].startswith(f"{FEEDBACK_SOURCE}:p1:")


def load_training() -> ModuleType:
    pytest.importorskip("sklearn")
    spec = importlib.util.spec_from_file_location("train_moderation", TRAINING)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_moderation"] = module
    spec.loader.exec_module(module)
    return module


def test_the_training_loader_folds_feedback_in_and_the_card_records_it(tmp_path: Path) -> None:
    train = load_training()
    db = decided_store(tmp_path)
    feedback = tmp_path / "feedback.jsonl"
    with open_store(db) as store:
        feedback.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                    for r in feedback_rows(store)), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "tiny.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "t:1", "text": "نص للتدريب", "source": "tiny", "split": "train", "offensive": 0,
         "hate": None, "vulgar": None, "violence": None, "hate_target": None},
        {"id": "t:2", "text": "تعليق مرفوض", "source": "tiny", "split": "dev", "offensive": 1,
         "hate": None, "vulgar": None, "violence": None, "hate_target": None},
    ]) + "\n", encoding="utf-8")
    rows = train.load_rows(data, tmp_path / "no-fixtures", feedback)
    ours = [r for r in rows if r["source"] == FEEDBACK_SOURCE]
    # the approved comment's text is a dev row's: dropped so dev stays unseen
    assert [(r["text"], r["offensive"], r["split"]) for r in ours] == [
        ("تعليق للمراجعة", 1, "train")]
    assert list(train.label_vector(ours, "hate")) == [-1]  # not annotated

    card = tmp_path / "CARD.md"
    card.write_text("# card\n\n## Limitations\n\nsome.\n", encoding="utf-8")
    facts = train.feedback_facts(feedback, ours)
    train.record_feedback_in_card(card, facts)
    train.record_feedback_in_card(card, facts)  # again: replaced, not repeated
    text = card.read_text(encoding="utf-8")
    assert text.count(train.FEEDBACK_HEADING) == 1 and "feedback.jsonl" in text
    assert "## Limitations" in text and facts["sha256"][:16] in text

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x", "text": "t", "source": "osact2020", "split": "dev",
                               "offensive": 1}) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="not a feedback train row"):
        train.load_feedback(bad)
