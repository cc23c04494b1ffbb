"""The sourcing summary (marsad.enrich.sourcing) and the enrich step that fills it."""

from __future__ import annotations

import json

from marsad.enrich.quotes import find_quotes
from marsad.enrich.sourcing import (
    cited_agencies,
    quoted_share,
    summarise_quotes,
    summarise_sourcing,
)
from marsad.record import Page, Paragraph
from tests.conftest import need_shared


def _page(*paragraphs: str) -> Page:
    return Page(id="t", language="ar", paragraphs=[Paragraph(p) for p in paragraphs])


def test_the_seed_summary() -> None:
    gold = json.loads(need_shared("seed", "gold.json").read_text(encoding="utf-8"))
    page = _page(*gold["paragraphs"])
    page.quotes = find_quotes(page.article_text)
    summary = summarise_sourcing(page)
    assert "رويترز" in summary.agencies
    assert summary.agencies == gold["sourcing"]["agencies"]
    assert summary.named_speakers == gold["sourcing"]["named_speakers"] == 0
    assert summary.anonymous_speakers == gold["sourcing"]["anonymous_speakers"] == 3
    covered = sum(q["content_end"] - q["content_start"] for q in gold["quotes"])
    assert abs(summary.quoted_share - covered / len(page.article_text)) < 1e-3


def test_speakers_are_people_not_statements() -> None:
    text = ("قال وزير الطاقة سامر الحلبي إن الأسعار ستنخفض. وأضاف الحلبي أن الخفض كبير. "
            "وتابع: “هذا وعد.” وقال مصدر مطلع إن القرار تأخر. وأضاف المصدر أن الموعد لم يحدد. "
            "ويتردد أن الوزير سيستقيل.")
    summary = summarise_quotes(text, find_quotes(text))
    assert (summary.named_speakers, summary.anonymous_speakers) == (1, 1)


def test_agencies_include_datelines_credits_and_aliases_but_not_broadcasters() -> None:
    text = ("عواصم - أ ف ب\nقال مسؤول لقناة الجزيرة إن الوضع هادئ، بحسب وكالة الأناضول.\n"
            "(الصورة: رويترز)")
    assert cited_agencies(text) == ["فرانس برس", "الأناضول", "رويترز"]


def test_ambiguous_agency_names_need_a_kind_word() -> None:
    assert cited_agencies("وقال إن الحياة صعبة وإن سانا الصغيرة نائمة.") == ["سانا"]
    assert cited_agencies("وقالت وكالة بترا إن الطريق مفتوح.") == ["بترا"]
    assert cited_agencies("وقال إن بترا مدينة أثرية.") == []


def test_quoted_share_counts_overlaps_once() -> None:
    text = "وقال الوزير إن الأمر صعب."
    quotes = find_quotes(text)
    share = quoted_share(text, quotes + quotes)
    assert share == len("الأمر صعب") / len(text)
    assert quoted_share("", []) == 0.0


def test_the_enrich_step_fills_quotes_and_sourcing() -> None:
    from marsad.enrich.step import EnrichStep

    page = _page("قال مسؤول محلي لوكالة رويترز إن الطريق مقطوع.", "وأضاف: “لا أحد يستطيع المرور.”")
    (page,) = list(EnrichStep().run([page]))
    assert not page.problems
    assert [q.cue.text for q in page.quotes] == ["قال", "وأضاف"]
    assert all(q.via == "رويترز" and q.anonymous for q in page.quotes)
    assert page.sourcing is not None
    assert page.sourcing.agencies == ["رويترز"]
    assert page.sourcing.anonymous_speakers == 1
    assert Page.from_json(page.to_json()) == page


def test_the_enrich_step_leaves_other_languages_alone() -> None:
    from marsad.enrich.step import EnrichStep

    page = Page(id="e", language="en", paragraphs=[Paragraph('He said: "yes".')])
    (page,) = list(EnrichStep().run([page]))
    assert page.quotes == [] and page.sourcing is None
