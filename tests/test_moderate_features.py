"""De-obfuscation and hashed features: what the moderation model sees of a comment."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.moderate.deobfuscate import _normaliser_offsets, arabizi_to_arabic, deobfuscate
from marsad.moderate.features import (
    HASH_BITS,
    featurize,
    occurrences,
    prepare,
)
from marsad.text.normalize import normalize


@pytest.mark.parametrize(("written", "seen"), [
    ("يا كلبببببب", "يا كلب"),  # elongation (the normaliser)
    ("يا كَلْبُ", "يا كلب"),  # harakat
    ("يا كـــلب", "يا كلب"),  # tatweel
    ("يا ك\u200cل\u200dب", "يا كلب"),  # zero-width joiners
    ("یا کلب", "يا كلب"),  # Persian yeh and keheh
    ("يا ڪلب گلب", "يا كلب كلب"),  # other Persian/Urdu letters
    ("ﻻ", "لا"),  # lam-alef ligature
    ("يا ك ل ب", "يا كلب"),  # spaced letters
    ("يا ك.ل.ب", "يا كلب"),  # dotted letters
    ("يا ك - ل - ب", "يا كلب"),
    ("يا ك🐶لب", "يا كلب"),  # emoji inside a word
    ("يا حم🐴ار", "يا حمار"),
    ("يا 7مار", "يا حمار"),  # a digit for a letter
    ("يا ح9ير", "يا حقير"),
    ("يا حماار", "يا حمار"),  # doubled alef
    ("ya kalb", "يا كلب"),  # Arabizi, listed words
    ("ibn el kalb", "ابن الكلب"),
    ("yakalb", "يا كلب"),
])
def test_obfuscations_are_undone(written: str, seen: str) -> None:
    assert deobfuscate(written).text == seen


@pytest.mark.parametrize("text", [
    "حلو😍جدا",  # emoji between two whole words: still two words
    "كلام.جميل",  # a full stop between words is not a dotted word
    "2024م",  # a number with a letter
    "hello world",  # English is not Arabizi
    "ياسر في اليابان",
])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert deobfuscate(text).text == text


def test_unlisted_arabizi_word_with_digits_is_read_by_letter_rules() -> None:
    assert arabizi_to_arabic("7aqeer") == "حقير"  # listed
    assert arabizi_to_arabic("met5alef") == "متخلف"  # listed
    assert arabizi_to_arabic("wa5ed") == "وخد"  # rules: w a(dropped) 5 e(dropped) d
    assert arabizi_to_arabic("table") is None  # no Arabizi digit, not listed


@pytest.mark.parametrize("text", [
    "يا ك.ل.ب يا حقيييير",
    "ya 7mar ibn el kalb",
    "قال: «انت  ك🐶لب» ٥ مرات\nثم ذهب",
    "أَنْتَ حِمَارٌ",
    "ك٥لب",  # an Arabic-Indic five inside a word (the slow path)
])
def test_every_cleaned_token_maps_back_to_what_the_reader_wrote(text: str) -> None:
    p = prepare(text)
    assert p.tokens
    for i, token in enumerate(p.tokens):
        start, end = p.token_span_in_original(i)
        assert 0 <= start < end <= len(text)
        # the original span, cleaned again, is the token (or holds it, for merged pieces)
        assert token in deobfuscate(text[start:end]).text


def test_dotted_word_maps_to_the_whole_written_word() -> None:
    text = "انت ك.ل.ب"
    p = prepare(text)
    assert p.tokens == ("انت", "كلب")
    assert text[slice(*p.token_span_in_original(1))] == "ك.ل.ب"


def _buckets(text: str) -> set[int]:
    occ = occurrences([prepare(text)])
    return set(occ.bucket.tolist())


def test_same_ngram_same_bucket_wherever_it_appears() -> None:
    alone = _buckets("كلب")
    inside = _buckets("انت كلب وسخ")
    assert alone and alone <= inside


def test_char_ngrams_stay_inside_words() -> None:
    # two words have the features of each word alone plus one: their bigram; no character
    # n-gram runs across the space
    both = _buckets("كلب وسخ")
    assert len(both - (_buckets("كلب") | _buckets("وسخ"))) == 1


def test_batch_features_equal_single_features() -> None:
    texts = ["يا كلب", "", "شكرا على التقرير", "ya 7mar"]
    batch = featurize([prepare(t) for t in texts], (1.0, 1.0))
    for i, t in enumerate(texts):
        one = featurize([prepare(t)], (1.0, 1.0))
        sel = batch.doc == i
        assert np.array_equal(batch.bucket[sel], one.bucket)
        assert np.allclose(batch.value[sel], one.value)


def test_values_are_l2_normalised_per_block() -> None:
    f = featurize([prepare("انت كلب وسخ")], (1.0, 1.0))
    for block in (0, 1):
        v = f.value[f.block == block]
        assert np.isclose(float(np.sum(v * v)), 1.0, atol=1e-5)
    assert f.bucket.max() < 2 ** HASH_BITS


def test_adversarial_long_input_is_fast() -> None:
    nasty = ("ك." * 50_000) + ("a7" * 50_000) + ("ك " * 50_000) + "🐶" * 20_000
    started = time.perf_counter()
    p = prepare(nasty)
    featurize([p], (1.0, 1.0))
    assert time.perf_counter() - started < 10


_ALPHABET = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى ،؟.!abcXYZ019٣🙂😡«»\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_fast_offset_map_equals_the_normalisers(text: str) -> None:
    norm = normalize(text, lower=True, collapse_space=True)
    starts, ends = _normaliser_offsets(text, norm)
    assert (starts, ends) == (norm.starts, norm.ends)
