"""A page's sourcing summary: which agencies, how many named and anonymous speakers, how much
of the article is quoted (DESIGN.md, "sourcing"; issue 4).

Decisions, written down once:

- **agencies**: the wire agencies (``Outlet.agency``) the article cites, in order of first
  appearance: every agency named anywhere in the article text counts (a via, an agency
  quoted as a speaker, «بحسب رويترز», a dateline «عواصم - رويترز», a photo credit), since each
  says the page's content came through that agency. Names that are also common words
  (``AMBIGUOUS_OUTLETS``) count only after an outlet-kind word («وكالة …»). Broadcasters and
  papers are not agencies and are not listed.
- **named_speakers / anonymous_speakers**: distinct people, not statements: quotations are
  grouped by ``quotes.speaker_entities`` (a dropped-subject turn or «القائد» after «قائد
  عسكري» is one person). A person is anonymous when their quotations are. Quotations with no
  speaker (impersonal hearsay) are nobody and are not counted.
- **quoted_share**: characters inside quotation contents (overlaps counted once) divided by
  the characters of the article text.
"""

from __future__ import annotations

from marsad.enrich.outlets import (
    AMBIGUOUS_OUTLETS,
    OUTLET_KIND_WORDS,
    outlet_by_canonical,
    outlet_lexicon,
)
from marsad.enrich.quotes import article_tokens, speaker_entities
from marsad.record import Page, Quote, Sourcing
from marsad.text.tokens import tokenize

_AMBIGUOUS = frozenset(" ".join(t.text for t in tokenize(a)) for a in AMBIGUOUS_OUTLETS)
_KIND = frozenset(tokenize(w)[0].text for w in OUTLET_KIND_WORDS)


def cited_agencies(article_text: str, quotes: list[Quote] | None = None) -> list[str]:
    """Canonical names of the wire agencies an article cites, first appearance first."""
    agencies: list[str] = []
    tokens = article_tokens(article_text)
    by_start = {t.start: i for i, t in enumerate(tokens)}
    for match in outlet_lexicon().find_tokens(article_text, tokens):
        outlet = match.value
        if not outlet.agency or outlet.canonical in agencies:
            continue
        if match.key in _AMBIGUOUS:
            i = by_start.get(match.start, 0)
            before = tokens[i - 1].text if i > 0 else ""
            if not any(before.endswith(k) for k in _KIND):
                continue
        agencies.append(outlet.canonical)
    known = outlet_by_canonical()
    for q in quotes or []:
        if q.via and q.via not in agencies and known.get(q.via) and known[q.via].agency:
            agencies.append(q.via)
    return agencies


def quoted_share(article_text: str, quotes: list[Quote]) -> float:
    if not article_text:
        return 0.0
    spans = sorted((q.content.start, q.content.end) for q in quotes)
    covered = 0
    reach = 0
    for start, end in spans:
        start = max(start, reach)
        if end > start:
            covered += end - start
            reach = end
    return covered / len(article_text)


def summarise_quotes(article_text: str, quotes: list[Quote]) -> Sourcing:
    people = speaker_entities(quotes)
    anonymous: dict[int, bool] = {}
    for q, p in zip(quotes, people, strict=True):
        if p is not None:
            anonymous[p] = anonymous.get(p, True) and q.anonymous
    return Sourcing(
        agencies=cited_agencies(article_text, quotes),
        named_speakers=sum(not a for a in anonymous.values()),
        anonymous_speakers=sum(anonymous.values()),
        quoted_share=round(quoted_share(article_text, quotes), 4),
    )


def summarise_sourcing(page: Page) -> Sourcing:
    """The sourcing summary of a page whose quotations are already found."""
    return summarise_quotes(page.article_text, page.quotes)
