"""Stable page and comment ids."""

from marsad.ids import canonical_url, comment_id, page_id


def test_canonical_url_drops_tracking_fragment_and_www() -> None:
    a = canonical_url("HTTP://www.News.test/a/b/?utm_source=x&id=3#comments")
    b = canonical_url("https://news.test/a/b?id=3&fbclid=zzz")
    assert a == b == "https://news.test/a/b?id=3"


def test_page_id_prefers_url_then_normalised_content() -> None:
    assert page_id("https://news.test/x", "one") == page_id("https://news.test/x/", "two")
    # same content up to harakat, tatweel and spacing is the same page
    assert page_id(None, "قالَ  المـسؤول") == page_id(None, "قال المسؤول")
    assert page_id(None, "قال المسؤول") != page_id(None, "قال الوزير")
    assert page_id(None, None, "a.html") != page_id(None, None, "b.html")


def test_comment_id_is_the_sites_id_or_a_content_hash_never_the_position() -> None:
    assert comment_id("p", "نص", site_comment_id="123") == "p:123"
    one = comment_id("p", "نص التعليق", "علي", "2024-01-01")
    assert one == comment_id("p", "نصّ  التعليق", "علي", "2024-01-01")
    assert one != comment_id("p", "نص التعليق", "سعيد", "2024-01-01")
    assert one != comment_id("q", "نص التعليق", "علي", "2024-01-01")
