"""Quotations in an article: who said what, through which outlet (quotes_conventions.md).

``find_quotes(article_text)`` returns ``record.Quote``s with offsets into the article text
(paragraphs joined by a newline). It works on the shared tokenizer's words (normalised, with
offsets into the original) and on the raw text between them (punctuation, quotation marks,
paragraph breaks). Every word list it uses is data in ``marsad.enrich.reporting``.

The cascade, one cue at a time, left to right:

1. **Cue.** A verb of saying or an opinion verb at the start of a clause (after a
   conjunction, a sentence start, a comma, «قد» or «كما»), a participle, a nominal cue
   (قوله، بالقول، تصريحاته بأن), impersonal hearsay (ويتردد أن) or an attribution preposition
   (حسب، بحسب، وفق، وفقا ل، نقلا عن). A cue inside a quotation already found is a nested
   attribution and is skipped.
2. **Frame.** From the cue, within the sentence, the first of: a complementizer (إن، أن،
   بأن، إنه …), a colon, or an opening mark of a segment of at least MIN_DIRECT_WORDS words.
   «بحسب X» with X an outlet is part of the frame (a via), «قائلا» too («أضاف قائلا»); another
   cue ends the search. A verb of pure speech with none of these takes unmarked verbatim
   speech when it opens like speech («وقال أبو ماهر نحن …»). No frame, no quotation: this is
   what keeps «نفى حدوث», «دعا إلى», «أعلن تأجيل» out.
3. **Speaker.** The words between the cue and its frame, up to a relative clause, an
   anonymity clause, an adjunct (في بيان، للصحفيين، خلال …) or a via phrase. None there (a
   dropped subject, a participle) → the speaker of the previous quotation: its span is the
   nearest earlier mention. Data and normative sources (الأرقام، القانون …) are not speakers.
4. **Content.** Direct: what the marks enclose. Indirect: from the word after the
   complementizer to the end of the clause: the sentence end, or a comma before a participle,
   a gloss (داعيا …), an attribution preposition or a new conjoined cue. Final punctuation is
   left out; a closing mark of a quoted fragment is kept.
5. **Who.** Speakers are grouped into people (``speaker_entities``): a definite anaphor
   («القائد») or a surname («الحلبي») refers back to the latest matching mention.
6. **via and anonymous.** The outlet of a statement holds for the speaker's whole turn of
   consecutive quotations, backward included; an outlet that speaks itself has none.
   Anonymous: no speaker, an indefinite unidentified head (مصدر، مسؤول، قائد …), or an
   anonymity clause («فضل عدم الكشف عن هويته»); not named people, unique offices,
   institutions or spokespeople.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from marsad.enrich import reporting as R
from marsad.enrich.outlets import (
    AMBIGUOUS_OUTLETS,
    OUTLET_KIND_WORDS,
    Outlet,
    outlet_by_canonical,
    outlet_lexicon,
)
from marsad.record import Quote, Span
from marsad.text.match import Match
from marsad.text.tokens import Token, cached_tokens, tokenize, words

CONJUNCTIONS = "وف"
_OPENERS = re.compile("[" + re.escape("".join(R.QUOTE_MARKS)) + "]")
CLAUSE_OPENERS = R.norm_set(("قد", "وقد", "كما", "وكما", "ثم", "لقد", "فيما", "وفيما", "بينما",
                             "وبينما", "حين", "وحين", "عندما", "وعندما"))
KAN_FORMS = R.norm_set(("كان", "كانت", "كانوا", "وكان", "وكانت", "وكانوا"))
QAD = R.norm("قد")
NAQLAN = R.norm("نقلا")
AN = R.norm("عن")
MAA = R.norm("مع")
FI = R.norm("في")
VIA_PREPOSITIONS = R.norm_set(("بحسب", "حسب", "وبحسب", "وحسب"))
KIND_FORMS = R.norm_set(w.split()[0] for w in OUTLET_KIND_WORDS)
AMBIGUOUS_KEYS = frozenset(" ".join(t.text for t in tokenize(a)) for a in AMBIGUOUS_OUTLETS)


@dataclass
class _Found:
    """A quotation before people, via and anonymity are settled."""

    speaker: tuple[int, int] | None
    cue: tuple[int, int]
    content: tuple[int, int]
    direct: bool
    via: str | None = None
    outlet_speaker: bool = False
    marked_anonymous: bool = False
    copied_from: int | None = None  # index of the quotation whose speaker mention it reuses


@dataclass
class _Frame:
    kind: str  # "comp", "colon", "mark"
    at: int  # token index: the complementizer, or the first token after the colon / mark
    segment: tuple[int, int] | None = None  # the marks' offsets for "mark"
    consumed: list[int] = field(default_factory=list)


@dataclass
class _Region:
    speaker: tuple[int, int] | None  # token indices, inclusive
    via: str | None
    outlet_speaker: bool
    marked_anonymous: bool


def article_tokens(text: str) -> list[Token]:
    """The tokens of an article text, shared with the entity tagger and the sourcing summary
    of the same page (``cached_tokens``). Callers must not change them."""
    return cached_tokens(text)


class _Doc:
    """The article's tokens, the text between them, its marked segments and sentences."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = article_tokens(text)
        self.forms = [t.text for t in self.tokens]
        n = len(self.tokens)
        ends = [0] + [t.end for t in self.tokens]
        starts = [t.start for t in self.tokens] + [len(text)]
        self.gap_span = [(ends[i], starts[i]) for i in range(n + 1)]
        self.segments = _segments(text)
        self.inside = bytearray(len(text) + 1)
        self.seg_at_open: dict[int, tuple[int, int]] = {}
        for seg in self.segments:
            self.inside[seg[0] + 1:seg[1]] = b"\x01" * (seg[1] - seg[0] - 1)
            self.seg_at_open[seg[0]] = seg
        self.sentence = [0] * n
        self.sentence_start: list[int] = [0]
        for i in range(1, n):
            if self._boundary(i):
                self.sentence_start.append(i)
            self.sentence[i] = len(self.sentence_start) - 1
        self.sentence_end = [s - 1 for s in self.sentence_start[1:]] + [n - 1]
        self.claimed: list[tuple[int, int]] = []
        self.claimed_chars = bytearray(len(text) + 1)
        self.consumed: set[int] = set()
        self.token_starts = [t.start for t in self.tokens]

    def gap(self, i: int) -> str:
        a, b = self.gap_span[i]
        return self.text[a:b]

    def _boundary(self, i: int) -> bool:
        """Whether a sentence ends in the gap before token i (marks respected)."""
        a, b = self.gap_span[i]
        for p in range(a, b):
            c = self.text[p]
            if c in R.SENTENCE_END and not self.inside[p]:
                if c == "." and self.forms[i - 1].isdigit() and self.forms[i].isdigit():
                    continue
                return True
            if p > 0 and c in "”»\"" and self.inside[p - 1]:
                before = self.text[:p].rstrip()
                if before and before[-1] in ".!?؟":
                    return True
        return False

    def has_comma(self, i: int) -> bool:
        return any(c in R.CLAUSE_COMMAS for c in self.gap(i))

    def opening_segment(self, i: int) -> tuple[int, int] | None:
        """A marked segment that opens in the gap before token i."""
        a, b = self.gap_span[i]
        for p in range(a, b):
            if p in self.seg_at_open:
                return self.seg_at_open[p]
        return None

    def is_claimed(self, i: int) -> bool:
        return bool(self.claimed_chars[self.tokens[i].start])

    def claim(self, span: tuple[int, int]) -> None:
        self.claimed.append(span)
        self.claimed_chars[span[0]:span[1]] = b"\x01" * (span[1] - span[0])

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets of tokens first..last, with a closing mark or bracket opened inside."""
        start, end = self.tokens[first].start, self.tokens[last].end
        return start, _close_over(self.text, start, end)


def _segments(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of quotation-mark pairs; a pair never crosses a paragraph."""
    found: list[tuple[int, int]] = []
    i = 0
    while True:
        m = _OPENERS.search(text, i)
        if m is None:
            return found
        i = m.start()
        closer = R.QUOTE_MARKS[text[i]]
        j = text.find(closer, i + 1)
        newline = text.find("\n", i + 1)
        if j >= 0 and (newline < 0 or j < newline):
            found.append((i, j))
            i = j + 1
        else:
            i += 1


