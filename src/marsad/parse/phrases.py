"""Page furniture as data: the phrases, shortcodes and headers our parsers recognise.

Every list here is plain data; add a site's wording by appending to the right tuple.
Patterns are matched against a line *after* light cleanup (whitespace collapsed, harakat
and tatweel removed, hamza forms of alef folded to ا, ى→ي, ة→ه — see ``boilerplate.fold``), so
write them in that folded spelling. Every regular expression here must stay linear
(no nested quantifiers): the adversarial-input tests run each one on 100,000-character
lines.
"""

from __future__ import annotations

from marsad.names import RemovedKind

# Inline CMS shortcodes. Block shortcodes ([caption]…[/caption]) are removed with their
# content: a WordPress caption is image furniture, not article prose.
SHORTCODE_BLOCKS: dict[str, RemovedKind] = {
    "caption": RemovedKind.OTHER,
    "embed": RemovedKind.OTHER,
    "gallery": RemovedKind.OTHER,
    "video": RemovedKind.OTHER,
    "audio": RemovedKind.OTHER,
}
SHORTCODE_SINGLE: dict[str, RemovedKind] = {
    "ads": RemovedKind.AD_MARKER,  # [ads], [ads1], [ads3], [ads-2]
    "ad": RemovedKind.AD_MARKER,
    "adsense": RemovedKind.AD_MARKER,
    "advert": RemovedKind.AD_MARKER,
    "related": RemovedKind.RELATED,
    "related_posts": RemovedKind.RELATED,
    "share": RemovedKind.SHARE,
    "social": RemovedKind.SHARE,
    "embed": RemovedKind.OTHER,
    "gallery": RemovedKind.OTHER,
    "video": RemovedKind.OTHER,
    "audio": RemovedKind.OTHER,
    "caption": RemovedKind.OTHER,
}

# Whole lines that are furniture, by kind. Each entry is a regular expression searched in
# the folded line; a line matches a kind when the pattern matches and the line is short
# enough to be furniture rather than prose quoting it (MAX_FURNITURE_WORDS).
LINE_PATTERNS: dict[RemovedKind, tuple[str, ...]] = {
    RemovedKind.DISCLAIMER: (
        r"التعليقات (?:المنشوره )?(?:لا|ليست) (?:تعبر|تمثل)",
        r"(?:الاراء|التعليقات) (?:الوارده|المنشوره) .{0,40}(?:لا|ليست) (?:تعبر|تمثل)",
        r"لا تعبر (?:بالضروره )?عن (?:راي|وجهه نظر) (?:الموقع|الصحيفه|الجريده|الناشر)",
        r"(?:تعبر|يعبر) عن (?:راي|اراء) (?:اصحابها|كاتبيها|كتابها)",
        r"^(?:comments|the views) .{0,60}(?:do not|don't) (?:reflect|represent)",
    ),
    RemovedKind.RELATED: (
        r"^اقرا (?:ايضا|المزيد)",
        r"^(?:مواضيع|اخبار|مقالات) (?:ذات صله|متعلقه|مشابهه|قد تهمك)",
        r"^(?:قد يهمك|قد يعجبك|شاهد ايضا|ننصحك بقراءه)",
        r"^(?:الاكثر (?:قراءه|مشاهده|تداولا|تعليقا)|الاخبار الاكثر قراءه)$",
        r"^(?:read also|read more|related (?:articles|posts|stories)|see also)\b",
    ),
    RemovedKind.COPYRIGHT: (
        r"(?:جميع|كافه) الحقوق محفوظه",
        r"حقوق (?:النشر|الطبع) محفوظه",
        r"^(?:©|\(c\)|copyright\b)",
        r"\ball rights reserved\b",
    ),
    RemovedKind.SHARE: (
        r"^(?:شارك|مشاركه|انشر|شارك المقال|شارك الخبر|شارك هذا(?: المقال| الخبر)?)"
        r"(?: (?:على|عبر|في))?(?: ?:)?$",
        r"^(?:فيسبوك|تويتر|واتساب|تلغرام|تيليجرام|لينكد ان|ايميل|طباعه)"
        r"(?:[ ,،|/]+(?:فيسبوك|تويتر|واتساب|تلغرام|تيليجرام|لينكد ان|ايميل|طباعه|اكس|x))*$",
        r"^(?:شارك|انشر)(?: المقال| الخبر| هذا المقال| هذا الخبر)? (?:علي|عبر) "
        r"(?:فيسبوك|تويتر|واتساب|تلغرام|تيليجرام|لينكد ان|اكس|x)$",
        r"^(?:share(?: this)?(?: on)?|tweet|facebook|twitter|whatsapp|telegram|email|print)"
        r"(?:[ ,|/]+(?:facebook|twitter|whatsapp|telegram|email|print|x))*:?$",
    ),
    RemovedKind.COMMENT_FORM: (
        r"^اضف (?:تعليق|تعليقا|تعليقك|ردا)",
        r"^اترك (?:تعليقا|تعليق|ردا|رد|تعليقك)",
        r"^(?:الاسم|البريد الالكتروني|الموقع الالكتروني|التعليق)(?: ?\*)?(?: ?:)?$",
        r"لن يتم نشر (?:عنوان )?بريدك الالكتروني",
        r"^(?:ارسال|ارسل|نشر) (?:التعليق|تعليق)$",
        r"^(?:leave a (?:reply|comment)|post comment|submit comment|your email address will not)",
        # per-comment buttons that text exports keep as lines of their own
        r"^(?:رد|الرد|ردا|الغاء الرد|اعجبني|ابلاغ|reply|cancel reply|like|report)$",
    ),
    RemovedKind.NAVIGATION: (
        r"^(?:الرئيسيه|الصفحه الرئيسيه)(?: ?[»>/|›] ?.{0,80})?$",
        r"^(?:المقال|الخبر|الموضوع) (?:السابق|التالي)$",
        r"^(?:تابعونا|تابعنا) (?:على|عبر)",
        r"^(?:home|next|previous|back to top)$",
        # footer links, alone or in a row: «من نحن | اتصل بنا | سياسة الخصوصية»
        r"^(?:من نحن|اتصل بنا|سياسه الخصوصيه|شروط الاستخدام|اعلن معنا|privacy policy"
        r"|contact us|about us|terms of use)(?: ?[|/•·-] ?(?:من نحن|اتصل بنا|سياسه الخصوصيه"
        r"|شروط الاستخدام|اعلن معنا|privacy policy|contact us|about us|terms of use))*$",
        r"^(?:الوسوم|وسوم|الكلمات المفتاحيه|كلمات مفتاحيه|tags) ?:",
    ),
}

