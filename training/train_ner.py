"""Train the entity tagger shipped as ``src/marsad/models/ner.npz`` and write its card.

    .venv/bin/python training/train_ner.py                  # train with the chosen settings
    .venv/bin/python training/train_ner.py --grid           # compare settings on dev first
    .venv/bin/python training/train_ner.py --with-wojood    # add Wojood train (mapped)
    .venv/bin/python training/train_ner.py --from-crfsuite M.crfsuite   # export, no training

Data (``../shared/data/ner``, see its README): ``anercorp_train.conll`` (ANERcorp, Benajiba
et al. 2007, the training part of the CAMeL Lab split); its LAST 10% of sentences,
contiguous so that no document is split, are dev: never trained on, used to choose the
settings (``marsad eval ner anercorp_train.conll --last-tenth`` scores the same sentences).
ANERGazet's person, location and organisation lists (``gazetteers/``) give the tagger's
``ag=`` features; they are shipped as 64-bit hashes of the normalised names and words only
(``marsad.enrich.ner_model.HashedGazetteer``), never as text.
``wojood_train.conll`` (Jarrar et al. 2022, MIT) can be added to training: its outermost
labels mapped PERS→PER, GPE/FAC/LOC→LOC, ORG→ORG, NORP/EVENT/LAW/PRODUCT/LANGUAGE/WEBSITE
→MISC, and dates, numbers, money and occupations, which ANERcorp does not annotate, →O.
``wojood_val.conll`` is scored out of domain with DESIGN.md's mapping (every other type
→MISC), so its MISC figure counts dates and occupations the tagger was never taught.

Model: a linear-chain CRF (python-crfsuite, L-BFGS with elastic net c1/c2) over
``marsad.enrich.ner_features``; ``feature.minfreq`` and c1 keep the file small (≤ 4 MB
for all NER files). The trained crfsuite file is exported to numpy (hashed attributes,
float16 weights: ``marsad.enrich.ner_model``), and the export is checked against crfsuite's
own tags on dev (at least MIN_AGREEMENT of the tags identical) before it is written; the
package needs numpy alone to tag, python-crfsuite only to train (``pip install marsad[train]``).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycrfsuite
from tqdm import tqdm

from marsad.enrich import entities
from marsad.enrich.ner_features import ALL_GROUPS, DEFAULT_GROUPS, FeatureExtractor
from marsad.enrich.ner_model import CrfModel, HashedGazetteer, export_crfsuite
from marsad.evaluate.ner import (
    Sentence,
    bootstrap_f1,
    conll_text,
    map_label,
    predict_labels,
    read_conll,
    score,
    split_dev,
)
from marsad.text.tokens import words

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "ner"
MODELS = REPO / "src" / "marsad" / "models"
MODEL_OUT = entities.MODEL_PATH
CARD_OUT = MODELS / "NER_CARD.md"
BUDGET_BYTES = 4 * 1024 * 1024
# The numpy export must give crfsuite's own tag to at least this share of dev words.
MIN_AGREEMENT = 0.999

GAZET_FILES = {
    "LOC": "AlignedLocGazetteer.txt",
    "ORG": "AlignedOrgGazetteer.txt",
    "PER": "AlignedPersGazetteer.txt",
}
GAZET_SEPARATORS = {"====", "****"}

# Wojood as extra training data: its types that are names like ANERcorp's (above).
WOJOOD_TRAIN_MAP: dict[str, str] = {
    "PERS": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "FAC": "LOC", "LOC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "LAW": "MISC", "PRODUCT": "MISC", "LANGUAGE": "MISC",
    "WEBSITE": "MISC",
    "DATE": "O", "TIME": "O", "CARDINAL": "O", "ORDINAL": "O", "PERCENT": "O",
    "QUANTITY": "O", "UNIT": "O", "MONEY": "O", "CURR": "O", "OCC": "O",
}

# The shipped settings, chosen on dev with --grid (see the card).
C1 = 0.05
C2 = 0.05
MAX_ITERATIONS = 200
MIN_FREQ = 1

# What was tried before these settings, on the same dev (micro-F1 of the CRF alone / with
# the gazetteers of that time; one run each, `--out` experiments of this script).
ATTEMPTS: tuple[tuple[str, str, str], ...] = (
    ("c1 0.05, c2 0.05, minfreq 2, without ngrams / stem_affixes / context_affixes",
     "0.666", "0.673"),
    ("the same with ngrams, stem_affixes, context_affixes", "0.677", "0.676"),
    ("… and Wojood train added (mapped, dates/numbers/occupations → O)", "0.661", "0.666"),
    ("… minfreq 1 (kept)", "0.695", "0.703 (gazetteers aligned with ANERcorp spans)"),
    ("… minfreq 1, c1 0.1, c2 0.05", "0.693", "0.701"),
    ("… minfreq 1, c1 0.05, c2 0.01", "0.684", "0.691"),
    ("… minfreq 1, c1 0.05, c2 0.2", "0.683", "0.693"),
    ("… minfreq 1, c1 0.1, c2 0.2", "0.686", "0.695"),
    ("… minfreq 1, c1 0.02 + word clusters (k-means over PPMI-SVD vectors of AOC and Al "
     "Jazeera comments)", "0.685", "0.681"),
    ("… minfreq 1 + clusters, c1 0.05", "0.695", "0.692"),
    ("recall correction on the second row's model: an O word with P(O) < 0.5…0.9 takes its "
     "likeliest entity label", "0.675…0.653", "0.674…0.649"),
)


@dataclass(frozen=True)
class Settings:
    c1: float = C1
    c2: float = C2
    max_iterations: int = MAX_ITERATIONS
    min_freq: int = MIN_FREQ
    groups: frozenset[str] = DEFAULT_GROUPS
    wojood: bool = False

    def describe(self) -> str:
        off = sorted(ALL_GROUPS - self.groups)
        return (f"c1={self.c1} c2={self.c2} iter={self.max_iterations} minfreq={self.min_freq}"
                f"{' -' + ','.join(off) if off else ''}{' +wojood' if self.wojood else ''}")


def read_gazetteer() -> HashedGazetteer:
    """ANERGazet's lists, hashed (``ner_model.HashedGazetteer``): the first list a name is
    in gives its type, as ``GAZET_FILES`` orders them."""
    names: list[tuple[str, list[str]]] = []
    for kind, file in GAZET_FILES.items():
        for line in (DATA / "gazetteers" / file).read_text("utf-8").splitlines():
            name = " ".join(line.split())
            if name and name not in GAZET_SEPARATORS:
                names.append((kind, words(name)))
    return HashedGazetteer.from_names(names)


def read_wojood_train() -> list[Sentence]:
    raw = read_conll(DATA / "wojood_train.conll", raw=True)
    return [Sentence(s.tokens, [map_label(x, WOJOOD_TRAIN_MAP) for x in s.labels]) for s in raw]


def sequences(sentence: Sentence, extractor: FeatureExtractor, gazet: HashedGazetteer
              ) -> list[tuple[list[list[str]], list[str]]]:
    """(features, labels) of the word tokens of one CoNLL sentence, split as at run time."""
    text, spans = conll_text(sentence.tokens)
    prepared = entities.prepare(text, extractor, gazet)
    owner = [0] * (len(text) + 1)
    for idx, (s, e) in enumerate(spans):
        for c in range(s, e):
            owner[c] = idx
    labels: list[str] = []
    previous = -1
    for tok in prepared.tokens:
        idx = owner[tok.start]
        label = sentence.labels[idx]
        if idx == previous and label.startswith("B-"):
            label = "I-" + label[2:]
        labels.append(label)
        previous = idx
    out = []
    for (a, b), xseq in zip(prepared.sentences, prepared.features, strict=True):
        yseq = labels[a:b]
        for k, label in enumerate(yseq):  # an I- that continues nothing begins an entity
            if label.startswith("I-") and (k == 0 or yseq[k - 1][2:] != label[2:]):
                yseq[k] = "B-" + label[2:]
        out.append((xseq, yseq))
    return out


class _Trainer(pycrfsuite.Trainer):
    """A trainer that shows its iterations as a progress bar."""

    bar: Any = None

    def on_iteration(self, log: str, info: dict[str, Any]) -> None:
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(loss=f"{info.get('loss', 0):.0f}",
                                 feats=info.get("active_features"))


def train(train_sents: Sequence[Sentence], settings: Settings, gazet: HashedGazetteer,
          out: Path) -> None:
    """Fit the CRF with crfsuite, to a crfsuite file at ``out``."""
    extractor = FeatureExtractor(settings.groups)
    trainer = _Trainer(verbose=False)
    for sent in tqdm(train_sents, desc="features", unit="sent", leave=False):
        for xseq, yseq in sequences(sent, extractor, gazet):
            trainer.append(xseq, yseq)
    trainer.set_params({
        "c1": settings.c1,
        "c2": settings.c2,
        "max_iterations": settings.max_iterations,
        "feature.minfreq": settings.min_freq,
        "feature.possible_transitions": True,
    })
    with tqdm(total=settings.max_iterations, desc="L-BFGS", unit="it", leave=False) as bar:
        trainer.bar = bar
        trainer.train(str(out))


def predict(sentences: Sequence[Sentence], model: CrfModel, gazetteer: bool, desc: str
            ) -> list[list[str]]:
    return [predict_labels(s.tokens, gazetteer=gazetteer, tagger=model)
            for s in tqdm(sentences, desc=desc, unit="sent", leave=False)]


def agreement(crf_file: Path, model: CrfModel, sentences: Sequence[Sentence],
              gazet: HashedGazetteer) -> tuple[int, int]:
    """(identical tags, words) of the numpy export against crfsuite itself on ``sentences``."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(crf_file))
    extractor = FeatureExtractor(model.groups)
    same = total = 0
    for sent in tqdm(sentences, desc="numpy vs crfsuite", unit="sent", leave=False):
        for xseq, _ in sequences(sent, extractor, gazet):
            ours = model.tag(xseq)
            theirs = tagger.tag(xseq)
            same += sum(a == b for a, b in zip(ours, theirs, strict=True))
            total += len(xseq)
    return same, total


