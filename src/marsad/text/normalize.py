"""The one Arabic normaliser, with an offset map back to the original text.

Used by page ids, boilerplate matching, search, dedup and the models alike (DESIGN.md,
"Arabic text"). ``normalize(text)`` returns a ``Normalized`` whose ``span_to_original``
maps any span of the normalised text back to the original, so evidence and entity
offsets always point into what the reader sees.

Steps, per original character, in this order:
1. NFKC (it lengthens ligatures: ﻻ → لا, ﷲ → الله, ﷺ → a whole phrase);
2. drop harakat (U+064B–U+065F, U+0670), tatweel (U+0640), zero-width and bidi controls;
3. fold letters: أ/إ/آ/ٱ → ا, ى → ي, ة → ه, Persian ی → ي, ک → ك; Arabic-Indic and Persian
   digits → ASCII;
4. optionally lower-case (Latin) and collapse whitespace runs to one space;
5. collapse a run of three or more of the same letter to one (never two: الله، للأسد).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import numpy as np

HARAKAT = frozenset(chr(c) for c in [*range(0x064B, 0x0660), 0x0670])
TATWEEL = "\u0640"
INVISIBLE = frozenset(
    chr(c)
    for c in [
        *range(0x200B, 0x2010),  # zero-width space/joiners, LRM, RLM
        *range(0x202A, 0x202F),  # bidi embeddings and overrides
        *range(0x2066, 0x206A),  # bidi isolates
        0x061C,  # Arabic letter mark
        0xFEFF,  # BOM / zero-width no-break space
        0x00AD,  # soft hyphen
    ]
)
DROPPED = HARAKAT | INVISIBLE | {TATWEEL}

LETTER_FOLDS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ی": "ي",  # Persian yeh
    "ي": "ي",
    "ک": "ك",  # Persian keheh
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
}

MIN_RUN_TO_COLLAPSE = 3


@dataclass(frozen=True)
class Normalized:
    """Normalised text and, for each of its characters, the original span it came from.

    The text is computed on the fast path (``str.translate`` and two regular expressions);
    the offset map only when a caller asks for it, since most callers (ids, dedup, search,
    phrase matching) never do.
    """

    original: str
    text: str
    lower: bool = False
    collapse_space: bool = False

    @cached_property
    def _offsets(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        n = len(self.original)
        if not self.collapse_space and len(self.text) == n and _one_to_one(
            self.original, self.lower
        ):
            # Every character folded to exactly one and no run collapsed (it would have
            # shortened the text): character i came from character i. Most news text.
            return tuple(range(n)), tuple(range(1, n + 1))
        if self.collapse_space:
            text, starts, ends = _normalize_with_offsets(self.original, self.lower, True)
        else:
            text, starts, ends = _offsets_without_space_collapse(self.original, self.lower)
        if text != self.text:  # the two paths must agree; a test holds them to it
            raise AssertionError("normaliser paths disagree on " + repr(self.original[:80]))
        return starts, ends

    @property
    def starts(self) -> tuple[int, ...]:
        return self._offsets[0]

    @property
    def ends(self) -> tuple[int, ...]:
        return self._offsets[1]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map ``text[start:end]`` to the span of ``original`` it was made from."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span ({start}, {end}) is outside the normalised text")
        if start == end:
            at = self.starts[start] if start < len(self.text) else len(self.original)
            return at, at
        return self.starts[start], self.ends[end - 1]


def _fold_char(ch: str, lower: bool) -> str:
    """What one original character becomes (possibly nothing, possibly several)."""
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if c in DROPPED:
            continue
        c = LETTER_FOLDS.get(c, c)
        if lower:
            c = c.lower()
        out.append(c)
    return "".join(out)


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that learns each character's folding the first time."""

    def __init__(self, lower: bool) -> None:
        super().__init__()
        self.lower = lower

    def __missing__(self, codepoint: int) -> str:
        folded = _fold_char(chr(codepoint), self.lower)
        if len(self) < 200_000:
            self[codepoint] = folded
        return folded


