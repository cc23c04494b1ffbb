"""Word tokens of the normalised text, with offsets into the original.

Tokenising the normalised text (not the original) keeps a word with harakat, tatweel or a
zero-width joiner in one piece; the offset map then points each token back to exactly the
characters a reader sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from marsad.text.normalize import normalize

# Letters and digits of any script; the normaliser has already removed the marks that
# would otherwise split an Arabic word.
_WORD_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Token:
    text: str  # normalised form
    start: int  # offsets into the original text
    end: int


def tokenize(text: str, *, lower: bool = True) -> list[Token]:
    norm = normalize(text, lower=lower)
    matches = list(_WORD_RE.finditer(norm.text))
    if not matches:
        return []
    # A word match is never empty, so its span maps to the start of its first character and
    # the end of its last (``Normalized.span_to_original``), read here without the call.
    starts, ends = norm.starts, norm.ends
    return [Token(m.group(0), starts[m.start()], ends[m.end() - 1]) for m in matches]


def words(text: str) -> list[str]:
    """Just the normalised word forms: for hashing, shingling and features."""
    return _WORD_RE.findall(normalize(text, lower=True).text)


@lru_cache(maxsize=8)
def cached_tokens(text: str) -> list[Token]:
    """``tokenize(text)`` remembered for the latest few texts: the parts of the enrich step
    (entities, quotations, sourcing) read the same article text, and tokenising is the
    costliest thing they share. Callers must not change the list."""
    return tokenize(text)
