"""Page furniture: shortcodes, furniture lines by kind, comment-section headers.

The phrases are data in ``parse/phrases.py``; these tests check that the data, compiled by
``parse/boilerplate.py``, recognises what it should and leaves prose alone.
"""

from __future__ import annotations

import re
import time

import pytest

from marsad.parse import boilerplate
from marsad.parse.boilerplate import (
    classify_line,
    comment_count,
    is_comment_header,
    strip_shortcodes,
)


def test_strip_shortcodes_records_each_with_its_kind() -> None:
    cleaned, removed = strip_shortcodes("فقرة أولى.[ads3] وتتمة [related_posts] نهاية[ads-2]")
    assert cleaned == "فقرة أولى. وتتمة نهاية"
    assert [(r.text, r.kind) for r in removed] == [
        ("[ads3]", "ad_marker"),
        ("[related_posts]", "related"),
        ("[ads-2]", "ad_marker"),
    ]


def test_strip_caption_block_with_its_content() -> None:
    text = 'قبل [caption id="a1" width="300"]<img src="p.jpg"> صورة من الحي[/caption] بعد'
    cleaned, removed = strip_shortcodes(text)
    assert cleaned == "قبل بعد"
    assert len(removed) == 1 and removed[0].kind == "other"
    assert removed[0].text.startswith("[caption") and removed[0].text.endswith("[/caption]")


def test_text_without_shortcodes_is_untouched() -> None:
    text = "قال إن [الوزير] سيزور المدينة"  # square brackets in prose are not shortcodes
    assert strip_shortcodes(text) == (text, [])


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("التعليقات المنشورة لا تعبر عن رأي الموقع وإنما عن رأي أصحابها", "disclaimer"),
        ("الآراء الواردة في التعليقات لا تعبر بالضرورة عن رأي الموقع", "disclaimer"),
        ("اقرأ أيضاً:", "related"),
        ("اقرأ أيضا: ارتفاع أسعار الخبز في حمص", "related"),
        ("مواضيع ذات صلة", "related"),
        ("شاهد أيضاً", "related"),
        ("جميع الحقوق محفوظة © 2024", "copyright"),
        ("© 2024 موقع المرصد", "copyright"),
        ("شارك", "share"),
        ("شارك المقال:", "share"),
        ("شارك على فيسبوك", "share"),
        ("فيسبوك | تويتر | واتساب", "share"),
        ("أضف تعليقاً", "comment_form"),
        ("اترك رداً", "comment_form"),
        ("البريد الإلكتروني *", "comment_form"),
        ("إرسال التعليق", "comment_form"),
        ("رد", "comment_form"),
        ("إلغاء الرد", "comment_form"),
        ("الرئيسية » أخبار محلية", "navigation"),
        ("المقال السابق", "navigation"),
        ("تابعونا على تويتر", "navigation"),
        ("من نحن | اتصل بنا | سياسة الخصوصية", "navigation"),
        ("الوسوم: حمص، الخبز، الأسعار", "navigation"),
    ],
)
def test_furniture_lines(line: str, kind: str) -> None:
    assert classify_line(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "قال مسؤول إن التعليقات على القرار كانت كثيرة.",
        "وأضاف أن الجميع يشارك في حملة التنظيف هذا الأسبوع.",
        "رد على أحمد",  # a reply marker is the comment parser's business, not furniture
        "اقرأ " + "كلمة " * 40,  # too long to be furniture
        "",
    ],
)
def test_prose_is_not_furniture(line: str) -> None:
    assert classify_line(line) is None


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("4 تعليقات", 4),
        ("٤ تعليقات", 4),
        ("11 تعليقا", 11),
        ("11 تعليقاً", 11),
        ("تعليق واحد", 1),
        ("تعليقان", 2),
        ("التعليقات (3)", 3),
        ("التعليقات: 7", 7),
        ("عدد التعليقات: 5", 5),
        ("لا توجد تعليقات", 0),
        ("كن أول من يعلق", 0),
        # «على» is folded to «علي» in the line: the patterns must be folded alike
        ("4 تعليقات على “ارتفاع الأسعار”", 4),
        ("تعليق واحد على “ارتفاع الأسعار”", 1),
        ("2 Comments", 2),
        ("One Response", 1),
    ],
)
def test_comment_counts(line: str, count: int) -> None:
    assert comment_count(line) == count
    assert is_comment_header(line)


@pytest.mark.parametrize("line", ["التعليقات", "تعليقات القراء", "Comments"])
def test_plain_comment_headers(line: str) -> None:
    assert comment_count(line) is None
    assert is_comment_header(line)


@pytest.mark.parametrize("line", ["قرأت 4 تعليقات مسيئة أمس", "التعليقات كثيرة اليوم", ""])
def test_prose_mentioning_comments_is_no_header(line: str) -> None:
    assert not is_comment_header(line)


def test_patterns_are_folded_like_the_lines() -> None:
    # written with «ى» and «ة» in phrases.py, matched against folded lines
    assert boilerplate._fold_pattern("تابعونا على ساحة") == "تابعونا علي ساحه"
    assert boilerplate._fold_pattern(r"^\S{1,3}\d$") == r"^\S{1,3}\d$"  # syntax untouched


ADVERSARIAL_UNITS = (
    "التعليقات المنشوره لا ", "4 تعليقات علي ", "[caption [ads", "شارك فيسبوك تويتر ",
    "الرئيسيه » ", "من نحن | ", "ً", "a",
)


def test_every_phrase_pattern_is_linear_on_100k_character_lines() -> None:
    patterns: list[re.Pattern[str]] = [p for _, p in boilerplate._LINE_RES]
    patterns += [p for p, _ in boilerplate._COUNT_RES]
    patterns += list(boilerplate._HEADER_RES)
    patterns += [boilerplate._SINGLE_RE, boilerplate._BLOCK_RE, boilerplate._CLOSING_RE]
    lines = [(u * (100_000 // len(u) + 1))[:100_000] for u in ADVERSARIAL_UNITS]
    started = time.process_time()  # CPU time: other jobs may share the machine
    for line in lines:
        for pattern in patterns:
            pattern.search(line)
        strip_shortcodes(line)
        assert classify_line(line) is None  # far too long to be furniture
        assert comment_count(line) is None
    elapsed = time.process_time() - started
    assert elapsed < 10, f"phrase patterns took {elapsed:.1f} s: one backtracks"


def test_related_block_headers_headlines_and_datelines() -> None:
    from marsad.parse.boilerplate import heads_related_block, is_dateline, looks_like_headline

    assert heads_related_block("الأكثر قراءة")
    assert heads_related_block("اقرأ أيضاً")
    # «اقرأ أيضا: …» carrying its own link is not a block header
    assert not heads_related_block("اقرأ أيضاً: افتتاح سوق شعبي جديد في إربد")
    assert looks_like_headline("إربد: افتتاح سوق شعبي جديد لبيع الخضار")
    assert not looks_like_headline("وقال المسؤول إن العمل سينتهي قبل نهاية الشهر.")
    assert is_dateline("- عمّان - صوت عمّان")
    assert not is_dateline("قال المسؤول - وهو من عمّان - إن العمل مستمر حتى نهاية الشهر")
