"""See through the ways commenters disguise abuse, keeping a map back to the original text.

The project normaliser (``marsad.text.normalize``) already folds harakat, tatweel,
zero-width and bidi controls, ligatures (ﻻ), Persian ی/ک and runs of three or more letters
(كلبببب). On top of it, for moderation only, in this order:

1. more letter folds: other Persian/Urdu letters, hamza carriers (``EXTRA_LETTER_FOLDS``);
2. digits inside Arabic words: Arabizi digits (ح7ار), look-alikes (٥ for ه), filler zeros;
3. Latin-script Arabizi words (kalb, 7mar, ya 5anzeer) → Arabic, by word list then by
   letter rules;
4. emoji, symbols and dots inside a word (ك🐶لب، ك.ل.ب) are dropped, joining the word;
5. single letters spaced out (ك ل ب، ك - ل - ب) are joined;
6. a doubled alef (حماار) is one.

Scoring needs only the cleaned text, computed on a fast path (string operations only).
Evidence needs, for each cleaned character, the span of the original text it came from:
``Mapped`` computes that map on first use by running the same steps again over the
normaliser's offset map, so evidence highlights exactly what the reader wrote. All
patterns are linear-time (bounded repetitions, no nested quantifiers).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from marsad.moderate import lexicon as lx
from marsad.text.normalize import Normalized, fold, normalize

_LETTER = f"[{lx.ARABIC_LETTERS}]"
_EXTRA_FOLDS = str.maketrans(lx.EXTRA_LETTER_FOLDS)

# A digit with an Arabic letter on both sides, or one leading digit before two letters.
_LEADING = "".join(sorted(lx.LEADING_ARABIZI_DIGITS))
_DIGIT_IN_WORD = re.compile(
    f"(?<={_LETTER})[0-9](?={_LETTER})|(?<!\\w)[{_LEADING}](?={_LETTER}{{2}})"
)
# A Latin word (letters, Arabizi digits, the apostrophe of 3'), bounded in length.
_LATIN_WORD = re.compile(f"(?<![a-z0-9'])[a-z0-9']{{1,{lx.ARABIZI_MAX_WORD}}}(?![a-z0-9'])")
# Non-word, non-space characters between two Arabic letters.
_NOISE_IN_WORD = re.compile(f"(?<={_LETTER})[^\\w\\s]{{1,4}}(?={_LETTER})")
# Three or more single letters, each separated by spaces or punctuation: «ك ل ب», «ك-ل-ب».
_SEPARATOR = r"[\s.\-_*·•،,+/|~]"
_SPACED = re.compile(
    f"(?<!\\w){_LETTER}(?:{_SEPARATOR}{{1,3}}{_LETTER}(?!\\w))"
    f"{{{lx.MIN_SPACED_LETTERS - 1},60}}"
)
_SPACED_SEPARATORS = re.compile(_SEPARATOR)
_DOUBLE_ALEF = re.compile("اا+")
_LONE_ARTICLE = re.compile(f"(?<!\\w)ال (?={_LETTER})")


# Characters whose look decides what a digit stands for; their presence sends a comment
# down the slow path, where the original character of every digit is known.
_LOOKALIKE_DIGITS = re.compile(
    "[" + "".join(sorted(set(lx.ARABIC_INDIC_LOOKALIKES) | (lx.FILLER_DIGITS - {"0"}))) + "]"
)


@dataclass(frozen=True)
class _Text:
    """The text between steps, with its offset map when one is being kept."""

    original: str
    text: str
    starts: tuple[int, ...] | None
    ends: tuple[int, ...] | None


# An edit of the current text: replace text[start:end] with ``new`` ("" deletes); each new
# character maps to the whole replaced span.
_Edit = tuple[int, int, str]


def _apply(t: _Text, edits: list[_Edit]) -> _Text:
    if not edits:
        return t
    pieces: list[str] = []
    last = 0
    for start, end, new in edits:
        pieces.append(t.text[last:start])
        pieces.append(new)
        last = end
    pieces.append(t.text[last:])
    if t.starts is None or t.ends is None:
        return _Text(t.original, "".join(pieces), None, None)
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    for start, end, new in edits:
        starts.extend(t.starts[last:start])
        ends.extend(t.ends[last:start])
        if new:
            starts.extend([t.starts[start]] * len(new))
            ends.extend([t.ends[end - 1]] * len(new))
        last = end
    starts.extend(t.starts[last:])
    ends.extend(t.ends[last:])
    return _Text(t.original, "".join(pieces), tuple(starts), tuple(ends))


def _digits(t: _Text) -> _Text:
    edits: list[_Edit] = []
    for match in _DIGIT_IN_WORD.finditer(t.text):
        i = match.start()
        written = t.original[t.starts[i]] if t.starts is not None else match.group()
        if written in lx.ARABIC_INDIC_LOOKALIKES:
            edits.append((i, i + 1, lx.ARABIC_INDIC_LOOKALIKES[written]))
        elif written in lx.FILLER_DIGITS:
            edits.append((i, i + 1, ""))
        elif match.group() in lx.ARABIZI_DIGITS:
            edits.append((i, i + 1, lx.ARABIZI_DIGITS[match.group()]))
    return _apply(t, edits)


def _arabizi_rules(word: str) -> str:
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if ch in lx.ARABIZI_VOWELS and word[i:i + 2] not in _LONG_VOWELS:
            if i == 0:
                out.append("ا")
            elif i == n - 1:
                out.append("ه" if ch in "ae" else "ي" if ch in "iy" else "و")
            i += 1  # a short vowel inside the word is not written in Arabic
            continue
        for latin, arabic in lx.ARABIZI_LETTERS:
            if word.startswith(latin, i):
                out.append(arabic)
                i += len(latin)
                break
        else:
            i += 1  # an apostrophe or a letter with no Arabic reading
    return "".join(out)


_LONG_VOWELS = frozenset(latin for latin, _ in lx.ARABIZI_LETTERS if latin[0] in "aeiou")


def arabizi_to_arabic(word: str) -> str | None:
    """The Arabic reading of a lower-case Latin word, or None when it is not Arabizi.

    A listed word (optionally after a Latin article/vocative prefix) is read from the list;
    an unlisted word is Arabizi only when it mixes letters with Arabizi digits (7mar, 3ars).
    """
    if word in lx.ARABIZI_WORDS:
        return lx.ARABIZI_WORDS[word]
    for prefix, arabic in lx.ARABIZI_PREFIXES.items():
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 3 and rest in lx.ARABIZI_WORDS:
            joiner = " " if arabic == lx.VOCATIVE else ""
            return arabic + joiner + lx.ARABIZI_WORDS[rest]
    has_letter = any("a" <= c <= "z" for c in word)
    if has_letter and any(c in lx.ARABIZI_DIGITS for c in word):
        return _arabizi_rules(word)
    return None


def _arabizi(t: _Text) -> _Text:
    edits: list[_Edit] = []
    for match in _LATIN_WORD.finditer(t.text):
        arabic = arabizi_to_arabic(match.group())
        if arabic:
            edits.append((match.start(), match.end(), fold(arabic)))
    if not edits:
        return t
    t = _apply(t, edits)
    # A Latin article written apart («ibn el kalb») belongs to the word after it.
    return _apply(t, [(x.end() - 1, x.end(), "") for x in _LONE_ARTICLE.finditer(t.text)])


def _letters_before(text: str, i: int, limit: int) -> int:
    n = 0
    while i - 1 - n >= 0 and n <= limit and text[i - 1 - n].isalpha():
        n += 1
    return n


def _letters_after(text: str, i: int, limit: int) -> int:
    n = 0
    while i + n < len(text) and n <= limit and text[i + n].isalpha():
        n += 1
    return n


def _noise_in_words(t: _Text) -> _Text:
    edits: list[_Edit] = []
    text = t.text
    for match in _NOISE_IN_WORD.finditer(text):
        symbols = all(unicodedata.category(c).startswith("S") for c in match.group())
        limit = lx.MAX_SIDE_JOINED_ACROSS_EMOJI if symbols else lx.MAX_SIDE_JOINED_ACROSS_PUNCT
        left = _letters_before(text, match.start(), limit)
        right = _letters_after(text, match.end(), limit)
        if min(left, right) <= limit:
            edits.append((match.start(), match.end(), ""))
    return _apply(t, edits)


def _spaced_letters(t: _Text) -> _Text:
    edits: list[_Edit] = []
    for match in _SPACED.finditer(t.text):
        for sep in _SPACED_SEPARATORS.finditer(match.group()):
            at = match.start() + sep.start()
            edits.append((at, at + 1, ""))
    return _apply(t, edits)


def _double_alef(t: _Text) -> _Text:
    return _apply(t, [(x.start() + 1, x.end(), "") for x in _DOUBLE_ALEF.finditer(t.text)])


_STEPS: tuple[Callable[[_Text], _Text], ...] = (
    _digits, _arabizi, _noise_in_words, _spaced_letters, _double_alef,
)


def _one_to_one_chars() -> frozenset[str]:
    """Characters the normaliser turns into exactly one character, asked of it directly."""
    candidates = [*range(0x21, 0x7F), *range(0x600, 0x700), 0xAB, 0xBB,
                  *range(0x2010, 0x2028), *range(0x2600, 0x27C0), *range(0x1F300, 0x1FB00)]
    return frozenset(chr(c) for c in candidates
                     if len(normalize(chr(c), lower=True, collapse_space=True).text) == 1)


_ONE_TO_ONE = _one_to_one_chars()
# Interior single spaces and line breaks also map one to one; runs of whitespace collapse,
# and a run of three identical characters may collapse (elongation): neither is 1:1.
_NOT_ONE_TO_ONE = re.compile(r"^\s|\s$|\s\s|(.)\1\1|[^ \n" + "".join(
    re.escape(c) for c in sorted(_ONE_TO_ONE)) + "]")


def _normaliser_offsets(text: str, norm: Normalized) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The normaliser's offset map; the identity, without its per-character slow path, when
    the normaliser maps every character of ``text`` to exactly one character (most
    comments: no harakat, tatweel, ligatures, elongation or repeated spaces)."""
    if len(norm.text) == len(text) and not _NOT_ONE_TO_ONE.search(text):
        return tuple(range(len(text))), tuple(range(1, len(text) + 1))
    return norm.starts, norm.ends


