"""The normaliser: each folding rule, and offsets that always lead back to the original."""

from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text.normalize import fold, normalize


def test_folds_hamza_forms_alef_maqsura_and_ta_marbuta() -> None:
    assert normalize("أحمد إلى آخر ٱلله مستشفى مدرسة").text == "احمد الي اخر الله مستشفي مدرسه"


def test_strips_harakat_tatweel_and_invisible_controls() -> None:
    assert normalize("كَتَبَ مـــحمد").text == "كتب محمد"
    assert normalize("ح\u200cم\u200dا\u200fر\u202e\u2066").text == "حمار"


def test_persian_letters_and_digits() -> None:
    assert normalize("کتاب یوم ٢٠٢٤ ۱۲").text == "كتاب يوم 2024 12"


def test_nfkc_lengthens_ligatures() -> None:
    n = normalize("ﻻ ﷲ")
    assert n.text == "لا الله"
    # both letters of the lam-alef ligature map back to the one original character
    assert n.span_to_original(0, 2) == (0, 1)


def test_collapses_runs_of_three_but_never_two() -> None:
    assert normalize("كلبببب").text == "كلب"
    assert normalize("الله للأسد").text == "الله للاسد"
    assert normalize("soooo").text == "so"


def test_span_of_collapsed_run_covers_the_whole_run() -> None:
    original = "يا كلبببب"
    n = normalize(original)
    start = n.text.index("كلب")
    s, e = n.span_to_original(start, start + 3)
    assert original[s:e] == "كلبببب"


def test_span_keeps_a_words_trailing_harakat() -> None:
    original = "هذا كَلْبٌ هنا"
    n = normalize(original)
    start = n.text.index("كلب")
    s, e = n.span_to_original(start, start + 3)
    assert original[s:e] == "كَلْبٌ"


def test_fold_lowercases_and_collapses_space() -> None:
    assert fold("  Share   على\n\tفيسبوك ") == "share علي فيسبوك"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("كلبأإآىةیک ٠١ﻻﷲ\u064e\u0640\u200c\u202eab  \nZ")),
               max_size=60))
def test_every_span_maps_back_inside_the_original(text: str) -> None:
    n = normalize(text)
    assert len(n.starts) == len(n.ends) == len(n.text)
    for i in range(len(n.text)):
        s, e = n.span_to_original(i, i + 1)
        assert 0 <= s < e <= len(text)
        # the original character renormalises to (a superstring of) the normalised one
        assert n.text[i] in normalize(text[s:e]).text or n.text[i] == normalize(text[s:e]).text
    if n.text:
        assert n.span_to_original(0, len(n.text))[0] <= n.span_to_original(
            len(n.text) - 1, len(n.text))[0]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_never_crashes_and_is_idempotent(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once
    assert not set(once) & {"أ", "إ", "آ", "ى", "ة", "\u0640", "\u200c"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.booleans(), st.booleans())
def test_fast_path_and_offset_path_agree(text: str, lower: bool, collapse_space: bool) -> None:
    from marsad.text.normalize import _normalize_with_offsets

    fast = normalize(text, lower=lower, collapse_space=collapse_space)
    slow_text, starts, _ = _normalize_with_offsets(text, lower, collapse_space)
    assert fast.text == slow_text
    assert len(starts) == len(fast.text)
