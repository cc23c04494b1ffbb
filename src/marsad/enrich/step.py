"""The enrich step: what a page says beyond its text (issue 4).

It labels the dialect of every comment and paragraph of an Arabic page (a comment's label
and a paragraph's combine their sentences, weighted by length); entities, quotations and
the sourcing summary join this step. A page that is not Arabic is left as it is, so Arabic
models are never applied to it.
"""

from __future__ import annotations

from marsad.enrich import entities
from marsad.enrich.dialect import MODEL_NAME, identify_comment
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
        for comment in page.comments:
            if comment.dialect is None:
                comment.dialect = identify_comment(comment.text)
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
