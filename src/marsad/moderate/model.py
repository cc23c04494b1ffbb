"""The shipped moderation model: float16 weights over hashed features, scored with numpy.

File format (``models/moderation.npz``, written by ``training/train_moderation.py``; plain
arrays, loaded with ``allow_pickle=False``):

- ``labels`` (L,) names, in ``MODERATION_LABELS`` order; ``weights`` (L, 2**HASH_BITS)
  float16 content weights; ``intercepts`` (L,) float32;
- ``sources`` (K,) the training sources; ``domain_weights`` (K, 2**domain_bits) float16
  and ``domain_intercepts`` (K,): one-vs-rest logistic heads, normalised, of which source
  a comment *looks like* (tweet, YouTube comment, news comment…); ``offsets`` (L, K): per
  label and source, the shift that puts that source's best threshold at zero. A comment's
  score is its content score plus its expected offset under the domain classifier: one
  model for all sources, whose annotation standards and base rates differ (see
  MODERATION_CARD.md);
- ``platt`` (L, 2) calibration: probability = sigmoid(a * score + b);
- ``targets`` (T,) names and ``target_weights`` (T, 2**target_bits), ``target_intercepts``:
  which group a hateful comment attacks; ``target_cue_weight`` how much cue words add to
  it (``targets.combine``);
- ``block_weights`` (2,) char/word block scales; ``hash_bits``, ``domain_bits``,
  ``target_bits``; ``version`` the model's name.

Smaller heads read the same buckets folded to fewer bits (``bucket & (2**bits - 1)``).
The model loads lazily, once per process (``default_model``).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import numpy as np

from marsad.moderate import features as ft
from marsad.moderate import lexicon as lx

MODEL_FILE = "moderation.npz"
REQUIRED_KEYS = (
    "labels", "weights", "intercepts", "sources", "domain_weights", "domain_intercepts",
    "offsets", "platt", "targets", "target_weights", "target_intercepts", "block_weights",
    "hash_bits", "domain_bits", "target_bits", "version",
)


def default_model_path() -> Path:
    return Path(str(files("marsad") / "models" / MODEL_FILE))


@dataclass(frozen=True)
class Scored:
    """Probabilities per label (n, L) and per hate target (n, T) for a batch."""

    probs: np.ndarray
    target_probs: np.ndarray


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def _linear(feats: ft.Features, weights: np.ndarray, bits: int) -> np.ndarray:
    """(n, heads) sums of value * weight over each comment's features."""
    bucket = feats.bucket & np.int64((1 << bits) - 1) if bits < ft.HASH_BITS else feats.bucket
    out = np.zeros((feats.n_docs, weights.shape[0]), dtype=np.float64)
    for head in range(weights.shape[0]):
        contrib = feats.value * weights[head, bucket].astype(np.float32)
        out[:, head] = np.bincount(feats.doc, weights=contrib, minlength=feats.n_docs)
    return out


CODEBOOK_SIZE = 256  # one byte per weight


def quantize_rows(weights: np.ndarray, power: float = 0.5) -> dict[str, np.ndarray]:
    """Each row's weights as one-byte codes into a 256-value codebook of that row, spaced
    evenly in sign(w)·|w|^power and zero kept exact: small weights (most of them) keep fine
    steps and the few large ones (slurs, curses) a small relative error. A quarter of
    float32, half of float16."""
    half = CODEBOOK_SIZE // 2 - 1  # 127 levels each side of zero
    codes = np.zeros(weights.shape, dtype=np.uint8)
    books = np.zeros((weights.shape[0], CODEBOOK_SIZE), dtype=np.float32)
    for row, values in enumerate(weights.astype(np.float32)):
        top = float(np.abs(values).max())
        if top == 0.0:
            continue
        levels = np.linspace(-1.0, 1.0, 2 * half + 1)  # companded: -1 … 0 … 1
        books[row, : 2 * half + 1] = np.sign(levels) * np.abs(levels) ** (1 / power) * top
        companded = np.sign(values) * (np.abs(values) / top) ** power
        codes[row] = np.rint((companded + 1.0) * half).astype(np.uint8)
    return {"weights": codes, "weights_codebook": books}


def _weights(arrays: dict[str, np.ndarray]) -> np.ndarray:
    """The main heads' weights as float16, from codes and codebooks when quantized."""
    if "weights_codebook" not in arrays:
        return arrays["weights"]
    books, codes = arrays["weights_codebook"], arrays["weights"]
    return np.take_along_axis(books, codes.astype(np.int64), axis=1).astype(np.float16)


