"""Quotations (marsad.enrich.quotes): the seed, every cue class, every "not a quotation" case,
via by turn and anonymity, and the bars on the development set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.enrich.quotes import find_quotes, speaker_entities
from marsad.evaluate.quotes import evaluate_quotes
from tests.conftest import need_shared

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quotes"


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


@pytest.fixture(scope="module")
def seed() -> tuple[str, list[dict]]:
    gold = json.loads(need_shared("seed", "gold.json").read_text(encoding="utf-8"))
    return "\n".join(gold["paragraphs"]), gold["quotes"]


def test_the_seed_quotations_are_found_with_their_spans(seed: tuple[str, list[dict]]) -> None:
    text, gold = seed
    found = find_quotes(text)
    assert len(found) == len(gold) == 6
    for g, q in zip(gold, found, strict=True):
        gs, qs = (g["content_start"], g["content_end"]), (q.content.start, q.content.end)
        assert _overlap(gs, qs) >= max(gs[1] - gs[0], qs[1] - qs[0]) / 2, g["content"]
        assert q.speaker is not None
        assert _overlap((g["speaker_start"], g["speaker_end"]),
                        (q.speaker.start, q.speaker.end)) > 0, g["speaker"]
        assert q.cue.text == g["cue"] and q.cue.start == g["cue_start"]
        assert q.via == "رويترز"
        assert q.anonymous
        assert q.direct == g["direct"]


def test_the_seed_urging_sentence_is_not_a_quotation(seed: tuple[str, list[dict]]) -> None:
    text, _ = seed
    start = text.index("وحث القائد")
    end = text.index("\n", start)
    assert not [q for q in find_quotes(text) if start <= q.cue.start < end]


def test_the_seed_has_three_people(seed: tuple[str, list[dict]]) -> None:
    text, _ = seed
    people = speaker_entities(find_quotes(text))
    assert people == [0, 0, 0, 1, 2, 2]


# (sentence, cue, speaker or None, content) — each a single quotation.
ONE_QUOTE = [
    ("قال الوزير سامي نصار إن الحكومة ستدعم المزارعين.", "قال", "الوزير سامي نصار",
     "الحكومة ستدعم المزارعين"),
    ("وأكدت الوزارة أن المدارس ستفتح غدا.", "وأكدت", "الوزارة", "المدارس ستفتح غدا"),
    ("وأوضح المدير أن العمل سينتهي قريبا.", "وأوضح", "المدير", "العمل سينتهي قريبا"),
    ("وصرح المحافظ بأن الطريق مفتوح.", "وصرح", "المحافظ", "الطريق مفتوح"),
    ("وأشار النائب إلى أن الجلسة تأجلت.", "وأشار", "النائب", "الجلسة تأجلت"),
    ("وذكرت الشرطة أن الحادث وقع ليلا.", "وذكرت", "الشرطة", "الحادث وقع ليلا"),
    ("وأعلن الجيش أن العملية انتهت.", "وأعلن", "الجيش", "العملية انتهت"),
    ("وأفادت مصادر بأن الوفد وصل.", "وأفادت", "مصادر", "الوفد وصل"),
    ("وشدد الرئيس على أن الحوار هو الحل.", "وشدد", "الرئيس", "الحوار هو الحل"),
    ("وحذر الخبير من أن الأسعار سترتفع.", "وحذر", "الخبير", "الأسعار سترتفع"),
    ("ونفى المتحدث أن يكون الوفد قد انسحب.", "ونفى", "المتحدث", "يكون الوفد قد انسحب"),
    ("وتساءل النائب: “من يحاسب المقصرين؟”", "وتساءل", "النائب", "من يحاسب المقصرين؟"),
    ("ووصف الوزير الاتفاق بأنه تاريخي.", "ووصف", "الوزير", "تاريخي"),
    ("واعتبر المحلل أن القرار متأخر.", "واعتبر", "المحلل", "القرار متأخر"),
    ("ورأى الباحث أن الأزمة ستطول.", "ورأى", "الباحث", "الأزمة ستطول"),
    ("وتوقع البنك أن يتباطأ النمو.", "وتوقع", "البنك", "يتباطأ النمو"),
    ("ورجح الخبير أن تنخفض الأسعار.", "ورجح", "الخبير", "تنخفض الأسعار"),
    ("ونقلت وكالة سانا عن المحافظ قوله إن الطريق فتح.", "قوله", "المحافظ", "الطريق فتح"),
    ("واختتم الوزير كلمته بالقول إن الأمن أولوية.", "بالقول", "الوزير", "الأمن أولوية"),
    ("وأثار الوزير جدلا بتصريحاته بأن الضرائب سترتفع.", "بتصريحاته", "الوزير",
     "الضرائب سترتفع"),
    ("ويتردد أن الحكومة ستستقيل.", "ويتردد", None, "الحكومة ستستقيل"),
    ("وبحسب مصادر محلية، فإن القصف استمر ساعات.", "وبحسب", "مصادر محلية",
     "القصف استمر ساعات"),
    ("وقتل ثلاثة أشخاص، حسب شهود عيان.", "حسب", "شهود عيان", "وقتل ثلاثة أشخاص"),
    ("ووفق الوزارة، فإن الإصابات تراجعت.", "ووفق", "الوزارة", "الإصابات تراجعت"),
    ("ووفقا لمصدر طبي، فإن المصابين نقلوا إلى المستشفى.", "ووفقا", "مصدر طبي",
     "المصابين نقلوا إلى المستشفى"),
    ("ونقلا عن سكان، فإن الكهرباء انقطعت.", "ونقلا", "سكان", "الكهرباء انقطعت"),
    ("وقال الحاج سليم نحن لن نغادر أرضنا.", "وقال", "الحاج سليم", "نحن لن نغادر أرضنا"),
    ("وقال المدرب: الفريق قدم مباراة كبيرة.", "وقال", "المدرب", "الفريق قدم مباراة كبيرة"),
    ("“سنعود إلى بيوتنا”، قال أحد النازحين.", "قال", "أحد النازحين", "سنعود إلى بيوتنا"),
]


@pytest.mark.parametrize(("text", "cue", "speaker", "content"), ONE_QUOTE,
                         ids=[c[1] + "-" + str(i) for i, c in enumerate(ONE_QUOTE)])
def test_each_cue_class(text: str, cue: str, speaker: str | None, content: str) -> None:
    found = find_quotes(text)
    assert len(found) == 1, [q.content.text for q in found]
    q = found[0]
    assert q.cue.text == cue
    assert (q.speaker.text if q.speaker else None) == speaker
    assert q.content.text == content
    assert text[q.content.start:q.content.end] == content


def test_participles_start_new_quotations_with_the_same_speaker() -> None:
    text = ("وقال الوزير إن الخطة جاهزة، مشيرا إلى أن التنفيذ يبدأ غدا، ومؤكدا أن التمويل "
            "متوفر، ومضيفا أن اللجان شكلت، وموضحا أن المتابعة أسبوعية.")
    found = find_quotes(text)
    assert [q.cue.text for q in found] == ["وقال", "مشيرا", "ومؤكدا", "ومضيفا", "وموضحا"]
    assert {(q.speaker.start, q.speaker.end) for q in found if q.speaker} == {(5, 11)}
    assert found[0].content.text == "الخطة جاهزة"


def test_a_frame_participle_belongs_to_its_verb() -> None:
    found = find_quotes("وأضاف الوزير قائلا: “لن نتراجع.”")
    assert len(found) == 1 and found[0].cue.text == "وأضاف" and found[0].direct


# Each sentence holds a "not a quotation" case of the conventions (and nothing else).
NOT_QUOTES = [
    "ونفى الجيش حدوث أي اشتباك.",
    "ودعا الوزير إلى ضبط النفس.",
    "وحث المحافظ السكان على البقاء في منازلهم.",
    "وطالب الأهالي بفتح تحقيق.",
    "وهدد الاتحاد بإضراب عام.",
    "وأعرب الرئيس عن أمله في أن تنجح المفاوضات.",
    "وتمنى أن تنتهي الأزمة قريبا.",
    "ويذكر أن المدينة شهدت احتجاجات مماثلة.",
    "ويشار إلى أن الطريق مغلق منذ أيام.",
    "وتجدر الإشارة إلى أن الجسر بني قبل قرن.",
    "ويعتقد أن الحريق بدأ في المطبخ.",
    "ومن المتوقع أن تصل الأمطار غدا.",
    "والأرقام الرسمية تشير إلى أن البطالة ارتفعت.",
    "ووفقا للقانون، تمنع التجمعات الليلية.",
    "وحسب التقاليد، يقام الاحتفال في الساحة.",
    "ويتحدث المسؤولون عن “إصلاحات” لم تتحقق.",
    "وعرض المسرح مسرحية “ليل طويل” للمرة الأولى.",
    "وهتف المتظاهرون “الخبز حق للجميع” أمام الوزارة.",
    "وأعلنت البلدية إغلاق السوق.",
    "وأكد المجلس دعمه للمشروع.",
    "وكتب أحدهم على لافتة “التعليم ليس سلعة”.",
    "وحث القائد التحالف “وكل سلاح الجو” على مهاجمة القوافل.",
]


@pytest.mark.parametrize("text", NOT_QUOTES)
def test_not_a_quotation(text: str) -> None:
    assert find_quotes(text) == []


def test_nested_attribution_is_inside_the_outer_quotation() -> None:
    text = "وقال الوسيط إن المعارضة أكدت أنها ستشارك، وإن الحكومة قالت إنها موافقة."
    found = find_quotes(text)
    assert len(found) == 1
    assert found[0].content.text.startswith("المعارضة أكدت")


def test_dropped_subject_points_to_the_nearest_earlier_mention() -> None:
    text = ("قال مصدر عسكري إن الهجوم فشل. وأضاف المصدر أن الخسائر كبيرة.\n"
            "وتابع: “سنرد في الوقت المناسب.”")
    found = find_quotes(text)
    assert len(found) == 3
    assert found[2].speaker is not None and found[1].speaker is not None
    assert (found[2].speaker.start, found[2].speaker.end) == (
        found[1].speaker.start, found[1].speaker.end)
    assert found[2].direct and found[2].content.text == "سنرد في الوقت المناسب."
    assert speaker_entities(found) == [0, 0, 0]


def test_via_is_shared_by_a_turn_backward_and_forward_but_not_beyond() -> None:
    text = ("وقال مسؤول محلي إن السد مهدد. وأضاف المسؤول لوكالة الأناضول أن المياه ارتفعت. "
            "وتابع أن الإخلاء بدأ. وقال محافظ المنطقة إن الوضع تحت السيطرة. "
            "وأضاف المسؤول المحلي أن فرقا وصلت.")
    found = find_quotes(text)
    assert [q.via for q in found] == ["الأناضول", "الأناضول", "الأناضول", None, None]


@pytest.mark.parametrize(("text", "via"), [
    ("وقال الوزير لرويترز إن الاتفاق قريب.", "رويترز"),
    ("وقال الوزير لـرويترز إن الاتفاق قريب.", "رويترز"),
    ("وقال الوزير في مقابلة مع قناة الجزيرة إن الاتفاق قريب.", "الجزيرة"),
    ("وقال الوزير في حديث لصحيفة الحياة إن الاتفاق قريب.", "الحياة"),
    ("وقال الوزير، بحسب فرانس برس، إن الاتفاق قريب.", "فرانس برس"),
    ("ونقلت وكالة أسوشيتد برس عن الوزير قوله إن الاتفاق قريب.", "أسوشيتد برس"),
    ("وقال الوزير في بيان إن الاتفاق قريب.", None),
    ("وقال الوزير للصحفيين إن الاتفاق قريب.", None),
    ("عواصم - رويترز\nقال الوزير إن الاتفاق قريب.", None),
    ("وذكرت وكالة رويترز أن الاتفاق قريب.", None),  # the outlet is the speaker
])
def test_via_forms(text: str, via: str | None) -> None:
    found = find_quotes(text)
    assert len(found) == 1
    assert found[0].via == via


@pytest.mark.parametrize(("text", "anonymous"), [
    ("وقال مصدر مطلع إن الاتفاق قريب.", True),
    ("وقال مسؤول في الوزارة إن الاتفاق قريب.", True),
    ("وقال قائد عسكري إن الاتفاق قريب.", True),
    ("وقال الوزير فريد حداد الذي فضل عدم الكشف عن هويته إن الاتفاق قريب.", True),
    ("وقال شهود عيان إن الاتفاق قريب.", True),
    ("ويتردد أن الاتفاق قريب.", True),
    ("وقال وزير الخارجية الروسي إن الاتفاق قريب.", False),
    ("وقال الوزير فريد حداد إن الاتفاق قريب.", False),
    ("وقال المتحدث باسم الجيش إن الاتفاق قريب.", False),
    ("وقال متحدث باسم الجيش إن الاتفاق قريب.", False),
    ("وقالت وزارة الخارجية إن الاتفاق قريب.", False),
])
def test_anonymous(text: str, anonymous: bool) -> None:
    found = find_quotes(text)
    assert len(found) == 1
    assert found[0].anonymous is anonymous


def test_offsets_point_into_the_original_text_with_harakat_and_tatweel() -> None:
    text = "وقَالَ المسـؤول إنّ الوضعَ صعب."
    (q,) = find_quotes(text)
    assert text[q.content.start:q.content.end] == q.content.text == "الوضعَ صعب"
    assert q.speaker is not None and q.speaker.text == "المسـؤول"


def test_empty_and_quote_free_texts() -> None:
    assert find_quotes("") == []
    assert find_quotes("   \n ") == []
    assert find_quotes("ارتفعت درجات الحرارة اليوم في معظم المناطق.") == []


def test_development_set_bars() -> None:
    result = evaluate_quotes(FIXTURES / "dev.jsonl")
    assert result["quotes"]["f1"] >= 0.80
    assert result["speaker"]["accuracy"] >= 0.85


def test_fresh_set_written_after_the_extractor() -> None:
    result = evaluate_quotes(FIXTURES / "fresh.jsonl")
    assert result["quotes"]["f1"] >= 0.80
    assert result["speaker"]["accuracy"] >= 0.85
