"""The moderate step in the pipeline, and the `marsad moderate` command."""

import io
import json
import sys
from pathlib import Path

import pytest

from marsad.cli import main
from marsad.moderate.step import ModerateStep
from marsad.record import Comment, Page, Paragraph


def _page(language: str) -> Page:
    return Page(id="p", language=language, paragraphs=[Paragraph("قال مسؤول إن الطريق مغلق.")],
                comments=[Comment(id="c1", index=1, text="يا حمار يا تافه انت وامثالك"),
                          Comment(id="c2", index=2, text="شكرا على الخبر، الله يعين الناس")])


def test_every_comment_of_an_arabic_page_gets_a_verdict() -> None:
    (page,) = ModerateStep().run([_page("ar")])
    rude, kind = page.comments
    assert rude.verdict is not None and kind.verdict is not None
    assert rude.verdict.scores["offensive"] > kind.verdict.scores["offensive"]
    assert rude.verdict.decision in ("reject", "review")
    assert kind.verdict.decision == "publish"
    assert page.provenance.models["moderation"]


def test_a_page_that_is_not_arabic_gets_no_verdicts() -> None:
    (page,) = ModerateStep().run([_page("en")])
    assert all(c.verdict is None for c in page.comments)


def test_moderate_jsonl_streams_one_verdict_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [json.dumps({"id": "a", "text": "يا كلب"}, ensure_ascii=False), "{broken",
             json.dumps({"id": "b", "text": "مقال جميل"}, ensure_ascii=False)]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["moderate", "--jsonl", "-"]) == 1  # one line was broken
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert out[0]["verdict"]["scores"]["offensive"] > out[1]["verdict"]["scores"]["offensive"]
    assert "line 2" in captured.err
