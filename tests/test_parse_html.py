"""parse_html and the comment splitter, on small Arabic pages written for these tests.

One page per comment markup (WordPress threaded, Drupal, schema.org, a static Disqus thread,
a generic ``article.comment`` list, a custom CMS known only by its heading), then the page
fields around the comments (count header, disclaimer, form labels, shortcodes, canonical
URL, headline), then robustness: truncated, absurdly deep, empty and adversarial input.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import time

import pytest

from marsad.names import RemovedKind
from marsad.parse import selectors
from marsad.parse.comments_html import _token_names_one, split_comments
from marsad.parse.html import load_tree, parse_html

ARTICLE = """
<h1>{title}</h1>
<div class="entry-content">
<p>أعلنت بلدية المدينة صباح اليوم عن خطة جديدة لتنظيم حركة السير في الشوارع المحيطة بالسوق
القديم، بعد شكاوى متكررة من الازدحام الخانق في ساعات الذروة.</p>
<p>وقال رئيس البلدية في مؤتمر صحفي إن الخطة تتضمن تحويل ثلاثة شوارع إلى اتجاه واحد وإنشاء
موقف جديد للسيارات على أطراف السوق يتسع لنحو مئتي سيارة.</p>
<p>وأضاف أن التنفيذ سيبدأ مطلع الشهر المقبل على مراحل، مع حملة توعية للسائقين وأصحاب المحال
التجارية الذين طالبوا بمهلة لترتيب أوضاعهم.</p>
</div>
"""
TITLE = "البلدية تعلن خطة جديدة لتنظيم السير حول السوق القديم"


def page(comments_html: str, *, head: str = "", title: str = TITLE, extra: str = "") -> str:
    """A whole page: our article, then ``comments_html``, then a footer."""
    return (
        f"<html><head><meta charset='utf-8'><title>{title} - موقع التجربة</title>{head}</head>"
        f"<body><article class='post'>{ARTICLE.format(title=title)}{extra}</article>"
        f"{comments_html}<footer><p>جميع الحقوق محفوظة لموقع التجربة</p></footer></body></html>"
    )


def texts(p) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.text for c in p.comments]


# --- WordPress ----------------------------------------------------------------------------

WORDPRESS = """
<div id="comments" class="comments-area">
  <h2 class="comments-title">3 تعليقات</h2>
  <ol class="commentlist">
    <li class="comment even thread-even depth-1 parent" id="comment-101">
      <article id="div-comment-101" class="comment-body">
        <footer class="comment-meta">
          <div class="comment-author vcard">
            <img class="avatar" src="a.png" alt="">
            <b class="fn">أبو سليم</b> <span class="says">قال:</span>
          </div>
          <div class="comment-metadata">
            <a href="#comment-101"><time datetime="2024-03-05T14:20:00+03:00">5 آذار 2024</time></a>
          </div>
        </footer>
        <div class="comment-content">
          <p>خطوة ممتازة   لكن   تأخرت كثيرا.</p>
          <p>نتمنى أن يلتزموا بالمواعيد هذه المرة.</p>
        </div>
        <div class="reply"><a class="comment-reply-link" href="#">رد</a></div>
      </article>
      <ul class="children">
        <li class="comment odd alt depth-2" id="comment-102">
          <article id="div-comment-102" class="comment-body">
            <footer class="comment-meta"><div class="comment-author vcard">
              <b class="fn">سعاد</b> <span class="says">قال:</span></div></footer>
            <div class="comment-content"><p>معك حق، الازدحام لا يطاق<br>خاصة يوم الجمعة.</p></div>
            <div class="reply"><a class="comment-reply-link" href="#">رد</a></div>
          </article>
        </li>
      </ul>
    </li>
    <li class="comment even thread-odd depth-1" id="comment-103">
      <article id="div-comment-103" class="comment-body">
        <footer class="comment-meta"><div class="comment-author vcard">
          <b class="fn">زائر</b></div></footer>
        <div class="comment-content"><p>أين سنركن سياراتنا خلال فترة التنفيذ؟</p></div>
      </article>
    </li>
  </ol>
  <p class="disclaimer">التعليقات المنشورة لا تعبر عن رأي الموقع وإنما عن رأي أصحابها</p>
  <div id="respond" class="comment-respond">
    <h3 id="reply-title" class="comment-reply-title">اترك تعليقاً</h3>
    <form id="commentform" class="comment-form">
      <p class="comment-notes">لن يتم نشر عنوان بريدك الإلكتروني.</p>
      <p class="comment-form-comment"><label for="comment">التعليق</label>
        <textarea id="comment" name="comment"></textarea></p>
      <p class="comment-form-author"><label for="author">الاسم *</label>
        <input id="author" name="author" type="text"></p>
      <p class="form-submit"><input type="submit" value="إرسال التعليق"></p>
    </form>
  </div>
