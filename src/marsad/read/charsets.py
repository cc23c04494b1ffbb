"""Bytes to text: choose the encoding of an Arabic (or any) page, and say how sure we are.

The cascade, first match wins:

1. A byte-order mark (UTF-8, UTF-16). It wins over any declaration: a file that starts with a
   BOM was written by a tool that knew its encoding, and the meta tag is often left over from
   an older version of the page.
2. Strict UTF-8. Most pages are UTF-8, and windows-1256 or ISO-8859-6 Arabic text is almost
   never valid UTF-8 by accident, so valid UTF-8 is believed even against a declaration
   (sites that moved to UTF-8 often keep their old ``<meta charset=windows-1256>``).
3. Nearly-valid UTF-8: at least ``MOSTLY_UTF8_RATIO`` well-formed multi-byte sequences per
   invalid byte. A UTF-8 page with a few broken bytes (an excerpt cut inside a letter, one
   Latin-1 word pasted in) is common, and reading it as windows-1256 or windows-1252 would
   garble every non-ASCII letter to save a few. Single-byte text seldom forms valid sequences
   (Arabic letter + «،» can), so it never comes near the ratio.
4. A declaration — the caller's (an HTTP header, a JSONL field), then the page's own
   ``<meta charset>``, ``<meta http-equiv=content-type>`` or ``<?xml encoding>`` in the first
   ``PRESCAN_BYTES`` — when the bytes decode under it without error *and* the result is not
   garbled (see ``_Quality``). Servers often send a default ``ISO-8859-1`` header for pages
   that are really windows-1256; that decodes without error but yields Latin mojibake, so
   the second condition matters.
5. Detection: candidates are decoded and scored; the best score wins, and on a tie the
   earlier candidate. First the declarations and the two Arabic encodings alone: a clean
   Arabic reading (believable, with Arabic letters) ends the search. Otherwise UTF-8 with
   replacement, windows-1252 and charset-normalizer's guess join the contest (the guess
   before the fallbacks, so it wins their ties, unless it is a code page web pages hardly
   use). Asking the detector costs more than all the rest, and for Arabic pages it has
   nothing to add.

Why our own score and not the detector's answer alone: Arabic single-byte pages are hard for
detectors. ISO-8859-6 and windows-1256 share the letters ء..ض but place the commonest
letters (ل م ن ه و ي) differently, and charset-normalizer reads ISO-8859-6 HTML as cp1251
(Cyrillic). The score rewards Arabic letters (only when «ال», the commonest Arabic bigram,
comes with them in the proportion real text has, see ``_Quality.plausible_arabic``) and the
article itself, which only the right decoding produces in quantity, and penalises signs of a
wrong decoding: replacement characters, control characters, a Latin letter glued to an
Arabic one (ISO-8859-6 read as windows-1256 puts ç è ê inside Arabic words), and runs of
three accented Latin letters (Arabic read as Latin-1: «ÇáÓáÇã»). For non-Arabic pages the
Arabic terms are zero on every candidate and the penalties decide. Limit: a text of one or
two words without «ال» (say «شكرا» in ISO-8859-6) reads as plausible Arabic both ways; the
tie goes to windows-1256, by far the commoner of the two. Full sentences are told apart.

Candidates are scored on a sample (``_score_sample``), and the page is decoded in full once,
with the winner. When even the best decoding is garbled or has no spaces (see
``Decoded.readable``), the bytes are not text we can read; ``read_bytes`` reports that.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

PRESCAN_BYTES = 8192  # where <meta charset> is looked for (HTML says 1024; real pages stray)
HEAD_SAMPLE_BYTES = 2 * 1024 * 1024  # candidates are scored on this much of the page ...
SCORE_BYTES = 16 * 1024  # ... once long ASCII runs are squeezed out, up to this much
LONG_ASCII_RUN = re.compile(rb"[\x00-\x7f]{16,}")  # markup and code: the same in every candidate
DETECTOR_BYTES = 64 * 1024  # charset-normalizer sees this much of the sample (it is slow)
SUSPICIOUS_WEIGHT = 20  # one sign of a wrong decoding outweighs this many Arabic letters
ARTICLE_WEIGHT = 2  # each «ال» counts this much on top of its two letters
# Arabic text has one «ال» per 9 to 17 letters (our sentences and the seed page); letter soup
# from another script has almost none. Below FEW_LETTERS there is too little to tell.
MIN_ARTICLE_SHARE = 0.02
FEW_LETTERS = 20
MOSTLY_UTF8_RATIO = 10  # valid multi-byte UTF-8 sequences per invalid byte, at least ...
MOSTLY_UTF8_MIN = 10  # ... and at least this many of them
ACCEPT_SHARE = 0.001  # a declaration leaving more suspicious characters than this is doubted
# Not readable text: more suspicious characters than UNDECODABLE_SHARE, or, in a sample of at
# least MIN_SPACING_CHARS, less whitespace than MIN_SPACING (every language we read, and all
# markup, puts a space or newline every few characters; random bytes about one in 200).
UNDECODABLE_SHARE = 0.05
MIN_SPACING = 0.02
MIN_SPACING_CHARS = 200

ARABIC_ENCODINGS = ("windows-1256", "iso-8859-6")  # tried first, alone: most pages we read
# The wider contest, after the detector's guess, earlier candidates winning ties: Western
# European first (the commonest legacy encoding of the non-Arabic pages we read; on Arabic
# text it scores far below the Arabic encodings), then the Arabic ones again.
FALLBACK_ENCODINGS = ("windows-1252", *ARABIC_ENCODINGS)
# Detector guesses that web pages almost never use (Mac and DOS code pages): the detector
# offers them for short samples, so they rank after the fallbacks instead of before.
UNLIKELY_ON_THE_WEB = ("mac-", "cp")

BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Labels Python does not know, mapped to ones it does (WHATWG Encoding Standard aliases).
LABEL_ALIASES = {
    "iso-8859-6-i": "iso-8859-6",
    "iso-8859-6-e": "iso-8859-6",
    "x-cp1256": "windows-1256",
    "utf8": "utf-8",
}

# On bytes, lower-cased head; every repetition bounded.
META_CHARSET = re.compile(
    rb"<meta\b[^>]{0,1024}?charset\s{0,8}=\s{0,8}[\"']?\s{0,8}([a-z0-9_.:\-]{1,40})"
)
XML_ENCODING = re.compile(rb"<\?xml\b[^>]{0,200}?encoding\s{0,8}=\s{0,8}[\"']([a-z0-9_.:\-]{1,40})")
HEADER_CHARSET = re.compile(r"charset\s{0,8}=\s{0,8}[\"']?\s{0,8}([A-Za-z0-9_.:\-]{1,40})", re.I)

HIGH_BYTES = bytes(range(0x80, 0x100))

# On text.
# Counted with str.count, letter by letter: several times faster than a regex findall.
# The 42 letters of U+0621..U+064A, and the Persian ones windows-1256 also encodes.
ARABIC_LETTERS = tuple(chr(c) for c in range(0x0621, 0x064B)) + tuple("پچژکگی")
DEFINITE_ARTICLE = "\u0627\u0644"  # «ال»
BAD_CHAR = re.compile("[\ufffd\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f-\x9f\ue000-\uf8ff]")
MIXED_SCRIPT = re.compile(
    "[A-Za-z\u00c0-\u024f][\u0621-\u065f]|[\u0621-\u064a][A-Za-z\u00c0-\u024f]"
)
LATIN1_RUN = re.compile("[\u00c0-\u00ff]{3}")


@dataclass(frozen=True)
class Decoded:
    """A decoding, how it was chosen, and how plausible its text looks."""

    text: str
    encoding: str  # normalised name: "utf-8", "windows-1256", "iso-8859-6", ...
    how: str  # "bom" | "utf-8" | "declared" | "detected"
    garbled: float = 0.0  # share of suspicious characters in the scored sample
    spacing: float = 1.0  # share of whitespace in the scored sample (1.0: not measured)
    sample_chars: int = 0  # size of the scored sample, in characters

    @property
    def readable(self) -> bool:
        """False when the best decoding still does not look like text (``UNDECODABLE_*``)."""
        if self.garbled > UNDECODABLE_SHARE:
            return False
        return self.sample_chars < MIN_SPACING_CHARS or self.spacing >= MIN_SPACING


@dataclass(frozen=True)
class _Quality:
    """How plausible a decoding is (see module docstring)."""

    arabic: int
    articles: int
    suspicious: int
    spaces: int
    length: int

    @property
    def plausible_arabic(self) -> bool:
        """Arabic letters that read as Arabic: real text is full of «ال»; other scripts read
        through an Arabic code page (KOI8-R as windows-1256) give letter soup without it."""
        return self.arabic < FEW_LETTERS or self.articles >= MIN_ARTICLE_SHARE * self.arabic

    @property
    def score(self) -> float:
        letters = self.arabic if self.plausible_arabic else 0
        return letters + ARTICLE_WEIGHT * self.articles - SUSPICIOUS_WEIGHT * self.suspicious

    @property
    def share(self) -> float:
        chars = self.length - self.spaces
        return self.suspicious / chars if chars else 0.0

    @property
    def believable(self) -> bool:
        return self.suspicious <= ACCEPT_SHARE * (self.length - self.spaces)


def _quality(text: str) -> _Quality:
    return _Quality(
        arabic=sum(map(text.count, ARABIC_LETTERS)),
        articles=text.count(DEFINITE_ARTICLE),
        suspicious=len(BAD_CHAR.findall(text))
        + len(MIXED_SCRIPT.findall(text))
        + len(LATIN1_RUN.findall(text)),
        spaces=text.count(" ") + text.count("\n") + text.count("\t") + text.count("\r"),
        length=len(text),
    )


def _score_sample(data: bytes) -> bytes:
    """The part of a page worth scoring: its head with long pure-ASCII runs squeezed out.

    Candidate decodings differ only in non-ASCII bytes, and in HTML these often sit after
    hundreds of KB of scripts and styles; squeezing the ASCII runs (markup, code) to one
    space brings the text into a small sample and keeps scoring cheap.
    """
    return LONG_ASCII_RUN.sub(b" ", data[:HEAD_SAMPLE_BYTES])[:SCORE_BYTES]


def _decoded(text: str, encoding: str, how: str, quality: _Quality) -> Decoded:
    spacing = quality.spaces / quality.length if quality.length else 1.0
    return Decoded(text, encoding, how, quality.share, spacing, quality.length)


def normalise_encoding(label: str | None) -> str | None:
    """A text encoding's canonical name (``"windows-1256"``, ``"iso-8859-6"``, ``"utf-8"``).

    None for labels that are empty, unknown, or not text encodings (``base64``).
    """
    if not label:
        return None
    label = label.strip().strip("\"'").strip().lower()
    label = LABEL_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
        b"a".decode(name, "ignore")  # LookupError for bytes-to-bytes codecs such as base64
    except (LookupError, ValueError):
        return None
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    if name.startswith("iso8859-"):
        return "iso-8859-" + name[8:]
    if name == "utf-8-sig":
        return "utf-8"
    return name


def charset_from_content_type(value: str | None) -> str | None:
    """The normalised charset of an HTTP ``Content-Type`` value, if it names a known one."""
    match = HEADER_CHARSET.search(value or "")
    return normalise_encoding(match.group(1)) if match else None


def prescan(data: bytes) -> str | None:
    """The encoding an HTML or XML page declares in its head, normalised, if any."""
    head = data[:PRESCAN_BYTES].lower()
    match = META_CHARSET.search(head) or XML_ENCODING.search(head)
    if not match:
        return None
    name = normalise_encoding(match.group(1).decode("ascii"))
    # HTML: a meta tag read through an ASCII-compatible decoding cannot mean UTF-16/32.
    if name and name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


def _mostly_utf8(sample: bytes) -> bool:
    """Rule 3 of the cascade: UTF-8 with a few broken bytes."""
    text = sample.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    # Every non-ASCII character that is not a replacement came from a valid sequence.
    ascii_bytes = len(sample.translate(None, HIGH_BYTES))
    valid = len(text) - ascii_bytes - invalid
    return valid >= MOSTLY_UTF8_MIN and valid >= MOSTLY_UTF8_RATIO * invalid


def _detector_guess(sample: bytes) -> str | None:
    best = charset_normalizer.from_bytes(sample[:DETECTOR_BYTES]).best()
    return normalise_encoding(best.encoding) if best else None


def _ascii_compatible(encoding: str) -> bool:
    try:
        return "<a>".encode(encoding) == b"<a>"
    except (LookupError, UnicodeError):
        return False


def decode_detail(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data`` by the cascade in the module docstring; never raises for bad bytes."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            head = text[:SCORE_BYTES]
            garbled = head.count("\ufffd") / len(head) if head else 0.0
            return Decoded(text, encoding, "bom", garbled)

    declared_name = normalise_encoding(declared)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared_name and data.isascii() and _ascii_compatible(declared_name):
            return Decoded(text, declared_name, "declared")  # same text; keep the page's word
        return Decoded(text, "utf-8", "utf-8")

    sample = _score_sample(data)
    if _mostly_utf8(sample):
        quality = _quality(sample.decode("utf-8", errors="replace"))
        return _decoded(data.decode("utf-8", errors="replace"), "utf-8", "utf-8", quality)
    declarations = list(dict.fromkeys(e for e in (declared_name, prescan(data)) if e))
    for encoding in declarations:
        if encoding == "utf-8":
            continue  # already failed strictly
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        quality = _quality(sample.decode(encoding, errors="replace"))
        if quality.believable:
            return _decoded(text, encoding, "declared", quality)

    qualities: dict[str, _Quality] = {}

    def best_of(encodings: list[str]) -> str:
        """The best-scoring encoding; on a tie, the earlier one."""
        best = encodings[0]
        for encoding in dict.fromkeys(encodings):
            if encoding not in qualities:
                qualities[encoding] = _quality(sample.decode(encoding, errors="replace"))
            if qualities[encoding].score > qualities[best].score:
                best = encoding
        return best

    encoding = best_of([*declarations, *ARABIC_ENCODINGS])
    first = qualities[encoding]
    if not (first.believable and first.arabic and first.plausible_arabic):
        # Not a clean Arabic reading: widen the contest, and let the detector propose one.
        fixed = [*declarations, "utf-8", *FALLBACK_ENCODINGS]
        guess = _detector_guess(sample)
        if guess and guess.startswith(UNLIKELY_ON_THE_WEB):
            encoding = best_of([*fixed, guess])
        elif guess:
            encoding = best_of([*declarations, "utf-8", guess, *FALLBACK_ENCODINGS])
        else:
            encoding = best_of(fixed)
    quality = qualities[encoding]
    return _decoded(data.decode(encoding, errors="replace"), encoding, "detected", quality)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes: ``(text, encoding)``, the encoding's name normalised.

    ``declared`` is what the transport says (an HTTP charset, a JSONL ``encoding`` field);
    a BOM or valid UTF-8 overrides it, and it is ignored when the bytes contradict it.
    """
    decoded = decode_detail(data, declared)
    return decoded.text, decoded.encoding