def _run(text: str, with_offsets: bool) -> _Text:
    norm = normalize(text, lower=True, collapse_space=True)
    cleaned = norm.text.translate(_EXTRA_FOLDS)
    if with_offsets:
        starts, ends = _normaliser_offsets(text, norm)
        t = _Text(text, cleaned, starts, ends)
    else:
        t = _Text(text, cleaned, None, None)
    for step in _STEPS:
        t = step(t)
    return t


@dataclass(frozen=True)
class Mapped:
    """Cleaned text; ``span_to_original`` maps its spans back to the original text."""

    original: str
    text: str

    @cached_property
    def _offsets(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        t = _run(self.original, with_offsets=True)
        if t.text != self.text or t.starts is None or t.ends is None:
            raise AssertionError("de-obfuscation paths disagree on " + repr(self.original[:80]))
        return t.starts, t.ends

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map ``text[start:end]`` (non-empty) to the original characters it was made from."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span ({start}, {end}) is outside the cleaned text")
        starts, ends = self._offsets
        return min(starts[start:end]), max(ends[start:end])


def deobfuscate(text: str) -> Mapped:
    """Normalise ``text`` (lower-cased, spaces collapsed) and undo common obfuscations."""
    slow = _LOOKALIKE_DIGITS.search(text) is not None
    t = _run(text, with_offsets=slow)
    m = Mapped(text, t.text)
    if slow and t.starts is not None and t.ends is not None:
        m.__dict__["_offsets"] = (t.starts, t.ends)  # already computed: keep it
    return m
