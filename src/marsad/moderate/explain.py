"""Why a comment got its decision: evidence spans in the original text, and reasons.

**Evidence** is the words carrying the model's top-contributing features for a label: each
token's share of the content score (``ModerationModel.token_contributions``), the tokens
with the largest positive shares taken until they hold ``EVIDENCE_SHARE`` of the positive
total (at most ``MAX_EVIDENCE_TOKENS``), adjacent tokens merged, and each span mapped back
to the original comment through the de-obfuscation and normaliser offset maps — so
«ك.ل.ب» is highlighted whole. Deleting the evidence should take the score below the
threshold for most rejected comments; ``tests/test_moderate_explain.py`` measures it.

**Reasons** are short sentences a moderator reads, each in English and Arabic, one per
rule that fired (``policy.decide``), with the score, the threshold and the evidence words.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from marsad.moderate.features import Prepared
from marsad.moderate.model import ModerationModel
from marsad.moderate.policy import Policy
from marsad.record import Evidence

EVIDENCE_SHARE = 0.5  # of the positive contribution the chosen tokens must hold
MAX_EVIDENCE_TOKENS = 4  # per label: a moderator reads words, not the whole comment
MIN_TOKEN_SHARE = 0.25  # a token below this share of the top token is not evidence
MAX_QUOTED = 4  # evidence words quoted in a reason

# rule code → (label it is about, the threshold key in the policy, English, Arabic)
REASONS: dict[str, tuple[str, str, str, str]] = {
    "reject_hate": ("hate", "reject_hate", "hate speech{target_en}",
                    "خطاب كراهية{target_ar}"),
    "reject_offensive": ("offensive", "reject_offensive", "offensive language (confident)",
                         "لغة مسيئة (بثقة عالية)"),
    "review_offensive": ("offensive", "review_offensive", "possibly offensive language",
                         "لغة قد تكون مسيئة"),
    "review_hate": ("hate", "review_hate", "possible hate speech{target_en}",
                    "خطاب قد يكون كراهية{target_ar}"),
    "review_vulgar": ("vulgar", "review_vulgar", "vulgar or obscene words",
                      "ألفاظ بذيئة أو فاحشة"),
    "review_violence": ("violence", "review_violence",
                        "violence or a threat (reported; never rejected on this alone)",
                        "عنف أو تهديد (للمراجعة، ولا يُحذف لهذا وحده)"),
    "generic_curse": ("offensive", "", "a curse aimed at no person or group: not rejected",
                      "لعنٌ عامّ لا يستهدف شخصًا ولا جماعة: لا يُحذف"),
}
TARGET_TEXT: dict[str, tuple[str, str]] = {
    "religion": ("religion or sect", "دين أو طائفة"),
    "ethnicity_nationality": ("ethnicity or nationality", "عرق أو جنسية"),
    "ideology": ("political or ideological group", "تيار سياسي أو فكري"),
    "gender": ("gender", "الجنس (رجال أو نساء)"),
    "disability": ("disability", "الإعاقة"),
    "social_class": ("social class", "طبقة اجتماعية"),
    "other": ("a group", "جماعة"),
}


def evidence_tokens(contributions: np.ndarray) -> list[int]:
    """Indices of the tokens that carry the score (see the module docstring)."""
    positive = np.flatnonzero(contributions > 0)
    if len(positive) == 0:
        return []
    order = positive[np.argsort(-contributions[positive], kind="stable")]
    total = float(contributions[positive].sum())
    top = float(contributions[order[0]])
    chosen: list[int] = []
    held = 0.0
    for i in order[:MAX_EVIDENCE_TOKENS]:
        if chosen and (held >= EVIDENCE_SHARE * total
                       or contributions[i] < MIN_TOKEN_SHARE * top):
            break
        chosen.append(int(i))
        held += float(contributions[i])
    return sorted(chosen)


def evidence_spans(prepared: Prepared, tokens: Sequence[int], label: str) -> list[Evidence]:
    """Spans of the original text for the given tokens, adjacent tokens merged."""
    spans: list[Evidence] = []
    for i in tokens:
        start, end = prepared.token_span_in_original(i)
        if spans and spans[-1].label == label and _adjacent(prepared.original, spans[-1].end,
                                                            start):
            spans[-1] = Evidence(spans[-1].start, max(end, spans[-1].end), label)
        else:
            spans.append(Evidence(start, end, label))
    return spans


def _adjacent(text: str, end: int, start: int) -> bool:
    return 0 <= start - end <= 2 and not text[end:start].strip(" ")


def explain(model: ModerationModel, prepared: Prepared, labels: Sequence[str],
            contributions: np.ndarray | None = None) -> list[Evidence]:
    """Evidence for each label in ``labels`` (those behind the decision), in text order.

    ``contributions``: the comment's (model labels × tokens) token contributions when the
    batch computed them already (``ModerationModel.token_contributions``).
    """
    if not labels:
        return []
    if contributions is None:
        contributions = model.token_contributions([prepared])[0]
    out: list[Evidence] = []
    for label in labels:
        row = contributions[model.labels.index(label)]
        out.extend(evidence_spans(prepared, evidence_tokens(row), label))
    return sorted(out, key=lambda e: (e.start, e.end, e.label))


def reasons(why: Sequence[str], scores: dict[str, float], policy: Policy,
            target: str | None, evidence: Sequence[Evidence], text: str) -> list[str]:
    """One English — Arabic sentence per rule that fired."""
    out = []
    target_en = target_ar = ""
    if target:
        en, ar = TARGET_TEXT.get(target, TARGET_TEXT["other"])
        target_en, target_ar = f" against {en}", f" ضد {ar}"
    for code in why:
        label, key, en, ar = REASONS[code]
        en = en.format(target_en=target_en)
        ar = ar.format(target_ar=target_ar)
        words = _quoted(evidence, label, text)
        if key:
            figure = f"{label} {scores[label]:.2f} ≥ {policy.decision[key]:.2f}"
            sentence = f"{en} ({figure}) — {ar}"
        else:
            sentence = f"{en} — {ar}"
        out.append(f"{sentence}{words}")
    return out


def _quoted(evidence: Sequence[Evidence], label: str, text: str) -> str:
    words = []
    for e in evidence:
        if e.label == label and text[e.start:e.end] not in words:
            words.append(text[e.start:e.end])
    if not words:
        return ""
    return ": " + "، ".join(f"«{w}»" for w in words[:MAX_QUOTED])
