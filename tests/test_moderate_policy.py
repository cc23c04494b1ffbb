"""The moderation policy: the TOML file, site overrides, and the decision rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.moderate.policy import (
    DECISION_KEYS,
    Policy,
    decide,
    load_policy,
    policy_from_dict,
)
from marsad.names import MODERATION_LABELS


def _policy(**decision: float) -> Policy:
    values = {"reject_hate": 0.5, "reject_offensive": 0.9, "review_offensive": 0.3,
              "review_hate": 0.3, "review_vulgar": 0.5, "review_violence": 0.5}
    values.update(decision)
    return policy_from_dict({"labels": dict.fromkeys(MODERATION_LABELS, 0.5),
                             "decision": values})


def _scores(**given: float) -> dict[str, float]:
    return {label: given.get(label, 0.0) for label in MODERATION_LABELS}


def test_shipped_policy_loads_and_is_consistent() -> None:
    p = load_policy()
    assert set(p.labels) == set(MODERATION_LABELS)
    assert set(p.decision) == set(DECISION_KEYS)
    assert 0 < p.base_rate < 1
    # rejecting on offensive alone needs more than sending to review
    assert p.decision["reject_offensive"] > p.decision["review_offensive"]


def test_hate_over_its_threshold_rejects() -> None:
    d = decide(_scores(hate=0.6), _policy(), generic_curse_only=False)
    assert d.decision == "reject" and "reject_hate" in d.why


def test_offensive_rejects_only_over_the_high_threshold() -> None:
    p = _policy()
    assert decide(_scores(offensive=0.95), p, generic_curse_only=False).decision == "reject"
    middle = decide(_scores(offensive=0.6), p, generic_curse_only=False)
    assert middle.decision == "review" and middle.why == ("review_offensive",)
    assert decide(_scores(offensive=0.1), p, generic_curse_only=False).decision == "publish"


def test_violence_reviews_but_never_rejects_alone() -> None:
    d = decide(_scores(violence=0.99), _policy(), generic_curse_only=False)
    assert d.decision == "review" and d.why == ("review_violence",)
    # with a rejecting label it is still reported
    both = decide(_scores(violence=0.99, hate=0.9), _policy(), generic_curse_only=False)
    assert both.decision == "reject" and "review_violence" in both.why


def test_generic_curse_goes_to_review_at_most() -> None:
    d = decide(_scores(offensive=0.99, hate=0.9), _policy(), generic_curse_only=True)
    assert d.decision == "review" and d.why[-1] == "generic_curse"
    # a generic curse that would only be reviewed is not changed
    mild = decide(_scores(offensive=0.5), _policy(), generic_curse_only=True)
    assert mild.decision == "review" and "generic_curse" not in mild.why


def test_site_override_changes_only_what_it_names(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[policy]\nname = "strict"\n[decision]\nreject_offensive = 0.5\n',
                    encoding="utf-8")
    default = load_policy()
    strict = load_policy(site)
    assert strict.name == "strict"
    assert strict.decision["reject_offensive"] == 0.5
    assert strict.decision["reject_hate"] == default.decision["reject_hate"]
    assert strict.labels == default.labels


def test_environment_variable_names_the_site_policy(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "env.toml"
    site.write_text("[labels]\nhate = 0.11\n", encoding="utf-8")
    monkeypatch.setenv("MARSAD_MODERATION_POLICY", str(site))
    assert load_policy().labels["hate"] == 0.11


@pytest.mark.parametrize(("content", "message"), [
    ("[decision]\nreject_hate = 1.5\n", "between 0 and 1"),
    ("[decision]\nreject_everything = 0.5\n", "unknown key"),
    ("[labels]\nhate = \"high\"\n", "between 0 and 1"),
    ("[policy]\ngeneric_curse_at_most = \"reject\"\n", "generic_curse_at_most"),
    ("this is not toml", "not valid TOML"),
])
def test_bad_site_policy_names_the_file_and_the_problem(tmp_path: Path, content: str,
                                                        message: str) -> None:
    site = tmp_path / "bad.toml"
    site.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as err:
        load_policy(site)
    assert "bad.toml" in str(err.value)


def test_missing_site_policy_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_policy(tmp_path / "nowhere.toml")
