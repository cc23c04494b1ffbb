"""De-duplication: pair precision and recall, and pages per second, on syndicated copies.

The test set is built at run time, seeded:

* base stories: runs of 5–10 consecutive sentences of ANERcorp (``../shared/data/ner``,
  the train file; tokens joined), each published once as the "wire" page;
* 3–8 copies of each, as other sites would publish them: 5–15% of words edited (replaced,
  dropped or inserted), 10–40% of sentences dropped or moved, the site's boilerplate, ad
  markers and a "read also" line added, harakat and tatweel sprinkled, a new title;
* hard negatives: the pairs in ``benchmarks/data/hard_negatives.jsonl``, which we wrote —
  different stories about the same event (an announcement and the people it affects, or
  two agencies' reports of the same press release) — each page with a site's boilerplate,
  both pages of a pair with the same site's.

Pairs are scored over all pages: a true pair is two pages of the same story; a predicted
pair is two pages in the same cluster. Every configuration runs the same functions as the
clustering stage (``marsad.dedup.similarity``) in memory; the chosen one (``DEFAULT_PARAMS``)
then runs end to end through the store (sign step → ``upsert_pages`` →
``cluster_new_pages``), on SQLite and, when a URL is given, on PostgreSQL.

    .venv/bin/python -m benchmarks.dedup [--stories 400] [--seed 2] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from benchmarks.common import REPO, SHARED, machine
from marsad.dedup.cluster import cluster_new_pages
from marsad.dedup.params import DEFAULT_PARAMS, DedupParams
from marsad.dedup.signature import (
    article_words,
    minhash,
    shingle_hashes,
    store_shingles,
    text_hash,
)
from marsad.dedup.similarity import (
    Similarity,
    band_buckets,
    compare,
    estimate,
    is_near_duplicate,
)
from marsad.dedup.step import SignStep
from marsad.record import Page, Paragraph
from marsad.store.base import open_store
from marsad.text.normalize import fold

CONLL = SHARED / "data" / "ner" / "anercorp_train.conll"
HARD_NEGATIVES = REPO / "benchmarks" / "data" / "hard_negatives.jsonl"

# Boilerplate the parser may leave in an article: each site's own lines (our writing).
SITES: dict[str, list[str]] = {
    "sham-today": ["تابعونا على قناتنا في تلغرام لمتابعة آخر الأخبار العاجلة",
                   "جميع الحقوق محفوظة لموقع شام اليوم ويمنع النقل دون ذكر المصدر"],
    "nile-news": ["لمزيد من الأخبار حمل تطبيق نيل نيوز على هاتفك مجانا",
                  "شارك الخبر مع أصدقائك عبر فيسبوك وتويتر وواتساب"],
    "gulf-daily": ["اشترك في النشرة البريدية اليومية ليصلك ملخص أهم الأخبار كل صباح",
                   "الآراء الواردة في التعليقات تعبر عن أصحابها لا عن رأي الصحيفة"],
    "maghreb-press": ["تابعوا مغرب بريس على يوتيوب وإنستغرام",
                      "هل لديك خبر أو صورة؟ راسلنا على البريد الإلكتروني للتحرير"],
    "rafidain": ["وكالة الرافدين للأنباء: الخبر كما هو",
                 "يمكنكم متابعة البث المباشر لقناة الرافدين على موقعنا الإلكتروني"],
    "levant-post": ["ليفانت بوست: صوت المشرق العربي منذ عام ألفين وعشرة",
                    "لا تنسوا الاشتراك في قناتنا وتفعيل جرس التنبيهات"],
    "sahara-net": ["أخبار الصحراء تتمنى لكم قراءة ممتعة",
                   "ادعم الصحافة المستقلة بالاشتراك الشهري في موقعنا"],
    "arab-wire": ["المصدر: وكالات، وتحرير فريق الموقع",
                  "اقرأ المزيد من الأخبار في قسم الشؤون العربية والدولية"],
}
ADS = ["[ads3]", "[ads1]", "إعلان", "— مساحة إعلانية —", "محتوى مدعوم"]
READ_ALSO = "اقرأ أيضا:"
TITLE_OPENERS = ["", "عاجل:", "تقرير:", "خاص:", "بالصور:", "متابعة:"]
HARAKAT = "\u064e\u064f\u0650\u0651\u0652\u064b"
TATWEEL = "\u0640"

# The alternatives measured around the chosen parameters.
SHINGLE_SIZES = (1, 2, 3, 4, 5)
BANDS_ROWS = ((16, 8), (20, 6), (25, 5), (32, 4), (42, 3), (16, 2), (32, 2), (64, 2))
THRESHOLDS = (
    (0.2, 0.5), (0.25, 0.5), (0.3, 0.5), (0.35, 0.5), (0.4, 0.5), (0.5, 0.5),
    (0.3, 0.4), (0.3, 0.6), (0.3, 1.01), (0.5, 1.01),
)


@dataclass
class Item:
    page: Page
    group: int  # the story it carries; true pairs share it
    kind: str  # wire, copy, hard


# -- the test set ------------------------------------------------------------------------


def load_sentences(path: Path) -> list[str]:
    """ANERcorp sentences (blank-line separated), tokens joined; exact repeats dropped."""
    sentences, tokens, seen = [], [], set()
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        if line.strip():
            tokens.append(line.split()[0])
            continue
        if tokens:
            text = " ".join(tokens)
            key = fold(text)
            if key not in seen and len(tokens) >= 4:
                seen.add(key)
                sentences.append(text)
            tokens = []
    return sentences


def base_stories(sentences: list[str], n: int, rng: random.Random) -> list[list[str]]:
    """Runs of 5–10 consecutive sentences, at least 60 words each."""
    stories: list[list[str]] = []
    i = 0
    while i < len(sentences) and len(stories) < n:
        run = sentences[i:i + rng.randint(5, 10)]
        i += len(run)
        while sum(len(s.split()) for s in run) < 60 and i < len(sentences):
            run.append(sentences[i])
            i += 1
        stories.append(run)
    if len(stories) < n:
        raise SystemExit(f"{CONLL}: only {len(stories)} stories of the {n} asked for")
    return stories


def edit_words(sentence: str, rate: float, vocab: list[str], rng: random.Random) -> str:
    out = []
    for word in sentence.split():
        if rng.random() >= rate:
            out.append(word)
            continue
        op = rng.random()
        if op < 0.6:
            out.append(rng.choice(vocab))  # replaced
        elif op < 0.8:
            continue  # dropped
        else:
            out.extend([word, rng.choice(vocab)])  # a word inserted
    return " ".join(out)


def decorate(text: str, rng: random.Random) -> str:
    """Harakat on about a fifth of the words, tatweel on a few: the normaliser's job."""
    words = []
    for word in text.split():
        if rng.random() < 0.2 and len(word) > 2:
            at = rng.randrange(1, len(word))
            word = word[:at] + rng.choice(HARAKAT) + word[at:]
        if rng.random() < 0.03 and len(word) > 3:
            word = word[:2] + TATWEEL + word[2:]
        words.append(word)
    return " ".join(words)