def _close_over(text: str, start: int, end: int) -> int:
    """Extend ``end`` over closing marks and brackets whose opener lies inside the span."""
    pairs = {"”": "“", "»": "«", ")": "(", '"': '"'}
    while end < len(text) and text[end] in pairs:
        inner = text[start:end]
        opener = pairs[text[end]]
        if opener not in inner or (opener == '"' and inner.count('"') % 2 == 0):
            break
        end += 1
    return end


def _bare(form: str) -> str:
    """A form without one leading conjunction."""
    return form[1:] if len(form) > 3 and form[0] in CONJUNCTIONS else form


def _stems(form: str) -> tuple[str, ...]:
    bare = _bare(form)
    out = [form, bare]
    if bare.startswith("ب") and len(bare) > 3:
        out.append(bare[1:])
    return tuple(out)


@lru_cache(maxsize=65536)
def _cue_kind(form: str) -> tuple[str, str] | None:
    """What kind of cue a word is, if any: (kind, lemma)."""
    bare = _bare(form)
    for f in (form, bare):
        if f in R.SAYING_FORMS:
            return "verb", R.SAYING_FORMS[f]
        if f in R.OPINION_FORMS:
            return "opinion", R.OPINION_FORMS[f]
        if f in R.PARTICIPLE_FORMS:
            return "participle", f
        if f in R.HEARSAY_FORMS:
            return "hearsay", f
        if f in R.PREPOSITION_FORMS:
            return "prep", f
        if f in R.QUOTE_NOUN_FORMS:
            return "quote_noun", f
    for f in _stems(form):
        if f == R.SAYING_NOUN_FORM:
            return "saying_noun", f
        if f in R.STATEMENT_NOUN_FORMS:
            return "statement_noun", f
    return None


