"""Every selector and class-name cue the HTML parser uses, as named data (trafilatura-style).

Nothing here runs: ``comments_html.py`` and ``html.py`` apply these. To support a new
comment system, add its item XPath to ``COMMENT_MARKUPS`` or a cue word to the tuples
below; the splitting logic stays the same.

Class tokens and ids are compared lower-cased. A token or id longer than
``MAX_TOKEN_CHARS`` is ignored (no real class name is that long, and it keeps adversarial
100,000-character attributes away from every pattern). Every regular expression here is
linear: no nested quantifiers, bounded repetitions, and it only ever sees short tokens or
short lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.etree import XPath

MAX_TOKEN_CHARS = 100
REGEXP_NS = {"re": "http://exslt.org/regular-expressions"}


def has_class(*names: str) -> str:
    """An XPath 1.0 predicate body: the element's class list holds one of ``names``."""
    return " or ".join(
        f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')" for name in names
    )


# --- Parsing ----------------------------------------------------------------------------

# libxml2 refuses to nest deeper than this (without XML_PARSE_HUGE) and stops parsing there.
LIBXML_MAX_DEPTH = 256
# Characters that are not allowed in XML/HTML text (C0 controls other than tab, LF, CR).
INVALID_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A page larger than this (in characters) is cut before parsing; trafilatura's own cap.
MAX_HTML_CHARS = 20_000_000

# A forum thread: its first post is the content, not a comment. Looked for in the body's
# class and id and in the URL's path, and in JSON-LD (schema.org DiscussionForumPosting).
FORUM_CUE = re.compile(r"forum|thread|discussion|topic|showthread|viewtopic|منتدى|منتديات", re.I)
FORUM_JSONLD = XPath(
    "//script[@type='application/ld+json'][contains(., 'DiscussionForumPosting')]"
)
# The article of a forum page, once its posts are taken out as comments, is at most this long.
FORUM_THIN_BODY_CHARS = 500

# --- Page metadata --------------------------------------------------------------------

CANONICAL_URL_XPATHS: tuple[XPath, ...] = (
    XPath("//link[@rel='canonical']/@href"),
    XPath("//meta[@property='og:url']/@content"),
    XPath("//meta[@name='twitter:url']/@content"),
)

# Headings looked at for the headline (a page may repeat <h1> in every teaser).
MAX_H1 = 20

# --- Comment items: the specific markups, tried in this order ------------------------------


@dataclass(frozen=True)
class CommentMarkup:
    """One comment system: the XPath that selects its comment elements.

    The selected elements are candidates: ``comments_html`` merges an element with its
    inner parts (a WordPress ``li.comment`` and its ``article.comment-body``) and turns
    elements nested in another one's reply list into replies.
    """

    name: str
    items: XPath


SCHEMA_COMMENT_TYPE = re.compile(r"schema\.org/(?:Comment|UserComments)/?$", re.I)
# Each XPath starts with a cheap ``contains(@class, …)`` test so that the costlier class-list
# and ancestor tests run on few elements.
SCHEMA_ORG_COMMENT = CommentMarkup(
    "schema-org",
    XPath(
        "//*[@itemtype][re:test(@itemtype, 'schema\\.org/(?:Comment|UserComments)/?$', 'i')]"
        " | //*[@itemprop='comment' and @itemscope]",
        namespaces=REGEXP_NS,
    ),
)
DISQUS_STATIC = CommentMarkup(
    "disqus-static",
    XPath(
        "//*[@id='disqus_thread' or @id='dsq-comments' or @id='post-list' or "
        f"(contains(@class, 'post-list') and ({has_class('post-list')}))]"
        f"//li[contains(@class, 'post') or contains(@class, 'dsq-comment')]"
        f"[{has_class('post', 'dsq-comment')}]"
    ),
)
WORDPRESS = CommentMarkup(
    "wordpress",
    XPath(
        "//*[contains(@class, 'comment') or contains(@class, 'pingback') or "
        "contains(@class, 'trackback')][self::li or self::div or self::article]"
        f"[{has_class('comment', 'pingback', 'trackback')}]"
        "[re:test(@id, '^(?:li-|div-)?comment-[0-9]+$') or "
        "ancestor::*[self::ol or self::ul or self::div][contains(@class, 'comment')]"
        f"[{has_class('commentlist', 'comment-list')}] or ancestor::*[@id='commentlist']]",
        namespaces=REGEXP_NS,
    ),
)
DRUPAL = CommentMarkup(
    "drupal",
    XPath(
        "//*[contains(@class, 'comment')][self::article or self::div]"
        f"[{has_class('comment', 'js-comment')}]"
        "[ancestor::*[@id='comments' or (contains(@class, 'comment') and ("
        f"{has_class('comment-wrapper', 'comments', 'field--name-comment', 'field--type-comment')}"
        "))]]"
    ),
)

