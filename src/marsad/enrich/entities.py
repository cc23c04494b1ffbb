"""People, organisations, places and other names in a page's title, article and comments.

``find_entities(page)`` returns ``Entity`` records (DESIGN.md): ``where`` is ``title``,
``article`` (offsets into ``page.article_text``) or ``comment N``; ``start``/``end`` cover
whole written words, clitics included (gold: «للأسد» is the span, الأسد the canonical).

How a text is tagged (``tag_text``):

1. ``tokenize`` the text once (normalised words, offsets into the original; the article's
   tokens are shared with quotations and sourcing, ``cached_tokens``); split it into
   sentences where the gap between two words holds a sentence end and a space or a line
   break;
2. a CRF (``models/ner.npz``, trained by ``training/train_ner.py`` on ANERcorp; card:
   ``models/NER_CARD.md``) tags each sentence in BIO over ``ner_features``, scored in numpy
   (``marsad.enrich.ner_model``; every text of a page in one batch); one of its features is
   membership in the ANERGazet lists, shipped in the same file as hashes only;
3. our gazetteers (``marsad.enrich.gazetteers``: groups, places, countries, people, and the
   outlets of ``marsad.enrich.outlets``) are matched on the same tokens, clitic-aware. A
   known name overrides the model where they overlap (it brings the canonical name and
   fixes the span), except that a model entity of another type that strictly contains the
   name is kept instead (جامعة دمشق is an ORG, not the place دمشق), provided it contains
   no known name of its own type; a known name the model missed is added.

Canonical names: a known name's canonical from the gazetteer; otherwise the written span
with harakat and tatweel dropped and whitespace collapsed, and with attached clitics
stripped from its first word only when the stripped form is a known word (gazetteer, or a
word of an ANERGazet name, by hash) and the whole word is not (the rule of
``marsad.text.match``: «ولندن» → لندن, «للأسد» → الأسد, «وليد» stays).

The model and lexicons load lazily, once per process, from package files (no download).
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from marsad.enrich.gazetteers import Known, gazetteer_lexicon, known_words
from marsad.enrich.ner_features import FEATURE_VERSION, FeatureExtractor, gazetteer_feature
from marsad.enrich.ner_model import CrfModel, HashedGazetteer, batch_of
from marsad.names import EntityType
from marsad.record import Entity, Page
from marsad.text.match import ARTICLE, Match, clitic_readings
from marsad.text.normalize import DROPPED, normalize
from marsad.text.tokens import Token, cached_tokens, tokenize

MODELS = Path(__file__).resolve().parents[1] / "models"
MODEL_PATH = MODELS / "ner.npz"
MODEL_NAME = f"ner-crf-v{FEATURE_VERSION}"

# A gap between two words ends a sentence when it holds one of these and whitespace, or a
# line break: «3.5» and «U.S» do not split, «… دير الزور. وقال» does.
SENTENCE_END = frozenset(".!?؟…")
LINE_BREAKS = frozenset("\n\r")
_BREAK_CHARS = re.compile("[" + re.escape("".join(SENTENCE_END | LINE_BREAKS)) + "]")

TYPES = frozenset(t.value for t in EntityType)
V = TypeVar("V")
_SPACES = re.compile(r"\s+")
_START = operator.attrgetter("start")
_END = operator.attrgetter("end")


class NerModelError(RuntimeError):
    """The shipped tagger file is missing or unreadable."""


@dataclass(frozen=True)
class Found:
    """One entity in a text: character span, type, canonical, and who found it."""

    start: int
    end: int
    type: str
    canonical: str
    source: str  # "model" or "gazetteer"


@dataclass
class Prepared:
    """A text ready for the CRF's training: its tokens, sentences (token ranges) and their
    feature strings."""

    text: str
    tokens: list[Token]
    sentences: list[tuple[int, int]]
    features: list[list[list[str]]]


@lru_cache(maxsize=1)
def model() -> CrfModel:
    """The shipped tagger, loaded once per process."""
    if not MODEL_PATH.is_file():
        raise NerModelError(f"{MODEL_PATH} is missing; rebuild the tagger with "
                            "`python training/train_ner.py` (needs ../shared/data/ner)")
    try:
        return CrfModel.load(MODEL_PATH)
    except (OSError, KeyError, ValueError) as err:
        raise NerModelError(f"{MODEL_PATH}: {err}; rebuild it with "
                            "`python training/train_ner.py`") from err


def is_known_stem(word: str, gazet: HashedGazetteer | None = None) -> bool:
    """Whether a normalised word is one a canonical may strip clitics down to (module
    docstring): a word of our gazetteers or of an ANERGazet name."""
    return word in known_words() or (gazet or model().gazetteer).knows_word(word)


def _token_ranges(tokens: Sequence[Token], matches: Sequence[Match[V]]
                  ) -> list[tuple[int, int, Match[V]]]:
    """Token ranges of matches (which cover whole tokens)."""
    return [(bisect.bisect_left(tokens, m.start, key=_START),
             bisect.bisect_left(tokens, m.end, key=_END) + 1, m) for m in matches]


def sentence_ranges(text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Token index ranges of the sentences of a text (module docstring, step 1). Only the
    gaps that hold a sentence-end or line-break character are looked at."""
    starts = [t.start for t in tokens]
    cuts: set[int] = set()
    for m in _BREAK_CHARS.finditer(text):
        k = bisect.bisect_right(starts, m.start())
        if k in cuts or not 0 < k < len(tokens):
            continue
        gap = text[tokens[k - 1].end:tokens[k].start]
        if any(c in LINE_BREAKS for c in gap) or (
            any(c in SENTENCE_END for c in gap) and any(c.isspace() for c in gap)
        ):
            cuts.add(k)
    bounds = [0, *sorted(cuts), len(tokens)] if tokens else []
    return list(itertools.pairwise(bounds))