class _Extractor:
    def __init__(self, text: str) -> None:
        self.doc = _Doc(text)
        self.found: list[_Found] = []
        self.outlets = self._outlet_tokens()

    # -- outlets --------------------------------------------------------------------------

    def _outlet_tokens(self) -> dict[int, tuple[int, Outlet, bool]]:
        """Outlet mentions by first token: (last token, outlet, written with a kind word)."""
        doc = self.doc
        starts = {t.start: i for i, t in enumerate(doc.tokens)}
        ends = {t.end: i for i, t in enumerate(doc.tokens)}
        out: dict[int, tuple[int, Outlet, bool]] = {}
        match: Match[Outlet]
        for match in outlet_lexicon().find_tokens(doc.text, doc.tokens):
            first, last = starts.get(match.start), ends.get(match.end)
            if first is None or last is None:
                continue
            kind = first > 0 and _is_kind(doc.forms[first - 1])
            if match.key in AMBIGUOUS_KEYS and not kind:
                continue
            out[first] = (last, match.value, kind)
        return out

    def _via_at(self, i: int) -> tuple[int, int, Outlet, bool] | None:
        """An outlet phrase starting at token i: (first, last, outlet, given-to/relayed-by).

        «لوكالة X», «لـX», «مع قناة X», «بحسب X» relay; «وكالة X», «X» without a clitic speak.
        """
        doc = self.doc
        form = doc.forms[i]
        if i in self.outlets:
            last, outlet, _ = self.outlets[i]
            relayed = form[0] == "ل" and not outlet_starts_with_l(outlet, form)
            return i, last, outlet, relayed
        if i + 1 in self.outlets and _is_kind(form):
            last, outlet, _ = self.outlets[i + 1]
            return i, last, outlet, _with_l(form)
        return None

    # -- the cascade ----------------------------------------------------------------------

    def run(self) -> list[_Found]:
        doc = self.doc
        for i, form in enumerate(doc.forms):
            kind = _cue_kind(form)
            if kind is None or i in doc.consumed or doc.is_claimed(i):
                continue
            handler = getattr(self, "_" + kind[0])
            found = handler(i, kind[1])
            if found is not None:
                self.found.append(found)
                doc.claim(found.content)
        return self.found

    def _clause_initial(self, i: int) -> bool:
        doc = self.doc
        form = doc.forms[i]
        return (
            form != _bare(form)
            or i == doc.sentence_start[doc.sentence[i]]
            or doc.has_comma(i)
            or ":" in doc.gap(i)
            or (i > 0 and doc.forms[i - 1] in CLAUSE_OPENERS)
        )

    def _verb(self, i: int, lemma: str) -> _Found | None:
        doc = self.doc
        postposed = self._postposed(i)
        if postposed is not None:
            return postposed
        initial = self._clause_initial(i)
        subject = None if initial and doc.forms[i - 1:i] != [QAD] else self._fronted_subject(i)
        if not initial and subject is None:
            return None
        frame = self._frame(i + 1)
        if frame is None:
            return self._verbatim(i, lemma) if lemma in R.PURE_SPEECH_LEMMAS else None
        doc.consumed.update(frame.consumed)
        region_end = frame.at - 1
        if frame.kind == "comp":
            while region_end > i and doc.forms[region_end] in R.CLAUSE_PREPOSITION_FORMS:
                region_end -= 1
        if lemma == "نقل":
            return self._relayed(i, region_end, frame)
        region = self._region(i + 1, region_end)
        if region.speaker is None and subject is not None:
            region = _Region(subject, region.via, False, region.marked_anonymous)
        if region.speaker is not None and self._data_source(region.speaker[0]):
            return None
        if region.speaker is None and lemma in R.OPINION_VERBS and not self.found:
            return None  # an opinion needs a holder: stated, or the previous speaker
        return self._make(i, region, frame)

    _opinion = _verb

    def _fronted_subject(self, i: int) -> tuple[int, int] | None:
        """«وكان X قد أعلن», «والأرقام تشير»: the subject before the verb, in its clause."""
        doc = self.doc
        start = i
        while start > doc.sentence_start[doc.sentence[i]] and not doc.has_comma(start):
            start -= 1
        if start == i:
            return None
        if doc.forms[start] in KAN_FORMS:
            last = i - 1
            if doc.forms[last] == QAD:
                last -= 1
            return (start + 1, last) if last >= start + 1 else None
        first = _bare(doc.forms[start])
        if first.startswith("ال") and i - start <= 6:
            return start, i - 1
        return None

    def _data_source(self, first: int) -> bool:
        form = _bare(self.doc.forms[first])
        return form in R.DATA_SOURCE_FORMS or ("ال" + form[2:]) in R.DATA_SOURCE_FORMS

    def _frame(self, start: int, limit: int = R.MAX_FRAME_WORDS) -> _Frame | None:
        """The first complementizer, colon or marked speech from token ``start`` on."""
        doc = self.doc
        n = len(doc.tokens)
        if start >= n:
            return None
        sentence = doc.sentence[start - 1] if start > 0 else 0
        consumed: list[int] = []
        j = start
        while j < n and j - start < limit and doc.sentence[j] == sentence:
            gap = doc.gap(j)
            colon = ":" in gap and not doc.inside[doc.gap_span[j][0]]
            seg = doc.opening_segment(j)
            if seg is not None and (colon or self._speech_segment(seg)):
                return _Frame("mark", j, seg, consumed)
            if colon:
                return _Frame("colon", j, None, consumed)
            form = doc.forms[j]
            if form in R.COMPLEMENTIZER_FORMS and not (
                j > 0 and doc.forms[j - 1] in R.COMPLEMENTIZER_BLOCKER_FORMS
            ):
                return _Frame("comp", j, None, consumed)
            # «بحسب X» (a via) and «قائلا» belong to the frame; another cue ends the search
            via = form in VIA_PREPOSITIONS and j + 1 < n and self._via_at(j + 1) is not None
            if via or form in R.FRAME_PARTICIPLE_FORMS:
                consumed.append(j)
            else:
                kind = _cue_kind(form)
                if kind is not None and (form != _bare(form) or kind[0] != "verb"):
                    return None
            j += 1
        return None

    def _speech_segment(self, seg: tuple[int, int]) -> bool:
        inner = self.doc.text[seg[0] + 1:seg[1]]
        return len(inner.split()) >= R.MIN_DIRECT_WORDS

    def _region(self, first: int, last: int) -> _Region:
        """The speaker and the via in the words between a cue and its frame."""
        doc = self.doc
        via: str | None = None
        speaker_first: int | None = None
        speaker_last: int | None = None
        outlet_speaker = False
        marked = self._anonymity_marked(first, last)
        j = first
        while j <= last:
            form = doc.forms[j]
            hit = self._via_at(j)
            if hit is not None:
                _, end, outlet, relayed = hit
                if relayed or speaker_first is not None or (j > first and (
                        doc.forms[j - 1] in VIA_PREPOSITIONS or doc.forms[j - 1] == MAA)):
                    via = via or outlet.canonical
                    if speaker_first is not None:
                        break
                    j = end + 1
                    continue
                speaker_first, speaker_last, outlet_speaker = j, end, True
                j = end + 1
                break
            if speaker_first is None:
                if form in R.ADJUNCT_FORMS or form in VIA_PREPOSITIONS:
                    j += 1
                    continue
                if form == FI and j + 1 <= last and doc.forms[j + 1] in R.IN_ADJUNCT_FORMS:
                    j += 2
                    continue
                speaker_first = speaker_last = j
                j += 1
                continue
            if self._speaker_stops(j, speaker_first):
                break
            speaker_last = j
            j += 1
        # a via after the speaker («القائد لرويترز», «… بحسب رويترز»)
        while j <= last and via is None:
            hit = self._via_at(j)
            if hit is not None and (hit[3] or doc.forms[j - 1] in VIA_PREPOSITIONS
                                    or doc.forms[j - 1] == MAA):
                via = hit[2].canonical
            j += 1
        speaker = None
        if speaker_first is not None and speaker_last is not None:
            speaker = (speaker_first, min(speaker_last, speaker_first + R.MAX_SPEAKER_WORDS))
        return _Region(speaker, via, outlet_speaker, marked)

    def _speaker_stops(self, j: int, first: int) -> bool:
        doc = self.doc
        form = doc.forms[j]
        if doc.has_comma(j) or ":" in doc.gap(j) or j - first >= R.MAX_SPEAKER_WORDS:
            return True
        if (form in R.RELATIVE_FORMS or form in R.ANONYMITY_VERB_FORMS
                or form in R.ADJUNCT_FORMS or form in VIA_PREPOSITIONS or form == QAD):
            return True
        if form in R.OBJECT_NOUN_FORMS:
            return True
        if form == FI and j + 1 < len(doc.forms) and doc.forms[j + 1] in R.IN_ADJUNCT_FORMS:
            return True
        if form in R.PARTICIPLE_FORMS or form in R.GLOSS_FORMS:
            return True
        hit = self._via_at(j)
        return hit is not None and hit[3]

    def _anonymity_marked(self, first: int, last: int) -> bool:
        forms = self.doc.forms[first:last + 1]
        if not _MARKER_FIRST.intersection(forms):
            return False
        for key in R.ANONYMITY_MARKER_KEYS:
            k = len(key)
            for s in range(len(forms) - k + 1):
                if tuple(forms[s:s + k]) == key:
                    return True
        return False

    def _content(self, frame: _Frame) -> tuple[tuple[int, int], bool] | None:
        """The content span after a frame, and whether it is direct."""
        doc = self.doc
        if frame.kind == "mark" and frame.segment is not None:
            return _inner(doc.text, frame.segment), True
        first = frame.at + 1 if frame.kind == "comp" else frame.at
        if first >= len(doc.tokens) or doc.sentence[first] != doc.sentence[frame.at]:
            return None
        seg = doc.opening_segment(first)
        last = self._clause_end(first)
        if seg is not None and doc.tokens[last].end <= seg[1] and (
                frame.kind != "comp" or doc.tokens[last].end == seg[1]
                or doc.text[doc.tokens[last].end:seg[1]].strip(" .!?؟،") == ""):
            return _inner(doc.text, seg), True
        if frame.kind == "colon":
            return doc.span(first, last), True
        return doc.span(first, last), False

    def _clause_end(self, first: int) -> int:
        doc = self.doc
        sentence = doc.sentence[first]
        last = first
        j = first + 1
        n = len(doc.tokens)
        while j < n and doc.sentence[j] == sentence and j - first < R.MAX_CONTENT_WORDS:
            if doc.has_comma(j) and not doc.inside[doc.gap_span[j][0]]:
                form = doc.forms[j]
                kind = _cue_kind(form)
                if form in R.GLOSS_FORMS or _bare(form) in R.GLOSS_FORMS:
                    break
                if kind is not None and (kind[0] in ("participle", "prep", "verb", "opinion")
                                         or form != _bare(form)):
                    break  # «…، مشيرا», «…، بحسب», «…، أكد X», «…، وأضاف»
            last = j
            j += 1
        return last

    def _make(self, cue: int, region: _Region, frame: _Frame) -> _Found | None:
        content = self._content(frame)
        if content is None:
            return None
        span, direct = content
        speaker, copied = self._speaker_span(region.speaker, cue)
        return _Found(speaker, self._cue_span(cue), span, direct, region.via,
                      region.outlet_speaker, region.marked_anonymous, copied)

    def _cue_span(self, i: int) -> tuple[int, int]:
        t = self.doc.tokens[i]
        return t.start, t.end

    def _speaker_span(
        self, tokens: tuple[int, int] | None, cue: int
    ) -> tuple[tuple[int, int] | None, int | None]:
        """The speaker's offsets; with none stated, the previous quotation's mention."""
        if tokens is not None:
            return self.doc.span(*tokens), None
        for k in range(len(self.found) - 1, -1, -1):
            if self.found[k].speaker is not None:
                return self.found[k].speaker, k
        return None, None

    # -- the other cue kinds --------------------------------------------------------------

    def _postposed(self, i: int) -> _Found | None:
        """«“…”، قال X»: marked speech before a verb of saying."""
        doc = self.doc
        if i == 0 or doc.forms[i] != _bare(doc.forms[i]) or not doc.has_comma(i):
            return None
        a, _ = doc.gap_span[i]
        before = doc.text[:a + len(doc.gap(i).split("،")[0].split(",")[0])].rstrip()
        close = len(before) - 1
        segment = next((s for s in doc.segments if s[1] == close), None)
        if segment is None or not self._speech_segment(segment):
            return None
        end = doc.sentence_end[doc.sentence[i]]
        region = self._region(i + 1, end)
        speaker, copied = self._speaker_span(region.speaker, i)
        return _Found(speaker, self._cue_span(i), _inner(doc.text, segment), True, region.via,
                      region.outlet_speaker, region.marked_anonymous, copied)

    def _verbatim(self, i: int, lemma: str) -> _Found | None:
        """Unmarked verbatim speech right after the speaker («وقال أبو ماهر نحن …»)."""
        doc = self.doc
        end = doc.sentence_end[doc.sentence[i]]
        for k in range(i + 2, min(end, i + 1 + R.MAX_SPEAKER_WORDS) + 1):
            if doc.forms[k] in R.VERBATIM_OPENER_FORMS:
                region = self._region(i + 1, k - 1)
                if region.speaker is None:
                    return None
                last = self._clause_end(k)
                speaker, copied = self._speaker_span(region.speaker, i)
                return _Found(speaker, self._cue_span(i), doc.span(k, last), True, region.via,
                              region.outlet_speaker, region.marked_anonymous, copied)
        return None

    def _relayed(self, cue: int, region_end: int, frame: _Frame) -> _Found | None:
        """«نقلت X عن Y أن …»: speaker Y, via X (with «قوله», the noun is the cue)."""
        doc = self.doc
        split = next((k for k in range(cue + 1, region_end + 1) if doc.forms[k] == AN), None)
        if split is None:
            return None
        if any(f in R.QUOTE_NOUN_FORMS for f in doc.forms[split:frame.at]):
            return None
        outlet_region = self._region(cue + 1, split - 1)
        speaker_region = self._region(split + 1, region_end)
        via = None
        if outlet_region.speaker is not None and outlet_region.outlet_speaker:
            via = self._outlet_name(outlet_region.speaker[0])
        region = _Region(speaker_region.speaker, via or speaker_region.via, False,
                         speaker_region.marked_anonymous)
        return self._make(cue, region, frame)

    def _outlet_name(self, i: int) -> str | None:
        hit = self._via_at(i)
        return hit[2].canonical if hit else None

    def _quote_noun(self, i: int, _: str) -> _Found | None:
        """«ونقلت وكالة X عن Y قوله إن …»."""
        doc = self.doc
        frame = self._frame(i + 1, limit=6)
        if frame is None:
            return None
        start = doc.sentence_start[doc.sentence[i]]
        split = next((k for k in range(i - 1, start - 1, -1) if doc.forms[k] == AN), None)
        via = None
        if split is not None:
            speaker = (split + 1, i - 1) if split + 1 <= i - 1 else None
            outlet_region = self._region(start + 1, split - 1)
            if outlet_region.speaker is not None and outlet_region.outlet_speaker:
                via = self._outlet_name(outlet_region.speaker[0])
            marked = self._anonymity_marked(split + 1, i - 1)
        else:
            speaker, marked = self._sentence_subject(i), False
        return self._make(i, _Region(speaker, via, False, marked), frame)

    def _saying_noun(self, i: int, _: str) -> _Found | None:
        """«واختتم X كلمته بالقول إن …»."""
        frame = self._frame(i + 1, limit=6)
        if frame is None:
            return None
        return self._make(i, _Region(self._sentence_subject(i), None, False, False), frame)

    def _statement_noun(self, i: int, _: str) -> _Found | None:
        """«… بتصريحاته بأن …»: only with the clause right after the noun."""
        doc = self.doc
        if i + 1 >= len(doc.forms) or doc.forms[i + 1] not in R.COMPLEMENTIZER_FORMS:
            return None
        return self._make(i, _Region(self._sentence_subject(i), None, False, False),
                          _Frame("comp", i + 1))

    def _participle(self, i: int, form: str) -> _Found | None:
        """«…، مشيرا إلى أن …»: the same speaker's next statement."""
        doc = self.doc
        if i > 0 and doc.forms[i - 1] in R.CLAUSE_PREPOSITION_FORMS:
            return None  # «على لافتة»: a noun, not «، لافتة إلى أن»
        frame = self._frame(i + 1, limit=6)
        if frame is None:
            return None
        sentence = doc.sentence[i]
        same = [k for k, f in enumerate(self.found)
                if f.speaker is not None and doc.tokens[i].start > f.cue[0]
                and doc.sentence[_token_at(doc, f.cue[0])] == sentence]
        content = self._content(frame)
        if content is None:
            return None
        if same:
            prev = self.found[same[-1]]
            return _Found(prev.speaker, self._cue_span(i), content[0], content[1], None,
                          prev.outlet_speaker, prev.marked_anonymous, same[-1])
        subject = self._sentence_subject(i)
        return self._make(i, _Region(subject, None, False, False), frame)

    def _hearsay(self, i: int, _: str) -> _Found | None:
        """«ويتردد أن …»: no speaker."""
        frame = self._frame(i + 1, limit=8)
        if frame is None:
            return None
        content = self._content(frame)
        if content is None:
            return None
        return _Found(None, self._cue_span(i), content[0], content[1])

    def _prep(self, i: int, form: str) -> _Found | None:
        """«وبحسب X، فإن …», «…، بحسب X»: a quotation when X communicates."""
        doc = self.doc
        n = len(doc.tokens)
        first = i + 1
        if form == NAQLAN:
            if first >= n or doc.forms[first] != AN:
                return None
            first += 1
        if first >= n or doc.sentence[first] != doc.sentence[i]:
            return None
        head = doc.forms[first]
        if form in R.PREPOSITION_WITH_L_FORMS:
            if not head.startswith("ل"):
                return None
            head = "ال" + head[2:] if head.startswith("لل") else head[1:]
        if head in R.DATA_SOURCE_FORMS or _bare(head) in R.DATA_SOURCE_FORMS:
            return None
        end = doc.sentence_end[doc.sentence[i]]
        last = first
        while last + 1 <= end and not doc.has_comma(last + 1) and last - first < 10 and (
                doc.forms[last + 1] not in R.FRONTED_COMPLEMENTIZER_FORMS):
            last += 1
        outlet = self._via_at(first)
        outlet_speaker = outlet is not None and outlet[1] >= last - 1
        if outlet is not None and outlet_speaker:
            last = outlet[1]
        speaker = doc.span(first, last)
        if doc.text[speaker[0]] in R.SOURCE_CLITICS and form in R.PREPOSITION_WITH_L_FORMS:
            speaker = (speaker[0] + 1 + (doc.text[speaker[0] + 1] == "ـ"), speaker[1])
        start = doc.sentence_start[doc.sentence[i]]
        if i == start or (i > start and not doc.has_comma(i)):
            # fronted: the content follows the source
            c = last + 1
            if c <= end and doc.forms[c] in R.FRONTED_COMPLEMENTIZER_FORMS:
                c += 1
            if c > end:
                return None
            content = doc.span(c, self._clause_end(c))
        else:
            # after the clause it attributes
            if any(start <= _token_at(doc, a) < i for a, _ in doc.claimed):
                return None
            content = doc.span(start, i - 1)
        marked = self._anonymity_marked(first, last)
        return _Found(speaker, self._cue_span(i), content, False, None, outlet_speaker, marked)

    def _sentence_subject(self, i: int) -> tuple[int, int] | None:
        """The subject of the sentence's first verb, for cues that have none of their own."""
        doc = self.doc
        start = doc.sentence_start[doc.sentence[i]]
        if start >= i:
            return None
        first = start + 1  # after the verb, or after «كان»
        if first >= i:
            return None
        last = first
        while last + 1 < i and not self._speaker_stops(last + 1, first):
            last += 1
        return first, last