def run_one(train_sents: list[Sentence], dev: list[Sentence], settings: Settings,
            gazet: HashedGazetteer, crf_file: Path, *, fit: bool = True) -> dict[str, Any]:
    """Train (unless ``fit`` is false: ``crf_file`` is already trained), export to numpy,
    and score on dev."""
    started = time.perf_counter()
    if fit:
        data = train_sents + (read_wojood_train() if settings.wojood else [])
        train(data, settings, gazet, crf_file)
    model = export_crfsuite(crf_file, settings.groups, gazet)
    same, total = agreement(crf_file, model, dev, gazet)
    gold = [s.labels for s in dev]
    model_only = score(gold, predict(dev, model, False, "dev (model)"))
    pred = predict(dev, model, True, "dev (model+gazetteers)")
    npz = crf_file.with_suffix(".npz")
    model.save(npz)
    result = {
        "settings": settings,
        "model": model,
        "model_only": model_only,
        "with_gazetteers": score(gold, pred),
        "pred": pred,
        "agreement": (same, total),
        "bytes": npz.stat().st_size,
        "npz": npz,
        "seconds": time.perf_counter() - started,
    }
    print(f"{settings.describe():<60} dev F1 model {model_only['micro']['f1']:.4f} "
          f"+gaz {result['with_gazetteers']['micro']['f1']:.4f} "
          f"{result['bytes'] / 1e6:.2f} MB, numpy = crfsuite on {same}/{total} dev words, "
          f"{result['seconds']:.0f} s", flush=True)
    return result


