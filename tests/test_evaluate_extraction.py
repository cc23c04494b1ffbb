"""The extraction metrics: their definitions on a tiny folder built here, then the real set.

The synthetic folder holds two pages in the comment_pages layout (one gzipped, one plain)
whose snippets are chosen so that every share has a known value; the fixture metrics are
checked on hand-made Page objects, where matching and parents can be followed by hand.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from marsad.evaluate import evaluate_extraction, evaluate_fixtures, format_table
from marsad.evaluate.extraction import collapse, comments_text, score_comments
from marsad.record import Comment, Page

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
COMMENT_PAGES = SHARED / "data" / "extraction" / "comment_pages"

P1 = ("افتتحت وزارة الصحة صباح الأحد مركزا جديدا لغسيل الكلى في المستشفى الحكومي، بطاقة "
      "استيعابية تصل إلى أربعين مريضا في اليوم الواحد.")
P2 = ("وقال مدير المستشفى إن المركز سيعمل على مدار الساعة، وإن الكوادر الطبية تلقت تدريبا "
      "خاصا على الأجهزة الحديثة التي وصلت الشهر الماضي.")
P3 = ("وأشار إلى أن المرضى كانوا يضطرون سابقا إلى السفر مسافات طويلة لتلقي العلاج، وهو ما "
      "كان يرهقهم ويرهق عائلاتهم ماديا ونفسيا.")
FOOTER = "جميع الحقوق محفوظة لموقع التجربة الصحية"
C1 = "خبر مفرح أخيرا، والدي كان يسافر ثلاث مرات في الأسبوع."
C2 = "نتمنى أن يستمر الدعم وألا يتوقف المركز بعد أشهر."


def article_page(title: str, comments: list[str]) -> str:
    items = "".join(
        f"<li class='comment' id='comment-{i}'><div class='comment-content'><p>{c}</p></div></li>"
        for i, c in enumerate(comments, 1)
    )
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<article><h1>{title}</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>"
        f"<div id='comments'><ol class='commentlist'>{items}</ol></div>"
        f"<footer><p>{FOOTER}</p></footer></body></html>"
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    html = tmp_path / "html"
    html.mkdir()
    (html / "a.html.gz").write_bytes(
        gzip.compress(article_page("افتتاح مركز لغسيل الكلى", [C1, C2]).encode("utf-8"))
    )
    (html / "b.html").write_bytes(article_page("خبر ثان عن المستشفى", []).encode("utf-8"))
    annotations = {
        "https://health.test/a": {
            "file": "a.html",
            "title": "افتتاح مركز لغسيل الكلى",
            # 2 of 3 in the body: the third is nowhere on the page
            "with": ["مركزا جديدا لغسيل الكلى", "تلقت   تدريبا\nخاصا", "جملة غير موجودة أبدا"],
            # footer and comment text stay out of the body; P3 is in it: 2 of 3 absent
            "without": [FOOTER, "والدي كان يسافر", "يضطرون سابقا إلى السفر"],
            # 2 of 3 found
            "comments": ["خبر مفرح أخيرا", "وألا يتوقف المركز", "تعليق لم يكتبه أحد"],
        },
        "https://health.test/b": {
            "file": "b.html",
            "title": "عنوان آخر لا يطابق",  # wrong on purpose: title share 1 of 2
            "with": ["لتلقي العلاج"],
            "without": [],
            "comments": [],
        },
        "https://health.test/missing": {"file": "nowhere.html", "with": ["x"]},
    }
    (tmp_path / "annotations.json").write_text(json.dumps(annotations, ensure_ascii=False))
    return tmp_path


def test_snippet_shares(folder: Path) -> None:
    result = evaluate_extraction(folder)
    assert result["pages"] == 2
    assert result["missing_files"] == ["nowhere.html"]
    assert result["body_with"] == pytest.approx(3 / 4)
    assert result["body_without"] == pytest.approx(2 / 3)
    assert result["comments_found"] == pytest.approx(2 / 3)
    assert result["title_exact"] == pytest.approx(1 / 2)
    assert result["snippets"]["with"] == {"hits": 3, "total": 4}
    assert result["snippets"]["without"] == {"hits": 2, "total": 3}  # hits: absent from the body


def test_trafilatura_reference_runs_on_the_same_folder(folder: Path) -> None:
    result = evaluate_extraction(folder, extractor="trafilatura")
    assert result["extractor"] == "trafilatura" and result["pages"] == 2
    for key in ("body_with", "body_without", "comments_found", "title_exact"):
        assert 0.0 <= result[key] <= 1.0
    assert result["body_with"] == pytest.approx(3 / 4)  # the article is easy for both


def test_bad_arguments(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown extractor"):
        evaluate_extraction(folder, extractor="readability")
    with pytest.raises(FileNotFoundError, match=r"annotations\.json"):
        evaluate_extraction(tmp_path / "html")


def test_format_table(folder: Path) -> None:
    table = format_table(evaluate_extraction(folder))
    assert "comments_found  0.667  (2/3)" in table
    assert table.splitlines()[0].split() == ["extractor", "marsad"]


def test_collapse_and_comment_haystack() -> None:
    assert collapse("  a\n\t b  ") == "a b"
    page = Page(id="", comments=[Comment(id="", index=1, text="نص", author="سعيد")])
    assert comments_text(page) == "سعيد\nنص"


# --- Comment boundaries ------------------------------------------------------------------


def comment(index: int, text: str, parent: str | None = None, cid: str = "") -> Comment:
    return Comment(id=cid, index=index, text=text, parent=parent)


def test_score_comments_matches_and_parents() -> None:
    gold = [
        {"text": "الأول", "parent": None},
        {"text": "رد  على\nالأول", "parent": 1},
        {"text": "ليس في الصفحة", "parent": None},
        {"text": "رد ثان", "parent": 1},
    ]
    page = Page(id="", comments=[
        comment(1, "الأول", cid="10"),
        comment(2, "رد على الأول", parent="10", cid="11"),  # parent by site id: right
        comment(3, "رد ثان", parent="#2"),  # parent is comment 2, gold says 1: wrong
        comment(4, "زائد"),
    ])
    score = score_comments(gold, page)
    assert score == {"gold": 4, "predicted": 4, "matched": 3, "parents_right": 2}


def test_duplicate_texts_match_one_to_one() -> None:
    gold = [{"text": "شكرا", "parent": None}, {"text": "شكرا", "parent": None}]
    page = Page(id="", comments=[comment(1, "شكرا")])
    assert score_comments(gold, page)["matched"] == 1


def test_evaluate_fixtures_on_a_synthetic_folder(tmp_path: Path) -> None:
    html = article_page("عنوان الصفحة التجريبية", [C1, C2])
    (tmp_path / "one.html").write_text(html, encoding="utf-8")
    gold = {
        "description": "two comments, one of them misread in the gold on purpose",
        "markup": "wordpress-ol-commentlist", "title": "عنوان الصفحة التجريبية",
        "paragraphs_include": [], "paragraphs_exclude": [], "removed_include": [],
        "comments_declared": None,
        "comments": [{"text": C1, "author": None, "parent": None},
                     {"text": "نص لا يطابق أي تعليق", "author": None, "parent": 1}],
    }
    (tmp_path / "one.gold.json").write_text(json.dumps(gold, ensure_ascii=False), "utf-8")
    result = evaluate_fixtures(tmp_path)
    assert result["pages"] == 1
    assert result["precision"] == pytest.approx(1 / 2)
    assert result["recall"] == pytest.approx(1 / 2)
    assert result["f1"] == pytest.approx(1 / 2)
    assert result["parent_accuracy"] == 1.0
    assert result["title_exact"] == 1.0


def test_evaluate_fixtures_needs_gold_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="gold"):
        evaluate_fixtures(tmp_path)


# --- The real sets -----------------------------------------------------------------------


def test_comment_pages_comments_found() -> None:
    if not (COMMENT_PAGES / "annotations.json").exists():
        pytest.skip(f"{COMMENT_PAGES} is absent: this test needs ../shared beside the repository")
    result = evaluate_extraction(COMMENT_PAGES)
    assert result["pages"] == 73
    assert result["comments_found"] >= 0.85


def test_arabic_fixtures_boundaries() -> None:
    pages = REPO / "tests" / "fixtures" / "pages"
    if not any(pages.glob("*.gold.json")):
        pytest.skip("no fixture pages yet")
    result = evaluate_fixtures(pages)
    assert result["f1"] >= 0.90
    assert result["parent_accuracy"] >= 0.90
