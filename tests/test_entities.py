"""Entities: the seed page's gold entities, aliases, clitics, offsets, the enrich step, and the
tagger's ANERcorp dev figure."""

import json

from marsad.enrich.entities import MODEL_NAME, find_entities, tag_text, written_canonical
from marsad.enrich.gazetteers import GAZETTEER, gazetteer_lexicon
from marsad.enrich.step import EnrichStep
from marsad.names import EntityType
from marsad.read import Reader, ReadLimits
from marsad.record import Comment, Entity, Page, Paragraph
from marsad.run.pipeline import Pipeline

from .conftest import need_shared


def _seed() -> tuple[Page, dict]:
    path = need_shared("seed", "aksalser-deir-ez-zor.txt")
    gold = json.loads(need_shared("seed", "gold.json").read_text("utf-8"))
    (page,) = Pipeline(steps=[]).run(Reader(ReadLimits()).read([str(path)]))
    return page, gold


def _text_of(page: Page, where: str) -> str:
    if where == "title":
        return page.title or ""
    if where == "article":
        return page.article_text
    index = int(where.split()[1])
    return next(c.text for c in page.comments if c.index == index)


def _by_text(text: str) -> dict[str, tuple[str, str]]:
    """Written span → (canonical, type) of every entity found in a text."""
    return {text[f.start:f.end]: (f.canonical, f.type) for f in tag_text(text)}


def test_every_gold_entity_of_the_seed_is_found() -> None:
    page, gold = _seed()
    found = find_entities(page)
    for g in gold["entities_include"]:
        hits = [e for e in found if e.where == g["where"] and e.start < g["end"]
                and g["start"] < e.end and e.canonical == g["canonical"]]
        assert hits, f"missing {g['text']} ({g['where']} {g['start']}-{g['end']})"
        assert any(e.type == g["type"] for e in hits), f"{g['text']}: {hits}"
        # the gold spans cover the whole written word, clitics included (للأسد)
        assert any((e.start, e.end) == (g["start"], g["end"]) for e in hits), hits


def test_offsets_point_into_the_original_text() -> None:
    page, _ = _seed()
    found = find_entities(page)
    assert {e.where for e in found} >= {"title", "article", "comment 1"}
    for e in found:
        assert _text_of(page, e.where)[e.start:e.end] == e.text
        assert e.type in {t.value for t in EntityType}
        assert e.text.strip() == e.text and e.text


def test_spans_keep_harakat_and_tatweel_of_the_original() -> None:
    text = "وقالَ مسؤولٌ لـرويترزَ إنّ قواتٍ دخلت دير الـزور."
    found = {text[f.start:f.end]: f.canonical for f in tag_text(text)}
    assert found["لـرويترزَ"] == "رويترز"
    assert found["دير الـزور"] == "دير الزور"


def test_aliases_meet_on_one_canonical() -> None:
    text = ("أعلن تنظيم الدولة الإسلامية مسؤوليته، وقالت مصادر إن داعش انسحب، فيما نفت الدولة "
            "الإسلامية ذلك. وقال بشار الأسد إن الأسد باق، وتحدثت قوات سوريا الديمقراطية عن قسد.")
    found = _by_text(text)
    assert found["تنظيم الدولة الإسلامية"] == ("داعش", "ORG")
    assert found["داعش"] == ("داعش", "ORG")
    assert found["الدولة الإسلامية"] == ("داعش", "ORG")
    assert found["بشار الأسد"] == ("الأسد", "PER")
    assert found["الأسد"] == ("الأسد", "PER")
    assert found["قوات سوريا الديمقراطية"] == found["قسد"] == ("قسد", "ORG")


