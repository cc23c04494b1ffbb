"""The plain-text parser: the seed page read exactly as gold.json says, and the variants.

Every page below except the seed is our own writing.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path

import pytest

from marsad.parse import boilerplate, dates, language, parse_document, text
from marsad.parse.text import parse_text
from marsad.read.document import Document
from marsad.record import Page

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_PAGE = SHARED / "seed" / "aksalser-deir-ez-zor.txt"
SEED_GOLD = SHARED / "seed" / "gold.json"
NOW = datetime(2024, 3, 10, 12, 0)


def _parse(page_text: str) -> Page:
    return parse_text(page_text, fetched_at=NOW)


def _removed(page: Page) -> list[tuple[str, str]]:
    return [(r.text, r.kind) for r in page.removed]


# --- The seed -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[Page, dict]:
    if not SEED_PAGE.exists() or not SEED_GOLD.exists():
        pytest.skip(f"{SEED_PAGE.parent} is absent: the seed test needs ../shared beside the "
                    "repository")
    content = SEED_PAGE.read_text(encoding="utf-8")
    page = parse_document(Document(source=str(SEED_PAGE), content=content, kind="text"))
    return page, json.loads(SEED_GOLD.read_text(encoding="utf-8"))


def test_seed_title_and_paragraphs(seed: tuple[Page, dict]) -> None:
    page, gold = seed
    assert page.title == gold["title"]
    assert [p.text for p in page.paragraphs] == gold["paragraphs"]
    assert len(page.paragraphs) == 7
    assert page.paragraphs[-1].text.endswith("بالتأكيد”.")
    assert all("[ads" not in p.text for p in page.paragraphs)


def test_seed_removed_in_document_order(seed: tuple[Page, dict]) -> None:
    page, gold = seed
    assert [{"text": r.text, "kind": r.kind} for r in page.removed] == gold["removed"]
    assert [r.kind for r in page.removed] == ["ad_marker", "disclaimer", "comment_count"]


def test_seed_comments(seed: tuple[Page, dict]) -> None:
    page, gold = seed
    assert page.comments_declared == 4
    assert [c.index for c in page.comments] == [1, 2]
    assert [c.text for c in page.comments] == [c["text"] for c in gold["comments"]]
    assert page.comments[0].text.count("\n") == 2  # three lines, breaks kept
    assert all(c.parent is None and c.author is None for c in page.comments)


def test_seed_gets_id_language_and_provenance_from_finish(seed: tuple[Page, dict]) -> None:
    page, _ = seed
    assert page.id and page.language == "ar" and page.provenance.parser == "text"
    assert all(c.id for c in page.comments)
    assert len({c.id for c in page.comments}) == 2


# --- Article --------------------------------------------------------------------------

ARTICLE = """الرئيسية » أخبار محلية
ارتفاع أسعار الخبز في مدينة حمص
كتب: سامي الحلبي | 4 آذار 2024

قال تاجر في سوق المدينة إن سعر الربطة ارتفع مرتين خلال شهر واحد.[ads1]

[caption id="attachment_12" align="aligncenter"]<img src="x.jpg"> صورة من السوق
تصوير الموقع[/caption]

وأضاف أن الأهالي ينتظرون قرارا من المحافظة قبل نهاية الأسبوع.

اقرأ أيضاً:
انقطاع الكهرباء يعود إلى أحياء المدينة
موسم القمح يبدأ مبكرا هذا العام

ويشكو السكان من طول الطوابير أمام الأفران منذ أسابيع.