COMMENT_MARKUPS: tuple[CommentMarkup, ...] = (SCHEMA_ORG_COMMENT, DISQUS_STATIC, WORDPRESS, DRUPAL)

# --- Comment items: the generic cue -------------------------------------------------------

# A class token or id names one comment when one of these words is followed only by an
# allowed suffix: «comment», «wc-comment», «comment-item», «comment_box», «li-comment-12»,
# «leserbrief». Plurals and other suffixes («comments», «comment-list», «comment-form»,
# «comment-author», «comment-content») name something else.
ITEM_WORDS: tuple[str, ...] = (
    "comment", "kommentar", "commentaire", "comentario", "commento", "leserbrief",
    "ta3liq", "ta3leeq", "taaliq", "taalik", "ta3lik", "tahleeq",
)
# Words that name one comment in an id only when a number follows («bb_message_3901225»).
ITEM_ID_WORDS: tuple[str, ...] = ("message", "msg", "reply", "antwort")
ITEM_SUFFIX = re.compile(
    r"[-_]{0,2}(?:item|entry|wrapper|wrap|container|box|inner|outer|main|main-level|single|"
    r"article|block|unit|node|row|card|default|level|view|right)?"
    r"(?:[-_]{0,2}[0-9]{1,30}(?:[-_][0-9]{1,6})?)?"
)
# …unless what precedes the word makes it a control: «social_link_comment», «add-comment»,
# «toggle-comment», «no-comment», «comment-count» (the last is a suffix, refused above).
ITEM_PREFIX_STOP = re.compile(
    r"(?:link|share|social|icon|btn|button|count|toggle|show|hide|add|write|post|leave|no|"
    r"open|load|more|form|new|reply-to|goto|jump)[-_]{0,2}$"
)
ITEM_ID_SUFFIX = re.compile(r"[-_]{0,2}[0-9]{1,30}(?:[-_][0-9]{1,6})?")
# Blogger numbers its comments «c5689936624652663696».
BLOGGER_ITEM_ID = re.compile(r"c[0-9]{8,30}")

# Tokens that mark a comment *form* or its wrapper: nothing inside is a comment.
FORM_TOKENS = frozenset({
    "respond", "comment-respond", "comment-form", "commentform", "comments-form",
    "comment-form-wrap", "reply-form", "comment-reply-form", "form-comment", "add-comment",
    "addcomment", "new-comment", "write-comment", "post-comment", "comment-form-wrapper",
})
FORM_ID = re.compile(r"(?:respond|commentform|comment-form|reply-form|add-?comment|write-?comment)")
FORM_XPATH = XPath(
    "//form[.//textarea or "
    "re:test(@id, 'comment|respond|reply', 'i') or re:test(@class, 'comment|respond|reply', 'i')]"
    " | //*[@id='respond']"
    " | //*[contains(@class, '-form') or contains(@class, 'respond')]"
    f"[{has_class('comment-respond', 'comment-form', 'comments-form', 'reply-form')}]",
    namespaces=REGEXP_NS,
)

# Elements whose subtree never holds comments or text we keep.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "button", "input", "textarea",
    "select", "option", "iframe", "object", "embed", "img", "picture", "video",
    "audio", "canvas", "head", "title", "meta", "link",
})
NO_ITEM_ANCESTORS = frozenset({"head", "script", "style", "noscript", "template"})
# A comment form is small; a <form> with more text than this wraps the page (ASP.NET).
FORM_MAX_CHARS = 3000
# Tags a comment element can have (an <a class="icon-comment"> is a link to the comments).
ITEM_TAGS = frozenset({"div", "li", "article", "section", "dd", "dt", "blockquote", "aside",
                       "tr", "td", "table", "p", "details"})

# Between a comment element and a nested one, these make the nested one a *reply* rather
# than a part of the same comment: list elements and reply-container classes.
REPLY_CONTAINER_TAGS = frozenset({"ul", "ol", "dl"})
REPLY_CONTAINER_TOKEN = re.compile(
    r"(?:^|[-_])(?:children|child|replies|reply|indented|sub|nested|thread|answers|antworten|"
    r"reponses|ردود)(?:$|[-_])"
)
# Drupal puts replies in a ``div.indented`` *after* the parent comment, not inside it.
INDENTED_TOKENS = frozenset({"indented", "comment-replies", "replies", "children"})

# --- Inside one comment ---------------------------------------------------------------

