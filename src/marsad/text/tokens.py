"""Word tokens of the normalised text, with offsets into the original.

Tokenising the normalised text (not the original) keeps a word with harakat, tatweel or a
zero-width joiner in one piece; the offset map then points each token back to exactly the
characters a reader sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    tokens = []
    for m in _WORD_RE.finditer(norm.text):
        start, end = norm.span_to_original(m.start(), m.end())
        tokens.append(Token(m.group(0), start, end))
    return tokens


def words(text: str) -> list[str]:
    """Just the normalised word forms: for hashing, shingling and features."""
    return _WORD_RE.findall(normalize(text, lower=True).text)
