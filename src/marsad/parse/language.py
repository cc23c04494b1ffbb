"""A page's language, cheaply and offline.

marsad reads Arabic news; the language only has to route a page (Arabic models for Arabic
pages) and label the non-Arabic pages of the evaluation set, which are English, German and
French. So: Arabic script wins when its letters are the majority of the letters; Persian
and Urdu are told apart from Arabic only by the letters Arabic does not use (ی and ک are
not among them: Arabic typed on a Persian keyboard is full of them); Latin-script text gets
a stop-word vote. Anything else is "und" (undetermined), and text without letters is None.
"""

from __future__ import annotations

import re

# Arabic script blocks: Arabic, Arabic Supplement, Arabic Extended-A, presentation forms.
ARABIC_SCRIPT_RANGES: tuple[tuple[int, int], ...] = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
# Letters of Persian and Urdu that Arabic spelling does not use (پ چ ژ گ; ٹ ڈ ڑ ں ے ۓ).
PERSIAN_LETTERS = frozenset("پچژگ")
URDU_LETTERS = frozenset("ٹڈڑںےۓ")
# Share of Arabic-script letters those letters must reach, and a floor on their count, so
# that an Iraqi «گ» or a foreign name spelt with «پ» leaves Arabic text Arabic.
FA_UR_MIN_SHARE = 0.01
FA_UR_MIN_COUNT = 3


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The most frequent function words; a word may vote for several languages.
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and of to in is that it for was on with as are this be by not have you he at "
        "from they but his her which we were been has their an or"
    ),
    "de": _words(
        "der die und das ist nicht ein eine zu den von mit sich des auf für im dem auch es "
        "sie ich wir wird werden sind war bei aus nach oder wie"
    ),
    "fr": _words(
        "le la les et de des est une un du en que qui dans pour pas sur au avec ce il elle "
        "sont nous vous par mais ou été cette aux"
    ),
    "es": _words(
        "el la los las y de que en un una es por con no para del se al lo como más pero su "
        "sus fue este esta está entre"
    ),
}
# A Latin-script verdict needs this many stop-word hits and a strict lead over the runner-up.
MIN_STOP_WORD_HITS = 2

# Words are scanned from at most this many characters: a language does not change halfway.
MAX_CHARS = 20_000
_LATIN_WORD_RE = re.compile(r"[^\W\d_]{1,40}")


def _is_arabic_script(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in ARABIC_SCRIPT_RANGES)


def detect_language(text: str) -> str | None:
    """"ar", "fa", "ur", "en", "de", "fr", "es" or "und"; None when ``text`` has no letters."""
    sample = text[:MAX_CHARS]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return None
    arabic = [ch for ch in letters if _is_arabic_script(ch)]
    if len(arabic) * 2 > len(letters):
        return _arabic_script_language(arabic)
    return _stop_word_vote(sample)


def _arabic_script_language(arabic: list[str]) -> str:
    """Arabic unless Persian- or Urdu-only letters are clearly present.

    Urdu also writes the Persian letters, but Persian never writes Urdu's: check Urdu first.
    """
    persian = sum(ch in PERSIAN_LETTERS for ch in arabic)
    urdu = sum(ch in URDU_LETTERS for ch in arabic)
    floor = max(FA_UR_MIN_COUNT, FA_UR_MIN_SHARE * len(arabic))
    if urdu >= floor:
        return "ur"
    if persian >= floor:
        return "fa"
    return "ar"


def _stop_word_vote(sample: str) -> str:
    votes = dict.fromkeys(STOP_WORDS, 0)
    for word in _LATIN_WORD_RE.findall(sample.lower()):
        for lang, words in STOP_WORDS.items():
            if word in words:
                votes[lang] += 1
    ranked = sorted(votes.items(), key=lambda kv: kv[1], reverse=True)
    (best, hits), (_, runner_up) = ranked[0], ranked[1]
    if hits >= MIN_STOP_WORD_HITS and hits > runner_up:
        return best
    return "und"