# The comment text: a class token ending like this, or one of the itemprops.
# A bare «content»/«text», or one of those after a comment-ish word («comment-content»,
# «commenttext», «post-message», «forum-texte», «field--name-comment-body»); a styling class
# such as «secondary-text» or «text-right» is not a body.
BODY_TOKEN = re.compile(
    r"^(?:content|text|texte|txt|message|body|inhalt)$"
    r"|(?:comment|kommentar|post|message|review|reply|rev|forum|entry|format|answer|ta3liq|"
    r"taaliq)[-_]{0,2}(?:content|body|text|texte|txt|message|msg|copy|inhalt)$"
    r"|(?:^|[-_])(?:c|cm|cmt|comm)[-_]{1,2}(?:content|body|text|txt)$"
)
BODY_ITEMPROPS = frozenset({"text", "commenttext", "reviewbody", "articlebody", "description"})
# Tokens that look like a body but are screen-reader labels or status notes.
NOT_BODY_TOKENS = frozenset({
    "screen-reader-text", "sr-only", "visually-hidden", "hidden-text", "says",
    "comment-awaiting-moderation", "awaiting-moderation", "element-invisible", "visuallyhidden",
})

# Controls inside a comment (reply, vote and report buttons, avatars, "says:" labels): left
# out of the comment text wherever they are, when short.
CONTROL_TOKEN = re.compile(
    r"reply|respond|vote|like|rating|report|flag|share|edit|permalink|action|toolbar|button|"
    r"btn|avatar|gravatar|says|badge|karma|points|quote-link"
)
# Metadata that old themes put inside the element marked as the body (WordPress's
# ``div.comment-body`` holds the author box and the date): left out when short. Narrower
# than META_TOKEN, so that a short «user-mention» or link inside the text stays.
BODY_META_TOKEN = re.compile(
    r"author|avatar|meta|date|time|vcard|byline|says|posted|stamp|submitted|moderation|"
    r"comment-header|comment-footer"
)
# Metadata around the text (author line, date, header and footer of a comment): left out
# when the comment has no marked body and the element is short. A long element with such
# a class (a theme that puts the whole comment in ``div.comment-author``) keeps its text.
META_TOKEN = re.compile(
    r"author|avatar|meta|date|time|vcard|reply|respond|vote|like|rating|score|report|flag|"
    r"share|edit|permalink|action|toolbar|tools|footer|header|byline|user|name|says|badge|"
    r"count|button|btn|nav|pagination|link|gravatar|photo|icon|signature|posted|stamp|"
    r"submitted|moderation|mark|reaction|karma|points|rank|label|title|heading|caption"
)
META_MAX_CHARS = 150
# A line outside a comment's marked body longer than this is text, not a byline or a date.
META_LINE_MAX_CHARS = 80

# The author: tried in this order, the first short non-empty match wins.
AUTHOR_TOKENS_FIRST = frozenset({"fn", "comment-author-name", "author-name", "username"})
AUTHOR_TOKEN = re.compile(
    r"(?:author|autor|auteur|username|user-name|name|nick|nickname|commenter|poster|byline)"
    r"(?:$|[-_])|(?:^|[-_])user$"
)
AUTHOR_ITEMPROPS = frozenset({"author", "creator"})
AUTHOR_MAX_CHARS = 80
# Without author markup, a comment's first line is its author's name when it is set in one of
# these and has no sentence punctuation.
NAME_TAGS = frozenset({"b", "strong", "cite", "h4", "h5", "h6"})
SENTENCE_PUNCTUATION = re.compile(r"[.!?؟،,:;؛…]")
# Labels around an author's name: «X says:», «بواسطة X», «كتب X».
AUTHOR_LABEL_AFTER = re.compile(
    r"\s{0,3}(?:says|said|wrote|sagt|schreibt|meint|dit|a dit|écrit|a écrit|dice|قال|قالت|"
    r"كتب|كتبت|يقول|تقول)\s{0,3}:?\s{0,3}$",
    re.I,
)
AUTHOR_LABEL_BEFORE = re.compile(
    r"^\s{0,3}(?:by|von|par|por|بواسطة|بقلم|كتب|كتبه|المعلق|الاسم)\s{0,3}:?\s{1,3}", re.I
)

# The date: an attribute first (exact), then the text of a date-like element.
DATE_ITEMPROPS = frozenset({"datecreated", "datepublished", "commenttime", "uploaddate"})
DATE_ATTRIBUTES: tuple[str, ...] = ("datetime", "content", "data-timestamp", "title")
DATE_TOKEN = re.compile(
    r"date|time|timestamp|published|posted|submitted|permalink|comment-meta|commentmetadata"
)
DATE_MAX_CHARS = 120
EARLIEST_COMMENT_YEAR = 1995
# Drupal: <mark data-comment-timestamp="1709648400">; a Unix time in seconds.
UNIX_TIME_ATTRIBUTES: tuple[str, ...] = ("data-comment-timestamp", "data-timestamp")

