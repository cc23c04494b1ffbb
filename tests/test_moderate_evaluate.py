"""``marsad eval moderation``: the figures, their JSON shape, and the table."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from marsad.evaluate.moderation import (
    bootstrap_ci,
    cells,
    evaluate_moderation,
    format_table,
    macro_f1_from_cells,
    read_rows,
)

# Our own comments, in the shared format; "hate" only annotated by the tweets source.
ROWS = [
    {"text": "يا كلب يا حقير", "source": "site_a", "split": "dev", "offensive": 1,
     "hate": None, "vulgar": 0, "violence": None, "hate_target": None},
    {"text": "شكرا على التقرير الجميل", "source": "site_a", "split": "dev", "offensive": 0,
     "hate": None, "vulgar": 0, "violence": None, "hate_target": None},
    {"text": "انت حمار ووسخ", "source": "site_a", "split": "dev", "offensive": 1,
     "hate": None, "vulgar": 0, "violence": None, "hate_target": None},
    {"text": "الروافض خونة وعبيد لإيران", "source": "tweets", "split": "dev", "offensive": 1,
     "hate": 1, "vulgar": None, "violence": None, "hate_target": "religion"},
    {"text": "مباراة رائعة اليوم", "source": "tweets", "split": "dev", "offensive": 0,
     "hate": 0, "vulgar": None, "violence": None, "hate_target": None},
    {"text": "النسوان ما إلهن عقل", "source": "tweets", "split": "dev", "offensive": None,
     "hate": 1, "vulgar": None, "violence": None, "hate_target": "gender"},
    {"text": "سطر تدريب لا يقاس", "source": "tweets", "split": "train", "offensive": 1,
     "hate": 1, "vulgar": None, "violence": None, "hate_target": None},
]


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "mod.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS) + "\n",
                    encoding="utf-8")
    return path


def test_result_has_the_documented_shape(data_file: Path) -> None:
    result = evaluate_moderation(data_file)
    assert result["n"] == 6  # the train row is left out
    assert result["threshold"] == "policy"
    # labels only where the file annotates them: no row annotates violence
    assert set(result["labels"]) == {"offensive", "hate", "vulgar"}
    for figures in result["labels"].values():
        assert set(figures) == {"macro_f1", "precision", "recall", "pr_auc", "ci95"}
        lo, hi = figures["ci95"]
        assert 0 <= lo <= hi <= 1
    assert set(result["by_source"]) == {"site_a", "tweets"}
    assert set(result["by_source"]["site_a"]) == {"offensive", "vulgar"}
    assert set(result["by_source"]["tweets"]) == {"offensive", "hate"}
    target = result["hate_target"]
    assert set(target) == {"accuracy", "confusion"}
    assert sum(sum(row.values()) for row in target["confusion"].values()) == 2
    json.dumps(result)  # serialisable as it is


def test_hate_fills_a_missing_offensive_gold(data_file: Path) -> None:
    rows = read_rows(data_file)
    from marsad.evaluate.moderation import gold
    assert gold(rows, "offensive").tolist() == [1, 0, 1, 1, 0, 1]


def test_split_none_keeps_every_row(data_file: Path) -> None:
    assert len(read_rows(data_file, split=None)) == 7


def test_table_lists_labels_and_sources(data_file: Path) -> None:
    table = format_table(evaluate_moderation(data_file))
    for word in ("offensive", "hate", "vulgar", "site_a", "tweets", "hate target"):
        assert word in table


def test_macro_f1_from_cells_matches_a_hand_count() -> None:
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0])
    pred = np.array([1, 1, 0, 1, 0, 0, 0, 0], dtype=bool)
    c = cells(y, pred)
    assert c.tolist() == [2, 1, 1, 4]
    # positive F1 = 4/6, negative F1 = 8/10
    assert float(macro_f1_from_cells(c)) == pytest.approx((4 / 6 + 8 / 10) / 2)


def test_bootstrap_interval_brackets_the_estimate_and_narrows_with_data() -> None:
    small = np.array([20.0, 5.0, 5.0, 70.0])
    big = small * 100
    point = float(macro_f1_from_cells(small))
    lo, hi = bootstrap_ci(small)
    assert lo <= point <= hi
    lo2, hi2 = bootstrap_ci(big)
    assert hi2 - lo2 < (hi - lo) / 3


def test_bad_rows_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x", "offensive": 2}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:1: offensive = 2"):
        read_rows(path)
    path.write_text("not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:1: not JSON"):
        read_rows(path)


def test_a_file_with_no_rows_of_the_split_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "train_only.jsonl"
    path.write_text(json.dumps({"text": "x", "split": "train", "offensive": 1}) + "\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match="no rows to evaluate"):
        evaluate_moderation(path)
