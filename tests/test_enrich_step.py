"""The enrich step labels comment dialects on Arabic pages only, and `marsad eval dialect`."""

import json
from pathlib import Path

import pytest

from marsad.cli import main
from marsad.enrich.dialect import identify_comment, identify_page
from marsad.enrich.step import EnrichStep
from marsad.names import Dialect
from marsad.record import Comment, DialectGuess, Page, Paragraph


def _page(language: str) -> Page:
    return Page(id="p", language=language, comments=[
        Comment(id="c1", index=1, text="ازيك يا عم عامل ايه النهارده؟ والله الدنيا زحمة قوي"),
        Comment(id="c2", index=2, text="This is fine."),
    ])


def test_arabic_comments_get_a_dialect_and_the_model_is_recorded() -> None:
    (page,) = EnrichStep().run([_page("ar")])
    assert all(c.dialect is not None for c in page.comments)
    assert page.comments[0].dialect is not None
    assert page.comments[0].dialect.label == Dialect.EGYPTIAN
    assert 0.0 < page.comments[0].dialect.confidence <= 1.0
    assert "dialect" in page.provenance.models


def test_a_page_s_comments_are_labelled_together() -> None:
    ambiguous = "والله كلامك صح يا اخي"  # dialect, region unclear: Gulf when read alone
    texts = ["إزيك عامل إيه النهارده", "أنا مش عارف هو عايز إيه بالظبط", ambiguous]
    page = Page(id="p", language="ar", comments=[
        Comment(id=f"c{i}", index=i, text=t) for i, t in enumerate(texts, 1)])
    page.comments[0].dialect = DialectGuess(Dialect.MSA.value, 0.9)  # set earlier: kept
    (page,) = EnrichStep().run([page])
    assert identify_comment(ambiguous).label != Dialect.EGYPTIAN
    assert [c.dialect for c in page.comments] == [
        DialectGuess(Dialect.MSA.value, 0.9), *identify_page(texts)[1:]]
    assert page.comments[2].dialect is not None
    assert page.comments[2].dialect.label == Dialect.EGYPTIAN


def test_paragraphs_get_a_dialect_too() -> None:
    page = _page("ar")
    page.paragraphs = [
        Paragraph("أعلنت وزارة الصحة أمس عن افتتاح مستشفى جديد في المدينة بطاقة مئتي سرير."),
        Paragraph("شو بدك فيه هلق، الحكي كتير والشغل قليل يا زلمة."),
    ]
    (page,) = EnrichStep().run([page])
    labels = [p.dialect.label for p in page.paragraphs if p.dialect is not None]
    assert labels == [Dialect.MSA, Dialect.LEVANTINE]


def test_a_page_that_is_not_arabic_is_left_alone() -> None:
    (page,) = EnrichStep().run([_page("en")])
    assert all(c.dialect is None for c in page.comments)
    assert page.provenance.models == {}


def test_eval_dialect_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        {"text": "شو عم تعمل هلق يا زلمة", "dialect": "levantine", "split": "dev"},
        {"text": "إزيك عامل إيه النهارده يا باشا", "dialect": "egyptian", "split": "dev"},
        {"text": "وش تسوي الحين يا رجال", "dialect": "gulf", "split": "train"},
    ]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    assert main(["eval", "dialect", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"accuracy", "macro_f1", "by_dialect", "context"}
    assert result["context"] == "none"  # no article field: each row alone
    assert sum(v["support"] for v in result["by_dialect"].values()) == 2  # dev rows only
    assert main(["eval", "dialect", str(path), "--json", "--sentences"]) == 0
    assert json.loads(capsys.readouterr().out)["context"] == "none"
    path.write_text('{"text": "x"}\n', "utf-8")
    assert main(["eval", "dialect", str(path), "--json"]) == 2
    assert "dialect" in capsys.readouterr().err