</div>
"""


def test_wordpress_threaded_comments() -> None:
    p = parse_html(page(WORDPRESS), url="https://news.test/2024/03/traffic")
    assert texts(p) == [
        "خطوة ممتازة لكن تأخرت كثيرا.\nنتمنى أن يلتزموا بالمواعيد هذه المرة.",
        "معك حق، الازدحام لا يطاق\nخاصة يوم الجمعة.",
        "أين سنركن سياراتنا خلال فترة التنفيذ؟",
    ]
    assert [c.author for c in p.comments] == ["أبو سليم", "سعاد", "زائر"]
    assert [c.id for c in p.comments] == ["101", "102", "103"]
    assert [c.parent for c in p.comments] == [None, "101", None]
    assert [c.index for c in p.comments] == [1, 2, 3]
    assert p.comments[0].posted_at == "2024-03-05T14:20:00+03:00"


def test_wordpress_furniture_around_comments() -> None:
    p = parse_html(page(WORDPRESS), url="https://news.test/2024/03/traffic")
    removed = {(r.kind, r.text) for r in p.removed}
    assert p.comments_declared == 3
    assert (RemovedKind.COMMENT_COUNT, "3 تعليقات") in removed
    assert (
        RemovedKind.DISCLAIMER, "التعليقات المنشورة لا تعبر عن رأي الموقع وإنما عن رأي أصحابها"
    ) in removed
    for label in ("اترك تعليقاً", "الاسم *", "لن يتم نشر عنوان بريدك الإلكتروني.", "إرسال التعليق"):
        assert (RemovedKind.COMMENT_FORM, label) in removed, label
    everything = "\n".join([p.article_text, *texts(p)])
    assert "اترك تعليقاً" not in everything and "إرسال" not in everything


def test_comment_text_does_not_leak_into_paragraphs() -> None:
    p = parse_html(page(WORDPRESS), url="https://news.test/2024/03/traffic")
    assert "سنركن" not in p.article_text and "معك حق" not in p.article_text
    assert "خطة جديدة لتنظيم حركة السير" in p.article_text
    assert "جميع الحقوق محفوظة" not in p.article_text


def test_the_known_markup_with_most_comments_wins() -> None:
    sidebar = ("<aside><div itemscope itemtype='https://schema.org/Comment'>"
               "<p itemprop='text'>تعليق مميز من الأرشيف</p></div></aside>")
    p = parse_html(page(WORDPRESS + sidebar))
    assert len(p.comments) == 3
    assert "تعليق مميز من الأرشيف" not in texts(p)


def test_wordpress_comment_list_without_children_list_class() -> None:
    html = page("""
    <section id="comments"><ol class="comment-list">
      <li id="comment-7" class="comment"><div class="comment-body">
        <div class="comment-author vcard">
          <cite class="fn">رامي</cite> <span class="says">يقول:</span></div>
        <p>الخطة جيدة على الورق.</p>
        <div class="reply"><a class="comment-reply-link">Reply</a></div></div>
        <ol class="children"><li id="comment-8" class="comment"><div class="comment-body">
          <div class="comment-author vcard"><cite class="fn">منى</cite></div>
          <p>والتطبيق هو الامتحان الحقيقي.</p></div></li></ol>
      </li></ol></section>""")
    p = parse_html(html)
    assert texts(p) == ["الخطة جيدة على الورق.", "والتطبيق هو الامتحان الحقيقي."]
    assert [c.author for c in p.comments] == ["رامي", "منى"]
    assert [c.parent for c in p.comments] == [None, "7"]


# --- Drupal -------------------------------------------------------------------------------

DRUPAL = """
<section class="comments" id="comments">
  <h2>التعليقات</h2>
  <article id="comment-31" class="comment js-comment">
    <mark class="hidden" data-comment-timestamp="1709648400"></mark>
    <footer class="comment__meta">
      <p class="comment__author"><span class="username">هالة</span></p>
      <p class="comment__time">الثلاثاء، 5 آذار 2024</p>
      <a href="/comment/31#comment-31" class="permalink">رابط</a>
    </footer>
    <div class="comment__content">
      <h3><a href="/comment/31">رأيي في الخطة</a></h3>
      <div class="field field--name-comment-body"><p>أتمنى إشراك السكان قبل التنفيذ.</p></div>
      <ul class="links inline"><li class="comment-reply"><a href="/comment/reply/31">رد</a></li>
        </ul>
    </div>
  </article>
  <div class="indented">
    <article id="comment-32" class="comment js-comment">
      <footer class="comment__meta"><p class="comment__author"><span class="username">وليد</span>
        </p></footer>
      <div class="comment__content">
        <div class="field field--name-comment-body">
          <p>البلدية عقدت لقاء مع الأهالي الشهر الماضي.</p></div>
      </div>
    </article>
  </div>
  <article id="comment-33" class="comment js-comment">
    <footer class="comment__meta"><p class="comment__author"><span class="username">نادر</span>
      </p></footer>
    <div class="comment__content">
      <div class="field field--name-comment-body"><p>لا جديد، وعود فقط.</p></div>
    </div>
  </article>
