"""The moderate step: a verdict for every comment of an Arabic page.

The page's article text is the context for its comments (who a comment addresses often
comes from the article). A page that is not Arabic is left as it is.
"""

from __future__ import annotations

from marsad.moderate.model import load_model
from marsad.moderate.verdict import moderate_batch
from marsad.names import Stage
from marsad.record import Page
from marsad.run.step import PageStep


class ModerateStep(PageStep):
    name = "moderate"
    stage = Stage.MODERATE

    def process(self, page: Page) -> Page:
        todo = [c for c in page.comments if c.verdict is None]
        if not page.is_arabic or not todo:
            return page
        article = page.article_text or None
        verdicts = moderate_batch([c.text for c in todo], contexts=[article] * len(todo))
        for comment, verdict in zip(todo, verdicts, strict=True):
            comment.verdict = verdict
        page.provenance.models["moderation"] = load_model().version
        return page
