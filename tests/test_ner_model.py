"""The entity tagger's numpy model: its fast scores are the CRF's scores of the training
features, its Viterbi is exact, an export tags as crfsuite does, and the shipped file holds
ANERGazet only as hashes."""

import itertools
import random
from pathlib import Path

import numpy as np
import pytest

from marsad.enrich import entities
from marsad.enrich.ner_features import FeatureExtractor
from marsad.enrich.ner_model import CrfModel, HashedGazetteer, batch_of, export_crfsuite
from marsad.text.tokens import tokenize, words

# Our own sentences: names with clitics, punctuation between names, quotation marks, a
# line break, Latin letters and digits, a sentence end inside a number.
TEXTS = (
    "قال المتحدث باسم الهلال الأحمر لرويترز إن 3.5 طن من المساعدات وصلت إلى حلب، حمص وحماة.\n"
    "وأضاف «نحن بحاجة إلى المزيد» قبل أن يغادر إلى بيروت برفقة سامي الخطيب.",
    "التقى وزير الخارجية الأردني نظيره الفرنسي في باريس (أمس) لبحث ملف اللاجئين - وفق بيان UN.",
    "ولم يعلق مجلس الأمن على الهجوم",
    "كلمة",
)


def _string_scores(model: CrfModel, text: str) -> np.ndarray:
    """Emission scores as crfsuite computes them: the sum of the weights of each word's
    feature strings, as training builds them."""
    prepared = entities.prepare(text, FeatureExtractor(model.groups), model.gazetteer)
    return np.array([model._sum(feats) for sentence in prepared.features for feats in sentence])


def test_cached_scores_equal_the_sum_over_the_training_feature_strings() -> None:
    model = entities.model()
    parts = [(t, tokenize(t), entities.sentence_ranges(t, tokenize(t))) for t in TEXTS]
    batch, offsets = batch_of(parts, model.gazetteer)
    fast = model.emissions(batch)
    assert len(batch.sentences) > len(TEXTS)  # several sentences, and texts batched together
    for (text, tokens, _), at in zip(parts, offsets, strict=True):
        slow = _string_scores(model, text)
        assert slow.shape == (len(tokens), len(model.labels))
        np.testing.assert_allclose(fast[at:at + len(tokens)], slow, rtol=1e-9, atol=1e-9)
    # the same again from the per-word cache
    np.testing.assert_allclose(model.emissions(batch), fast, rtol=1e-12, atol=1e-12)


def _brute_force(scores: np.ndarray, trans: np.ndarray) -> list[int]:
    n, n_labels = scores.shape
    best, best_path = -np.inf, None
    for path in itertools.product(range(n_labels), repeat=n):
        total = sum(scores[t, y] for t, y in enumerate(path))
        total += sum(trans[a, b] for a, b in itertools.pairwise(path))
        if total > best:
            best, best_path = total, list(path)
    assert best_path is not None
    return best_path


def _tiny_model(rng: np.random.Generator, n_labels: int = 3) -> CrfModel:
    gazet = HashedGazetteer.from_names([])
    labels = [f"L{k}" for k in range(n_labels)]
    return CrfModel(labels, np.zeros(0, dtype=np.uint64), np.zeros((0, n_labels)),
                    rng.normal(size=(n_labels, n_labels)), frozenset(), gazet)


def test_batched_viterbi_is_exact_for_every_sentence() -> None:
    rng = np.random.default_rng(7)
    model = _tiny_model(rng)
    lengths = [1, 4, 2, 5, 3]
    scores = rng.normal(size=(sum(lengths), 3)) * 2
    bounds = list(itertools.pairwise([0, *itertools.accumulate(lengths)]))
    got = model.viterbi(scores, bounds).tolist()
    for a, b in bounds:
        assert got[a:b] == _brute_force(scores[a:b], model.transitions)
    with pytest.raises(ValueError):
        model.viterbi(scores, bounds[1:])


def test_hashed_gazetteer_matches_longest_names_through_clitics() -> None:
    gazet = HashedGazetteer.from_names([
        ("LOC", words("دير الزور")), ("LOC", words("الزور")), ("PER", words("سامي الخطيب")),
        ("ORG", words("الزور")),  # a name already listed keeps its first list's type
    ])
    assert len(gazet) == 3
    forms = words("وصل سامي الخطيب إلى ودير الزور ثم إلى الزور")
    assert gazet.find(forms) == [(1, 3, "PER"), (4, 6, "LOC"), (8, 9, "LOC")]
    assert gazet.knows_word("الخطيب") and not gazet.knows_word("حمص")
    assert gazet.find(words("في حمص")) == []


def test_the_shipped_file_holds_hashes_not_gazetteer_text() -> None:
    path = entities.MODEL_PATH
    assert path.stat().st_size <= 4 * 1024 * 1024
    assert not (path.parent / "ner_gazet.tsv").exists()
    with np.load(path) as data:
        text_arrays = {k: data[k] for k in data.files if data[k].dtype.kind == "U"}
        assert set(text_arrays) == {"labels", "groups", "gazet_types"}
        assert all(len(str(x)) < 20 for arr in text_arrays.values() for x in arr.ravel())
        assert data["gazet_hash"].dtype == np.uint64 and len(data["gazet_hash"]) > 1000


def test_an_export_tags_as_crfsuite_does(tmp_path: Path) -> None:
    pycrfsuite = pytest.importorskip("pycrfsuite")
    rng = random.Random(3)
    vocab = [f"w{k}" for k in range(30)]
    kinds = ["O", "B-X", "I-X", "B-Y"]

    def sentence() -> tuple[list[list[str]], list[str]]:
        n = rng.randint(1, 9)
        ws = [rng.choice(vocab) for _ in range(n)]
        xseq = [["w=" + w, "p=" + w[:2], *(["BOS"] if i == 0 else [])] for i, w in enumerate(ws)]
        yseq = [kinds[(int(w[1:]) + i) % len(kinds)] for i, w in enumerate(ws)]
        return xseq, yseq

    trainer = pycrfsuite.Trainer(verbose=False)
    for _ in range(200):
        trainer.append(*sentence())
    trainer.set_params({"c1": 0.01, "c2": 0.01, "max_iterations": 50,
                        "feature.possible_transitions": True})
    trainer.train(str(tmp_path / "tiny.crfsuite"))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / "tiny.crfsuite"))
    ours = export_crfsuite(tmp_path / "tiny.crfsuite", frozenset(), HashedGazetteer.from_names([]))
    ours.save(tmp_path / "tiny.npz")
    loaded = CrfModel.load(tmp_path / "tiny.npz")
    for _ in range(200):
        xseq, _ = sentence()
        assert loaded.tag(xseq) == tagger.tag(xseq)