GRID: tuple[Settings, ...] = (
    *(Settings(c1=c1, c2=c2) for c1, c2 in itertools.product((0.02, 0.05, 0.1, 0.2),
                                                              (0.01, 0.05, 0.1))),
    *(Settings(groups=DEFAULT_GROUPS - {g}) for g in sorted(ALL_GROUPS)),
    Settings(wojood=True),
)


def without_misc(labels: Sequence[str]) -> list[str]:
    return ["O" if label.endswith("-MISC") else label for label in labels]


def card(result: dict[str, Any], dev: list[Sentence], wojood_val: dict[str, Any],
         alternatives: list[dict[str, Any]], n_train: int, n_gazet: int) -> str:
    same, total = result["agreement"]
    s: Settings = result["settings"]
    intervals = bootstrap_f1([x.labels for x in dev], result["pred"])
    w = result["with_gazetteers"]
    m = result["model_only"]
    core = wojood_val["core"]["micro"]

    def rows(res: dict[str, Any], ci: dict[str, tuple[float, float]] | None) -> list[str]:
        out = []
        for kind, f in [*res["by_type"].items(), ("micro", {**res["micro"], "support": sum(
                v["support"] for v in res["by_type"].values())})]:
            interval = f"{ci[kind][0]:.3f}–{ci[kind][1]:.3f}" if ci and kind in ci else ""
            out.append(f"| {kind} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} "
                       f"| {interval} | {f['support']} |")
        return out

    header = ["| type | precision | recall | F1 | F1 95% CI | gold entities |",
              "|---|---|---|---|---|---|"]
    alt = ["| settings | dev micro-F1, model | with gazetteers |", "|---|---|---|"]
    for a in alternatives:
        alt.append(f"| {a['settings'].describe()} | {a['model_only']['micro']['f1']:.4f} | "
                   f"{a['with_gazetteers']['micro']['f1']:.4f} |")
    alt += [f"| {what} | {model} | {gaz} |" for what, model, gaz in ATTEMPTS]
    lines = [
        "# Entity tagger (`ner.npz`)",
        "",
        f"Model `{entities.MODEL_NAME}`: a linear-chain CRF over the features of",
        "`marsad.enrich.ner_features`, combined at run time with our gazetteers",
        "(`marsad.enrich.gazetteers`, `marsad.enrich.outlets`) as `marsad.enrich.entities`",
        "describes. Types: PER, ORG, LOC, MISC. Rebuilt by `python training/train_ner.py`:",
        "trained with python-crfsuite, then exported to numpy (`marsad.enrich.ner_model`):",
        "each attribute string is replaced by a 64-bit hash (blake2b), weights are float16,",
        "and tagging (Viterbi) runs in numpy, so the package needs no crfsuite to tag.",
        f"On dev the export gives crfsuite's own tag to {same} of {total} words "
        f"({same / total:.4%}; the bar is {MIN_AGREEMENT:.1%}).",
        "",
        "## Data and licences",
        "",
        "- **ANERcorp** (Benajiba, Rosso & Benedí Ruiz 2007, \"ANERsys: An Arabic Named Entity",
        "  Recognition System Based on Maximum Entropy\"), the training part of the CAMeL Lab",
        "  split (Obeid et al. 2020), research release. Trained on its first "
        f"{n_train} sentences;",
        f"  the last 10% ({len(dev)} sentences, contiguous) are dev, used to choose settings.",
        "  `PERS` is `PER`.",
        "- **ANERGazet** (Benajiba, Rosso & Benedí Ruiz 2007), person, location and",
        f"  organisation lists, research release: {n_gazet} distinct names, the `ag=` features.",
        "  The package holds no text of them: only 64-bit blake2b hashes of each normalised",
        "  name, of its first word and of each of its words, with its type and length",
        "  (`ner.npz`: `gazet_*` arrays), built by `training/train_ner.py` from",
        "  `../shared/data/ner/gazetteers`.",
        "- **Wojood** (Jarrar, Khalilia & Ghanem 2022, \"Wojood: Nested Arabic Named Entity",
        "  Corpus and Recognition using BERT\", LREC 2022), MIT licence: the sample's",
        "  validation part is the out-of-domain figure below"
        + ("; its training part was added to training." if s.wojood else
           "; its training part was tried as extra training data (table below) and not kept."),
        "- Our own gazetteers (groups, places, countries, people, outlets) are our writing.",
        "",
        "## Parameters",
        "",
        f"L-BFGS, c1 = {s.c1}, c2 = {s.c2}, {s.max_iterations} iterations, feature.minfreq = "
        f"{s.min_freq}, feature groups: {', '.join(sorted(s.groups))}.",
        f"File: `ner.npz`, {MODEL_OUT.stat().st_size / 1e6:.2f} MB with the hashed gazetteer "
        f"(budget 4 MB); {len(result['model'].labels)} labels, "
        f"{result['model'].n_attributes} attributes with a weight.",
        "",
        "## Dev figures (ANERcorp, last 10% of the training file)",
        "",
        "Exact span and type (conlleval), model and gazetteers together as shipped",
        "(`marsad eval ner ../shared/data/ner/anercorp_train.conll --last-tenth`);",
        "95% intervals from 1000 bootstrap resamples of the dev sentences.",
        "",
        *header,
        *rows(w, intervals),
        "",
        f"The CRF alone: micro-F1 {m['micro']['f1']:.3f} (P {m['micro']['precision']:.3f}, "
        f"R {m['micro']['recall']:.3f}). Published on the ANERcorp test part (not used here): "
        "CRFs about 0.79, CAMeLBERT about 0.83.",
        "",
        "## Out of domain: Wojood validation sample",
        "",
        "Types mapped as DESIGN.md says (GPE, FAC → LOC; NORP and every other type → MISC;",
        "outermost label of nested ones): MISC there is mostly dates, numbers and occupations,",
        "which ANERcorp does not annotate, so its F1 is low by construction; PER, ORG, LOC are",
        "the comparable rows (`marsad eval ner ../shared/data/ner/wojood_val.conll`).",
        "",
        *header,
        *rows(wojood_val, None),
        "",
        "PER, ORG and LOC alone (MISC set aside in gold and prediction): micro-F1 "
        f"{core['f1']:.3f} (P {core['precision']:.3f}, R {core['recall']:.3f}).",
        "",
        "## Settings compared on dev",
        "",
        *alt,
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grid", action="store_true", help="compare the GRID settings on dev")
    parser.add_argument("--with-wojood", action="store_true", help="add Wojood train")
    parser.add_argument("--c1", type=float, default=C1)
    parser.add_argument("--c2", type=float, default=C2)
    parser.add_argument("--max-iterations", type=int, default=MAX_ITERATIONS)
    parser.add_argument("--min-freq", type=int, default=MIN_FREQ)
    parser.add_argument("--add", nargs="*", default=[], metavar="GROUP",
                        help=f"feature groups to add ({', '.join(sorted(ALL_GROUPS))})")
    parser.add_argument("--drop", nargs="*", default=[], metavar="GROUP",
                        help="feature groups to leave out")
    parser.add_argument("--out", type=Path, default=None,
                        help="try settings: write the model here, not to the package")
    parser.add_argument("--no-card", action="store_true", help="do not rewrite NER_CARD.md")
    parser.add_argument("--from-crfsuite", type=Path, default=None, metavar="FILE",
                        help="export this trained crfsuite file (the chosen settings' model) "
                             "instead of training")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"train_ner: {DATA} is absent; it needs ../shared/data/ner", file=sys.stderr)
        return 2
    gazet = read_gazetteer()
    train_sents, dev = split_dev(read_conll(DATA / "anercorp_train.conll"))
    print(f"ANERcorp: {len(train_sents)} train, {len(dev)} dev sentences; "
          f"ANERGazet: {len(gazet)} names", flush=True)
    groups = (DEFAULT_GROUPS | set(args.add)) - set(args.drop)
    chosen = Settings(args.c1, args.c2, args.max_iterations, args.min_freq,
                      frozenset(groups), wojood=args.with_wojood)
    if args.out is not None:  # an experiment: dev figures only, the package is left alone
        run_one(train_sents, dev, chosen, gazet, args.out)
        return 0
    alternatives = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.grid:
            for k, settings in enumerate(GRID):
                alternatives.append(run_one(train_sents, dev, settings, gazet,
                                            Path(tmp) / f"{k}.crfsuite"))
        if args.from_crfsuite is not None:
            crf_file = Path(tmp) / "chosen.crfsuite"
            crf_file.write_bytes(args.from_crfsuite.read_bytes())
            result = run_one(train_sents, dev, chosen, gazet, crf_file, fit=False)
        else:
            result = run_one(train_sents, dev, chosen, gazet, Path(tmp) / "chosen.crfsuite")
        same, total = result["agreement"]
        if same < MIN_AGREEMENT * total:
            print(f"train_ner: the numpy export agrees with crfsuite on {same}/{total} dev "
                  f"words, under {MIN_AGREEMENT:.1%}; not written", file=sys.stderr)
            return 1
        if result["bytes"] > BUDGET_BYTES:
            print(f"train_ner: {result['bytes'] / 1e6:.2f} MB is over the NER budget; raise "
                  "--min-freq or --c1", file=sys.stderr)
            return 1
        MODEL_OUT.write_bytes(result["npz"].read_bytes())
    entities.model.cache_clear()
    wojood_sents = read_conll(DATA / "wojood_val.conll")
    wojood_pred = predict(wojood_sents, result["model"], True, "wojood val")
    wojood_val = score([s.labels for s in wojood_sents], wojood_pred)
    wojood_val["core"] = score([without_misc(s.labels) for s in wojood_sents],
                               [without_misc(p) for p in wojood_pred])
    print(f"Wojood val micro-F1 {wojood_val['micro']['f1']:.4f}; by type " + ", ".join(
        f"{t} {f['f1']:.3f}" for t, f in wojood_val["by_type"].items()))
    if not args.no_card:
        CARD_OUT.write_text(card(result, dev, wojood_val, alternatives or [result],
                                 len(train_sents), len(gazet)), "utf-8")
        print(f"wrote {MODEL_OUT} and {CARD_OUT}")
    else:
        print(f"wrote {MODEL_OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
