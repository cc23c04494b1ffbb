"""The dialect identifier: metrics, clear sentences of each dialect, comment combining."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from marsad.enrich import dialect
from marsad.enrich.dialect import (
    NO_EVIDENCE,
    PageContext,
    context_probabilities,
    identify,
    identify_batch,
    identify_comment,
    identify_page,
    page_probabilities,
    split_sentences,
)
from marsad.enrich.dialect_features import (
    N_BUCKETS,
    feature_vector,
    text_buckets,
    text_words,
    word_list_buckets,
)
from marsad.evaluate.dialect import (
    bootstrap_intervals,
    evaluate_dialect,
    format_table,
    read_rows,
    score,
)
from marsad.names import Dialect
from marsad.record import DialectGuess

from .conftest import need_shared

MODEL_DIR = Path(dialect.__file__).resolve().parents[1] / "models"

# --- Metrics on a tiny synthetic file ---------------------------------------------------------


def test_score_counts_precision_recall_and_macro_over_gold_labels() -> None:
    gold = ["msa", "msa", "msa", "gulf", "gulf", "egyptian"]
    pred = ["msa", "msa", "gulf", "gulf", "iraqi", "egyptian"]
    result = score(gold, pred)
    assert result["accuracy"] == pytest.approx(4 / 6)
    msa = result["by_dialect"]["msa"]
    assert (msa["precision"], msa["recall"], msa["support"]) == (1.0, pytest.approx(2 / 3), 3)
    assert msa["f1"] == pytest.approx(0.8)
    gulf = result["by_dialect"]["gulf"]  # 1 right of 2 predicted, 1 found of 2 gold
    assert (gulf["precision"], gulf["recall"], gulf["f1"]) == (0.5, 0.5, 0.5)
    # Iraqi was predicted but is never gold: listed with precision 0, left out of the macro.
    assert result["by_dialect"]["iraqi"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0,
                                             "support": 0}
    assert "levantine" not in result["by_dialect"]
    assert result["macro_f1"] == pytest.approx((0.8 + 0.5 + 1.0) / 3)


def test_evaluate_dialect_reads_only_the_dev_rows(tmp_path: Path) -> None:
    rows = [
        {"text": "شو عم تعمل هلق يا زلمة", "dialect": "levantine", "split": "dev"},
        {"text": "إزيك يا عم عامل إيه النهارده", "dialect": "egyptian", "split": "dev"},
        # A training row the model would get wrong on purpose must not be counted.
        {"text": "إزيك يا عم عامل إيه النهارده", "dialect": "gulf", "split": "train"},
    ]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    assert len(read_rows(path)) == 2
    assert len(read_rows(path, split=None)) == 3
    result = evaluate_dialect(path)
    assert set(result) == {"accuracy", "macro_f1", "by_dialect", "context"}
    assert result["context"] == "none"  # no row has an article: each stands alone
    assert result["accuracy"] == 1.0
    assert result["by_dialect"]["egyptian"]["support"] == 1
    table = format_table(result)
    assert "egyptian" in table and "macro-F1" in table


def test_evaluate_dialect_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x", "dialect": "klingon"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:1: unknown dialect 'klingon'"):
        read_rows(path)


def test_bootstrap_interval_contains_the_figure_and_groups_widen_it() -> None:
    rng = np.random.default_rng(0)
    gold = ["msa"] * 300 + ["gulf"] * 300
    pred = [g if rng.random() < 0.8 else ("gulf" if g == "msa" else "msa") for g in gold]
    figure = score(gold, pred)["macro_f1"]
    rows_ci = bootstrap_intervals(gold, pred, samples=300)
    lo, hi = rows_ci["macro_f1"]
    assert lo < figure < hi
    assert 0.0 < hi - lo < 0.2
    # Twenty groups of thirty rows, each group all right or all wrong: far more uncertain.
    grouped_pred = [g if (i // 30) % 5 else ("gulf" if g == "msa" else "msa")
                    for i, g in enumerate(gold)]
    groups = [str(i // 30) for i in range(len(gold))]
    by_row = bootstrap_intervals(gold, grouped_pred, samples=300)["accuracy"]
    by_group = bootstrap_intervals(gold, grouped_pred, groups, samples=300)["accuracy"]
    assert by_group[1] - by_group[0] > 1.5 * (by_row[1] - by_row[0])


# --- Features -----------------------------------------------------------------------------------


def test_features_count_over_sqrt_of_their_number_and_see_through_spelling() -> None:
    buckets = text_buckets("إزيك عامل إيه")
    idx, values = feature_vector(buckets)
    assert np.all((idx >= 0) & (idx < N_BUCKETS))
    # 3 words, each with its own feature and char 1-5 grams, and 2 bigrams.
    assert float(values.sum()) * np.sqrt(len(buckets)) == pytest.approx(len(buckets), rel=1e-5)
    # Hamza and harakat are normalised away by the project normaliser: same features.
    same_idx, same_values = feature_vector(text_buckets("ازيك عامِل ايه"))
    assert np.array_equal(idx, same_idx) and np.allclose(values, same_values)
    assert feature_vector(text_buckets("!!! ..."))[0].size == 0


def test_cached_word_scores_equal_the_full_feature_vector_product() -> None:
    """The scorer's per-word shortcut must give what training's feature matrix gives."""
    model = dialect.get_model()
    for text in ["شو عم تعمل هلق شو", "وش تسوي الحين يا خوي", "كلمة"]:
        words = text_words(text)
        idx, values = feature_vector(word_list_buckets(words))
        expected = values @ model.weights[idx] + model.bias
        logits = model.logits_of_words(words)
        assert logits is not None and np.allclose(logits, expected, atol=1e-4)


# --- The shipped model on sentences we wrote --------------------------------------------------

CLEAR_SENTENCES = {
    Dialect.EGYPTIAN: ["إزيك عامل إيه النهارده", "أنا مش عارف هو عايز إيه بالظبط"],
    Dialect.LEVANTINE: ["شو عم تعمل هلق", "بدي روح عالبيت لأنو تعبان كتير"],
    Dialect.GULF: ["وش تسوي الحين", "والله ما ادري وش السالفة يا خوي"],
    Dialect.MAGHREBI: ["واش راك لاباس عليك", "بزاف ديال الناس ما فهموش هاد الشي"],
    Dialect.IRAQI: ["شلونك شكو ماكو", "ماكو شي جديد اليوم عيني"],
    Dialect.MSA: ["أعلنت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد الوطني",
                  "وأكد الوزير أن المفاوضات ستستمر خلال الأسابيع المقبلة"],
}


@pytest.mark.parametrize(
    ("label", "text"),
    [(label, text) for label, texts in CLEAR_SENTENCES.items() for text in texts],
)
def test_identify_clear_sentences(label: Dialect, text: str) -> None:
    guess = identify(text)
    assert isinstance(guess, DialectGuess)
    assert guess.label == label.value, f"{text!r}: {guess}"
    assert 0.0 < guess.confidence <= 1.0


def test_probabilities_cover_every_label_and_sum_to_one() -> None:
    p = dialect.probabilities("شو عم تعمل هلق")
    assert set(p) == {d.value for d in Dialect}
    assert sum(p.values()) == pytest.approx(1.0)
    assert max(p, key=p.__getitem__) == identify("شو عم تعمل هلق").label


def test_text_without_words_has_no_evidence() -> None:
    assert identify("") == NO_EVIDENCE
    assert identify_comment("!!! 😀 ...") == NO_EVIDENCE
    assert NO_EVIDENCE.confidence == 0.0


# --- Comments: sentences weighted by length ---------------------------------------------------


def test_split_sentences_on_arabic_and_latin_marks() -> None:
    assert split_sentences("جملة أولى. جملة ثانية؟ ثالثة!\nرابعة؛ خامسة…") == [
        "جملة أولى", "جملة ثانية", "ثالثة", "رابعة", "خامسة"
    ]
    assert split_sentences(" ... \n ") == []


def test_comment_label_is_the_length_weighted_mix_of_its_sentences() -> None:
    short_egyptian = "إزيك عامل إيه"
    long_msa = ("وأكد الوزير في مؤتمر صحفي عقده اليوم أن الحكومة ستواصل العمل على تنفيذ "
                "خطتها لدعم الاقتصاد الوطني وتحسين الخدمات العامة خلال الأعوام المقبلة")
    assert identify(short_egyptian).label == "egyptian"
    assert identify(long_msa).label == "msa"
    comment = f"{short_egyptian}. {long_msa}."
    mixed = identify_comment(comment)
    assert mixed.label == "msa"
    # The combination is exactly the word-count-weighted mean of the sentences' probabilities.
    p1, p2 = dialect.probabilities(short_egyptian), dialect.probabilities(long_msa)
    n1, n2 = 3, len(long_msa.split())
    expected = {k: (n1 * p1[k] + n2 * p2[k]) / (n1 + n2) for k in p1}
    assert mixed.confidence == pytest.approx(expected["msa"], abs=1e-3)
    # Lengthen the dialect side and the same weighting turns the label over.
    egyptian_heavy = ". ".join([short_egyptian, "أنا مش عارف هو عايز إيه بالظبط يا عم",
                                "ده كلام فاضي خالص ومش هيحصل حاجة النهارده"])
    assert identify_comment(f"{egyptian_heavy}. وأكد الوزير ذلك.").label == "egyptian"


def test_batch_matches_single_calls() -> None:
    texts = ["شو عم تعمل هلق", "وش تسوي الحين. والله ما ادري", ""]
    assert identify_batch(texts) == [identify_comment(t) for t in texts]
    assert identify_batch(texts, comments=False) == [identify(t) for t in texts]


def test_adversarial_long_line_is_bounded() -> None:
    guess = identify_comment("ههههه" * 20_000 + "." * 50_000)
    assert guess.label in {d.value for d in Dialect}


# --- Pages: comments labelled together ------------------------------------------------------

EGYPTIAN_PAGE = ["إزيك عامل إيه النهارده", "أنا مش عارف هو عايز إيه بالظبط",
                 "ده كلام فاضي خالص ومش هيحصل حاجة النهارده يا عم"]
LEVANTINE_PAGE = ["شو عم تعمل هلق", "بدي روح عالبيت لأنو تعبان كتير",
                  "والله ما حدا بيفهم شو عم بيصير هون"]
# Dialect, but no clear region: the shipped model alone reads it as Gulf.
AMBIGUOUS = "والله كلامك صح يا اخي"
CLEAR_MSA = "وأكد الوزير أن المفاوضات ستستمر خلال الأسابيع المقبلة"


def test_a_page_pulls_an_ambiguous_comment_toward_its_region() -> None:
    alone = identify_comment(AMBIGUOUS)
    assert alone.label not in {"egyptian", "levantine"}, f"precondition: {alone}"
    on_egyptian = identify_page([*EGYPTIAN_PAGE, AMBIGUOUS])
    on_levantine = identify_page([*LEVANTINE_PAGE, AMBIGUOUS])
    # The same words take the region of the page they were posted under.
    assert on_egyptian[-1].label == "egyptian"
    assert on_levantine[-1].label == "levantine"
    # The page's own comments keep their clear labels.
    assert [g.label for g in on_egyptian[:-1]] == ["egyptian"] * len(EGYPTIAN_PAGE)
    # Only the regions are re-weighted: the comment's MSA probability is its own.
    p_alone = dialect.comment_probabilities(AMBIGUOUS)
    p_page = page_probabilities([*EGYPTIAN_PAGE, AMBIGUOUS])[-1]
    assert p_alone is not None and p_page is not None
    msa = dialect.get_model().labels.index("msa")
    assert p_page[msa] == pytest.approx(p_alone[msa])
    assert p_page.sum() == pytest.approx(1.0)


def test_a_lone_comment_is_labelled_as_it_would_be_alone() -> None:
    for text in [AMBIGUOUS, CLEAR_MSA, "شو عم تعمل هلق. وأكد الوزير ذلك."]:
        assert identify_page([text]) == [identify_comment(text)]
        assert identify_page([text], comments=False) == [identify(text)]


def test_clear_msa_stays_msa_on_a_dialect_page() -> None:
    guesses = identify_page([*EGYPTIAN_PAGE, CLEAR_MSA])
    assert guesses[-1].label == "msa"


def test_texts_without_words_give_and_take_no_context() -> None:
    assert identify_page([]) == []
    guesses = identify_page(["", "!!! 😀", AMBIGUOUS])
    assert guesses[:2] == [NO_EVIDENCE, NO_EVIDENCE]
    assert guesses[2] == identify_comment(AMBIGUOUS)


def test_pages_scored_together_do_not_mix() -> None:
    """The tuning script scores many pages in one call; each must see only itself."""
    model = dialect.get_model()
    texts = [*EGYPTIAN_PAGE, AMBIGUOUS, *LEVANTINE_PAGE, AMBIGUOUS]
    scored = [dialect.weighted_probabilities(t) for t in texts]
    probs = np.array([p for p, _ in scored])
    words = np.array([n for _, n in scored])
    pages = np.array([0] * (len(EGYPTIAN_PAGE) + 1) + [1] * (len(LEVANTINE_PAGE) + 1))
    together = context_probabilities(probs, words, pages, model.labels, dialect.PAGE_CONTEXT)
    first = page_probabilities([*EGYPTIAN_PAGE, AMBIGUOUS])
    second = page_probabilities([*LEVANTINE_PAGE, AMBIGUOUS])
    assert np.allclose(together, np.array(first + second))


def test_strength_zero_and_a_large_prior_change_nothing() -> None:
    texts = [*EGYPTIAN_PAGE, AMBIGUOUS]
    alone = [identify_comment(t) for t in texts]
    assert identify_page(texts, context=PageContext(strength=0.0, prior_words=40.0)) == alone
    # A prior of a million even pseudo-words drowns the page's few dialect words.
    huge = PageContext(strength=3.0, prior_words=1e6)
    assert [g.label for g in identify_page(texts, context=huge)] == [g.label for g in alone]


def test_eval_reads_rows_of_one_article_as_one_page(tmp_path: Path) -> None:
    rows = [{"text": t, "dialect": "egyptian", "article": "youm7/1"} for t in EGYPTIAN_PAGE]
    rows.append({"text": AMBIGUOUS, "dialect": "egyptian", "article": "youm7/1"})
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    in_context = evaluate_dialect(path)
    alone = evaluate_dialect(path, context=False)
    assert in_context["context"] == "article" and alone["context"] == "none"
    assert in_context["accuracy"] == 1.0
    assert alone["accuracy"] == pytest.approx(3 / 4)  # the ambiguous row, read alone
    # Without the article field the same rows stand alone whatever the mode.
    for row in rows:
        del row["article"]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    assert evaluate_dialect(path) == alone


# --- Shipped files ----------------------------------------------------------------------------


def test_shipped_model_is_small_float16_and_loads_without_pickle() -> None:
    files = list(MODEL_DIR.glob("dialect*.npz"))
    assert files, f"no dialect model in {MODEL_DIR}; run training/train_dialect.py"
    assert sum(f.stat().st_size for f in files) <= 4 * 1024 * 1024
    with np.load(MODEL_DIR / "dialect.npz", allow_pickle=False) as data:
        assert data["weights"].dtype == np.float16
        assert data["weights"].shape == (N_BUCKETS, len(Dialect))
    assert (MODEL_DIR / "DIALECT_CARD.md").is_file()


# --- The bar on the shared dev rows -----------------------------------------------------------

# On aoc.jsonl dev the rows of one article are read as one page's comments (identify_page):
# 0.854 (0.838–0.867); each row alone, 0.794 (0.774–0.808) (DIALECT_CARD.md, "Page
# context"). The issue's bar is 0.82 on the dev rows as whole articles; the sentence-alone
# floor catches a regression of the sentence model itself.
AOC_DEV_FLOOR = 0.78
AOC_DEV_BAR = 0.82


@pytest.fixture(scope="module")
def aoc_dev() -> dict[str, object]:
    return evaluate_dialect(need_shared("data", "dialect", "aoc.jsonl"))


@pytest.fixture(scope="module")
def aoc_dev_sentences() -> dict[str, object]:
    return evaluate_dialect(need_shared("data", "dialect", "aoc.jsonl"), context=False)


def test_aoc_dev_sentences_alone_do_not_regress(aoc_dev_sentences: dict[str, object]) -> None:
    by = aoc_dev_sentences["by_dialect"]
    assert isinstance(by, dict)
    assert {"msa", "levantine", "gulf", "egyptian"} <= set(by)
    assert aoc_dev_sentences["context"] == "none"
    assert aoc_dev_sentences["macro_f1"] >= AOC_DEV_FLOOR  # type: ignore[operator]


def test_aoc_dev_articles_meet_the_issue_bar(aoc_dev: dict[str, object],
                                             aoc_dev_sentences: dict[str, object]) -> None:
    assert aoc_dev["context"] == "article"
    assert aoc_dev["macro_f1"] >= AOC_DEV_BAR  # type: ignore[operator]
    # The page context must not buy the regions with MSA: MSA F1 stays near its own.
    by, alone = aoc_dev["by_dialect"], aoc_dev_sentences["by_dialect"]
    assert isinstance(by, dict) and isinstance(alone, dict)
    assert by["msa"]["f1"] >= alone["msa"]["f1"] - 0.02
