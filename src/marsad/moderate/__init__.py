"""Comment moderation: scores, labels, hate target, decision, reasons and evidence.

    from marsad.moderate import moderate, moderate_batch
    verdict = moderate("…", context=article_text)

Phases and their modules: ``deobfuscate`` and ``features`` (text → hashed n-grams),
``model`` (the shipped float16 weights, scored with numpy), ``targets`` (hate target,
who is addressed), ``policy`` (+ ``policy.toml``: thresholds and the decision rule),
``explain`` (evidence and reasons), composed in ``verdict``. Heuristic word lists live in
``lexicon``. The model is trained by ``training/train_moderation.py``; its card is
``marsad/models/MODERATION_CARD.md``.
"""

from marsad.moderate.model import ModerationModel, load_model
from marsad.moderate.policy import Policy, load_policy
from marsad.moderate.verdict import moderate, moderate_batch

__all__ = ["ModerationModel", "Policy", "load_model", "load_policy", "moderate",
           "moderate_batch"]