_TABLES = {False: _FoldTable(False), True: _FoldTable(True)}
_RUN_RE = re.compile(rf"(.)\1{{{MIN_RUN_TO_COLLAPSE - 1},}}", re.DOTALL)


def _one_to_one(text: str, lower: bool) -> bool:
    """Whether every character of ``text`` folds to exactly one character."""
    table = _TABLES[lower]
    return all(len(table[ord(c)]) == 1 for c in set(text))


def _collapse_run(m: re.Match[str]) -> str:
    return m.group(1) if m.group(1).isalpha() else m.group(0)


def normalize(text: str, *, lower: bool = False, collapse_space: bool = False) -> Normalized:
    """Normalise Arabic text for matching; ``span_to_original`` maps spans back."""
    folded = text.translate(_TABLES[lower])
    if collapse_space:
        folded = " ".join(folded.split())
    folded = _RUN_RE.sub(_collapse_run, folded)
    return Normalized(text, folded, lower, collapse_space)


def _normalize_with_offsets(
    text: str, lower: bool, collapse_space: bool
) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """The slow path, one character at a time, keeping each output character's origin."""
    table = _TABLES[lower]
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        folded = table[ord(ch)]
        if not folded:
            # A dropped mark belongs to the letter before it: widen that letter's span so a
            # highlighted word keeps its harakat.
            if ends and ch in HARAKAT and ends[-1] == i:
                ends[-1] = i + 1
            continue
        for c in folded:
            if collapse_space and c.isspace():
                if not out or out[-1] == " ":
                    if out:
                        ends[-1] = i + 1
                    continue
                c = " "
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    if collapse_space and out and out[-1] == " ":
        out.pop()
        starts.pop()
        ends.pop()
    return _collapse_runs(out, starts, ends)


def _offsets_without_space_collapse(
    text: str, lower: bool
) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """``_normalize_with_offsets`` without ``collapse_space``, with array operations: each
    original character i gives len(fold(i)) output characters that start at i and end at
    i + 1; a dropped haraka then widens the letter before it (a Python step per dropped
    character only), and runs are collapsed only where there is one."""
    table = _TABLES[lower]
    pieces = [table[ord(c)] for c in text]
    lens = np.fromiter(map(len, pieces), dtype=np.int64, count=len(text))
    starts = np.repeat(np.arange(len(text), dtype=np.int64), lens)
    ends = starts + 1
    dropped = np.flatnonzero(lens == 0)
    if dropped.size:
        before = np.cumsum(lens) - lens  # output characters made before original i
        for i in dropped.tolist():
            k = int(before[i]) - 1
            if k >= 0 and text[i] in HARAKAT and ends[k] == i:
                ends[k] = i + 1
    out = "".join(pieces)
    if _RUN_RE.search(out) is None:
        return out, tuple(starts.tolist()), tuple(ends.tolist())
    return _collapse_runs(list(out), starts.tolist(), ends.tolist())


def _collapse_runs(
    chars: list[str], starts: list[int], ends: list[int]
) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Collapse runs of 3+ identical letters to one letter spanning the whole run."""
    text: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    i = 0
    n = len(chars)
    while i < n:
        j = i + 1
        while j < n and chars[j] == chars[i]:
            j += 1
        if chars[i].isalpha() and j - i >= MIN_RUN_TO_COLLAPSE:
            text.append(chars[i])
            new_starts.append(starts[i])
            new_ends.append(ends[j - 1])
        else:
            text.extend(chars[i:j])
            new_starts.extend(starts[i:j])
            new_ends.extend(ends[i:j])
        i = j
    return "".join(text), tuple(new_starts), tuple(new_ends)


def fold(text: str) -> str:
    """Normalised, lower-cased, whitespace-collapsed text: the key for phrase matching."""
    return normalize(text, lower=True, collapse_space=True).text
