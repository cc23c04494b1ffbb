"""Every de-duplication heuristic in one place, as data (DESIGN.md, "Style").

The defaults were chosen by ``benchmarks/dedup.py`` (syndicated copies built from the
ANERcorp text with edits, dropped and reordered sentences, boilerplate and new titles,
plus hard negatives of our own: different stories about the same event); its table in
docs/benchmarks.md lists the alternatives measured. Re-run it after changing one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

# Word n-grams of the normalised article text. The title is left out: syndicating sites
# write their own titles, so it separates copies more than it joins them. Word pairs, not
# the 3-grams we started from: a 5–15% word edit rate breaks a third of all 3-grams, and
# with 42 × 3 bands 2-grams found more copies with fewer false candidates (benchmark).
SHINGLE_SIZE = 2
# MinHash permutations: the signature is NUM_PERM 32-bit values (512 bytes in the store).
NUM_PERM = 128
# LSH: the signature is cut into BANDS bands of ROWS values; two pages sharing any band
# are candidates. BANDS * ROWS <= NUM_PERM. The candidate curve 1 - (1 - J**ROWS)**BANDS is
# at 0.5 near J = (1 / BANDS) ** (1 / ROWS).
BANDS = 42
ROWS = 3
# A candidate is a near-duplicate when the Jaccard similarity of the two shingle sets, or
# the containment of the smaller set in the larger, reaches its threshold. Containment
# catches a copy that kept only part of the story (the wire text cut short by a site).
# Different stories about the same event that carry the same site's boilerplate reach
# Jaccard 0.24 and containment 0.40 in the benchmark: these leave a margin above them.
JACCARD_THRESHOLD = 0.3
CONTAINMENT_THRESHOLD = 0.5
# A page with fewer words is not signed (nor clustered): an error page, a stub or an
# article the parser could not find says nothing about which story it carries.
MIN_WORDS = 20
# The permutations are drawn from this seed: signatures are comparable only between runs
# with the same seed, shingle size and number of permutations.
SEED = 20240305

# A comment with fewer words is not flagged as pasted under many articles: «شكرا»,
# «الله أكبر» and the like are written independently by many readers.
MIN_COMMENT_WORDS = 5


@dataclass(frozen=True)
class DedupParams:
    """What signing and clustering depend on; the store records them with its LSH index."""

    shingle_size: int = SHINGLE_SIZE
    num_perm: int = NUM_PERM
    bands: int = BANDS
    rows: int = ROWS
    jaccard: float = JACCARD_THRESHOLD
    containment: float = CONTAINMENT_THRESHOLD
    min_words: int = MIN_WORDS
    seed: int = SEED

    def __post_init__(self) -> None:
        if self.shingle_size < 1 or self.num_perm < 1 or self.bands < 1 or self.rows < 1:
            raise ValueError(f"{self}: sizes must be at least 1")
        if self.bands * self.rows > self.num_perm:
            raise ValueError(
                f"{self}: bands × rows ({self.bands * self.rows}) exceeds the number of "
                f"permutations ({self.num_perm})"
            )

    def index_key(self) -> str:
        """What the stored LSH index and cluster memberships depend on, as JSON: a store
        clustered with other values must be rebuilt (``marsad cluster --rebuild``)."""
        return json.dumps(asdict(self), sort_keys=True)


DEFAULT_PARAMS = DedupParams()