def prepare(text: str, extractor: FeatureExtractor, gazet: HashedGazetteer) -> Prepared:
    """Tokens, sentences and CRF feature strings of a text: what training gives crfsuite.
    Tagging scores the same features without building the strings (``ner_model``)."""
    tokens = tokenize(text)
    extra: list[list[str]] = [[] for _ in tokens]
    for i, j, kind in gazet.find([t.text for t in tokens]):
        for k in range(i, j):
            extra[k].append(gazetteer_feature(kind, k == i))
    sentences = sentence_ranges(text, tokens)
    features = []
    for a, b in sentences:
        sent = tokens[a:b]
        gaps = [text[(tokens[a - 1].end if a else 0):sent[0].start]]
        gaps += [text[sent[k - 1].end:sent[k].start] for k in range(1, len(sent))]
        gaps.append(text[sent[-1].end:(tokens[b].start if b < len(tokens) else len(text))])
        features.append(extractor.sentence_features([t.text for t in sent], gaps, extra[a:b]))
    return Prepared(text, tokens, sentences, features)


def _spans(labels: Sequence[str], sentences: Sequence[tuple[int, int]]
           ) -> list[tuple[int, int, str]]:
    """(first token, end token, type) of every entity in BIO labels; none crosses a
    sentence."""
    spans: list[tuple[int, int, str]] = []
    for a, b in sentences:
        start, kind = -1, ""
        for k, label in enumerate([*labels[a:b], "O"]):
            if label == "O" and start < 0:
                continue
            prefix, _, t = label.partition("-")
            continues = prefix == "I" and t == kind and start >= 0
            if start >= 0 and not continues:
                spans.append((a + start, a + k, kind))
                start = -1
            if prefix in ("B", "I") and not continues and t in TYPES:
                start, kind = k, t
    return spans


def _merge(model: list[tuple[int, int, str]], known: list[tuple[int, int, Known]]
           ) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, Known]]]:
    """Model entities and known names after the override rule (module docstring, step 3):
    a model entity is kept over the known names it overlaps only when it strictly contains
    every one of them and each is of another type; otherwise they replace it."""
    kept_model = []
    overridden: set[int] = set()
    for a, b, t in model:
        overlapping = [n for n, (i, j, _) in enumerate(known) if i < b and a < j]
        if all(a <= known[n][0] and known[n][1] <= b and (b - a) > (known[n][1] - known[n][0])
               and known[n][2].type != t for n in overlapping):
            kept_model.append((a, b, t))
            overridden.update(overlapping)
    kept_known = [k for n, k in enumerate(known) if n not in overridden]
    return kept_model, kept_known


