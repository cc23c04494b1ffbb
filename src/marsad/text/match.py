"""Clitic-aware matching of known words and phrases (DESIGN.md, "Arabic text").

Arabic attaches conjunctions (و، ف), prepositions (ب، ل، ك) and the article to the word
that follows: «لرويترز» is رويترز, «للأسد» is الأسد, «والموصل» is الموصل. A clitic is
stripped only when what remains is a known form and the whole word is not, so names that
begin with those letters (وليد، فيصل، بشار، ليبيا، لبنان) keep their first letter.

``Lexicon`` finds known phrases (gazetteer names, agencies, slurs…) in text, longest match
first, with spans into the original text covering the whole written word.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from marsad.text.tokens import Token, tokenize

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"
# The shortest stem worth stripping down to: «لا», «وو» are words, not clitic + stem.
MIN_STEM = 2

V = TypeVar("V")


def clitic_readings(word: str) -> Iterator[tuple[str, int]]:
    """Every (stem, letters stripped) reading of a normalised word, fewest stripped first."""
    yield word, 0
    for conj in ("", *CONJUNCTIONS):
        rest = word[len(conj):] if word.startswith(conj) else None
        if rest is None:
            continue
        if conj and len(rest) >= MIN_STEM:
            yield rest, len(conj)
        for prep in PREPOSITIONS:
            if not rest.startswith(prep):
                continue
            stem = rest[len(prep):]
            if len(stem) >= MIN_STEM:
                yield stem, len(conj) + len(prep)
            # ل + ال is written لل: «للأسد» = ل + الأسد
            if prep == "ل" and stem.startswith("ل") and len(stem) > MIN_STEM:
                yield ARTICLE + stem[1:], len(conj) + 1


@lru_cache(maxsize=200_000)
def _stems(word: str) -> tuple[str, ...]:
    """The stems of ``clitic_readings``, remembered: every lexicon looks up every token."""
    return tuple(stem for stem, _ in clitic_readings(word))


def strip_clitics(word: str, known: Container[str]) -> str | None:
    """The known form behind attached clitics, the word itself when known, or None."""
    for stem, _ in clitic_readings(word):
        if stem in known:
            return stem
    return None


@dataclass(frozen=True)
class Match(Generic[V]):
    start: int  # offsets into the original text, covering whole written words
    end: int
    text: str  # the original text of the span
    key: str  # the normalised phrase that matched
    value: V


class Lexicon(Generic[V]):
    """Known phrases (normalised word sequences) with a value each."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        # Word → the entries its readings begin, in match order: most words begin none, and
        # every search looks up every token (forgotten when a phrase is added).
        self._starting: dict[str, tuple[tuple[tuple[str, ...], V], ...]] = {}

    def add(self, phrase: str, value: V) -> None:
        key = tuple(t.text for t in tokenize(phrase))
        if not key:
            return
        self._starting.clear()
        entries = self._by_first.setdefault(key[0], [])
        entries.append((key, value))
        entries.sort(key=lambda e: len(e[0]), reverse=True)  # longest match first

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_first.values())

    def __contains__(self, phrase: object) -> bool:
        if not isinstance(phrase, str):
            return False
        key = tuple(t.text for t in tokenize(phrase))
        return any(k == key for k, _ in self._by_first.get(key[0] if key else "", []))

    def find(self, text: str) -> list[Match[V]]:
        return self.find_tokens(text, tokenize(text))

    def find_tokens(self, text: str, tokens: list[Token]) -> list[Match[V]]:
        """``find`` over tokens the caller already has (``tokenize(text)``): a caller that
        matches several lexicons, or tags the same tokens, tokenises once."""
        found: list[Match[V]] = []
        starting = self._starting
        i = 0
        while i < len(tokens):
            entries = starting.get(tokens[i].text)
            if entries is None:
                entries = self._entries(tokens[i].text)
            hit = self._match_at(tokens, i, entries) if entries else None
            if hit is None:
                i += 1
                continue
            length, key, value = hit
            start, end = tokens[i].start, tokens[i + length - 1].end
            found.append(Match(start, end, text[start:end], " ".join(key), value))
            i += length
        return found

    def _entries(self, word: str) -> tuple[tuple[tuple[str, ...], V], ...]:
        """Entries whose first word is a reading of ``word``: readings with fewest letters
        stripped first, then longest entries first."""
        if len(self._starting) >= 200_000:
            self._starting.clear()
        entries = self._starting[word] = tuple(
            entry for stem in _stems(word) for entry in self._by_first.get(stem, ()))
        return entries

    def _match_at(self, tokens: list[Token], i: int,
                  entries: tuple[tuple[tuple[str, ...], V], ...]
                  ) -> tuple[int, tuple[str, ...], V] | None:
        for key, value in entries:
            n = len(key)
            if i + n <= len(tokens) and all(
                tokens[i + k].text == key[k] for k in range(1, n)
            ):
                return n, key, value
        return None
