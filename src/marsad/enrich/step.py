"""The enrich step: what a page says beyond its text (issue 4).

It labels the dialect of every comment and paragraph of an Arabic page (a comment's label
and a paragraph's combine their sentences, weighted by length; a page's comments are
labelled together, each pulled toward the region of the others); entities, quotations and
the sourcing summary join this step. A page that is not Arabic is left as it is, so Arabic
models are never applied to it.
"""

from __future__ import annotations

from marsad.enrich import entities
from marsad.enrich.dialect import MODEL_NAME, identify_comment, identify_page
from marsad.enrich.quotes import find_quotes
from marsad.enrich.sourcing import summarise_sourcing
from marsad.names import Stage
from marsad.record import Page
from marsad.run.step import PageStep


class EnrichStep(PageStep):
    name = "enrich"
    stage = Stage.ENRICH

    def process(self, page: Page) -> Page:
        if not page.is_arabic:
            return page
        # The page's comments are labelled together: readers of one article mostly share a
        # region, so each comment is pulled toward the others' (identify_page). A label
        # already set is kept, but its comment still counts as page context.
        if any(comment.dialect is None for comment in page.comments):
            guesses = identify_page([comment.text for comment in page.comments])
            for comment, guess in zip(page.comments, guesses, strict=True):
                if comment.dialect is None:
                    comment.dialect = guess
        # Paragraphs are labelled one by one: no labelled article text exists to measure
        # whether an article's paragraphs gain from each other's context.
        for paragraph in page.paragraphs:
            if paragraph.dialect is None:
                paragraph.dialect = identify_comment(paragraph.text)
        if page.comments or page.paragraphs:
            page.provenance.models["dialect"] = MODEL_NAME
        if not page.entities:
            page.entities = entities.find_entities(page)
            page.provenance.models["ner"] = entities.MODEL_NAME
        if not page.quotes:
            page.quotes = find_quotes(page.article_text)
        if page.sourcing is None:
            page.sourcing = summarise_sourcing(page)
        return page