# A line longer than this many words is prose, even if it contains a furniture phrase.
MAX_FURNITURE_WORDS = 25

# «اقرأ أيضاً» or «الأكثر قراءة» on its own (up to this many words) heads a block of links
# on the following lines; longer, it carries its one link inline.
RELATED_HEADER_MAX_WORDS = 3
# A related link is a headline: short, and not ending like prose.
RELATED_LINK_MAX_WORDS = 18
PROSE_END = (".", ":", "…", "。")

# An agency-style dateline under the headline: «- عمّان - صوت عمّان», «دمشق - سانا».
# Folded spelling; recorded as ``other``.
DATELINE_PATTERNS: tuple[str, ...] = (
    r"^[-–—] ?[^-–—.:]{1,30} ?[-–—] ?[^-–—.:]{1,30}$",
)

# Comment-section headers. The count forms fill Page.comments_declared.
# Written in folded spelling (ة→ه): «4 تعليقات», «11 تعليقا», «تعليق واحد», «تعليقان».
COMMENT_COUNT_PATTERNS: tuple[tuple[str, str], ...] = (
    # (pattern, count): "n" reads the number captured in group "n", a digit is that count
    (r"^(?P<n>\d{1,7}) ?(?:تعليقات|تعليقا|تعليق|ردود|ردا|رد)(?: على .{0,200})?$", "n"),
    (r"^(?:التعليقات|تعليقات|عدد التعليقات|الردود) ?[:(\[] ?(?P<n>\d{1,7}) ?[)\]]?$", "n"),
    (r"^(?:تعليق واحد|رد واحد)(?: على .{0,200})?$", "1"),
    (r"^(?:تعليقان|تعليقين|ردان|ردين)(?: على .{0,200})?$", "2"),
    (r"^(?:لا توجد تعليقات|لا تعليقات|لا يوجد تعليقات|كن اول من يعلق)$", "0"),
    (r"^(?P<n>\d{1,7}) (?:comments?|responses?|replies)(?: to .{0,200})?$", "n"),
    (r"^no comments$", "0"),
    (r"^(?:one comment|one response)$", "1"),
)

# Plain headers that open a comment section without a count.
COMMENT_SECTION_HEADERS: tuple[str, ...] = (
    r"^(?:التعليقات|تعليقات القراء|اراء القراء|تعليقات الزوار|الردود)(?: ?:)?$",
    r"^(?:comments|reader comments|responses)(?: ?:)?$",
)
