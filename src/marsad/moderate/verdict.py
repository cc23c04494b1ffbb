"""``moderate`` and ``moderate_batch``: comment text in, ``Verdict`` out.

The phases, in order (each its own module, composed here):

1. ``features.prepare`` — normalise and de-obfuscate, tokenise;
2. ``model.score`` — calibrated probabilities for offensive, hate, vulgar, violence and
   the hate-target head, for the whole batch at once (numpy);
3. violence words (``lexicon.VIOLENCE_WORDS``) lift the violence score to a floor: its
   head learnt from ~60 examples;
4. labels: probability ≥ the policy's label threshold; hate implies offensive;
5. ``targets.address`` — is anyone addressed, or is the only curse a generic one;
6. ``policy.decide`` — publish, review or reject;
7. ``targets`` — the hate target, when hate is behind the decision or labelled;
8. ``explain`` — evidence spans (for flagged comments only: it is the slow part) and
   reasons.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from marsad.moderate import explain as ex
from marsad.moderate import features as ft
from marsad.moderate import lexicon as lx
from marsad.moderate import targets as tg
from marsad.moderate.features import Prepared, prepare
from marsad.moderate.model import ModerationModel, load_model
from marsad.moderate.policy import Policy, decide, load_policy
from marsad.names import MODERATION_LABELS, Decision
from marsad.record import Verdict

SCORE_DIGITS = 4
_VIOLENCE_WORDS = lx.folded(lx.VIOLENCE_WORDS)


def moderate(text: str, *, context: str | None = None, policy: Policy | None = None,
             model: ModerationModel | None = None) -> Verdict:
    """Score, decide and explain one comment. ``context``: the article it comments on."""
    return moderate_batch([text], contexts=[context], policy=policy, model=model)[0]


def moderate_batch(texts: Sequence[str], *, contexts: Sequence[str | None] | None = None,
                   policy: Policy | None = None, model: ModerationModel | None = None,
                   explain: bool = True) -> list[Verdict]:
    """``moderate`` for many comments at once (much faster per comment).

    ``contexts``, if given, has one entry per text (often the same article for all).
    ``explain=False`` skips evidence and reasons (for evaluation runs).
    """
    if contexts is not None and len(contexts) != len(texts):
        raise ValueError(f"moderate_batch: {len(texts)} texts but {len(contexts)} contexts; "
                         "give one context per text, or None")
    model = model or load_model()
    policy = policy or load_policy()
    prepared = [prepare(t) for t in texts]
    occ = ft.occurrences(prepared)
    feats = ft.block_values(occ, model.block_weights)
    scored = model.score_features(feats)
    probs = _apply_floors(scored.probs, prepared, model)
    contributions = model.token_contributions(prepared, occ, feats) if explain else None
    context_cues: dict[str, np.ndarray] = {}
    verdicts = []
    for i, p in enumerate(prepared):
        scores = {label: round(float(probs[i, model.labels.index(label)]), SCORE_DIGITS)
                  for label in MODERATION_LABELS}
        context = contexts[i] if contexts is not None else None
        cues = None
        if context:
            if context not in context_cues:
                context_cues[context] = tg.cue_counts(prepare(context).tokens, model.targets)
            cues = context_cues[context]
        verdicts.append(_verdict(p, scores, scored.target_probs[i], cues, policy, model,
                                 contributions[i] if contributions is not None else None))
    return verdicts


def _apply_floors(probs: np.ndarray, prepared: Sequence[Prepared],
                  model: ModerationModel) -> np.ndarray:
    probs = probs.copy()
    col = model.labels.index("violence")
    for i, p in enumerate(prepared):
        if not _VIOLENCE_WORDS.isdisjoint(p.tokens):
            probs[i, col] = max(probs[i, col], lx.VIOLENCE_WORD_FLOOR)
    return probs


def _verdict(p: Prepared, scores: dict[str, float], target_probs: np.ndarray,
             context_cues: np.ndarray | None, policy: Policy, model: ModerationModel,
             contributions: np.ndarray | None) -> Verdict:
    """One comment's verdict; ``contributions`` (per label and token) only when explaining."""
    labels = {label: policy.label(label, scores[label]) for label in MODERATION_LABELS}
    labels["offensive"] = labels["offensive"] or labels["hate"]  # hate implies offensive
    decided = decide(scores, policy, generic_curse_only=False)
    if decided.decision == Decision.REJECT:
        # only a rejection can be capped: look at whom the comment addresses
        addressed = tg.address(p.tokens)
        if addressed.only_generic_curse:
            decided = decide(scores, policy, generic_curse_only=True)
    hate_behind = labels["hate"] or any(w in ("reject_hate", "review_hate") for w in decided.why)
    target = None
    if hate_behind:
        target = tg.choose_target(model.targets, target_probs,
                                  tg.cue_counts(p.tokens, model.targets), context_cues,
                                  model.cue_weight)
    verdict = Verdict(scores=scores, labels=labels, hate_target=target,
                      decision=decided.decision, model=model.version)
    if contributions is not None and (decided.decision != Decision.PUBLISH
                                      or any(labels.values())):
        # explain the labels behind the decision; a published comment, its true labels
        behind = [ex.REASONS[w][0] for w in decided.why] or [
            label for label, on in labels.items() if on]
        wanted = list(dict.fromkeys(b for b in behind if b in model.labels))
        verdict.evidence = ex.explain(model, p, wanted, contributions)
        verdict.reasons = ex.reasons(decided.why, scores, policy, target, verdict.evidence,
                                     p.original)
    return verdict