شارك على فيسبوك
جميع الحقوق محفوظة © 2024
"""


def test_article_furniture_byline_and_shortcodes() -> None:
    page = _parse(ARTICLE)
    assert page.title == "ارتفاع أسعار الخبز في مدينة حمص"
    assert page.author == "سامي الحلبي"
    assert page.published_at == "2024-03-04"
    assert [p.text for p in page.paragraphs] == [
        "قال تاجر في سوق المدينة إن سعر الربطة ارتفع مرتين خلال شهر واحد.",
        "وأضاف أن الأهالي ينتظرون قرارا من المحافظة قبل نهاية الأسبوع.",
        "ويشكو السكان من طول الطوابير أمام الأفران منذ أسابيع.",
    ]
    assert [kind for _, kind in _removed(page)] == [
        "navigation", "other", "ad_marker", "other", "related", "related", "related",
        "share", "copyright",
    ]
    caption = page.removed[3].text
    assert caption.startswith("[caption") and caption.endswith("[/caption]")
    assert ("موسم القمح يبدأ مبكرا هذا العام", "related") in _removed(page)
    assert page.comments == [] and page.comments_declared is None


def test_related_links_stop_at_the_next_paragraph() -> None:
    page = _parse("عنوان\n\nفقرة أولى.\n\nاقرأ أيضا\n\nعنوان خبر قديم\n\nفقرة ثانية طويلة.\n")
    assert [p.text for p in page.paragraphs] == ["فقرة أولى.", "فقرة ثانية طويلة."]
    assert _removed(page) == [("اقرأ أيضا", "related"), ("عنوان خبر قديم", "related")]


def test_inline_related_line_takes_no_following_block() -> None:
    page = _parse("عنوان\n\nاقرأ أيضاً: سعر الذهب اليوم\n\nجملة قصيرة بلا نقطة\n")
    assert [p.text for p in page.paragraphs] == ["جملة قصيرة بلا نقطة"]
    assert _removed(page) == [("اقرأ أيضاً: سعر الذهب اليوم", "related")]


def test_export_without_blank_lines_has_a_paragraph_per_line() -> None:
    page = _parse("عنوان بلا فراغات\nسطر أول قصير\nسطر ثان قصير\nسطر ثالث")
    assert page.title == "عنوان بلا فراغات"
    assert [p.text for p in page.paragraphs] == ["سطر أول قصير", "سطر ثان قصير", "سطر ثالث"]


def test_blank_lines_around_an_unbroken_body_do_not_join_its_lines() -> None:
    page = _parse(
        "عنوان\n\nسطر أول قصير\nسطر ثان قصير\n\nالتعليقات المنشورة لا تعبر عن رأي الموقع\n"
    )
    assert [p.text for p in page.paragraphs] == ["سطر أول قصير", "سطر ثان قصير"]


def test_hard_wrapped_block_is_one_paragraph() -> None:
    page = _parse("عنوان\n\nهذه فقرة طويلة كسرها برنامج التصدير\nعلى سطرين قصيرين.\n\nفقرة أخرى.")
    assert [p.text for p in page.paragraphs] == [
        "هذه فقرة طويلة كسرها برنامج التصدير على سطرين قصيرين.",
        "فقرة أخرى.",
    ]


def test_crlf_and_bom() -> None:
    page = _parse("\ufeffعنوان\r\n\r\nفقرة.\r\n\r\nتعليق واحد\r\n\r\n  1. نص\r\n")
    assert page.title == "عنوان"
    assert [p.text for p in page.paragraphs] == ["فقرة."]
    assert page.comments_declared == 1
    assert [c.text for c in page.comments] == ["نص"]


def test_only_a_title() -> None:
    page = _parse("عنوان وحيد\n")
    assert page.title == "عنوان وحيد"
    assert page.paragraphs == [] and page.comments == [] and page.removed == []
    assert page.comments_declared is None


def test_empty_text() -> None:
    page = _parse("")
    assert page.title is None and page.paragraphs == []


def test_count_under_the_headline_is_not_the_comment_section() -> None:
    page = _parse("عنوان\n\n5 تعليقات\n\nفقرة أولى.\n\nفقرة ثانية.\n")
    assert page.comments_declared == 5
    assert [p.text for p in page.paragraphs] == ["فقرة أولى.", "فقرة ثانية."]


def test_dateline_sets_published_at() -> None:
    page = _parse("عنوان\nالثلاثاء ٥ آذار ٢٠٢٤ - ١٠:٣٠ مساءً\n\nفقرة.\n")
    assert page.published_at == "2024-03-05T22:30:00"
    assert [p.text for p in page.paragraphs] == ["فقرة."]


# --- Comment headers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "declared"),
    [
        ("تعليق واحد", 1),
        ("تعليقان", 2),
        ("11 تعليقا", 11),
        ("التعليقات (3)", 3),
        ("٤ تعليقات", 4),
        ("3 تعليقات على “ارتفاع الأسعار”", 3),
    ],
)
def test_count_headers(header: str, declared: int) -> None:
    page = _parse(f"عنوان\n\nفقرة.\n\n{header}\n\n  1. أول\n\n  2. ثان\n")
    assert page.comments_declared == declared
    assert (header, "comment_count") in _removed(page)
    assert [c.text for c in page.comments] == ["أول", "ثان"]
    assert [p.text for p in page.paragraphs] == ["فقرة."]


def test_no_comments_header() -> None:
    page = _parse("عنوان\n\nفقرة.\n\nلا توجد تعليقات\n")
    assert page.comments_declared == 0
    assert page.comments == []
    assert _removed(page) == [("لا توجد تعليقات", "comment_count")]


def test_plain_header_opens_the_section_without_a_count() -> None:
    page = _parse("عنوان\n\nفقرة.\n\nالتعليقات\n\nتعليق أول\n\nتعليق ثان\nبسطرين\n")
    assert page.comments_declared is None
    assert ("التعليقات", "other") in _removed(page)
    assert [c.text for c in page.comments] == ["تعليق أول", "تعليق ثان\nبسطرين"]


def test_numbered_comments_after_a_disclaimer_without_header() -> None:
    page = _parse(
        "عنوان\n\nفقرة.\n\nالتعليقات المنشورة لا تعبر عن رأي الموقع\n\n  1. أول\n  2. ثان\n"
    )
    assert [c.text for c in page.comments] == ["أول", "ثان"]
    assert [k for _, k in _removed(page)] == ["disclaimer"]


# --- Comment layouts ------------------------------------------------------------------

UNNUMBERED = """عنوان الخبر