def paragraphs_of(sentences: list[str], rng: random.Random) -> list[str]:
    out, i = [], 0
    while i < len(sentences):
        n = rng.randint(1, 3)
        out.append(" ".join(sentences[i:i + n]))
        i += n
    return out


def make_copy(story: list[str], titles: list[str], vocab: list[str], site: str,
              rng: random.Random) -> tuple[str, list[str]]:
    sentences = list(story)
    touched = max(1, round(rng.uniform(0.10, 0.40) * len(sentences)))
    for index in sorted(rng.sample(range(len(sentences)), touched), reverse=True):
        sentence = sentences.pop(index)
        if rng.random() < 0.4:  # moved rather than dropped
            sentences.insert(rng.randrange(len(sentences) + 1), sentence)
    rate = rng.uniform(0.05, 0.15)
    sentences = [decorate(edit_words(s, rate, vocab, rng), rng) for s in sentences]
    paragraphs = paragraphs_of(sentences, rng)
    for _ in range(rng.randint(0, 2)):
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), rng.choice(ADS))
    if rng.random() < 0.5:
        paragraphs.append(f"{READ_ALSO} {rng.choice(titles)}")
    paragraphs.extend(rng.sample(SITES[site], rng.randint(1, 2)))
    words = story[0].split()
    start = rng.randrange(max(1, len(words) - 8))
    title = f"{rng.choice(TITLE_OPENERS)} {' '.join(words[start:start + rng.randint(5, 9)])}"
    return title.strip(), paragraphs


