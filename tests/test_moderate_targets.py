"""Who a comment addresses, whether its curse is aimed, and hate-target cues."""

from __future__ import annotations

import numpy as np
import pytest

from marsad.moderate.features import prepare
from marsad.moderate.targets import address, choose_target, cue_counts

ORDER = ("ethnicity_nationality", "gender", "ideology", "religion", "social_class")


def _address(text: str):  # type: ignore[no-untyped-def]
    return address(prepare(text).tokens)


@pytest.mark.parametrize("text", [
    "الله يلعن كل من ينفخ في نار الفتنة بين الناس",
    "لعن الله من أشعل هذه الحرب",
    "الله ياخذ كل واحد بيتاجر بدم الأبرياء",
])
def test_curse_at_whoever_is_generic(text: str) -> None:
    a = _address(text)
    assert a.generic_curses and a.only_generic_curse


@pytest.mark.parametrize("text", [
    "الله يلعنكم يا كلاب",  # second person and a vocative
    "انتم ملعونون ومن يقف معكم",  # second person
    "الله يلعن كل من يتبع الروافض",  # the object clause names a group
    "الله يلعن الشيعة",  # the curse names a group directly
])
def test_curse_at_someone_is_aimed(text: str) -> None:
    assert not _address(text).only_generic_curse


@pytest.mark.parametrize(("text", "addressed"), [
    ("يا حمار اسكت", True),
    ("ياكلب", True),
    ("يا رب احفظ بلادنا", False),  # God is not a target
    ("ياريت يرجع الأمان", False),
    ("ياسر وصل اليوم", False),  # a name beginning with يا
    ("انتو ما بتفهموا", True),
    ("حقيقتكم معروفة", True),  # the -كم suffix
    ("الحكم صدر اليوم", False),  # ends in كم but is not second person
])
def test_address(text: str, addressed: bool) -> None:
    assert _address(text).addresses_someone is addressed


def test_cues_point_to_targets_through_clitics() -> None:
    counts = cue_counts(prepare("والروافض وبالمجوس والنصيرية").tokens, ORDER)
    assert counts[ORDER.index("religion")] == 3
    assert counts.sum() == 3
    gender = cue_counts(prepare("النسوان ما بيفهموا").tokens, ORDER)
    assert gender[ORDER.index("gender")] == 1


def test_two_word_cue() -> None:
    counts = cue_counts(prepare("أعداء آل البيت").tokens, ORDER)
    assert counts[ORDER.index("religion")] == 1


def test_cue_overrules_a_weak_model_guess_but_not_a_strong_one() -> None:
    weak = np.array([0.3, 0.1, 0.35, 0.2, 0.05])
    cues = np.zeros(len(ORDER))
    cues[ORDER.index("religion")] = 1
    assert choose_target(ORDER, weak, np.zeros(len(ORDER))) == "ideology"
    assert choose_target(ORDER, weak, cues) == "religion"
    strong = np.array([0.02, 0.9, 0.03, 0.03, 0.02])
    assert choose_target(ORDER, strong, cues) == "gender"