فقرة الخبر.

التعليقات (3)

أبو محمد
5 آذار 2024 - 10:30
الله يعين الناس على هالغلاء

سلمى
منذ 3 ساعات
متى رح تنحل المشكلة؟
صار لنا شهور ننتظر

كتب: أحمد | 2024-03-05
كلام صحيح

والفقرة الثانية من تعليق أحمد

رد على أبو محمد
آمين

أضف تعليقاً
الاسم *
جميع الحقوق محفوظة
سطر من تذييل الموقع
"""


def test_unnumbered_comments_with_author_and_date_lines() -> None:
    page = _parse(UNNUMBERED)
    got = [(c.index, c.text, c.author, c.posted_at, c.parent) for c in page.comments]
    assert got == [
        (1, "الله يعين الناس على هالغلاء", "أبو محمد", "2024-03-05T10:30:00", None),
        (2, "متى رح تنحل المشكلة؟\nصار لنا شهور ننتظر", "سلمى", "2024-03-10T09:00:00", None),
        (3, "كلام صحيح\nوالفقرة الثانية من تعليق أحمد", "أحمد", "2024-03-05", None),
        (4, "آمين", None, None, "#1"),
    ]
    assert page.comments_declared == 3
    assert _removed(page)[-4:] == [
        ("أضف تعليقاً", "comment_form"),
        ("الاسم *", "comment_form"),
        ("جميع الحقوق محفوظة", "copyright"),
        ("سطر من تذييل الموقع", "other"),
    ]


def test_relative_dates_without_fetch_time_have_no_value() -> None:
    page = parse_text(UNNUMBERED)
    assert page.comments[1].author == "سلمى"
    assert page.comments[1].posted_at is None
    assert page.comments[0].posted_at == "2024-03-05T10:30:00"


def test_comment_lines_without_blank_lines_and_authors() -> None:
    page = _parse("عنوان\nفقرة\nالتعليقات\nأول\nثان\nثالث")
    assert [c.text for c in page.comments] == ["أول", "ثان", "ثالث"]


def test_author_date_headers_without_blank_lines() -> None:
    page = _parse(
        "عنوان\nفقرة\nالتعليقات\nرامي\nمنذ يومين\nسطر أول\nسطر ثان\nهدى\nأمس\nتعليق هدى"
    )
    got = [(c.text, c.author, c.posted_at) for c in page.comments]
    assert got == [("سطر أول\nسطر ثان", "رامي", "2024-03-08"), ("تعليق هدى", "هدى", "2024-03-09")]


def test_numbered_replies_by_number_path_and_indentation() -> None:
    page = _parse(
        "عنوان\n\nفقرة.\n\n3 تعليقات\n\n"
        "  1. تعليق أول\n     وسطره الثاني\n\n"
        "    1.1 رد بالرقم\n\n"
        "  2. تعليق ثان\n"
        "      1. رد بالإزاحة\n"
        "  3. تعليق ثالث\n"
    )
    got = [(c.index, c.text, c.parent) for c in page.comments]
    assert got == [
        (1, "تعليق أول\nوسطره الثاني", None),
        (2, "رد بالرقم", "#1"),
        (3, "تعليق ثان", None),
        (4, "رد بالإزاحة", "#3"),
        (5, "تعليق ثالث", None),
    ]


def test_wordpress_says_headers_in_numbered_comments() -> None:
    page = _parse(
        "عنوان\n\nفقرة.\n\nتعليقان\n\n"
        "  1. أبو علي يقول:\n     الثلاثاء 5 آذار 2024 الساعة 9:15 مساءً\n     نص التعليق\n"
        "     رد\n"
        "  2. Rami says:\n     March 6, 2024 at 8:05 am\n     thanks\n"
    )
    got = [(c.text, c.author, c.posted_at) for c in page.comments]
    assert got == [
        ("نص التعليق", "أبو علي", "2024-03-05T21:15:00"),
        ("thanks", "Rami", "2024-03-06T08:05:00"),
    ]
    assert ("رد", "comment_form") in _removed(page)


def test_reply_marker_with_inline_text() -> None:
    page = _parse(
        "عنوان\n\nفقرة.\n\nالتعليقات\n\nأحمد\nمنذ ساعة\nتعليق\n\n"
        "رد على أحمد: موافق تماما\n\nرداً على شخص غائب\nوأنا كذلك\n"
    )
    got = [(c.text, c.author, c.parent) for c in page.comments]
    assert got == [("تعليق", "أحمد", None), ("موافق تماما", None, "#1"), ("وأنا كذلك", None, None)]


def test_a_reply_that_is_only_a_reply_marker_keeps_its_text() -> None:
    page = _parse("عنوان\n\nفقرة.\n\nتعليقان\n\n  1. أول\n\n    1.1 رد على كلامك\n")
    assert [(c.text, c.parent) for c in page.comments] == [("أول", None), ("رد على كلامك", "#1")]


def test_comments_signed_at_their_foot() -> None:
    page = _parse(
        "عنوان\n\nفقرة.\n\n3 تعليقات\n\n"
        "خبر مهم شكرا لكم\nأبو محمد - 5 آذار 2024\n\n"
        "ما في كهربا من يومين\nوالمي مقطوعة كمان\nسلمى\n6 آذار 2024 10:00\n\n"
        "رد على أبو محمد: العفو\nمنذ ساعة\n"
    )
    got = [(c.text, c.author, c.posted_at, c.parent) for c in page.comments]
    assert got == [
        ("خبر مهم شكرا لكم", "أبو محمد", "2024-03-05", None),
        # «من يومين» inside the text is no date line, and no author either
        ("ما في كهربا من يومين\nوالمي مقطوعة كمان", "سلمى", "2024-03-06T10:00:00", None),
        ("العفو", None, "2024-03-10T11:00:00", "#1"),
    ]


def test_a_dated_remark_is_not_an_author_line() -> None:
    page = _parse("عنوان\n\nفقرة.\n\nالتعليقات\n\nالكهربا مقطوعة منذ يومين\n\nصح\n")
    assert [(c.text, c.author) for c in page.comments] == [
        ("الكهربا مقطوعة منذ يومين", None),
        ("صح", None),
    ]


def test_numbered_list_may_skip_moderated_numbers() -> None:
    page = _parse("عنوان\n\nفقرة.\n\n5 تعليقات\n\n  1. أول\n\n  2. ثان\n\n  4. رابع\n")
    assert [c.text for c in page.comments] == ["أول", "ثان", "رابع"]


def test_a_number_that_does_not_follow_continues_the_comment() -> None:
    page = _parse("عنوان\n\nفقرة.\n\nتعليقان\n\n  1. أول\n  2. ثان\n  2024. سنة صعبة\n")
    assert [c.text for c in page.comments] == ["أول", "ثان\n2024. سنة صعبة"]


# --- Linear time on adversarial input --------------------------------------------------

# Each unit, repeated to 100,000 characters, feeds some pattern its longest futile attempt:
# number paths and dates for the digit-led patterns, markers and labels for the Arabic ones.
ADVERSARIAL_UNITS = (
    "1.1 ", "5 آذار 12:", "منذ رد على ", "[caption [ads", "كتب: أبو محمد يقول ", "ً",
    "التعليقات (اقرأ أيضا ", "2024-03-- |",
)
ADVERSARIAL_LINES = tuple(
    (unit * (100_000 // len(unit) + 1))[:100_000] for unit in ADVERSARIAL_UNITS
)


def _patterns(*modules: object) -> list[re.Pattern[str]]:
    return [v for m in modules for v in vars(m).values() if isinstance(v, re.Pattern)]


def test_every_heuristic_is_linear_on_100k_character_lines() -> None:
    patterns = _patterns(text, dates, language, boilerplate)
    assert len(patterns) > 15  # the scan found the modules' compiled patterns
    started = time.process_time()  # CPU time: other jobs may share the machine
    for line in ADVERSARIAL_LINES:
        for pattern in patterns:
            pattern.search(line)
        assert dates.parse_date(line, now=NOW) is None  # too long to be a date
        assert language.detect_language(line) in {None, "ar", "en", "und"}
        boilerplate.classify_line(line)
        page = parse_text(f"عنوان\n\n{line}\n\nالتعليقات\n\n{line}\n\n  1. {line}\n")
        assert page.title == "عنوان"
    elapsed = time.process_time() - started
    assert elapsed < 10, f"adversarial lines took {elapsed:.1f} s: a pattern backtracks"