def build_corpus(n_stories: int, seed: int) -> list[Item]:
    rng = random.Random(seed)
    sentences = load_sentences(CONLL)
    vocab = sorted({w for s in sentences for w in s.split() if len(w) > 2})
    stories = base_stories(sentences, n_stories, rng)
    titles = [" ".join(s[0].split()[:8]) for s in stories]
    items: list[Item] = []
    for g, story in enumerate(tqdm(stories, desc="copies", unit="story", leave=False)):
        day = f"2024-{1 + g % 12:02d}-{1 + g % 28:02d}"
        wire = Page(id=f"s{g}-wire", site="wire", language="ar", title=titles[g],
                    published_at=f"{day}T06:00:00",
                    paragraphs=[Paragraph(p) for p in paragraphs_of(story, rng)])
        items.append(Item(wire, g, "wire"))
        for c, site in enumerate(rng.sample(sorted(SITES), rng.randint(3, 8))):
            title, paragraphs = make_copy(story, titles, vocab, site, rng)
            items.append(Item(Page(
                id=f"s{g}-copy{c}", site=site, language="ar", title=title,
                published_at=f"{day}T{7 + rng.randrange(12):02d}:{rng.randrange(60):02d}:00",
                paragraphs=[Paragraph(p) for p in paragraphs]), g, "copy"))
    group = len(stories)
    for n, line in enumerate(HARD_NEGATIVES.read_text("utf-8").splitlines()):
        pair = json.loads(line)
        site = rng.choice(sorted(SITES))
        for side in ("a", "b"):
            items.append(Item(Page(
                id=f"h{n}-{side}", site=site, language="ar", title=pair["event"],
                published_at=f"2024-06-{1 + n % 28:02d}T10:00:00",
                paragraphs=[Paragraph(pair[side]), *map(Paragraph, SITES[site])]),
                group, "hard"))
            group += 1
    return items


# -- measuring ---------------------------------------------------------------------------


@dataclass
class Prints:
    """Every page's fingerprints for one shingle size (computed once per size)."""

    shingles: list[np.ndarray]
    signatures: np.ndarray  # pages × permutations
    hashes: list[str]


def fingerprint_all(items: list[Item], size: int, params: DedupParams) -> Prints:
    shingles, signatures, hashes = [], [], []
    for item in tqdm(items, desc=f"shingles k={size}", unit="page", leave=False):
        tokens = article_words(item.page)
        h = shingle_hashes(tokens, size)
        shingles.append(store_shingles(h))
        signatures.append(minhash(h, params.num_perm, params.seed))
        hashes.append(text_hash(tokens))
    return Prints(shingles, np.vstack(signatures), hashes)


def candidate_pairs(prints: Prints, bands: int, rows: int) -> set[tuple[int, int]]:
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, sig in enumerate(prints.signatures):
        for b in band_buckets(sig, bands, rows):
            buckets[b].append(i)
    by_hash: dict[str, list[int]] = defaultdict(list)
    for i, h in enumerate(prints.hashes):
        by_hash[h].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in [*buckets.values(), *by_hash.values()]:
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs.add((members[x], members[y]))
    return pairs


def similarities(prints: Prints, pairs: Iterable[tuple[int, int]],
                 mode: str) -> dict[tuple[int, int], Similarity]:
    out = {}
    for i, j in pairs:
        if prints.hashes[i] == prints.hashes[j]:
            out[(i, j)] = Similarity(1.0, 1.0)
        elif mode == "shingles":
            out[(i, j)] = compare(prints.shingles[i], prints.shingles[j])
        else:
            out[(i, j)] = estimate(prints.signatures[i], prints.signatures[j],
                                   len(prints.shingles[i]), len(prints.shingles[j]))
    return out


def components(n: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(x) for x in range(n)]


@dataclass
class Score:
    precision: float
    recall: float
    hard_merged: int
    hard_pairs: int