def test_clitics_are_seen_through_and_names_that_begin_with_them_kept() -> None:
    text = ("قال مصدر لرويترز إن التحالف الداعم للأسد تقدم والموصل هادئة، "
            "وزار وليد فيصل ليبيا ولبنان.")
    found = _by_text(text)
    assert found["لرويترز"] == ("رويترز", "ORG")
    assert found["للأسد"] == ("الأسد", "PER")
    assert found["والموصل"] == ("الموصل", "LOC")
    assert found["ليبيا"] == ("ليبيا", "LOC")
    assert found["ولبنان"] == ("لبنان", "LOC")
    # وليد and فيصل are never cut to ليد / يصل
    canonicals = {c for c, _ in found.values()}
    assert not canonicals & {"ليد", "يصل", "يبيا", "بنان"}
    written = [text[f.start:f.end] for f in tag_text(text)]
    assert all(not w.startswith(("ليد", "يصل")) for w in written)


def test_names_that_are_common_words_need_their_kind_word_outside_the_span() -> None:
    found = _by_text("وقالت حركة أمل إن الأمل باق، وتبنى تنظيم القاعدة الهجوم.")
    assert found["أمل"] == ("أمل", "ORG")
    assert found["القاعدة"] == ("القاعدة", "ORG")
    assert "الأمل" not in found and "حركة أمل" not in found
    assert not [f for f in tag_text("القاعدة العامة أن الأمل موجود.") if f.source == "gazetteer"]


def test_ambiguous_outlets_need_an_outlet_word_and_keep_their_name_span() -> None:
    found = _by_text("ونقلت صحيفة الحياة عن مسؤول أن الحياة عادت إلى طبيعتها.")
    assert found.get("الحياة") == ("الحياة", "ORG")
    assert "صحيفة الحياة" not in found
    assert len([f for f in tag_text("عادت الحياة إلى طبيعتها في المدينة.")
                if f.canonical == "الحياة"]) == 0


def test_a_known_name_inside_a_longer_name_of_another_type_is_left_to_the_model() -> None:
    # The rule itself, without relying on what the model tags: the canonical of a model
    # span strips a clitic only to reach a known word.
    assert written_canonical("ولندن", "ولندن") == "لندن"
    assert written_canonical("للأسد", "للاسد") == "الأسد"
    assert written_canonical("وليد", "وليد") == "وليد"
    assert written_canonical("وكريمو", "وكريمو") == "وكريمو"  # no known stem: as written
    assert written_canonical("بَشّار  الجعفري", "بشار") == "بشار الجعفري"


def test_gazetteer_aliases_do_not_collide() -> None:
    lexicon = gazetteer_lexicon()
    seen: dict[str, str] = {}
    for _, names in GAZETTEER:
        for name in names:
            for form in name.forms():
                written = f"{name.after[0]} {form}" if name.after else form
                key = " ".join(m.key for m in lexicon.find(written))
                assert key, form
                assert seen.setdefault(key, name.canonical) == name.canonical, form


def test_enrich_step_fills_entities_and_records_the_model() -> None:
    page = Page(id="p", language="ar", title="اشتباكات قرب حلب",
                paragraphs=[Paragraph("قال مسؤول لرويترز إن داعش هاجم دير الزور.")],
                comments=[Comment(id="c1", index=1, text="الله يحمي أهل الرقة")])
    (done,) = EnrichStep().run([page])
    assert done.provenance.models["ner"] == MODEL_NAME
    got = {(e.where, e.canonical) for e in done.entities}
    assert {("title", "حلب"), ("article", "رويترز"), ("article", "داعش"),
            ("article", "دير الزور"), ("comment 1", "الرقة")} <= got
    assert all(isinstance(e, Entity) for e in done.entities)
    (english,) = EnrichStep().run([Page(id="e", language="en", title="Aleppo")])
    assert english.entities == [] and "ner" not in english.provenance.models


def test_empty_and_wordless_texts_have_no_entities() -> None:
    assert tag_text("") == []
    assert tag_text("   \n ... !!") == []
    assert find_entities(Page(id="x", language="ar")) == []


def test_anercorp_dev_micro_f1_reaches_the_bar() -> None:
    from marsad.evaluate.ner import evaluate_ner

    result = evaluate_ner(need_shared("data", "ner", "anercorp_train.conll"), last_tenth=True)
    assert result["micro"]["f1"] >= 0.70, result
