"""marsad eval quotes: matching, figures, the CLI's JSON and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.cli import main
from marsad.evaluate.quotes import QUOTE_FIGURES, match, read_rows, score
from marsad.record import Quote, Span

DEV = Path(__file__).resolve().parent / "fixtures" / "quotes" / "dev.jsonl"


def _gold(content: tuple[int, int], speaker: tuple[int, int] | None = None, **kw: object) -> dict:
    row = {"speaker": "x" if speaker else None,
           "speaker_start": speaker[0] if speaker else None,
           "speaker_end": speaker[1] if speaker else None,
           "cue": "قال", "cue_start": 0, "cue_end": 3, "content": "c",
           "content_start": content[0], "content_end": content[1],
           "direct": False, "via": None, "anonymous": False}
    row.update(kw)
    return row


def _pred(content: tuple[int, int], speaker: tuple[int, int] | None = None, **kw: object) -> Quote:
    return Quote(speaker=Span("x", *speaker) if speaker else None, cue=Span("قال", 0, 3),
                 content=Span("c", *content), direct=bool(kw.get("direct", False)),
                 via=kw.get("via"), anonymous=bool(kw.get("anonymous", False)))  # type: ignore[arg-type]


def test_overlap_of_half_the_longer_span_matches() -> None:
    gold = [_gold((10, 30))]
    assert match(gold, [_pred((20, 40))]) == [(0, 0)]  # 10 of 20
    assert match(gold, [_pred((21, 40))]) == []  # 9 of 20
    assert match(gold, [_pred((10, 60))]) == []  # 20 of 50


def test_matching_is_one_to_one() -> None:
    rows = [{"text": "", "quotes": [_gold((0, 10))]}]
    result = score(rows, [[_pred((0, 10)), _pred((1, 10))]])
    assert result["quotes"]["recall"] == 1.0
    assert result["quotes"]["precision"] == 0.5


def test_attribute_accuracies_are_over_matched_pairs() -> None:
    rows = [{"text": "", "quotes": [_gold((0, 10), (20, 25), via="رويترز", anonymous=True),
                                    _gold((30, 40)), _gold((50, 60), (70, 75))]}]
    pred = [[_pred((0, 10), (22, 30), via="رويترز", anonymous=True),  # all right
             _pred((30, 40), None),  # both speakers null: right
             _pred((50, 60), (80, 90), direct=True)]]  # speaker and direct wrong
    result = score(rows, pred)
    assert result["quotes"]["f1"] == 1.0
    assert result["speaker"]["accuracy"] == pytest.approx(2 / 3)
    assert result["direct"]["accuracy"] == pytest.approx(2 / 3)
    assert result["via"]["accuracy"] == 1.0
    assert result["anonymous"]["accuracy"] == 1.0


def test_cli_json_prints_exactly_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "quotes", str(DEV), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert tuple(result) == QUOTE_FIGURES
    assert set(result["quotes"]) == {"precision", "recall", "f1"}
    for name in ("speaker", "via", "anonymous", "direct"):
        assert set(result[name]) == {"accuracy"}
        assert 0.0 <= result[name]["accuracy"] <= 1.0


def test_cli_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "quotes", str(DEV)]) == 0
    out = capsys.readouterr().out
    assert "quotes f1" in out and "speaker accuracy" in out


@pytest.mark.parametrize(("content", "message"), [
    ("not json\n", "not JSON"),
    ('{"id": 1, "text": "قال"}\n', '"quotes"'),
    ('{"id": 1, "text": "قال", "quotes": [{"cue": "قال"}]}\n', "missing"),
    (json.dumps({"id": 1, "text": "قال", "quotes": [_gold((0, 99))]}) + "\n", "offsets"),
])
def test_cli_names_the_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    assert main(["eval", "quotes", str(path), "--json"]) == 2
    err = capsys.readouterr().err
    assert message in err and f"{path}:1" in err


def test_cli_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "quotes", str(tmp_path / "none.jsonl")]) == 2
    assert "is not a file" in capsys.readouterr().err


def test_read_rows_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "ok.jsonl"
    path.write_text("\n" + DEV.read_text(encoding="utf-8").splitlines()[0] + "\n\n",
                    encoding="utf-8")
    assert len(read_rows(path)) == 1