</section>
"""


def test_drupal_comments_with_indented_replies() -> None:
    p = parse_html(page(DRUPAL))
    assert texts(p) == [
        "أتمنى إشراك السكان قبل التنفيذ.",
        "البلدية عقدت لقاء مع الأهالي الشهر الماضي.",
        "لا جديد، وعود فقط.",
    ]
    assert [c.author for c in p.comments] == ["هالة", "وليد", "نادر"]
    assert [c.id for c in p.comments] == ["31", "32", "33"]
    assert [c.parent for c in p.comments] == [None, "31", None]
    # the mark's Unix time: 2024-03-05 14:20 UTC
    assert p.comments[0].posted_at == "2024-03-05T14:20:00+00:00"


def test_drupal_7_anchor_ids() -> None:
    html = page("""
    <div id="comments" class="comment-wrapper">
      <a id="comment-5"></a>
      <div class="comment clearfix"><div class="submitted"><span class="username">ليلى</span></div>
        <div class="content"><div class="field field-name-comment-body"><p>شكرا على الخبر.</p>
          </div></div>
      </div>
      <div class="indented"><a id="comment-6"></a>
        <div class="comment clearfix"><div class="submitted"><span class="username">كريم</span>
          </div>
          <div class="content"><div class="field field-name-comment-body"><p>العفو.</p></div></div>
        </div>
      </div>
    </div>""")
    p = parse_html(html)
    assert texts(p) == ["شكرا على الخبر.", "العفو."]
    assert [c.id for c in p.comments] == ["5", "6"]
    assert [c.parent for c in p.comments] == [None, "5"]


# --- schema.org ---------------------------------------------------------------------------

SCHEMA = """
<div class="reader-area">
  <div itemprop="comment" itemscope itemtype="https://schema.org/Comment" id="c-900">
    <span itemprop="author" itemscope itemtype="https://schema.org/Person">
      <span itemprop="name">جمال</span></span>
    <meta itemprop="dateCreated" content="2024-03-06T09:00:00">
    <div itemprop="text">السوق يحتاج أيضا إلى تنظيف يومي.</div>
    <div itemprop="comment" itemscope itemtype="https://schema.org/Comment">
      <span itemprop="author">رنا</span>
      <time itemprop="dateCreated" datetime="2024-03-06">6 آذار</time>
      <div itemprop="text"><p>صحيح</p><p>والإنارة كذلك.</p></div>
    </div>
  </div>
  <div itemscope itemtype="http://schema.org/Comment">
    <span itemprop="author">حسان</span>
    <p itemprop="text">متى يبدأ التنفيذ بالضبط؟</p>
  </div>