def score(items: list[Item], labels: list[int]) -> Score:
    def pairs(counts: Iterable[int]) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    groups = [it.group for it in items]
    true = pairs(Counter(groups).values())
    predicted = pairs(Counter(labels).values())
    both = pairs(Counter(zip(labels, groups, strict=True)).values())
    hard = [i for i, it in enumerate(items) if it.kind == "hard"]
    merged = sum(labels[a] == labels[b] for a, b in zip(hard[::2], hard[1::2], strict=True))
    return Score(both / predicted if predicted else 1.0, both / true if true else 1.0,
                 merged, len(hard) // 2)


def evaluate(items: list[Item], prints: Prints, params: DedupParams, mode: str,
             cache: dict[tuple[int, int, str], tuple[dict[tuple[int, int], Similarity], float]],
             ) -> tuple[Score, int, int, float]:
    """Score one configuration: (score, candidate pairs, candidate pairs of two different
    stories, pages/s of clustering: candidates, verification and union-find)."""
    key = (params.bands, params.rows, mode)
    if key not in cache:
        started = time.perf_counter()
        pairs = candidate_pairs(prints, params.bands, params.rows)
        sims = similarities(prints, pairs, mode)
        cache[key] = (sims, time.perf_counter() - started)
    sims, seconds = cache[key]
    started = time.perf_counter()
    edges = [p for p, s in sims.items() if is_near_duplicate(s, params)]
    labels = components(len(items), edges)
    seconds += time.perf_counter() - started
    false = sum(items[i].group != items[j].group for i, j in sims)
    return score(items, labels), len(sims), false, len(items) / seconds


def signing_speed(items: list[Item], params: DedupParams) -> list[tuple[str, float]]:
    """Pages per second: the shared normaliser's words (the same for both), then the
    hashing alone — ours, and datasketch's MinHash (SHA-1 of each shingle, its own
    permutations) on the same words and shingles."""
    started = time.perf_counter()
    tokens = [article_words(it.page) for it in tqdm(items, desc="words", leave=False)]
    rows = [("normalised words (shared by both)", len(items) / (time.perf_counter() - started))]
    started = time.perf_counter()
    for t in tqdm(tokens, desc="sign (numpy)", unit="page", leave=False):
        minhash(shingle_hashes(t, params.shingle_size), params.num_perm, params.seed)
    rows.append(("shingles + MinHash: marsad (numpy, multiply-shift)",
                 len(items) / (time.perf_counter() - started)))
    try:
        import datasketch
    except ImportError:
        rows.append(("datasketch: not installed (pip install datasketch)", float("nan")))
        return rows
    k = params.shingle_size
    started = time.perf_counter()
    for t in tqdm(tokens, desc="sign (datasketch)", unit="page", leave=False):
        grams = {" ".join(t[i:i + k]).encode() for i in range(max(len(t) - k + 1, 1))}
        m = datasketch.MinHash(num_perm=params.num_perm, seed=1)
        m.update_batch(list(grams))
    rows.append((f"shingles + MinHash: datasketch {datasketch.__version__}",
                 len(items) / (time.perf_counter() - started)))
    return rows


def through_the_store(items: list[Item], location: str) -> tuple[Score, float, float, float]:
    """Sign, store and cluster for real; (score, sign, store and cluster pages/s)."""
    pages = [replace(it.page, signature=None) for it in items]
    started = time.perf_counter()
    signed = list(SignStep().run(pages))
    sign_rate = len(pages) / (time.perf_counter() - started)
    with open_store(location) as store:
        started = time.perf_counter()
        for start in range(0, len(signed), 200):
            store.upsert_pages(signed[start:start + 200])
        store_rate = len(pages) / (time.perf_counter() - started)
        summary = cluster_new_pages(store, progress=True)
        member = dict(store.conn.execute(  # type: ignore[attr-defined]
            "SELECT page_id, cluster_id FROM cluster_members").fetchall())
    ids = {cid: n for n, cid in enumerate(sorted(set(member.values())))}
    labels = [ids[member[it.page.id]] if it.page.id in member else -1 - n
              for n, it in enumerate(items)]
    return score(items, labels), sign_rate, store_rate, len(pages) / summary.seconds


def _fmt(x: float) -> str:
    return f"{x:.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=400, help="base stories (≥ 300)")
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--postgres", default=os.environ.get("MARSAD_TEST_POSTGRES"),
                        help="also run the chosen parameters through this PostgreSQL")
    args = parser.parse_args()
    if not CONLL.exists():
        raise SystemExit(f"{CONLL} is absent: this benchmark needs ../shared beside the repo")

    chosen = DEFAULT_PARAMS
    items = build_corpus(args.stories, args.seed)
    kinds = Counter(it.kind for it in items)
    console = Console(width=max(Console().width, 150))

    table = Table(title=f"signing speed, one process ({chosen.num_perm} permutations, "
                        f"k={chosen.shingle_size})")
    table.add_column("step")
    table.add_column("pages / s", justify="right")
    for name, rate in signing_speed(items, chosen):
        table.add_row(name, f"{rate:.0f}")
    console.print(table)

    # k: shingle size; J, C: the Jaccard and containment thresholds; false cand.: pairs of
    # two different stories that LSH makes candidates, per page, scaled to a store of 10⁶
    # pages; hard neg.: hard-negative pairs put in one cluster.
    columns = ("what", "k", "bands × rows", "J ≥", "C ≥", "verified on", "candidates",
               "false cand. @10⁶", "precision", "recall", "hard neg.", "pages / s")
    table = Table(title="pair precision and recall (in memory; clustering excludes signing)")
    for column in columns:
        table.add_column(column, justify="left" if column == "what" else "right",
                         no_wrap=column == "what")

    n = len(items)
    negative_pairs = n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in
                                            Counter(it.group for it in items).values())

    def add(what: str, p: DedupParams, mode: str,
            result: tuple[Score, int, int, float]) -> None:
        s, n_pairs, false, rate = result
        # Pairs of different stories become candidates at this rate: a page added to a store
        # of a million pages would be verified against about this many of them.
        per_page = false / negative_pairs * 1e6
        table.add_row(what, str(p.shingle_size), f"{p.bands} × {p.rows}", f"{p.jaccard:g}",
                      "off" if p.containment > 1 else f"{p.containment:g}", mode, str(n_pairs),
                      f"{per_page:.0f}", _fmt(s.precision), _fmt(s.recall),
                      f"{s.hard_merged}/{s.hard_pairs}", f"{rate:.0f}")

    prints = {k: fingerprint_all(items, k, chosen) for k in SHINGLE_SIZES}
    caches: dict[int, dict[tuple[int, int, str], tuple[dict[tuple[int, int], Similarity],
                                                     float]]] = defaultdict(dict)

    def run(p: DedupParams, mode: str = "shingles") -> tuple[Score, int, int, float]:
        return evaluate(items, prints[p.shingle_size], p, mode, caches[p.shingle_size])

    add("chosen", chosen, "shingles", run(chosen))
    table.add_section()
    for k in SHINGLE_SIZES:
        if k != chosen.shingle_size:
            p = replace(chosen, shingle_size=k)
            add("shingle size", p, "shingles", run(p))
    table.add_section()
    for bands, rows in BANDS_ROWS:
        if (bands, rows) != (chosen.bands, chosen.rows):
            p = replace(chosen, bands=bands, rows=rows)
            add("bands × rows", p, "shingles", run(p))
    table.add_section()
    for jaccard, containment in THRESHOLDS:
        p = replace(chosen, jaccard=jaccard, containment=containment)
        if p != chosen:
            add("thresholds", p, "shingles", run(p))
    table.add_section()
    for jaccard, containment in THRESHOLDS[:6]:  # the same, verified on the estimate
        p = replace(chosen, jaccard=jaccard, containment=containment)
        add("MinHash estimate", p, "minhash", run(p, "minhash"))
    console.print(table)

    table = Table(title="the chosen parameters end to end: sign step → store → "
                        "cluster_new_pages")
    for column in ("store", "precision", "recall", "hard neg. merged", "sign pages / s",
                   "store pages / s", "cluster pages / s"):
        table.add_column(column, justify="left" if column == "store" else "right")
    locations = ["SQLite", *(["PostgreSQL"] if args.postgres else [])]
    for name in locations:
        with _location(name, args.postgres) as where:
            s, sign_rate, store_rate, cluster_rate = through_the_store(items, where)
        table.add_row(name, _fmt(s.precision), _fmt(s.recall), f"{s.hard_merged}/{s.hard_pairs}",
                      f"{sign_rate:.0f}", f"{store_rate:.0f}", f"{cluster_rate:.0f}")
    console.print(table)
    console.print(
        f"pages: {len(items)} ({kinds['wire']} wire stories, {kinds['copy']} copies, "
        f"{kinds['hard']} hard-negative pages in {kinds['hard'] // 2} pairs); seed {args.seed}; "
        f"chosen: {chosen}"
    )
    console.print(f"machine: {machine()}")


@contextmanager
def _location(name: str, url: str | None) -> Iterator[str]:
    """A temporary SQLite file, or a throwaway schema on the PostgreSQL server (dropped
    afterwards), so the benchmark never touches real tables."""
    if name == "SQLite":
        with tempfile.TemporaryDirectory() as tmp:
            yield str(Path(tmp) / "dedup.db")
        return
    import psycopg

    assert url is not None
    schema = f"bench_dedup_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
