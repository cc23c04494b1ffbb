"""The moderation policy: label thresholds and the rule that turns scores into a decision.

The defaults live in ``policy.toml`` beside this module (written by
``training/train_moderation.py`` with the figures behind each number). A site overrides
any of them with its own TOML file, given to ``load_policy(path)`` or named by the
``MARSAD_MODERATION_POLICY`` environment variable; keys it leaves out keep their defaults.

The rule (``decide``), in order:

1. **reject** when hate ≥ ``decision.reject_hate``, or offensive ≥
   ``decision.reject_offensive`` (the threshold reaching the stated precision when
   offensive comments are ``base_rate`` of the stream);
2. **review** when offensive ≥ ``decision.review_offensive`` (high recall), or hate,
   vulgar or violence reach their review thresholds — violence is reported and sends to
   review, never rejects alone;
3. a comment whose only curse is aimed at no one («الله يلعن كل من …», see
   ``targets.Address``) goes to **review at most**;
4. otherwise **publish**.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from marsad.names import MODERATION_LABELS, Decision

POLICY_ENV = "MARSAD_MODERATION_POLICY"
DECISION_KEYS = (
    "reject_hate", "reject_offensive", "review_offensive", "review_hate", "review_vulgar",
    "review_violence",
)


def default_policy_path() -> Path:
    return Path(str(files("marsad") / "moderate" / "policy.toml"))


@dataclass(frozen=True)
class Policy:
    name: str
    base_rate: float
    target_precision: float
    labels: dict[str, float]
    decision: dict[str, float]
    generic_curse_at_most: str = Decision.REVIEW
    source: str = field(default="", compare=False)

    def label(self, label: str, score: float) -> bool:
        return score >= self.labels[label]


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise FileNotFoundError(f"moderation policy {path} does not exist: give an existing "
                                f"TOML file (or unset {POLICY_ENV})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"moderation policy {path} is not valid TOML ({exc}): fix the "
                         "file") from None


def _threshold(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"moderation policy {where}: {key} = {value!r} must be a number "
                         "between 0 and 1")
    return float(value)


def policy_from_dict(data: dict[str, Any], where: str = "<dict>") -> Policy:
    meta = data.get("policy", {})
    labels_in = data.get("labels", {})
    decision_in = data.get("decision", {})
    unknown = sorted(set(labels_in) - set(MODERATION_LABELS)) + sorted(
        set(decision_in) - set(DECISION_KEYS))
    if unknown:
        raise ValueError(f"moderation policy {where}: unknown key(s) {', '.join(unknown)}; "
                         f"labels are {', '.join(MODERATION_LABELS)} and decision keys "
                         f"{', '.join(DECISION_KEYS)}")
    missing = [k for k in MODERATION_LABELS if k not in labels_in] + [
        k for k in DECISION_KEYS if k not in decision_in]
    if missing:
        raise ValueError(f"moderation policy {where}: missing {', '.join(missing)}")
    at_most = str(meta.get("generic_curse_at_most", Decision.REVIEW))
    if at_most not in (Decision.PUBLISH, Decision.REVIEW):
        raise ValueError(f"moderation policy {where}: generic_curse_at_most = {at_most!r} "
                         "must be 'review' or 'publish'")
    return Policy(
        name=str(meta.get("name", "default")),
        base_rate=_threshold(where, "base_rate", meta.get("base_rate", 0.1)),
        target_precision=_threshold(where, "target_precision",
                                    meta.get("target_precision", 0.95)),
        labels={k: _threshold(where, f"labels.{k}", labels_in[k]) for k in MODERATION_LABELS},
        decision={k: _threshold(where, f"decision.{k}", decision_in[k]) for k in DECISION_KEYS},
        generic_curse_at_most=at_most,
        source=where,
    )


_CACHE: dict[str, Policy] = {}


def load_policy(path: str | Path | None = None) -> Policy:
    """The default policy, overridden by ``path`` (or $MARSAD_MODERATION_POLICY) if given."""
    override = path if path is not None else os.environ.get(POLICY_ENV) or None
    key = str(override or "")
    if key in _CACHE:
        return _CACHE[key]
    default = default_policy_path()
    data = _read(default)
    where = str(default)
    if override:
        data = _merge(data, _read(Path(override)))
        where = f"{override} (over {default})"
    policy = policy_from_dict(data, where)
    _CACHE[key] = policy
    return policy


_SEVERITY = {Decision.PUBLISH: 0, Decision.REVIEW: 1, Decision.REJECT: 2}


@dataclass(frozen=True)
class Decided:
    decision: str
    why: tuple[str, ...]  # rule codes, in the order they fired (explain.REASONS has text)


def decide(scores: dict[str, float], policy: Policy, *, generic_curse_only: bool) -> Decided:
    """Apply the rule in the module docstring to one comment's scores."""
    d = policy.decision
    why: list[str] = []
    if scores["hate"] >= d["reject_hate"]:
        why.append("reject_hate")
    if scores["offensive"] >= d["reject_offensive"]:
        why.append("reject_offensive")
    if why:
        decision = Decision.REJECT
    else:
        for key, label in (("review_offensive", "offensive"), ("review_hate", "hate"),
                           ("review_vulgar", "vulgar"), ("review_violence", "violence")):
            if scores[label] >= d[key]:
                why.append(key)
        decision = Decision.REVIEW if why else Decision.PUBLISH
    if scores["violence"] >= d["review_violence"] and "review_violence" not in why:
        why.append("review_violence")  # reported even when the comment is rejected anyway
    cap = Decision(policy.generic_curse_at_most)
    if generic_curse_only and _SEVERITY[decision] > _SEVERITY[cap]:
        decision = cap
        why.append("generic_curse")
    return Decided(str(decision), tuple(why))
