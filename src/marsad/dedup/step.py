"""The sign step: a MinHash signature for every page, in the pipeline (DESIGN.md, "Flow").

Signing runs where the other steps run (in the workers); the clustering stage
(``dedup.cluster``) later reads the signatures from the store.
"""

from __future__ import annotations

from marsad.dedup.params import DEFAULT_PARAMS, DedupParams
from marsad.dedup.signature import page_signature
from marsad.names import Stage
from marsad.record import Page
from marsad.run.step import PageStep


class SignStep(PageStep):
    """Fills ``page.signature`` (MinHash of the article's word shingles, no title).

    A page whose article is shorter than ``params.min_words`` words keeps no signature and
    is never clustered. A page that already has a signature is left as it is (stages add
    fields, they do not rewrite them).
    """

    name = "sign"
    stage = Stage.SIGN

    def __init__(self, params: DedupParams = DEFAULT_PARAMS) -> None:
        super().__init__()
        self.params = params

    def process(self, page: Page) -> Page:
        if page.signature is None:
            page.signature = page_signature(page, self.params)
        return page