</div>
"""


def test_schema_org_comments() -> None:
    p = parse_html(page(SCHEMA))
    assert texts(p) == ["السوق يحتاج أيضا إلى تنظيف يومي.", "صحيح\nوالإنارة كذلك.",
                        "متى يبدأ التنفيذ بالضبط؟"]
    assert [c.author for c in p.comments] == ["جمال", "رنا", "حسان"]
    assert [c.posted_at for c in p.comments] == ["2024-03-06T09:00:00", "2024-03-06", None]
    assert [c.id for c in p.comments] == ["900", "", ""]
    assert [c.parent for c in p.comments] == [None, "900", None]


# --- Disqus (static copy) -------------------------------------------------------------------

DISQUS = """
<div id="disqus_thread"><ul id="post-list" class="post-list">
  <li class="post" id="post-5001">
    <div class="post-content">
      <div class="avatar"><img src="u.png" alt="avatar"></div>
      <div class="post-body">
        <header><span class="post-byline"><span class="author"><a>عمر</a></span></span>
          <span class="post-meta">
            <a class="time-ago" title="Tuesday, March 5, 2024 2:20 PM">منذ ساعتين</a></span>
              </header>
        <div class="post-body-inner"><div class="post-message"><p>وأين النقل العام من كل هذا؟</p>
          </div></div>
        <footer><menu><li class="voting"><a class="vote-up"><span class="count">12</span></a></li>
          <li class="reply"><a><span class="text">رد</span></a></li>
          <li class="share"><a><span class="text">مشاركة ›</span></a></li></menu></footer>
      </div>
    </div>
    <ul class="children">
      <li class="post" id="post-5002"><div class="post-content"><div class="post-body">
        <header><span class="author"><a>دانة</a></span></header>
        <div class="post-message"><p>الحافلات قليلة جدا</p><p>ومواعيدها غير ثابتة.</p></div>
        <footer><menu><li class="reply"><a><span class="text">رد</span></a></li></menu></footer>
      </div></div></li>
    </ul>
  </li>
