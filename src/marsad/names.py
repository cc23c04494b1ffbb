"""The one list of names and values every module uses (DESIGN.md, "Names and values").

Records hold these as plain strings so that JSON round-trips exactly; the enumerations
here are the vocabulary to validate against and to import instead of writing literals.
"""

from __future__ import annotations

from enum import StrEnum


class RemovedKind(StrEnum):
    """Why a piece of page text was taken out of the article."""

    AD_MARKER = "ad_marker"
    DISCLAIMER = "disclaimer"
    COMMENT_COUNT = "comment_count"
    SHARE = "share"
    RELATED = "related"
    COMMENT_FORM = "comment_form"
    NAVIGATION = "navigation"
    COPYRIGHT = "copyright"
    OTHER = "other"


class Decision(StrEnum):
    """The model's decision on a comment (violence is reported, never rejects alone)."""

    PUBLISH = "publish"
    REVIEW = "review"
    REJECT = "reject"


class HumanDecision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class Queue(StrEnum):
    REVIEW = "review"
    REJECTED = "rejected"
    APPROVED = "approved"
    REJECTED_BY_HUMAN = "rejected_by_human"


class HateTarget(StrEnum):
    RELIGION = "religion"
    ETHNICITY_NATIONALITY = "ethnicity_nationality"
    IDEOLOGY = "ideology"
    GENDER = "gender"
    DISABILITY = "disability"
    SOCIAL_CLASS = "social_class"
    OTHER = "other"


class EntityType(StrEnum):
    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"
    MISC = "MISC"


class Dialect(StrEnum):
    MSA = "msa"
    LEVANTINE = "levantine"
    GULF = "gulf"
    EGYPTIAN = "egyptian"
    MAGHREBI = "maghrebi"
    IRAQI = "iraqi"


class Stage(StrEnum):
    """Where a problem happened; recorded in Page.problems."""

    READ = "read"
    PARSE = "parse"
    ENRICH = "enrich"
    MODERATE = "moderate"
    SIGN = "sign"
    STORE = "store"


MODERATION_LABELS: tuple[str, ...] = ("offensive", "hate", "vulgar", "violence")
