"""What the report calls things, in Arabic with English beside, and its limits and buckets.

Everything a reader sees as a label and every number that shapes a figure (how many rows a
table keeps, the buckets of a histogram) lives here as data, so wording and limits change
in one place. The figures (``figures.py``) keep the store's own values (``publish``,
``religion``, ``levantine``…); only rendering turns them into these labels.
"""

from __future__ import annotations

from marsad.names import Dialect, EntityType, HateTarget

# How many rows each ranked table keeps.
TOP_AGENCIES = 12
TOP_SPEAKERS = 15
TOP_ENTITIES = 20
TOP_COOCCURRING = 12  # entities in the co-occurrence matrix (a square: keep it readable)
TOP_ANONYMOUS_ARTICLES = 15
TOP_COMMENTED_ARTICLES = 10
TOP_CLUSTERS = 15
TOP_DECLARED_GAPS = 10
OUTLETS_PER_SPEAKER = 5

# Entities counted as "mentioned" by the corpus: its editorial text, not reader comments
# (whose «الله» and country names would drown what the articles are about).
EDITORIAL_LOCATIONS = ("title", "article")

# Comments-per-article histogram: (lowest, highest) per bucket, None = no upper bound.
COMMENT_BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 0), (1, 1), (2, 2), (3, 5), (6, 10), (11, 20), (21, 50), (51, None),
)

# Effective decision (``store.filters.effective_decision_sql``) → the group the report
# shows: a human approval publishes; a human rejection is a rejection; NULL: not scored
# (a page that is not Arabic).
DECISION_GROUPS: dict[str | None, str] = {
    "publish": "published",
    "approve": "published",
    "review": "review",
    "reject": "rejected",
    None: "unscored",
}
GROUP_ORDER = ("published", "review", "rejected", "unscored")

UNKNOWN = "غير معروف · unknown"  # a site or month the store does not know
NO_AGENCY = "دون وكالة · no agency"

# Page id prefix of the per-site pseudo pages that hold comments posted to the moderation
# API (``store.stream``): they are not articles, so the report leaves them out.
STREAM_PREFIX = "stream:"

SECTIONS: dict[str, tuple[str, str]] = {
    "sourcing": ("المصادر", "Sourcing"),
    "voices": ("الأصوات", "Voices"),
    "climate": ("مناخ التعليقات", "Comment climate"),
    "syndication": ("إعادة النشر", "Syndication"),
    "quality": ("جودة البيانات", "Data quality"),
}

GROUPS: dict[str, tuple[str, str]] = {
    "published": ("منشور", "published"),
    "review": ("قيد المراجعة", "review"),
    "rejected": ("مرفوض", "rejected"),
    "unscored": ("غير مقيّم", "unscored"),
}

HATE_TARGETS: dict[str, tuple[str, str]] = {
    HateTarget.RELIGION: ("الدين والطائفة", "religion"),
    HateTarget.ETHNICITY_NATIONALITY: ("العرق والجنسية", "ethnicity / nationality"),
    HateTarget.IDEOLOGY: ("الأيديولوجيا", "ideology"),
    HateTarget.GENDER: ("الجنس", "gender"),
    HateTarget.DISABILITY: ("الإعاقة", "disability"),
    HateTarget.SOCIAL_CLASS: ("الطبقة الاجتماعية", "social class"),
    HateTarget.OTHER: ("أخرى", "other"),
}

DIALECTS: dict[str, tuple[str, str]] = {
    Dialect.MSA: ("الفصحى", "MSA"),
    Dialect.LEVANTINE: ("الشامية", "Levantine"),
    Dialect.GULF: ("الخليجية", "Gulf"),
    Dialect.EGYPTIAN: ("المصرية", "Egyptian"),
    Dialect.MAGHREBI: ("المغاربية", "Maghrebi"),
    Dialect.IRAQI: ("العراقية", "Iraqi"),
}

ENTITY_TYPES: dict[str, tuple[str, str]] = {
    EntityType.PER: ("شخص", "person"),
    EntityType.ORG: ("منظمة", "organisation"),
    EntityType.LOC: ("مكان", "place"),
    EntityType.MISC: ("أخرى", "other"),
}


def bilingual(pair: tuple[str, str]) -> str:
    """«عربي · English», the way every label in the report reads."""
    return f"{pair[0]} · {pair[1]}"


def label(table: dict[str, tuple[str, str]], key: str | None) -> str:
    """A value's label, or the value itself when the table does not know it."""
    if key is None:
        return UNKNOWN
    pair = table.get(key)
    return bilingual(pair) if pair else key


def chart_labels() -> dict[str, dict[str, str]]:
    """Every value → label table the browser script needs, for the JSON it reads."""
    return {
        "groups": {k: bilingual(v) for k, v in GROUPS.items()},
        "hate_targets": {str(k): bilingual(v) for k, v in HATE_TARGETS.items()},
        "dialects": {str(k): bilingual(v) for k, v in DIALECTS.items()},
        "entity_types": {str(k): bilingual(v) for k, v in ENTITY_TYPES.items()},
        "unknown": {"site": UNKNOWN, "agency": NO_AGENCY},
    }