</ul></div>
"""


def test_disqus_static_thread() -> None:
    p = parse_html(page(DISQUS))
    assert texts(p) == ["وأين النقل العام من كل هذا؟", "الحافلات قليلة جدا\nومواعيدها غير ثابتة."]
    assert [c.author for c in p.comments] == ["عمر", "دانة"]
    assert [c.id for c in p.comments] == ["5001", "5002"]
    assert [c.parent for c in p.comments] == [None, "5001"]


# --- Generic markups ------------------------------------------------------------------------


def test_generic_article_comment_list() -> None:
    html = page("""
    <section class="talk">
      <h3>تعليقات القراء</h3>
      <article class="comment" data-comment-id="71">
        <header>
          <span class="comment-name">ماجد</span> <span class="comment-date">2024-03-07</span>
            </header>
        <p>القرار متأخر عشر سنوات.</p>
        <button class="like">أعجبني 4</button>
      </article>
      <article class="comment" data-comment-id="72">
        <header><span class="comment-name">سلمى</span></header>
        <p>أخيرا!</p><p>شكرا للبلدية.</p>
        <a class="report">إبلاغ</a>
      </article>
    </section>""")
    p = parse_html(html)
    assert texts(p) == ["القرار متأخر عشر سنوات.", "أخيرا!\nشكرا للبلدية."]
    assert [c.author for c in p.comments] == ["ماجد", "سلمى"]
    assert [c.id for c in p.comments] == ["71", "72"]
    assert p.comments[0].posted_at == "2024-03-07"


def test_custom_cms_found_by_its_arabic_heading() -> None:
    html = page("""
    <div class="box-x9">
      <div class="hd"><span>آراء القراء</span></div>
      <div class="rw"><b>نبيل</b><div>الشوارع الضيقة لا تحتمل أكثر.</div></div>
      <div class="rw"><b>هدى</b><div>اقتراح جميل<br>نأمل التنفيذ بسرعة.</div></div>
      <div class="rw"><b>فراس</b><div>سؤال: هل يشمل القرار الدراجات النارية؟</div></div>
    </div>""")
    p = parse_html(html)
    assert texts(p) == [
        "الشوارع الضيقة لا تحتمل أكثر.", "اقتراح جميل\nنأمل التنفيذ بسرعة.",
        "سؤال: هل يشمل القرار الدراجات النارية؟",
    ]
    assert [c.author for c in p.comments] == ["نبيل", "هدى", "فراس"]
    assert all(c.parent is None for c in p.comments)


def test_comment_lines_that_are_not_text() -> None:
    """A bare date line becomes posted_at, «X قال:» the author, an avatar's initial and
    separators go, and an emoji-only comment stays."""
    html = page("""
    <div class="comments">
      <div class="comment" id="comment-1">
        <div><span>م</span></div>
        <div>مازن قال:</div>
        <div>5 آذار 2024 الساعة 2:20 م</div>
        <div>هذا أول تعليق لي على الموقع.</div>
        <div>–</div>
      </div>
      <div class="comment" id="comment-2"><div>👍👍</div></div>
    </div>""")
    p = parse_html(html)
    assert texts(p) == ["هذا أول تعليق لي على الموقع.", "👍👍"]
    assert p.comments[0].author == "مازن"
    assert p.comments[0].posted_at == "2024-03-05T14:20:00"


def test_controls_and_links_named_like_comments_are_not_comments() -> None:
    extra = ("<div class='social_link_comment'><em>علّق</em><span>16</span></div>"
             "<p class='meta'><a href='#comments'><span>12</span> <span>تعليقا</span></a></p>")
    html = page("""<div class="policy"><h3>التعليقات</h3>
        <p>نرحب بتعليقاتكم ضمن حدود الاحترام المتبادل.</p>
        <p>يحق لإدارة الموقع حذف أي تعليق مسيء.</p></div>""", extra=extra)
    p = parse_html(html)
    assert p.comments == []


def test_a_zero_count_heading_introduces_no_comments() -> None:
    html = page("""<div id="comments"><h2>لا توجد تعليقات</h2>
        <p class="no-comments-yet">كن أول من يعلق على هذا الخبر.</p></div>""")
    p = parse_html(html)
    assert p.comments == []
    assert p.comments_declared == 0


def test_links_to_the_comments_are_not_comments() -> None:
    html = page("", extra="<a class='icon-comment' href='#comments'>Comment</a>")
    assert parse_html(html).comments == []


def test_class_and_id_cues() -> None:
    one = ["comment", "wc-comment", "comment-item", "comment_box", "leserbrief", "js-comment",
           "first-comment", "comment-article", "mtncomment", "kommentar"]
    other = ["comments", "comment-list", "commentlist", "comment-form", "comment-author",
             "comment-content", "comment-meta", "commentary", "recentcomments", "comment-respond",
             "comment-reply-link", "comments-area", "kommentare"]
    assert all(_token_names_one(t, is_id=False) for t in one)
    assert not any(_token_names_one(t, is_id=False) for t in other)
    ids = ["comment-12", "li-comment-12", "div-comment-12", "comment12", "bb_message_3901225",
           "c5689936624652663696"]
    assert all(_token_names_one(t, is_id=True) for t in ids)
    assert not _token_names_one("post-5255", is_id=True)  # the article, not a comment
    assert not _token_names_one("message", is_id=True)


# --- Page fields ---------------------------------------------------------------------------


def test_shortcodes_and_article_furniture_are_removed_and_recorded() -> None:
    extra = ("<p>[ads3]</p><p>وتابع المسؤول أن المرحلة الأولى تشمل الشارع الرئيسي وحده.[ads1]</p>"
             "<p>شارك الخبر:</p>")
    p = parse_html(page("", extra=extra))
    removed = {(r.kind, r.text) for r in p.removed}
    assert (RemovedKind.AD_MARKER, "[ads3]") in removed
    assert (RemovedKind.AD_MARKER, "[ads1]") in removed
    assert "[ads" not in p.article_text
    assert "وتابع المسؤول أن المرحلة الأولى تشمل الشارع الرئيسي وحده." in p.article_text


def test_headline_and_urls() -> None:
    head = ("<link rel='canonical' href='https://news.test/a/traffic-plan'>"
            "<meta property='og:site_name' content='أخبار التجربة'>")
    p = parse_html(page("", head=head))
    assert p.title == TITLE  # the <h1>, not «… - موقع التجربة»
    assert p.url == "https://news.test/a/traffic-plan"
    assert p.site == "أخبار التجربة"
    assert p.id == ""
    given = parse_html(page("", head=head), url="https://news.test/?p=12")
    assert given.url == "https://news.test/?p=12"


def test_site_is_left_for_finish_when_only_the_host_is_known() -> None:
    p = parse_html(page(""), url="https://www.news-test.example/a")
    assert p.site is None


# --- Robustness ----------------------------------------------------------------------------


def test_truncated_html_keeps_what_precedes_the_cut() -> None:
    html = page(WORDPRESS)
    cut = html[: html.index("أين سنركن")] + "<div class='comm"
    p = parse_html(cut)
    assert texts(p)[:2] == [
        "خطوة ممتازة لكن تأخرت كثيرا.\nنتمنى أن يلتزموا بالمواعيد هذه المرة.",
        "معك حق، الازدحام لا يطاق\nخاصة يوم الجمعة.",
    ]
    assert "خطة جديدة لتنظيم حركة السير" in p.article_text


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    """100,000 nested divs, in a child process with a memory cap: no crash, a named problem."""
    code = textwrap.dedent("""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
        from marsad.parse.html import parse_html
        page = parse_html("<div>" * 100000 + "x" + "</div>" * 100000, url="https://d.test/")
        print(len(page.problems), page.problems[0].message if page.problems else "")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    count, _, message = done.stdout.strip().partition(" ")
    assert int(count) >= 1
    assert "nested deeper than" in message and "https://d.test/" in message


