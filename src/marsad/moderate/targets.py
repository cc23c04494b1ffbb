"""Whom a comment attacks: the hate target, and whether a curse is aimed at anyone at all.

Two questions, both answered on the cleaned tokens of a comment (``features.Prepared``):

- **hate target** — the model's target head (trained on the hate rows with a target, plus
  our sectarian set) gives a probability per target; cue words (``lexicon.TARGET_CUES``:
  slurs, group nouns, sect figures and institutions) found in the comment, and with less
  weight in its context (the article), are added before the best target is taken. Cues
  make the target robust where the data is thin (religion and sect: ~80 rows).
- **generic curse** — «الله يلعن كل من ينفخ في الفتنة» curses whoever does something and
  names no one; the policy sends such a comment to review at most. A comment is *aimed*
  when it addresses someone (vocative «يا …», second person «انتم», «لعنكم») or when a
  curse's object names a group (a target cue in the object clause).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from marsad.moderate import lexicon as lx
from marsad.text.match import ARTICLE as _ARTICLE
from marsad.text.match import clitic_readings
from marsad.text.normalize import fold

# cue word (normalised) → targets it points to; two-word cues are keyed with a space
_CUES: dict[str, set[str]] = {}
for _target, _words in lx.TARGET_CUES.items():
    for _word in _words:
        _CUES.setdefault(fold(_word), set()).add(_target)
_CUE_PAIRS = frozenset(k for k in _CUES if " " in k)
_SINGLE_CUES = frozenset(k for k in _CUES if " " not in k)

_SECOND_PERSON = lx.folded(lx.SECOND_PERSON)
_NOT_ADDRESSED = lx.folded(lx.VOCATIVE_NOT_ADDRESS)
_CURSES = lx.folded(lx.CURSE_WORDS)
_BARE_CURSES = lx.folded(lx.CURSES_TAKING_BARE_RELATIVE)
_GENERIC = tuple(tuple(fold(w) for w in obj) for obj in lx.GENERIC_OBJECTS)
_BARE_RELATIVES = lx.folded(lx.BARE_RELATIVES)
_VOCATIVE = fold(lx.VOCATIVE)
_INSULTS = lx.folded(lx.INSULT_WORDS)


_MEMO: dict[tuple[int, str], str | None] = {}
_MEMO_MAX = 200_000


def _known(token: str, known: frozenset[str] | dict[str, set[str]]) -> str | None:
    """The known form of ``token`` after attached clitics and the article, or None.

    Memoised per word list: comment words repeat, and clitic readings cost a loop.
    """
    key = (id(known), token)
    if key in _MEMO:
        return _MEMO[key]
    found = _lookup(token, known)
    if len(_MEMO) < _MEMO_MAX:
        _MEMO[key] = found
    return found


def _lookup(token: str, known: frozenset[str] | dict[str, set[str]]) -> str | None:
    for stem, _ in clitic_readings(token):
        if stem in known:
            return stem
        if stem.startswith(_ARTICLE) and stem[len(_ARTICLE):] in known:
            return stem[len(_ARTICLE):]
    return None


def _cue_of(token: str) -> set[str]:
    stem = _known(token, _CUES)
    return _CUES[stem] if stem else set()


def cue_positions(tokens: Sequence[str]) -> list[tuple[int, int, set[str]]]:
    """(first token, end token, targets) for every cue in ``tokens``."""
    found: list[tuple[int, int, set[str]]] = []
    for i, token in enumerate(tokens):
        if i + 1 < len(tokens) and f"{token} {tokens[i + 1]}" in _CUE_PAIRS:
            found.append((i, i + 2, _CUES[f"{token} {tokens[i + 1]}"]))
            continue
        targets = _cue_of(token)
        if targets:
            found.append((i, i + 1, targets))
    return found


def cue_counts(tokens: Sequence[str], order: Sequence[str]) -> np.ndarray:
    """How many cues point to each target of ``order``."""
    counts = np.zeros(len(order))
    index = {t: i for i, t in enumerate(order)}
    for _, _, targets in cue_positions(tokens):
        for target in targets:
            if target in index:
                counts[index[target]] += 1
    return counts


def combine(model_probs: np.ndarray, comment_cues: np.ndarray,
            context_cues: np.ndarray | None = None,
            cue_weight: float = lx.TARGET_CUE_WEIGHT) -> np.ndarray:
    """Target scores: the model's probabilities plus weighted, saturating cue evidence.

    ``cue_weight`` is the one the model was trained with (``ModerationModel.cue_weight``);
    context cues count ``CONTEXT_CUE_WEIGHT`` of it.
    """
    score = model_probs + cue_weight * np.log1p(comment_cues)
    if context_cues is not None:
        score = score + lx.CONTEXT_CUE_WEIGHT * cue_weight * np.log1p(context_cues)
    return score


def choose_target(order: Sequence[str], model_probs: np.ndarray, comment_cues: np.ndarray,
                  context_cues: np.ndarray | None = None,
                  cue_weight: float = lx.TARGET_CUE_WEIGHT) -> str:
    scores = combine(model_probs, comment_cues, context_cues, cue_weight)
    return order[int(np.argmax(scores))]


@dataclass(frozen=True)
class Address:
    """Who a comment speaks to or curses (token indices into the comment's tokens)."""

    vocatives: tuple[int, ...]
    second_person: tuple[int, ...]
    generic_curses: tuple[int, ...]  # curse words whose object is "whoever …"
    aimed_curses: tuple[int, ...]  # curse words whose object clause names a group

    @property
    def addresses_someone(self) -> bool:
        return bool(self.vocatives or self.second_person or self.aimed_curses)

    @property
    def only_generic_curse(self) -> bool:
        """A curse at "whoever …" and nobody addressed or named: review at most."""
        return bool(self.generic_curses) and not self.addresses_someone


def _is_vocative(tokens: Sequence[str], i: int) -> bool:
    token = tokens[i]
    if token == _VOCATIVE:
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        pair = f"{nxt} {tokens[i + 2]}" if i + 2 < len(tokens) else ""
        return bool(nxt) and nxt not in _NOT_ADDRESSED and pair not in _NOT_ADDRESSED
    if token.startswith(_VOCATIVE) and len(token) > len(_VOCATIVE) + 2:
        rest = token[len(_VOCATIVE):]
        # «ياكلب», «يامن» but not «ياسر», «ياخذون»: the rest must be an insult, a group, a
        # relative or carry the article; names and verbs beginning with يا are left alone
        return rest not in _NOT_ADDRESSED and (
            rest in _BARE_RELATIVES or bool(_known(rest, _INSULTS)) or bool(_cue_of(rest))
            or rest.startswith(_ARTICLE))
    return False


def _is_second_person(token: str) -> bool:
    if _known(token, _SECOND_PERSON):
        return True
    return (token.endswith(lx.SECOND_PERSON_SUFFIX) and len(token) >= lx.MIN_SUFFIX_WORD
            and not token.endswith(lx.SECOND_PERSON_SUFFIX_EXCEPTIONS))


def _curse_object(tokens: Sequence[str], i: int) -> str | None:
    """'generic' or 'aimed' for the curse at token i, or None when it has no clear object."""
    bare = tokens[i] in _BARE_CURSES
    for gap in range(1, lx.CURSE_OBJECT_GAP + 1):
        j = i + gap
        if j >= len(tokens):
            return None
        generic_len = 0
        for obj in _GENERIC:
            if tuple(tokens[j:j + len(obj)]) == obj:
                generic_len = len(obj)
                break
        if not generic_len and bare and tokens[j] in _BARE_RELATIVES:
            generic_len = 1
        if generic_len:
            clause = tokens[j + generic_len:j + generic_len + lx.CURSE_OBJECT_WINDOW]
            if any(_cue_of(t) for t in clause) or any(_is_second_person(t) for t in clause):
                return "aimed"
            return "generic"
        if _cue_of(tokens[j]) or _is_second_person(tokens[j]):
            return "aimed"
    return None


def address(tokens: Sequence[str]) -> Address:
    vocatives = tuple(i for i in range(len(tokens)) if _is_vocative(tokens, i))
    second = tuple(i for i, t in enumerate(tokens) if _is_second_person(t))
    generic: list[int] = []
    aimed: list[int] = []
    for i, token in enumerate(tokens):
        if _known(token, _CURSES):
            kind = _curse_object(tokens, i)
            if kind == "generic":
                generic.append(i)
            elif kind == "aimed":
                aimed.append(i)
    return Address(vocatives, second, tuple(generic), tuple(aimed))