class ModerationModel:
    """A loaded moderation model (see the module docstring for what it holds)."""

    def __init__(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {key: data[key] for key in data.files}
        except FileNotFoundError:
            raise FileNotFoundError(
                f"moderation model {path} is missing: reinstall marsad, or rebuild it with "
                "`python training/train_moderation.py`"
            ) from None
        missing = [key for key in REQUIRED_KEYS if key not in arrays]
        if missing:
            raise ValueError(f"moderation model {path} lacks {', '.join(missing)}: rebuild it "
                             "with `python training/train_moderation.py`")
        if int(arrays["hash_bits"]) != ft.HASH_BITS:
            raise ValueError(f"moderation model {path} was trained with {int(arrays['hash_bits'])}"
                             f"-bit features, this marsad hashes {ft.HASH_BITS}: rebuild it")
        self.path = path
        self.labels: tuple[str, ...] = tuple(str(x) for x in arrays["labels"])
        self.weights = _weights(arrays)
        self.intercepts = arrays["intercepts"].astype(np.float64)
        self.sources: tuple[str, ...] = tuple(str(x) for x in arrays["sources"])
        self.domain_weights = arrays["domain_weights"]
        self.domain_intercepts = arrays["domain_intercepts"].astype(np.float64)
        self.offsets = arrays["offsets"].astype(np.float64)
        self.platt = arrays["platt"].astype(np.float64)
        self.targets: tuple[str, ...] = tuple(str(x) for x in arrays["targets"])
        self.target_weights = arrays["target_weights"]
        self.target_intercepts = arrays["target_intercepts"].astype(np.float64)
        self.block_weights = (float(arrays["block_weights"][0]), float(arrays["block_weights"][1]))
        self.cue_weight = float(arrays.get("target_cue_weight", lx.TARGET_CUE_WEIGHT))
        self.domain_bits = int(arrays["domain_bits"])
        self.target_bits = int(arrays["target_bits"])
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        self.version = f"{arrays['version']}+{digest}"

    def features(self, batch: Sequence[ft.Prepared]) -> ft.Features:
        return ft.featurize(batch, self.block_weights)

    def raw_scores(self, feats: ft.Features) -> np.ndarray:
        """(n, L) scores before calibration: content plus the expected source offset."""
        content = _linear(feats, self.weights, ft.HASH_BITS) + self.intercepts
        if len(self.sources) > 1:
            # one-vs-rest logistic heads, normalised to sum to one (as they were trained)
            domain = _sigmoid(_linear(feats, self.domain_weights, self.domain_bits)
                              + self.domain_intercepts)
            domain /= domain.sum(axis=1, keepdims=True)
            content += domain @ self.offsets.T
        return content

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        return _sigmoid(raw * self.platt[:, 0] + self.platt[:, 1])

    def score(self, batch: Sequence[ft.Prepared]) -> Scored:
        return self.score_features(self.features(batch))

    def score_features(self, feats: ft.Features) -> Scored:
        probs = self.calibrate(self.raw_scores(feats))
        target = _softmax(_linear(feats, self.target_weights, self.target_bits)
                          + self.target_intercepts)
        return Scored(probs, target)

    def token_contributions(self, batch: Sequence[ft.Prepared], occ: ft.Occurrences | None = None,
                            feats: ft.Features | None = None) -> list[np.ndarray]:
        """How much each token adds to each label's content score, for every comment.

        One (labels, tokens) array per comment. A feature's contribution (value × weight)
        is shared equally among its occurrences; a character n-gram belongs to the token it
        lies in, a bigram half to each of its words. ``occ`` and ``feats``: the batch's
        occurrences and features, when the caller has them already.
        """
        occ = occ if occ is not None else ft.occurrences(batch)
        feats = feats if feats is not None else ft.block_values(occ, self.block_weights)
        n_tokens = np.array([len(p.tokens) for p in batch], dtype=np.int64)
        first = np.concatenate(([0], np.cumsum(n_tokens)))
        out = np.zeros((len(self.labels), int(first[-1])))
        if len(occ.doc):
            contrib = feats.value[None, :] * self.weights[:, feats.bucket].astype(np.float64)
            # features are sorted by (comment, block, bucket): each occurrence finds its
            # feature by binary search, and shares its contribution with the feature's
            # other occurrences
            shift = np.int64(ft.HASH_BITS + 1)
            key = (feats.doc << shift) | (feats.block << np.int64(ft.HASH_BITS)) | feats.bucket
            at = np.searchsorted(key, (occ.doc << shift) | (occ.block << np.int64(ft.HASH_BITS))
                                 | occ.bucket)
            share = contrib[:, at] / np.bincount(at, minlength=len(key))[at]
            single = occ.token2 < 0
            pair = ~single
            base = first[occ.doc]
            total = out.shape[1]
            for head in range(out.shape[0]):
                out[head] = (
                    np.bincount(base[single] + occ.token[single], share[head, single],
                                minlength=total)
                    + np.bincount(base[pair] + occ.token[pair], share[head, pair] / 2,
                                  minlength=total)
                    + np.bincount(base[pair] + occ.token2[pair], share[head, pair] / 2,
                                  minlength=total))
        return [out[:, first[i]:first[i + 1]] for i in range(len(batch))]


_LOCK = threading.Lock()
_DEFAULT: dict[Path, ModerationModel] = {}


def load_model(path: Path | None = None) -> ModerationModel:
    """The model at ``path`` (default: the shipped one), loaded once per process."""
    path = path or default_model_path()
    with _LOCK:
        model = _DEFAULT.get(path)
        if model is None:
            model = ModerationModel(path)
            _DEFAULT[path] = model
    return model
