"""Entity evaluation: CoNLL reading, type mapping, conlleval chunks and scores, the CLI."""

import json
from pathlib import Path

import pytest

from marsad.cli import main
from marsad.evaluate.ner import (
    bootstrap_f1,
    chunks,
    map_label,
    read_conll,
    score,
    split_dev,
)

# Our own sentences. The third column (a nested label, as Wojood writes) must be ignored.
CONLL = """\
وصل O
سامي B-PERS
الخطيب I-PERS
إلى O
حمص B-GPE B-X
أمس B-DATE
. O

وقالت O
شركة B-ORG
النور I-ORG
للنقل I-ORG
إن O
مطار B-FAC
حلب I-FAC I-GPE
مغلق O
"""


def test_labels_map_to_our_types() -> None:
    assert map_label("B-PERS") == "B-PER"
    assert map_label("I-GPE") == "I-LOC"
    assert map_label("B-FAC") == "B-LOC"
    assert map_label("B-NORP") == "B-MISC"
    assert map_label("I-DATE") == "I-MISC"  # every other Wojood type is MISC
    assert map_label("B-ORG") == "B-ORG"
    assert map_label("O") == "O"
    assert map_label("B-DATE", {"DATE": "O"}) == "O"


def test_read_conll_splits_sentences_and_ignores_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "s.conll"
    path.write_text(CONLL, "utf-8")
    sents = read_conll(path)
    assert [len(s.tokens) for s in sents] == [7, 8]
    assert sents[0].labels[:5] == ["O", "B-PER", "I-PER", "O", "B-LOC"]
    assert sents[1].labels[6:8] == ["I-LOC", "O"]
    assert read_conll(path, raw=True)[0].labels[1] == "B-PERS"


def test_dev_is_the_last_tenth_contiguous(tmp_path: Path) -> None:
    path = tmp_path / "many.conll"
    path.write_text("".join(f"كلمة{i} O\n\n" for i in range(25)), "utf-8")
    train, dev = split_dev(read_conll(path))
    assert len(dev) == 3 and len(train) == 22  # ceil(2.5)
    assert [s.tokens[0] for s in dev] == ["كلمة22", "كلمة23", "كلمة24"]


def test_chunks_follow_conlleval() -> None:
    assert chunks(["B-PER", "I-PER", "O", "B-LOC"]) == {(0, 2, "PER"), (3, 4, "LOC")}
    # an I- after O, or after another type, starts an entity
    assert chunks(["O", "I-ORG", "I-ORG"]) == {(1, 3, "ORG")}
    assert chunks(["B-PER", "I-LOC"]) == {(0, 1, "PER"), (1, 2, "LOC")}
    # B- always starts a new one, even of the same type
    assert chunks(["B-LOC", "B-LOC", "I-LOC"]) == {(0, 1, "LOC"), (1, 3, "LOC")}
    assert chunks(["I-MISC"]) == {(0, 1, "MISC")}
    assert chunks([]) == set()


def test_exact_span_scoring_with_known_counts() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC", "O"], ["B-ORG", "I-ORG", "O", "B-LOC"]]
    pred = [["B-PER", "O", "O", "B-LOC", "O"],  # PER span too short: wrong; LOC right
            ["B-ORG", "I-ORG", "O", "B-PER"]]  # ORG right; LOC typed PER: wrong twice
    result = score(gold, pred)
    # 4 gold entities, 4 predicted, 2 right
    assert result["micro"] == pytest.approx({"precision": 0.5, "recall": 0.5, "f1": 0.5})
    assert result["by_type"]["LOC"] == pytest.approx(
        {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2})
    assert result["by_type"]["PER"]["precision"] == 0.0
    assert result["by_type"]["PER"]["support"] == 1
    assert result["by_type"]["ORG"]["f1"] == 1.0
    assert list(result["by_type"]) == ["PER", "ORG", "LOC"]


def test_bootstrap_interval_brackets_the_figure() -> None:
    gold = [["B-PER", "O"], ["B-LOC", "O"], ["B-ORG", "I-ORG"], ["O", "B-PER"]] * 10
    pred = [["B-PER", "O"], ["O", "O"], ["B-ORG", "I-ORG"], ["O", "B-LOC"]] * 10
    f1 = score(gold, pred)["micro"]["f1"]
    low, high = bootstrap_f1(gold, pred, samples=200)["micro"]
    assert low <= f1 <= high
    assert low < high


def test_eval_ner_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.conll"
    path.write_text(CONLL, "utf-8")
    assert main(["eval", "ner", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"micro", "by_type"}
    assert set(result["micro"]) == {"precision", "recall", "f1"}
    for figures in result["by_type"].values():
        assert {"precision", "recall", "f1"} <= set(figures)
        assert all(0.0 <= figures[k] <= 1.0 for k in ("precision", "recall", "f1"))
    # gold: PER سامي الخطيب, LOC حمص, MISC أمس (a date), ORG شركة النور للنقل, LOC مطار حلب
    support = {t: f["support"] for t, f in result["by_type"].items()}
    assert {t: n for t, n in support.items() if n} == {"PER": 1, "LOC": 2, "MISC": 1, "ORG": 1}
    assert main(["eval", "ner", str(path)]) == 0
    assert "micro" in capsys.readouterr().out
    (tmp_path / "bad.conll").write_text("كلمة\n", "utf-8")
    assert main(["eval", "ner", str(tmp_path / "bad.conll"), "--json"]) == 2
    assert "token label" in capsys.readouterr().err
    assert main(["eval", "ner", str(tmp_path / "absent.conll")]) == 2