def test_deep_nesting_in_process_records_the_problem() -> None:
    tree, problems = load_tree("<p>قبل</p>" + "<div>" * 5000 + "x" + "</div>" * 5000)
    assert tree is not None
    assert [kind for kind, _ in problems] == ["too_deep"]
    assert "nested deeper than 255 levels" in problems[0][1]
    p = parse_html("<div>" * 5000 + "x" + "</div>" * 5000)
    assert [(pr.stage, pr.kind) for pr in p.problems] == [("parse", "too_deep")]


@pytest.mark.parametrize(
    "html",
    ["", "   \n ", "<html><body></body></html>",
     "<html><head><script>var a = 1;</script></head><body><script>alert(1)</script>"
     "<style>p {}</style><noscript>فعّل جافاسكربت</noscript></body></html>"],
    ids=["empty", "blank", "empty-body", "only-scripts"],
)
def test_pages_without_content(html: str) -> None:
    p = parse_html(html, url="https://e.test/x")
    assert p.paragraphs == [] and p.comments == []
    assert p.url == "https://e.test/x"
    if not html.strip():
        assert [pr.message for pr in p.problems] == ["https://e.test/x: the page is empty"]


def test_adversarial_attributes_and_text_nodes() -> None:
    big = "a" * 100_000
    spaces = " \t" * 50_000
    html = (
        f"<html><body><div class='{big} comment' id='comment-{big}' title='{big}'"
        f" style='{big}'><p>{'ب' * 100_000}</p><time datetime='{big}'>{big}</time>"
        f"<span class='author'>{big}</span></div>"
        f"<h3>{'1' * 100_000} تعليقات</h3><p>{'تعليق ' * 20_000}</p>"
        f"<div class='comment'>{spaces}x</div></body></html>"
    )
    start = time.perf_counter()
    p = parse_html(html)
    assert time.perf_counter() - start < 20
    assert all(len(c.text) < 300_000 for c in p.comments)


ADVERSARIAL = [
    "a" * 100_000, " " * 100_000, "-" * 100_000, "1" * 100_000, "comment" * 14_000,
    "تعليق " * 16_000, "رد " * 33_000, "[" * 100_000, "_-" * 50_000, "says" * 25_000,
    "a-" * 50_000 + "!", "c" + "1" * 99_999 + "x",
]


@pytest.mark.parametrize("name", sorted(
    n for n, v in vars(selectors).items() if isinstance(v, re.Pattern)
))
def test_every_selector_regex_is_linear(name: str) -> None:
    pattern: re.Pattern[str] = getattr(selectors, name)
    for text in ADVERSARIAL:
        start = time.perf_counter()
        pattern.search(text)
        pattern.match(text)
        pattern.fullmatch(text)
        assert time.perf_counter() - start < 0.5, (name, text[:20])


def test_split_comments_needs_no_trafilatura() -> None:
    tree, _ = load_tree(page(WORDPRESS))
    assert tree is not None
    section = split_comments(tree)
    assert section.markup == "wordpress"
    assert len(section.units) == len(section.comments) == 3
    assert section.forms and "الاسم *" in section.form_lines
