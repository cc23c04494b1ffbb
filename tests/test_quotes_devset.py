"""The quotation development set: well-formed, as built, and covering the conventions.

``tests/fixtures/quotes/dev.jsonl`` is built by ``build_dev.py`` from passages marked by
substring; these tests hold the file to that script, check every record against the format of
``marsad eval quotes``, and check that every cue class and every "not a quotation" case of
``../shared/data/quotes_conventions.md`` is present (the latter with no gold quotation).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from marsad.enrich.outlets import OUTLETS

FOLDER = Path(__file__).resolve().parent / "fixtures" / "quotes"
FIELDS = ("speaker", "speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "content",
          "content_start", "content_end", "direct", "via", "anonymous")

# Cue classes of the conventions: a gold cue (its clitics stripped) must match each somewhere.
CUE_CLASSES: dict[str, str] = {
    "قال": r"(قال|قالت|يقول|تقول)", "أضاف": r"(أضاف|أضافت|يضيف)", "تابع": r"(تابع|تابعت)",
    "أردف": r"أردف", "أكد": r"(أكد|أكدت|يؤكد)", "أوضح": r"(أوضح|أوضحت)", "صرح": r"صرح",
    "أشار": r"(أشار|أشارت)", "ذكر": r"(ذكر|ذكرت)", "أعلن": r"(أعلن|أعلنت)",
    "أفاد": r"(أفاد|أفادت)", "شدد": r"شدد", "حذر من أن": r"(حذر|حذرت)", "نفى أن": r"نفى",
    "تساءل": r"تساءل", "وصف بأنه": r"(وصف|وصفت)",
    "اعتبر": r"اعتبر", "رأى": r"(رأى|يرى)", "توقع": r"توقع", "رجح": r"رجح",
    "مشيرا": r"مشيرا", "مؤكدا": r"مؤكدا", "مضيفا": r"(مضيفا|مضيفة)", "قائلا": r"قائلا",
    "موضحا": r"موضحا",
    "قوله": r"قوله", "بالقول": r"القول", "تصريحاته": r"تصريحاته", "ويتردد": r"يتردد",
    "حسب": r"حسب", "بحسب": r"بحسب", "وفق": r"وفق", "وفقا ل": r"وفقا", "نقلا عن": r"نقلا",
}

# "Not a quotation" cases: each must occur in some passage, with no gold cue inside it.
NOT_QUOTES: dict[str, str] = {
    "نفى حدوث": r"نف(ى|ت)\s+(\S+\s+){0,3}حدوث",
    "دعا إلى": r"(دعا|دعت)\s+(\S+\s+){0,3}إلى",
    "حث على": r"حث\s+(\S+\s+){0,8}على",
    "طالب ب": r"طالب(ت)?\s+(\S+\s+){0,4}ب\S+",
    "هدد ب": r"هدد\s+(\S+\s+){0,3}ب\S+",
    "أعرب عن أمله": r"أعرب\s+(\S+\s+){0,3}عن أمله",
    "تمنى": r"تمنى",
    "يذكر أن": r"يذكر أن",
    "يشار إلى أن": r"يشار إلى أن",
    "تجدر الإشارة إلى أن": r"تجدر الإشارة إلى أن",
    "يعتقد أن": r"يعتقد أن",
    "من المتوقع أن": r"من المتوقع أن",
    "الأرقام الرسمية تشير": r"الأرقام الرسمية تشير",
    "وفقا للقانون": r"وفقا للقانون",
    "حسب التقاليد": r"حسب التقاليد",
}
CLITICS = re.compile(r"^(و|ف)?(ب)?")
MARKED = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"]*\"")


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_dev", FOLDER / "build_dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _read(name: str) -> list[dict[str, Any]]:
    with (FOLDER / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def dev() -> list[dict[str, Any]]:
    return _read("dev.jsonl")


def test_the_file_is_what_the_builder_builds(dev: list[dict[str, Any]]) -> None:
    builder = _load_builder()
    assert builder.build(builder.DEV) == dev
    if (FOLDER / "fresh.jsonl").exists():
        assert builder.build(builder.FRESH) == _read("fresh.jsonl")


@pytest.mark.parametrize("name", ["dev.jsonl", "fresh.jsonl"])
def test_every_record_is_well_formed(name: str) -> None:
    if not (FOLDER / name).exists():
        pytest.skip(f"{name} is not built yet")
    canonical = {o.canonical for o in OUTLETS}
    records = _read(name)
    assert len({r["id"] for r in records}) == len(records)
    for record in records:
        assert set(record) == {"id", "text", "quotes"}
        text = record["text"]
        for q in record["quotes"]:
            assert tuple(q) == FIELDS
            for part in ("cue", "content"):
                start, end = q[f"{part}_start"], q[f"{part}_end"]
                assert 0 <= start < end <= len(text)
                assert text[start:end] == q[part], (record["id"], part)
                assert text[start:end] == text[start:end].strip()
            if q["speaker"] is None:
                assert q["speaker_start"] is None and q["speaker_end"] is None
                assert q["anonymous"], "no stated speaker is anonymous by the conventions"
            else:
                assert text[q["speaker_start"]:q["speaker_end"]] == q["speaker"]
            assert " " not in q["cue"], "a cue is one word with its clitics"
            assert isinstance(q["direct"], bool) and isinstance(q["anonymous"], bool)
            assert q["via"] is None or q["via"] in canonical, q["via"]
            assert q["via"] is None or q["via"] != q["speaker"]


def test_size(dev: list[dict[str, Any]]) -> None:
    assert len(dev) >= 60
    assert sum(len(r["quotes"]) for r in dev) >= 150


def test_every_cue_class_is_present(dev: list[dict[str, Any]]) -> None:
    cues = {CLITICS.sub("", q["cue"]) for r in dev for q in r["quotes"]} | {
        q["cue"] for r in dev for q in r["quotes"]
    }
    missing = [name for name, pattern in CUE_CLASSES.items()
               if not any(re.fullmatch(pattern, c) for c in cues)]
    assert not missing


def test_every_kind_of_turn_and_via_is_present(dev: list[dict[str, Any]]) -> None:
    quotes = [q for r in dev for q in r["quotes"]]
    assert any(q["speaker"] is None for q in quotes)  # hearsay
    assert sum(q["direct"] for q in quotes) >= 20 and sum(not q["direct"] for q in quotes) >= 80
    assert 30 <= sum(q["anonymous"] for q in quotes) <= len(quotes) - 30
    assert len({q["via"] for q in quotes if q["via"]}) >= 10
    # dropped subjects: a speaker span before the cue of an earlier quotation's reporting clause
    dropped = [q for r in dev for q in r["quotes"]
               if q["speaker_start"] is not None and q["speaker_start"] < q["cue_start"]
               and q["cue"] not in ("قوله", "بالقول", "بتصريحاته")
               and not q["cue"].endswith(("ا", "ة"))]
    assert len(dropped) >= 10


def test_every_not_a_quote_case_is_present_without_a_gold_quote(
    dev: list[dict[str, Any]],
) -> None:
    for name, pattern in NOT_QUOTES.items():
        hits = [(r, m) for r in dev for m in re.finditer(pattern, r["text"])]
        assert hits, f"no passage has «{name}»"
        for record, m in hits:
            for q in record["quotes"]:
                assert not m.start() <= q["cue_start"] < m.end(), (record["id"], name)


def test_marked_text_outside_quotations_and_nested_attributions(
    dev: list[dict[str, Any]],
) -> None:
    """Scare quotes, titles and slogans are marked text in no gold content; nested reports
    are inside a gold content with no gold cue of their own."""
    outside = 0
    for record in dev:
        for m in MARKED.finditer(record["text"]):
            if not any(q["content_start"] <= m.start() + 1 < q["content_end"] + 1
                       for q in record["quotes"]):
                outside += 1
    assert outside >= 5
    nested = [q for r in dev for q in r["quotes"]
              if re.search(r"(قال|أكدت|أعلن)\S*\s+(\S+\s+){0,4}(إن|أن|أنها|:)", q["content"])]
    assert nested