_MARKER_FIRST = frozenset(key[0] for key in R.ANONYMITY_MARKER_KEYS)
_L_KIND_FORMS = R.norm_set("ل" + w.split()[0] for w in OUTLET_KIND_WORDS)


def _is_kind(form: str) -> bool:
    """«وكالة», «لوكالة», «ولقناة»: a word naming what kind of outlet follows."""
    return any(f in KIND_FORMS or f in _L_KIND_FORMS for f in (form, _bare(form)))


def _with_l(form: str) -> bool:
    return form in _L_KIND_FORMS or _bare(form) in _L_KIND_FORMS


def outlet_starts_with_l(outlet: Outlet, form: str) -> bool:
    """Whether an outlet's own name begins with ل (so «ل» there is not a clitic)."""
    return any(a.startswith(form[:2]) for a in _alias_forms(outlet.canonical))


@lru_cache(maxsize=256)
def _alias_forms(canonical: str) -> tuple[str, ...]:
    outlet = outlet_by_canonical()[canonical]
    return tuple(R.norm(a) for a in outlet.aliases)


def _inner(text: str, seg: tuple[int, int]) -> tuple[int, int]:
    start, end = seg[0] + 1, seg[1]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _token_at(doc: _Doc, offset: int) -> int:
    """The token at (or first after) a character offset."""
    return min(bisect_right(doc.token_starts, offset) - 1, len(doc.tokens) - 1) if (
        doc.token_starts and offset >= doc.token_starts[0]) else 0


