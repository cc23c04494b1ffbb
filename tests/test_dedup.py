"""De-duplication: the sign step, and the clustering stage on SQLite and on PostgreSQL.

The story and its copies are our own writing: an irrigation plan announced in Deir ez-Zor,
two sites' edited copies of it (new titles, words changed, a sentence dropped or moved,
boilerplate, harakat), a different story about the same announcement, and an unrelated one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marsad.dedup.cluster import ParamsMismatch, cluster_new_pages, rebuild_clusters
from marsad.dedup.comments import comment_hash
from marsad.dedup.params import DEFAULT_PARAMS, DedupParams
from marsad.dedup.signature import page_signature
from marsad.dedup.step import SignStep
from marsad.record import Comment, Page, Paragraph
from marsad.store.base import Store, open_store

STORY = [
    "أعلنت وزارة الزراعة في محافظة دير الزور يوم الثلاثاء عن خطة جديدة لإعادة تأهيل قنوات "
    "الري التي تضررت خلال السنوات الماضية، وقالت إن الأعمال ستبدأ مطلع الشهر المقبل في ثلاث "
    "بلدات على ضفة نهر الفرات.",
    "وأوضح مدير الموارد المائية في المحافظة أن الخطة تشمل تنظيف أكثر من أربعين كيلومترا من "
    "القنوات الفرعية وتركيب مضخات تعمل بالطاقة الشمسية لتخفيف الاعتماد على الوقود.",
    "وأضاف أن المزارعين اشتكوا طويلا من انقطاع المياه في موسم الصيف، ما أدى إلى تراجع زراعة "
    "القمح والقطن في المنطقة.",
    "وتقدر كلفة المشروع بنحو مليوني دولار تمولها منظمة دولية بالتعاون مع المجلس المحلي، ومن "
    "المتوقع أن تنتهي المرحلة الأولى قبل بداية الموسم الزراعي.",
    "ويأمل الأهالي أن تسهم الخطة في عودة مئات العائلات التي تركت أراضيها بسبب الجفاف وارتفاع "
    "أسعار المحروقات.",
]
# A site's copy: the last sentence dropped, words changed, harakat, a boilerplate line.
COPY_A = [
    STORY[0].replace("يوم الثلاثاء", "أمس").replace("جديدة", "جَدِيدَة"),
    STORY[1].replace("أكثر من", "نحو"),
    STORY[2],
    STORY[3].replace("منظمة دولية", "منظمة أممية"),
    "تابعونا على قناتنا في تلغرام لمزيد من الأخبار العاجلة",
]
# Another site's copy: two sentences swapped, words changed, an ad line.
COPY_B = [
    STORY[0].replace("وزارة الزراعة", "مديرية الزراعة"),
    STORY[2],
    STORY[1],
    STORY[3],
    STORY[4].replace("مئات العائلات", "عشرات العائلات"),
    "إعلان: احجز إقامتك الآن بأفضل الأسعار",
]
# A different story about the same announcement: same names and places, its own sentences.
SAME_EVENT = [
    "قال مزارعون في ريف دير الزور الشرقي إنهم لم يلمسوا حتى الآن أي تحسن في وصول مياه الري، "
    "رغم إعلان وزارة الزراعة يوم الثلاثاء عن خطة لتأهيل القنوات على نهر الفرات.",
    "وتحدث أحدهم عن خسارة محصوله من القطن للعام الثاني على التوالي، مشيرا إلى أن سعر ليتر "
    "المازوت تضاعف خلال أشهر قليلة.",
    "ويرى مهندسون زراعيون أن المضخات الشمسية حل مؤقت لا يعالج انخفاض منسوب النهر، وطالبوا "
    "بإشراك المزارعين في تحديد أولويات العمل وتوزيع الحصص المائية بين البلدات.",
]
OTHER = [
    "افتتحت جامعة حلب معرضا للكتاب يضم أكثر من مئتي دار نشر عربية، ويستمر عشرة أيام في "
    "الحرم الجامعي وسط إقبال من الطلاب والأساتذة.",
    "وقال رئيس الجامعة إن المعرض يخصص جناحا لكتب الأطفال وآخر للمخطوطات القديمة، وإن "
    "الأسعار مخفضة للطلاب بنسبة النصف طوال أيام المعرض.",
]
PASTED = "شاهدوا الحقيقة كاملة على قناتنا قبل أن يحذفوها من الموقع"


def page(page_id: str, paragraphs: list[str], published: str | None = None,
         fetched: str | None = None, comments: list[str] | None = None) -> Page:
    p = Page(
        id=page_id, language="ar", title=f"عنوان {page_id}", published_at=published,
        fetched_at=fetched, paragraphs=[Paragraph(t) for t in paragraphs],
        comments=[Comment(id=f"{page_id}:c{i}", index=i, text=t)
                  for i, t in enumerate(comments or [], 1)],
    )
    return next(SignStep().run([p]))


@pytest.fixture
def store(location: str) -> Iterator[Store]:
    with open_store(location) as s:
        yield s


def members(store: Store) -> dict[str, str]:
    return {str(r[0]): str(r[1]) for r in rows(store, "SELECT page_id, cluster_id FROM "
                                                     "cluster_members")}


def rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in store.conn.execute(sql).fetchall()]  # type: ignore[attr-defined]


def representative(store: Store, cluster_id: str) -> str:
    found = rows(store, f"SELECT representative FROM clusters WHERE id = '{cluster_id}'")
    return str(found[0][0])


# -- the sign step -----------------------------------------------------------------------


def test_sign_step_fills_a_signature_from_the_article_text() -> None:
    signed = page("a", STORY)
    assert signed.signature is not None
    assert len(signed.signature) == DEFAULT_PARAMS.num_perm
    assert all(0 <= v < 2**32 for v in signed.signature)
    # harakat, tatweel and punctuation are normalised away; the title is not signed
    marked = page("b", [s.replace("خطة", "خُطَّة").replace("،", " ") for s in STORY])
    marked.title = "عنوان آخر تماما"
    assert page_signature(marked) == signed.signature
    assert page("c", OTHER).signature != signed.signature


def test_sign_step_leaves_short_pages_unsigned_and_keeps_an_existing_signature() -> None:
    assert page("short", ["خبر عاجل من دمشق"]).signature is None
    kept = Page(id="k", paragraphs=[Paragraph(s) for s in STORY], signature=[7, 8, 9])
    assert next(SignStep().run([kept])).signature == [7, 8, 9]


def test_the_pipeline_signs_after_moderating() -> None:
    from marsad.run.pipeline import default_steps

    names = [step.name for step in default_steps()]
    assert names.index("sign") > names.index("moderate")


# -- the clustering stage ----------------------------------------------------------------


def test_near_copies_cluster_and_other_stories_about_the_event_do_not(store: Store) -> None:
    store.upsert_pages([
        page("wire", STORY, "2024-03-05T08:00:00"),
        page("site-a", COPY_A, "2024-03-05T09:00:00"),
        page("site-b", COPY_B, "2024-03-05T10:00:00"),
        page("farmers", SAME_EVENT, "2024-03-05T11:00:00"),
        page("books", OTHER, "2024-03-05T12:00:00"),
    ])
    summary = cluster_new_pages(store)
    found = members(store)
    assert found["wire"] == found["site-a"] == found["site-b"]
    assert found["farmers"] != found["wire"]
    assert found["books"] not in {found["wire"], found["farmers"]}
    assert (summary.pages, summary.clusters, summary.largest) == (5, 1, 3)
    assert summary.pages_clustered == 5


def test_representative_is_the_earliest_by_published_then_fetched_then_id(store: Store) -> None:
    store.upsert_pages([
        page("b-late", STORY, "2024-03-06", "2024-03-06"),
        page("z-same-day", COPY_A, "2024-03-05", "2024-03-07"),
        page("y-same-day", COPY_B, "2024-03-05", "2024-03-07"),
        page("undated", STORY[:4], None, "2024-01-01"),
    ])
    cluster_new_pages(store)
    cluster = members(store)["b-late"]
    assert len(set(members(store).values())) == 1
    assert representative(store, cluster) == "y-same-day"  # same dates: the smaller id


def test_a_new_copy_joins_the_existing_cluster_and_old_members_stay(store: Store) -> None:
    store.upsert_pages([
        page("wire", STORY, "2024-03-05T08:00:00"),
        page("site-a", COPY_A, "2024-03-05T09:00:00"),
        page("site-b", COPY_B, "2024-03-05T10:00:00"),
    ])
    cluster_new_pages(store)
    before = rows(store, "SELECT page_id, cluster_id, how, similarity FROM cluster_members")
    cluster = members(store)["wire"]

    late = [STORY[0], STORY[1].replace("الطاقة الشمسية", "الطاقة النظيفة"), *STORY[3:]]
    store.upsert_pages([page("site-c", late, "2024-03-04T08:00:00")])  # dated earliest
    summary = cluster_new_pages(store)

    assert summary.pages == 1 and summary.joined_near == 1
    assert members(store)["site-c"] == cluster
    after = rows(store, "SELECT page_id, cluster_id, how, similarity FROM cluster_members")
    assert set(before) <= set(after)
    assert rows(store, f"SELECT size FROM clusters WHERE id = '{cluster}'") == [(4,)]
    assert representative(store, cluster) == "site-c"
    assert cluster_new_pages(store).pages == 0  # nothing new: nothing done


def test_exact_duplicates_join_by_their_text_hash(store: Store) -> None:
    store.upsert_pages([
        page("one", STORY, "2024-03-05"),
        page("two", [s.replace("،", " ، ").replace("دولار", "دولاااار") for s in STORY],
             "2024-03-06"),
    ])
    cluster_new_pages(store)
    assert members(store)["one"] == members(store)["two"]
    assert rows(store, "SELECT how, similarity FROM cluster_members WHERE page_id = 'two'") == [
        ("exact", 1.0)
    ]


def test_exact_copies_stay_out_of_the_index_and_one_takes_the_place_of_a_leaver(
    store: Store,
) -> None:
    store.upsert_pages([page(f"copy{n}", STORY, f"2024-03-0{n + 1}") for n in range(4)])
    cluster_new_pages(store)
    assert len(set(members(store).values())) == 1
    # only the first is in the LSH index: a story copied a thousand times costs one entry
    assert rows(store, "SELECT DISTINCT page_id FROM dedup_bands") == [("copy0",)]
    store.upsert_pages([page("copy0", OTHER, "2024-03-01")])  # the indexed one changes
    cluster_new_pages(store)
    indexed = {r[0] for r in rows(store, "SELECT DISTINCT page_id FROM dedup_bands")}
    assert indexed == {"copy0", "copy1"}  # copy1 now stands for the copies
    store.upsert_pages([page("late", COPY_A, "2024-04-01")])  # a near copy still finds them
    cluster_new_pages(store)
    assert members(store)["late"] == members(store)["copy1"] != members(store)["copy0"]


def test_a_page_whose_text_changed_is_clustered_again(store: Store) -> None:
    store.upsert_pages([page("wire", STORY, "2024-03-05"), page("site-a", COPY_A, "2024-03-06")])
    cluster_new_pages(store)
    cluster = members(store)["wire"]
    store.upsert_pages([page("site-a", OTHER, "2024-03-06")])  # the site replaced its article
    summary = cluster_new_pages(store)
    assert summary.changed == 1
    assert members(store)["site-a"] != cluster
    assert rows(store, f"SELECT size FROM clusters WHERE id = '{cluster}'") == [(1,)]
    assert members(store)["wire"] == cluster
    # its old LSH rows are gone: one row per band, for the new text only
    assert rows(store, "SELECT count(*) FROM dedup_bands WHERE page_id = 'site-a'") == [
        (DEFAULT_PARAMS.bands,)
    ]


def test_a_page_stored_again_without_a_signature_leaves_its_cluster(store: Store) -> None:
    store.upsert_pages([page("wire", STORY, "2024-03-05"), page("site-a", COPY_A, "2024-03-06")])
    cluster_new_pages(store)
    unsigned = page("site-a", COPY_A, "2024-03-06")
    unsigned.signature = None
    store.upsert_pages([unsigned])
    summary = cluster_new_pages(store)
    assert summary.dropped == 1
    assert "site-a" not in members(store)
    assert rows(store, "SELECT representative, size FROM clusters") == [("wire", 1)]
    assert rows(store, "SELECT count(*) FROM dedup_bands WHERE page_id = 'site-a'") == [(0,)]


def test_other_parameters_need_a_rebuild(store: Store) -> None:
    store.upsert_pages([page("wire", STORY), page("site-a", COPY_A)])
    cluster_new_pages(store)
    stricter = DedupParams(jaccard=0.99, containment=0.99)
    with pytest.raises(ParamsMismatch, match="--rebuild"):
        cluster_new_pages(store, stricter)
    summary = rebuild_clusters(store, stricter)
    assert summary.pages == 2 and summary.clusters == 0


def test_comments_pasted_under_several_pages_are_flagged(store: Store) -> None:
    store.upsert_pages([
        page("wire", STORY, comments=[PASTED, "شكرا على الخبر"]),
        page("books", OTHER, comments=["مقال جميل", PASTED.replace("الحقيقة", "الحَقِيقَة")]),
        page("farmers", SAME_EVENT, comments=[f"  {PASTED}!!", "شكرا على الخبر"]),
        page("short", ["خبر قصير"], comments=[PASTED, PASTED]),
    ])
    assert store.duplicate_comments() == []  # hashed by the clustering stage
    summary = cluster_new_pages(store)
    assert summary.comments_hashed == 8
    (flagged,) = store.duplicate_comments(min_pages=2)
    assert (flagged.pages, flagged.comments) == (4, 5)
    assert flagged.text_hash == comment_hash(PASTED)
    assert store.duplicate_comments(min_pages=5) == []
    assert comment_hash("شكرا على الخبر") == ""  # too short to flag


def test_marsad_cluster_prints_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from marsad.cli import main

    db = str(tmp_path / "c.db")
    with open_store(db) as s:
        s.upsert_pages([page("wire", STORY), page("site-a", COPY_A), page("books", OTHER)])
    assert main(["cluster", "--db", db, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "clusters of 2 or more pages" in out
    with open_store(db) as s:
        assert len(set(members(s).values())) == 2


def test_a_page_matching_two_clusters_merges_them_into_the_earliest(store: Store) -> None:
    first, second = STORY[:3], STORY[2:]  # they share one sentence: too little to match
    store.upsert_pages([page("first-half", first, "2024-03-06"),
                        page("second-half", second, "2024-03-05")])
    cluster_new_pages(store)
    before = members(store)
    assert before["first-half"] != before["second-half"]

    store.upsert_pages([page("whole", STORY, "2024-03-07")])  # contains both halves
    summary = cluster_new_pages(store)
    after = members(store)
    assert summary.merged == 1
    assert after["whole"] == after["first-half"] == after["second-half"] == before["second-half"]
    assert rows(store, "SELECT id, representative, size FROM clusters") == [
        (before["second-half"], "second-half", 3)
    ]


@pytest.mark.parametrize("batch_size", [1, 2, 500])
def test_the_clusters_do_not_depend_on_the_batch_size(store: Store, batch_size: int) -> None:
    pages = [
        page("first-half", STORY[:3], "2024-03-06"),
        page("second-half", STORY[2:], "2024-03-05"),
        page("whole", STORY, "2024-03-07"),  # merges the two halves' clusters
        page("site-b", COPY_B, "2024-03-08"),
        page("exact", STORY, "2024-03-09"),
        page("farmers", SAME_EVENT, "2024-03-05"),
        page("books", OTHER, "2024-03-04"),
    ]
    store.upsert_pages(pages)
    summary = cluster_new_pages(store, batch_size=batch_size)
    found = members(store)
    story = {"first-half", "second-half", "whole", "site-b", "exact"}
    assert len({found[p] for p in story}) == 1
    assert len(set(found.values())) == 3
    assert (summary.merged, summary.joined_exact, summary.clusters) == (1, 1, 1)
    assert rows(store, f"SELECT representative, size FROM clusters WHERE id = "
                       f"'{found['whole']}'") == [("second-half", 5)]
    assert rows(store, "SELECT count(*) FROM clusters") == [(3,)]