def written_canonical(text: str, first_word: str, gazet: HashedGazetteer | None = None) -> str:
    """The canonical of a name the model found (module docstring): ``text`` is the span as
    written, ``first_word`` the normalised form of its first word."""
    strip = 0
    article = False
    if not is_known_stem(first_word, gazet):
        for stem, stripped in clitic_readings(first_word):
            if stripped and is_known_stem(stem, gazet):
                strip = stripped
                # ل + ال is written لل: the reading put the article's alef back
                article = stem.startswith(ARTICLE) and not first_word[stripped:].startswith(
                    ARTICLE)
                break
    clean = "".join(c for c in text if c not in DROPPED)
    clean = _SPACES.sub(" ", clean).strip()
    if strip:
        norm = normalize(clean)
        cut = norm.span_to_original(strip, len(norm.text))[0] if strip < len(norm.text) else 0
        clean = ("ا" if article else "") + clean[cut:]
    return clean


def tag_texts(
    texts: Sequence[str], *, gazetteer: bool = True, tagger: CrfModel | None = None,
    tokens: Sequence[Sequence[Token] | None] | None = None,
) -> list[list[Found]]:
    """Entities of several texts (the parts of a page), each sorted by position (module
    docstring): the CRF scores all their sentences in one batch. ``gazetteer=False`` gives
    the model alone; ``tagger`` replaces the shipped model (training compares candidates on
    dev with it); ``tokens[k]``, where given, is ``tokenize(texts[k])`` already made."""
    crf = tagger or model()
    parts: list[tuple[str, list[Token], list[tuple[int, int]]]] = []
    for k, text in enumerate(texts):
        given = tokens[k] if tokens is not None else None
        toks = list(given) if given is not None else (
            tokenize(text) if text and not text.isspace() else [])
        parts.append((text, toks, sentence_ranges(text, toks)))
    batch, offsets = batch_of([p for p in parts if p[1]], crf.gazetteer)
    labels = crf.tag_batch(batch)
    out: list[list[Found]] = []
    base = iter(offsets)
    for text, toks, sentences in parts:
        if not toks:
            out.append([])
            continue
        at = next(base)
        model_spans = _spans(labels[at:at + len(toks)], sentences)
        known: list[tuple[int, int, Known]] = []
        if gazetteer:
            for i, j, m in _token_ranges(toks, gazetteer_lexicon().find_tokens(text, toks)):
                known.append((i + m.value.lead, j, m.value))
        kept_model, kept_known = _merge(model_spans, known)
        found = [Found(toks[i].start, toks[j - 1].end, k.type, k.canonical, "gazetteer")
                 for i, j, k in kept_known]
        for i, j, kind in kept_model:
            start, end = toks[i].start, toks[j - 1].end
            found.append(Found(start, end, kind, written_canonical(
                text[start:end], toks[i].text, crf.gazetteer), "model"))
        out.append(sorted(found, key=lambda f: (f.start, f.end)))
    return out


def tag_text(text: str, *, gazetteer: bool = True, tagger: CrfModel | None = None
             ) -> list[Found]:
    """Entities of one text, sorted by position (``tag_texts``)."""
    return tag_texts([text], gazetteer=gazetteer, tagger=tagger)[0]


def find_entities(page: Page) -> list[Entity]:
    """Entities of the title, the article text and every comment of a page."""
    parts: list[tuple[str, str]] = []
    if page.title:
        parts.append(("title", page.title))
    article = page.article_text
    parts.append(("article", article))
    parts.extend((f"comment {c.index}", c.text) for c in page.comments)
    shared = [cached_tokens(text) if where == "article" else None for where, text in parts]
    entities = []
    for (where, text), found in zip(
            parts, tag_texts([text for _, text in parts], tokens=shared), strict=True):
        for f in found:
            entities.append(Entity(text=text[f.start:f.end], canonical=f.canonical,
                                   type=f.type, where=where, start=f.start, end=f.end))
    return entities