# -- people, turns, via, anonymity ------------------------------------------------------


@lru_cache(maxsize=4096)
def _mention_forms(text: str) -> tuple[str, ...]:
    return tuple(words(text))


@lru_cache(maxsize=4096)
def _mention_key(text: str) -> tuple[str, ...]:
    """A mention's words without the article: «المسؤول الأممي» and «مسؤول أممي» meet."""
    return tuple(f[2:] if f.startswith("ال") and len(f) > 4 else f for f in _mention_forms(text))


@lru_cache(maxsize=4096)
def _refers_to(mention: str, earlier: str) -> bool:
    """Whether a later mention names the same speaker as an earlier one."""
    m, e = _mention_key(mention), _mention_key(earlier)
    if not m or not e:
        return False
    if m == e:
        return True
    forms = _mention_forms(mention)
    definite = forms[0].startswith("ال")
    if e[0] in R.QUANTIFIER_FORMS and len(e) > 1:
        e = e[1:]  # «ثلاثة مصادر مطلعة» is referred to as «المصادر»
    if definite and len(m) <= 3 and e[:len(m)] == m:
        return True  # «القائد» → «قائد عسكري …», «المسؤول الأممي» → «مسؤول أممي»
    # a surname («الحلبي» → «وزير الطاقة سامر الحلبي»), or a name without an article
    named = len(m) == 1 or not any(f.startswith("ال") for f in forms)
    return named and len(e) >= 2 and m[-1] == e[-1] and m[-1] not in _NOT_SURNAMES


