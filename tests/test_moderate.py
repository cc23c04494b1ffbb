"""Comment moderation end to end: verdicts, the seed comments, evidence, obfuscation, sect.

Figures this module measures (obfuscation flip rates, evidence deletion share, sectarian
held-out accuracy) are printed with ``pytest -s`` and recorded in MODERATION_CARD.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from marsad.evaluate.moderation import (
    evaluate_obfuscation,
    evaluate_sectarian,
    evidence_deletion,
)
from marsad.moderate import load_model, load_policy, moderate, moderate_batch
from marsad.moderate.model import default_model_path
from marsad.names import MODERATION_LABELS, Decision, HateTarget
from marsad.record import Verdict

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "moderation"
SHARED = HERE.parent.parent / "shared"


def _seed_comments() -> list[dict]:
    gold = SHARED / "seed" / "gold.json"
    if not gold.exists():
        pytest.skip(f"{gold} is absent: the seed test needs ../shared beside the repository")
    return json.loads(gold.read_text(encoding="utf-8"))["comments"]


def _context() -> str:
    page = SHARED / "seed" / "gold.json"
    data = json.loads(page.read_text(encoding="utf-8"))
    return "\n".join([data["title"], *data["paragraphs"]])


def test_seed_first_comment_is_rejected_as_sectarian_hate() -> None:
    first = _seed_comments()[0]
    v = moderate(first["text"], context=_context())
    assert v.decision == Decision.REJECT
    assert v.labels["offensive"] and v.labels["hate"]
    assert v.hate_target in first["expect"]["hate_target_any_of"]
    assert v.evidence and v.reasons


def test_seed_first_comment_is_rejected_without_context_too() -> None:
    first = _seed_comments()[0]
    v = moderate(first["text"])
    assert v.decision == Decision.REJECT
    assert v.hate_target in first["expect"]["hate_target_any_of"]


def test_seed_second_comment_is_not_rejected() -> None:
    second = _seed_comments()[1]
    v = moderate(second["text"], context=_context())
    assert v.decision != Decision.REJECT
    assert not v.labels["hate"]


def _check_verdict(v: Verdict, text: str) -> None:
    policy = load_policy()
    assert set(v.scores) == set(MODERATION_LABELS) == set(v.labels)
    for label in MODERATION_LABELS:
        assert 0.0 <= v.scores[label] <= 1.0
        if label != "offensive":
            assert v.labels[label] == (v.scores[label] >= policy.labels[label])
    assert v.labels["offensive"] == (v.scores["offensive"] >= policy.labels["offensive"]
                                     or v.labels["hate"])
    assert v.decision in {d.value for d in Decision}
    assert v.model.startswith("marsad-moderation")
    if v.hate_target is not None:
        assert v.hate_target in {t.value for t in HateTarget}
    for e in v.evidence:
        assert 0 <= e.start < e.end <= len(text)
        assert e.label in MODERATION_LABELS
    if v.decision != Decision.PUBLISH:
        assert v.reasons


@pytest.mark.parametrize("text", [
    "يا كلب يا حقير",
    "شكرا على التقرير",
    "",
    "   \n ",
    "🙂🙂🙂",
    "hello there",
    "اقتلوهم جميعا ولا ترحموا أحدا",
    "x" * 5000,
])
def test_every_verdict_is_well_formed(text: str) -> None:
    _check_verdict(moderate(text), text)


def test_empty_comment_is_published() -> None:
    v = moderate("")
    assert v.decision == Decision.PUBLISH and not any(v.labels.values())


def test_batch_gives_the_same_verdicts_as_one_by_one() -> None:
    texts = ["يا حمار", "مقال ممتاز", "الروافض خونة", "ya kalb", ""]
    assert moderate_batch(texts) == [moderate(t) for t in texts]


def test_contexts_must_match_texts() -> None:
    with pytest.raises(ValueError, match="one context per text"):
        moderate_batch(["a", "b"], contexts=["x"])


def test_evidence_covers_the_obfuscated_insult_as_written() -> None:
    text = "انت يا ك.ل.ب ما بتستحي"
    v = moderate(text)
    assert v.decision != Decision.PUBLISH
    spans = [text[e.start:e.end] for e in v.evidence]
    assert any("ك.ل.ب" in s for s in spans), spans


def test_reasons_are_in_english_and_arabic() -> None:
    v = moderate("يا خنزير يا وسخ يا حقير")
    assert v.reasons
    for reason in v.reasons:
        assert any("a" <= c <= "z" for c in reason)
        assert any("\u0600" <= c <= "\u06ff" for c in reason)


def test_a_curse_at_whoever_is_never_rejected() -> None:
    text = "الله يلعن كل من يشعل الفتنة بين الناس ويتاجر بدمائهم"
    assert moderate(text).decision != Decision.REJECT


def test_violence_words_are_reported() -> None:
    v = moderate("اقتلوهم جميعا ولا ترحموا أحدا")
    assert v.scores["violence"] >= load_policy().decision["review_violence"]
    assert v.decision != Decision.PUBLISH
    assert any("violence" in r for r in v.reasons)


def _rejected_fixture_texts() -> list[str]:
    texts = []
    with (FIXTURES / "obfuscation.jsonl").open(encoding="utf-8") as f:
        texts += sorted({json.loads(line)["base"] for line in f if line.strip()})
    with (FIXTURES / "sectarian.jsonl").open(encoding="utf-8") as f:
        texts += [r["text"] for r in map(json.loads, f) if r["kind"] == "attack"]
    return texts


def test_deleting_the_evidence_drops_the_score_below_the_threshold() -> None:
    result = evidence_deletion(_rejected_fixture_texts())
    print(f"\nevidence deletion: {result['dropped']}/{result['rejected']} rejected comments "
          f"({result['share']:.0%}) fall below the threshold that rejected them; evidence is "
          f"{result['evidence_share_of_text']:.0%} of their text")
    # the policy rejects only at 95% precision (re-weighted to a 10% base rate), so a minority
    # of these offensive comments are rejected; the rest go to review
    assert result["rejected"] >= 20
    assert result["share"] > 0.5
    # the evidence is a part of the comment, not all of it
    assert result["evidence_share_of_text"] < 0.6


def test_obfuscation_flip_rates_are_at_most_five_percent() -> None:
    result = evaluate_obfuscation(FIXTURES / "obfuscation.jsonl")
    print("\nobfuscation:", json.dumps(result, ensure_ascii=False))
    assert result["n"] >= 200
    for view in ("label", "decision"):
        assert result[view]["offensive_to_clean"]["rate"] <= 0.05, result[view]
        assert result[view]["clean_to_offensive"]["rate"] <= 0.05, result[view]


def test_sectarian_heldout_targets_and_no_rejected_generic_curse() -> None:
    result = evaluate_sectarian(FIXTURES / "sectarian.jsonl")
    print("\nsectarian held-out:", json.dumps(result, ensure_ascii=False))
    assert result["attacks"] >= 30 and result["discussions"] >= 30
    assert result["target_accuracy"] >= 0.9
    assert result["attack_flagged"] >= 0.8
    assert result["discussion_hate"] <= 0.15
    assert result["generic_curse_rejected"] == 0


def test_sectarian_fixture_is_big_enough_and_split() -> None:
    rows = [json.loads(line) for line in (FIXTURES / "sectarian.jsonl").open(encoding="utf-8")]
    kinds = {k: [r for r in rows if r["kind"] == k] for k in ("attack", "discussion")}
    assert len(kinds["attack"]) >= 100 and len(kinds["discussion"]) >= 100
    assert {r["split"] for r in rows} == {"train", "heldout"}
    assert len({r["text"] for r in rows}) == len(rows)


def test_shipped_model_fits_the_budget_and_holds_no_pickles() -> None:
    models = default_model_path().parent
    files = sorted(models.glob("moderation*.npz"))
    assert files, f"no moderation model in {models}: run training/train_moderation.py"
    assert sum(f.stat().st_size for f in files) <= 12 * 1024 * 1024
    for path in files:
        with np.load(path, allow_pickle=False) as data:  # raises if anything is pickled
            assert data["weights"].dtype == np.uint8 and "weights_codebook" in data.files
            for key in ("domain_weights", "target_weights"):
                assert data[key].dtype == np.float16
        assert path.stat().st_size < 5 * 1000 * 1000  # no tracked file over 5 MB
    assert load_model().weights.dtype == np.float16
    assert (models / "MODERATION_CARD.md").exists()


def test_quantized_weights_keep_zeros_signs_and_large_weights_close() -> None:
    from marsad.moderate.model import _weights, quantize_rows

    rng = np.random.default_rng(3)
    weights = (rng.standard_normal((2, 5000)) ** 3 * 0.05).astype(np.float16)
    weights[:, ::3] = 0
    back = _weights(quantize_rows(weights)).astype(np.float32)
    original = weights.astype(np.float32)
    assert np.array_equal(back == 0, original == 0) or (np.abs(original[back == 0]) < 1e-3).all()
    assert (np.sign(back) * np.sign(original) >= 0).all()
    big = np.abs(original) > 0.1 * np.abs(original).max()
    assert (np.abs(back - original)[big] <= 0.05 * np.abs(original)[big]).all()


def test_model_loads_once() -> None:
    assert load_model() is load_model()
