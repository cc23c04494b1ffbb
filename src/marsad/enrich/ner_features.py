"""Token features for the entity tagger: one function shared by training and tagging.

The tagger is a linear-chain CRF over the word tokens of ``marsad.text.tokens.tokenize``
(normalised forms, offsets into the original text). Training (``training/train_ner.py``,
python-crfsuite) calls ``sentence_features`` here for the feature strings of each sentence;
tagging (``marsad.enrich.ner_model``) scores the very same strings, built by the same
``WordFeatures`` and helpers below, but sums their weights once per distinct word instead of
building the lists, so the model sees at run time exactly what it was trained on.
Punctuation is not a token (``tokenize`` keeps words only): what stands between two words is
a feature of both (``gap`` classes), so «حلب، حمص» still shows the comma between two names.

Features of a token (names are prefixes of the crfsuite attribute strings):

- ``w`` the normalised word; ``r`` each reading of it with attached clitics stripped
  (``marsad.text.match.clitic_readings``: «والموصل» also reads الموصل), so a name seen
  bare in training is recognised with و، ب، ل…;
- ``p1..p3`` / ``s1..s3`` prefixes and suffixes (ال، ية، ون…), ``shape`` (length class,
  digits, Latin letters), ``g3`` the character trigrams of the shortest reading (foreign
  names share letter patterns: «فينغر», «نيستلروي»), ``sp``/``ss`` that reading's affixes;
- ``w-2..w+2`` the neighbouring words, ``r-1``/``r+1`` their shortest readings and
  ``p±1``/``s±1`` their first and last two letters (triggers: الرئيس، مدينة، وكالة;
  gentilics: الأمريكي، اللبنانية), ``b-1`` the bigram with the previous word;
- ``gb``/``ga`` punctuation classes of the gap before / after the word;
- gazetteer tags computed by the caller (``ag=B-LOC`` for ANERGazet lists, ``gazetteer_feature``);
- ``BOS`` / ``EOS`` on the first and last word of a sentence.

Everything that depends on the word alone is computed once per distinct word and cached:
a page of 900 words has a few hundred distinct ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from marsad.text.match import clitic_readings

FEATURE_VERSION = 1

# Readings shorter than this are letter pairs, not stems: «بيت» would read يت.
MIN_READING = 3

# What punctuation in the gap between two words means for names: a list separator, a
# quotation mark around a name, a bracket, a sentence end, a line break.
GAP_CLASSES: dict[str, str] = {
    **dict.fromkeys("،,؛;", "comma"),
    **dict.fromkeys("\"'«»“”„‘’`", "quote"),
    **dict.fromkeys("([{", "open"),
    **dict.fromkeys(")]}", "close"),
    **dict.fromkeys(".!?؟…", "end"),
    **dict.fromkeys(":", "colon"),
    **dict.fromkeys("-–—_/", "dash"),
    **dict.fromkeys("\n\r", "line"),
}

# Feature groups; training may switch groups off to compare on dev, the shipped model
# uses DEFAULT_GROUPS (recorded in the model card).
ALL_GROUPS: frozenset[str] = frozenset(
    {"word", "readings", "affixes", "shape", "context", "context_readings", "bigram", "gap",
     "gazetteer", "ngrams", "stem_affixes", "context_affixes"}
)
DEFAULT_GROUPS: frozenset[str] = ALL_GROUPS

# Offsets of the neighbours whose features a word sees (``WordFeatures.as_neighbour``).
CONTEXT = (-2, -1, 1, 2)
_CACHE_LIMIT = 300_000
BOS = "BOS"
EOS = "EOS"


def _shape(word: str) -> str:
    if word.isdigit():
        return "digits"
    if any(c.isdigit() for c in word):
        return "hasdigit"
    if word.isascii():
        return "latin"
    n = len(word)
    return "len1-2" if n <= 2 else "len3" if n == 3 else "len4-5" if n <= 5 else "len6+"


def _readings(word: str) -> list[str]:
    return [stem for stem, stripped in clitic_readings(word)
            if stripped and len(stem) >= MIN_READING]


class WordFeatures:
    """The features of one distinct word: its own, and what it adds to its neighbours."""

    __slots__ = ("as_neighbour", "own")

    def __init__(self, word: str, groups: frozenset[str]) -> None:
        own: list[str] = []
        readings = _readings(word)
        if "word" in groups:
            own.append("w=" + word)
        if "readings" in groups:
            own.append("r=" + word)
            own.extend("r=" + r for r in readings)
        if "affixes" in groups:
            for k in (1, 2, 3):
                if len(word) > k:
                    own.append(f"p{k}=" + word[:k])
                    own.append(f"s{k}=" + word[-k:])
        if "shape" in groups:
            own.append("shape=" + _shape(word))
        shortest = readings[-1] if readings else word
        if "ngrams" in groups:
            marked = f"<{shortest}>"
            own.extend({"g3=" + marked[k:k + 3] for k in range(len(marked) - 2)})
        if "stem_affixes" in groups and shortest != word:
            for k in (2, 3):
                if len(shortest) > k:
                    own.append(f"sp{k}=" + shortest[:k])
                    own.append(f"ss{k}=" + shortest[-k:])
        self.own = own
        # Offset k → the features this word gives the word k places away from it, named as
        # seen from that word (w+1 is the next word).
        neighbour: dict[int, list[str]] = {}
        for k in CONTEXT:
            feats = []
            if "context" in groups:
                feats.append(f"w{k:+d}=" + word)
            if "context_readings" in groups and abs(k) == 1:
                feats.append(f"r{k:+d}=" + shortest)
            if "context_affixes" in groups and abs(k) == 1 and len(word) > 2:
                feats.append(f"s{k:+d}=" + word[-2:])
                feats.append(f"p{k:+d}=" + word[:2])
            neighbour[k] = feats
        self.as_neighbour = neighbour


class FeatureExtractor:
    """``sentence_features`` with a per-word cache, for one set of feature groups."""

    def __init__(self, groups: frozenset[str] = DEFAULT_GROUPS) -> None:
        unknown = groups - ALL_GROUPS
        if unknown:
            raise ValueError(f"unknown feature groups {sorted(unknown)}; use {sorted(ALL_GROUPS)}")
        self.groups = groups
        self._cache: dict[str, WordFeatures] = {}

    def word(self, word: str) -> WordFeatures:
        feats = self._cache.get(word)
        if feats is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            feats = self._cache[word] = WordFeatures(word, self.groups)
        return feats

    def sentence_features(
        self,
        words: Sequence[str],
        gaps: Sequence[str],
        extra: Sequence[Sequence[str]] | None = None,
    ) -> list[list[str]]:
        """Feature strings per word. ``gaps[i]`` is the text before word i and ``gaps[-1]``
        the text after the last (len(words) + 1 gaps); ``extra[i]`` more features of word i
        (gazetteer tags), used when the ``gazetteer`` group is on."""
        n = len(words)
        info = [self.word(w) for w in words]
        groups = self.groups
        use_gap = "gap" in groups
        use_bigram = "bigram" in groups
        use_extra = extra is not None and "gazetteer" in groups
        gap_feats = [gap_classes(g) for g in gaps] if use_gap else []
        out: list[list[str]] = []
        for i in range(n):
            feats = list(info[i].own)
            for k in CONTEXT:
                j = i + k
                if 0 <= j < n:
                    feats.extend(info[j].as_neighbour[k])
            if i == 0:
                feats.append(BOS)
            if i == n - 1:
                feats.append(EOS)
            if use_bigram and i > 0:
                feats.append(bigram_feature(words[i - 1], words[i]))
            if use_gap:
                feats.extend(gap_before(gap_feats[i]))
                feats.extend(gap_after(gap_feats[i + 1]))
            if use_extra:
                feats.extend(extra[i])  # type: ignore[index]
            out.append(feats)
        return out


@lru_cache(maxsize=4096)
def gap_classes(gap: str) -> tuple[str, ...]:
    """Punctuation classes of the text between two words (few distinct gaps: cached)."""
    if gap == " ":
        return ()
    return tuple(sorted({GAP_CLASSES[c] for c in gap if c in GAP_CLASSES}))


def gap_before(classes: Sequence[str]) -> list[str]:
    """The features of a word whose preceding gap has these classes."""
    return ["gb=" + c for c in classes]


def gap_after(classes: Sequence[str]) -> list[str]:
    """The features of a word whose following gap has these classes."""
    return ["ga=" + c for c in classes]


def bigram_feature(previous: str, word: str) -> str:
    return "b-1=" + previous + "|" + word


def gazetteer_feature(kind: str, first: bool) -> str:
    """The ``ag=`` feature of a word inside a gazetteer name of type ``kind``."""
    return ("ag=B-" if first else "ag=I-") + kind