_NOT_SURNAMES = frozenset({"مسؤول", "مصدر", "مصادر", "قائد", "وزير", "رئيس", "محافظ",
                           "متحدث", "ناطق"})


def speaker_entities(quotes: list[Quote]) -> list[int | None]:
    """Which person each quotation's speaker is (an index per person; None: no speaker).

    A quotation that reuses an earlier speaker span (a dropped subject, a participle) is that
    speaker; a new mention is the latest earlier person it refers to (``_refers_to``), else a
    new person.
    """
    ids: list[int | None] = []
    mentions: list[list[tuple[int, int, str]]] = []  # per person: its mention spans
    for q in quotes:
        if q.speaker is None:
            ids.append(None)
            continue
        span = (q.speaker.start, q.speaker.end)
        person = next((p for p in range(len(mentions) - 1, -1, -1)
                       if any((a, b) == span for a, b, _ in mentions[p])), None)
        if person is None:
            person = next((p for p in range(len(mentions) - 1, -1, -1)
                           if any(_refers_to(q.speaker.text, t) for _, _, t in mentions[p])),
                          None)
        if person is None:
            person = len(mentions)
            mentions.append([])
        mentions[person].append((span[0], span[1], q.speaker.text))
        ids.append(person)
    return ids


def _anonymous_mention(text: str, outlet_speaker: bool) -> bool:
    if outlet_speaker:
        return False
    forms = _mention_forms(text)
    if not forms:
        return True
    head = _bare(forms[0]) if forms[0] not in R.ANONYMOUS_HEAD_FORMS else forms[0]
    if head in R.SPOKESPERSON_FORMS:
        return False
    definite = head.startswith("ال")
    bare = head[2:] if definite and len(head) > 4 else head
    if bare in R.ALWAYS_ANONYMOUS_FORMS:
        return True
    if bare not in R.ANONYMOUS_HEAD_FORMS:
        return not definite and len(forms) <= 4 and bare.endswith(R.PLURAL_ENDINGS)
    if definite:
        return len(forms) == 1  # «المسؤول» with no earlier mention; «المزارع عمر الحسن» is named
    # «قائد شرطة المحافظة», «رجل الأعمال X»: a head in construct with a definite noun is an
    # identified office or person; «قائد عسكري», «مسؤول في الوزارة» are not
    for f in forms[1:]:
        if f in R.CLAUSE_PREPOSITION_FORMS or f in R.CHAIN_BREAKER_FORMS:
            return True
        if f.startswith("ال"):
            return False
    return True