# The site's own comment id, from the comment element's id (or a child's, or a
# ``data-*`` attribute): «comment-123», «li-comment-123», «div-comment-123», «post-123».
SITE_ID = re.compile(
    r"(?:comment|comm|kommentar|message|msg|post|reply|cid|^c)[-_]{0,2}([0-9]{1,30})(?:[-_][0-9]{1,6})?$"
)
SITE_ID_ATTRIBUTES: tuple[str, ...] = ("data-comment-id", "data-commentid", "data-id", "data-cid")
DRUPAL_PERMALINK = re.compile(r"/comment/([0-9]{1,30})")

# Lines inside a comment that are controls, not text: reply/report/like buttons and vote
# counters. Matched against a whole line (whitespace collapsed), case-insensitively.
CONTROL_LINE = re.compile(
    r"^(?:رد|الرد|ردّ|رد على التعليق|أضف ردا|إبلاغ|ابلاغ|تبليغ|إبلاغ عن إساءة|أعجبني|اعجبني|"
    r"لا يعجبني|مشاركة|تعديل|حذف|"
    r"reply|antworten|antwort|répondre|repondre|responder|rispondi|report|melden|signaler|"
    r"like|likes|dislike|share|teilen|partager|edit|bearbeiten|permalink|link|"
    r"log in to reply|login to reply|zitieren|quote|"
    r"[+-]?[0-9]{1,5}|[0-9]{1,5} ?(?:likes?|votes?|points?|نقاط|نقطة|إعجاب|اعجاب)|"
    r"[↑↓▲▼]{1,2}|[↑↓▲▼] ?[0-9]{1,5})(?: ?[›»>…]{1,2})?$",
    re.I,
)
SAYS_WORDS = (
    r"says|said|wrote|sagt|schrieb|schreibt|meint|dit|a dit|écrit|a écrit|dice|قال|قالت|كتب|"
    r"كتبت|يقول|تقول|يكتب"
)
SAYS_LINE = re.compile(
    rf"^(?:{SAYS_WORDS}|kommentar von|comment by|commentaire de|تعليق من|تعليق بواسطة)"
    r"\s{0,3}:?$",
    re.I,
)
# «Nicolai11 schrieb:», «أبو سليم قال:» on a line of their own: the author, then the text.
AUTHOR_SAYS_LINE = re.compile(
    rf"^(?P<name>[^\n:]{{1,60}}?)\s{{1,3}}(?:{SAYS_WORDS})\s{{0,3}}:$", re.I
)

# --- Comment sections without a known markup (custom Arabic CMSs) ---------------------------

# Headings that open a comment section; ``boilerplate.is_comment_header`` decides, on
# elements of these tags or with a title-like class.
# Not <a>: «12 تعليقا» in an article's byline links to the comments, it does not open them.
SECTION_HEADER_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "p", "strong",
                                 "b", "header", "legend"})
SECTION_HEADER_MAX_CHARS = 80
NOT_HEADER_ANCESTORS = frozenset({"a", "button", "nav", "select", "label"})
# Elements that are never one comment of such a run: headings, inline elements, and <p>
# (a run of paragraphs after «Comments» is the site's comment policy, not comments).
NOT_RUN_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "a", "span", "p",
                          "b", "strong", "em", "i", "small", "img"})
# A cheap necessary condition for a comment header or count («التعليقات», «4 تعليقات», «رد
# واحد», «آراء القراء», «Comments»), tested on the raw line before the furniture rules fold
# it. Keep it in step with phrases.COMMENT_COUNT_PATTERNS and COMMENT_SECTION_HEADERS.
SECTION_CUE = re.compile(r"تعليق|يعلق|ردود|رد|راء|comment|respons|repl|kommentar", re.I)
# How far from a section header its list may be: levels climbed, siblings looked at.
SECTION_CLIMB = 2
SECTION_SIBLINGS = 20

# Furniture lines (headers, counts, disclaimers, form labels) are short: longer lines are
# not checked against the furniture rules at all (they fold every line they check).
FURNITURE_MAX_CHARS = 250

# The comment section, for its count header and disclaimer: the smallest element holding
# every comment and comment form, this many levels up (Disqus puts «6 تعليقات» in a tab bar
# three levels above its list).
COMMENT_REGION_LEVELS = 3

# How much of a paragraph's start finds it again among the page's lines.
PARAGRAPH_HEAD_CHARS = 40

# --- Text --------------------------------------------------------------------------------

# Elements that start a new line when text is serialised.
BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "section",
    "article", "header", "footer", "aside", "nav", "main", "figure", "figcaption", "address",
    "hr", "details", "summary", "center", "fieldset", "legend", "form", "label", "caption",
})
LINE_BREAK_TAGS = frozenset({"br", "hr"})
WHITESPACE = re.compile(r"\s+")