def _settle(found: list[_Found], text: str) -> list[Quote]:
    order = sorted(range(len(found)), key=lambda k: min(found[k].cue[0], found[k].content[0]))
    found = [found[k] for k in order]
    quotes = [
        Quote(
            speaker=Span(text[f.speaker[0]:f.speaker[1]], *f.speaker) if f.speaker else None,
            cue=Span(text[f.cue[0]:f.cue[1]], *f.cue),
            content=Span(text[f.content[0]:f.content[1]], *f.content),
            direct=f.direct,
            via=None if f.outlet_speaker else f.via,
        )
        for f in found
    ]
    people = speaker_entities(quotes)
    # anonymity per person: from the mention that introduced them, or any anonymity clause
    anonymous: dict[int, bool] = {}
    for q, f, p in zip(quotes, found, people, strict=True):
        if p is None or q.speaker is None:
            continue
        if p not in anonymous:
            anonymous[p] = _anonymous_mention(q.speaker.text, f.outlet_speaker)
        if f.marked_anonymous:
            anonymous[p] = True
    # turns: consecutive quotations of one person share the via given in any of them
    k = 0
    while k < len(quotes):
        end = k
        while (end + 1 < len(quotes) and people[k] is not None
               and people[end + 1] == people[k]):
            end += 1
        turn = range(k, end + 1)
        via = next((quotes[t].via for t in turn if quotes[t].via), None)
        for t in turn:
            if not found[t].outlet_speaker:
                quotes[t].via = via
            p = people[t]
            quotes[t].anonymous = True if p is None else anonymous[p]
        k = end + 1
    return quotes


def find_quotes(article_text: str) -> list[Quote]:
    """Every quotation in an article text (paragraphs joined by a newline), in text order."""
    if not article_text.strip():
        return []
    return _settle(_Extractor(article_text).run(), article_text)
