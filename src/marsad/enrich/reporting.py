"""Reporting cues and the words around them, as named data (quotes_conventions.md).

Everything the quotation extractor (``marsad.enrich.quotes``) decides by a word list lives
here. Words are written as pages write them; ``norm_set`` folds them the way the tokenizer
folds text (أ/إ/آ → ا, ة → ه, ى → ي, harakat dropped), so «إن» and «أن» are one form «ان».
A conjunction (و، ف) in front of a cue is seen through by the extractor, not listed here.
"""

from __future__ import annotations

from collections.abc import Iterable

from marsad.text.tokens import tokenize


def norm(word: str) -> str:
    """The tokenizer's form of one word."""
    tokens = tokenize(word)
    return tokens[0].text if tokens else ""


def norm_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(norm(w) for w in words)


# Verbs of saying, by lemma: past (m, f, pl) and present forms. «يذكر» is left out: «ويذكر أن»
# is a narrator formula, not a report. Present «يتابع» is left out too («تابع» also means
# "affiliated").
SAYING_VERBS: dict[str, tuple[str, ...]] = {
    "قال": ("قال", "قالت", "قالوا", "قالا", "يقول", "تقول", "يقولون"),
    "أضاف": ("أضاف", "أضافت", "أضافوا", "يضيف", "تضيف", "يضيفون"),
    "تابع": ("تابع", "تابعت", "تابعوا"),
    "أردف": ("أردف", "أردفت", "أردفوا"),
    "أكد": ("أكد", "أكدت", "أكدوا", "يؤكد", "تؤكد", "يؤكدون"),
    "أوضح": ("أوضح", "أوضحت", "أوضحوا", "يوضح", "توضح"),
    "صرح": ("صرح", "صرحت", "صرحوا", "يصرح", "تصرح"),
    "أشار": ("أشار", "أشارت", "أشاروا", "يشير", "تشير", "يشيرون"),
    "ذكر": ("ذكر", "ذكرت", "ذكروا"),
    "أعلن": ("أعلن", "أعلنت", "أعلنوا", "يعلن", "تعلن"),
    "أفاد": ("أفاد", "أفادت", "أفادوا", "يفيد", "تفيد"),
    "شدد": ("شدد", "شددت", "شددوا", "يشدد", "تشدد"),
    "حذر": ("حذر", "حذرت", "حذروا", "يحذر", "تحذر"),
    "نفى": ("نفى", "نفت", "نفوا", "ينفي", "تنفي"),
    "تساءل": ("تساءل", "تساءلت", "تساءلوا", "يتساءل", "تتساءل"),
    "وصف": ("وصف", "وصفت", "وصفوا", "يصف", "تصف"),
    "لفت": ("لفت", "لفتت", "لفتوا"),  # «ولفت إلى أن»
    "نقل": ("نقل", "نقلت", "نقلوا"),  # «نقلت X عن Y أن …»; with «قوله» the cue is قوله
}

# Opinion verbs: a quotation only with a stated holder and a clause.
OPINION_VERBS: dict[str, tuple[str, ...]] = {
    "اعتبر": ("اعتبر", "اعتبرت", "اعتبروا", "يعتبر", "تعتبر"),
    "رأى": ("رأى", "رأت", "رأوا", "يرى", "ترى", "يرون"),
    "توقع": ("توقع", "توقعت", "توقعوا", "يتوقع", "تتوقع"),
    "رجح": ("رجح", "رجحت", "رجحوا", "يرجح", "ترجح"),
}

# Verbs whose bare complement is speech: with no clause, colon or marks, what follows the
# speaker is unmarked verbatim speech when it opens like speech (VERBATIM_OPENERS).
PURE_SPEECH_LEMMAS: frozenset[str] = frozenset({"قال", "أضاف", "تابع", "أردف", "تساءل"})

# Participles continuing the same speaker's report («…، مشيرا إلى أن …»): each starts a new
# quotation.
PARTICIPLES: tuple[str, ...] = (
    "مشيرا", "مشيرة", "مؤكدا", "مؤكدة", "مضيفا", "مضيفة", "قائلا", "قائلة", "موضحا", "موضحة",
    "لافتا", "لافتة", "منوها", "منوهة", "محذرا", "محذرة", "معتبرا", "معتبرة", "متوقعا",
    "متوقعة", "مرجحا", "مرجحة", "مشددا", "مشددة", "مبينا", "مبينة",
)
# «أضاف قائلا»: the cue is the verb; the participle is part of its frame.
FRAME_PARTICIPLES: tuple[str, ...] = ("قائلا", "قائلة")
# Participles that are narrator glosses, not reports: they end the content before them.
GLOSS_PARTICIPLES: tuple[str, ...] = (
    "داعيا", "داعية", "مطالبا", "مطالبة", "رافضا", "رافضة", "معربا", "معربة", "مبديا",
    "مبدية", "متمنيا", "متمنية", "متابعا",
)

# Nominal cues: «نقلت X عن Y قوله», «بالقول», «تصريحاته بأن» (the last needs a clause right
# after it).
QUOTE_NOUNS: tuple[str, ...] = ("قوله", "قولها", "قولهم", "قولهما")
SAYING_NOUN: str = "القول"  # «بالقول»
STATEMENT_NOUNS: tuple[str, ...] = ("تصريحاته", "تصريحه", "تصريحها", "تصريحاتها", "تصريحاتهم")

# Impersonal hearsay: a quotation with no speaker.
HEARSAY_VERBS: tuple[str, ...] = ("يتردد", "يقال", "يشاع")

# Attribution prepositions: a quotation when the source communicates (not DATA_SOURCES).
# «وفقا» and «طبقا» take their source with ل attached; «نقلا» takes «عن».
ATTRIBUTION_PREPOSITIONS: tuple[str, ...] = ("حسب", "بحسب", "وفق", "وفقا", "طبقا", "نقلا")
PREPOSITIONS_WITH_L: tuple[str, ...] = ("وفقا", "طبقا")

# What introduces a reported clause. After «إنه/إنها» the content starts at the next word.
COMPLEMENTIZERS: tuple[str, ...] = (
    "إن", "أن", "إنه", "إنها", "إنهم", "إنهما", "إنهن", "إننا", "إنني", "إني",
    "أنه", "أنها", "أنهم", "أنهما", "أنهن", "أننا", "أنني",
    "بأن", "بأنه", "بأنها", "بأنهم", "بأنهما", "بأننا",
)
# Words before «أن» that make it a time conjunction, not a complementizer («بعد أن»).
COMPLEMENTIZER_BLOCKERS: tuple[str, ...] = ("بعد", "قبل", "منذ", "دون", "بدل", "حين", "لمجرد")
# Prepositions a cue takes before its clause («أشار إلى أن», «شدد على أن», «حذر من أن»).
CLAUSE_PREPOSITIONS: tuple[str, ...] = ("إلى", "على", "من", "عن", "في")
# «فإن» after a fronted attribution: «وبحسب X، فإن …».
FRONTED_COMPLEMENTIZERS: tuple[str, ...] = ("فإن", "فإنه", "فإنها", "فإنهم")

# How unmarked verbatim speech opens («وقال أبو ماهر نحن نعيش …»).
VERBATIM_OPENERS: tuple[str, ...] = (
    "نحن", "أنا", "لقد", "لن", "لا", "لم", "إننا", "إنني", "هذا", "هذه", "هناك", "نريد",
    "نعم", "كلا", "يجب", "علينا", "لدينا", "ليس", "لسنا", "كنا", "سوف", "سنعمل", "أين",
    "لماذا", "كيف", "متى", "هل",
)

# Where a speaker mention ends: relative clauses, anonymity clauses and adjuncts of the
# reporting clause. Checked on the tokenizer's form of each word.
RELATIVE_WORDS: tuple[str, ...] = (
    "الذي", "التي", "الذين", "اللذان", "اللذين", "اللتان", "اللتين", "اللواتي", "اللاتي",
    "وهو", "وهي", "وهم", "وهما", "والذي", "والتي", "والذين", "ممن",
)
ANONYMITY_VERBS: tuple[str, ...] = ("فضل", "فضلت", "طلب", "طلبت", "رفض", "رفضت", "اشترط",
                                    "اشترطت", "طالبا", "مفضلا")
ADJUNCT_WORDS: tuple[str, ...] = (
    "خلال", "عقب", "بعد", "قبل", "اليوم", "أمس", "يوم", "مساء", "صباح", "الليلة", "عبر",
    "للصحفيين", "للصحافيين", "للصحافة", "لوسائل", "لوسائل الإعلام", "لمراسل", "لمراسلنا",
    "على هامش", "أثناء", "إثر", "لدى", "حين", "عندما", "بينما", "بعدما", "حيث", "قائلا",
    "قائلة", "أيضا", "كذلك",
)
# «في» starts an adjunct when one of these follows it («في بيان», «في مقابلة مع …»); elsewhere
# it belongs to the speaker («قيادي بارز في التحالف»).
IN_ADJUNCT_NOUNS: tuple[str, ...] = (
    "بيان", "مؤتمر", "تصريح", "تصريحات", "حديث", "مقابلة", "كلمة", "خطاب", "خطابه",
    "خطابها", "كلمته", "كلمتها", "ندوة", "رسالة", "تغريدة", "منشور", "اتصال", "لقاء", "وقت",
    "جلسة", "اجتماع", "حوار", "تعليق", "تعليقات", "تقرير", "مداخلة", "بث", "ختام", "أعقاب",
    "معرض", "سياق", "رده", "ردها", "تسجيل", "شريط", "موقف",
)
# Nouns that are the object of the main verb, not part of its subject («واختتم X كلمته …»).
OBJECT_NOUNS: tuple[str, ...] = (
    "كلمته", "كلمتها", "حديثه", "حديثها", "خطابه", "خطابها", "تصريحه", "تصريحها", "رده",
    "ردها", "مداخلته", "مداخلتها", "رسالته", "رسالتها", "تعليقه", "تعليقها", "تغريدته",
    "بيانه", "بيانها", "جدلا", "الوضع", "الاتفاق", "القرار",
)
# Wishes, emotions, narrator formulas and impersonal belief (quotes_conventions.md, "Not
# quotations"): none of them is a cue; listed so the tests can hold the extractor to them.
NOT_QUOTE_PHRASES: tuple[str, ...] = (
    "نفى حدوث", "دعا إلى", "حث على", "طالب ب", "هدد ب", "أعرب عن أمله", "تمنى", "يذكر أن",
    "يشار إلى أن", "تجدر الإشارة إلى أن", "يعتقد أن", "من المتوقع أن",
    "الأرقام الرسمية تشير", "وفقا للقانون", "حسب التقاليد",
)
# Data and normative sources: «حسب التقاليد», «وفقا للقانون», «الأرقام الرسمية تشير».
DATA_SOURCES: tuple[str, ...] = (
    "القانون", "قانون", "التقاليد", "تقاليد", "العادة", "العادات", "الأعراف", "الدستور",
    "الأرقام", "أرقام", "الإحصاءات", "إحصاءات", "الإحصائيات", "إحصائيات", "المعطيات",
    "البيانات", "بيانات", "المؤشرات", "مؤشرات", "التقديرات", "تقديرات", "السجلات", "سجلات",
    "الخطة", "خطة", "الجدول", "جدول", "النظام", "اللوائح", "الاتفاق", "اتفاق", "الاتفاقية",
    "الشريعة", "العرف", "المعايير", "النتائج", "نتائج", "الدراسات", "التوقعات", "توقعات",
    "الموعد", "ما",
)

# Heads of a speaker mention that leave the source unidentified («مسؤول»، «مصدر مطلع»،
# «قائد عسكري»): anonymous when the mention is indefinite, or the bare definite head with no
# earlier mention. Named people, unique offices (وزير الخارجية …), institutions and
# spokespeople are not anonymous.
ANONYMOUS_HEADS: tuple[str, ...] = (
    "مصدر", "مصادر", "مسؤول", "مسؤولة", "مسؤولون", "مسؤولين", "قائد", "قادة", "قيادي",
    "قيادية", "قياديون", "ضابط", "ضباط", "شاهد", "شهود", "ساكن", "سكان", "ناشط", "ناشطة",
    "ناشطون", "ناشطين", "مقاتل", "مقاتلون", "عنصر", "عناصر", "دبلوماسي", "دبلوماسيون",
    "طبيب", "أطباء", "مزارع", "صياد", "محلل", "محللون", "خبير", "خبراء", "مراقب", "مراقبون",
    "مستشار", "نائب", "نواب", "موظف", "موظفون", "عامل", "عمال", "أحد", "إحدى", "بعض", "طلاب",
    "طالب", "مواطن", "مواطنون", "مراسل", "مقرب", "مقربون", "أوساط", "جهات", "عضو", "أعضاء",
    "متظاهر", "متظاهرون", "معارض", "معارضون", "مسلح", "مسلحون", "شخص", "أشخاص", "رجل",
    "امرأة", "سيدة", "أهالي", "مهندس", "معلم", "باحث", "مصدرا", "مسعف", "مسعفون",
)
# Heads that stay anonymous even in construct with a definite noun («أحد المعلمين»).
# Groups of unnamed people stay anonymous in construct too («سكان القرية», «أهالي الحي»), and
# so does a count of them («ثلاثة مصادر»).
ALWAYS_ANONYMOUS_HEADS: tuple[str, ...] = (
    "أحد", "إحدى", "أحدهم", "إحداهن", "أحدهما", "بعض", "مصادر", "أوساط", "جهات", "سكان",
    "أهالي", "شهود", "عناصر", "ناشطون", "ناشطين", "مسؤولون", "مسؤولين", "عدة", "ثلاثة",
    "أربعة", "خمسة", "اثنان", "اثنين", "عدد",
)
# Counts before a head: «ثلاثة مصادر» is referred back to as «المصادر».
QUANTIFIERS: tuple[str, ...] = ("بعض", "عدة", "ثلاثة", "أربعة", "خمسة", "اثنان", "اثنين", "عدد")
# An indefinite head with a sound plural ending names unnamed people («مهندسون يعملون …»).
PLURAL_ENDINGS: tuple[str, ...] = ("ون", "ين")
# Adjectives after an anonymous head that end its construct chain («مسؤول رفيع المستوى»).
CHAIN_BREAKERS: tuple[str, ...] = (
    "رفيع", "كبير", "بارز", "سابق", "مطلع", "مقرب", "رفيعة", "كبيرة", "بارزة", "سابقة", "مطلعة",
    "مقربة", "أمام", "داخل", "خارج", "قرب",
)
# Words after a mention that make it anonymous whatever its head («فضل عدم الكشف عن هويته»).
ANONYMITY_MARKERS: tuple[str, ...] = (
    "فضل عدم الكشف", "طلب عدم الكشف", "طلب عدم ذكر", "طلب عدم نشر", "رفض الكشف",
    "فضل عدم ذكر", "اشترط عدم", "مفضلا عدم", "طالبا عدم", "رفض ذكر", "لم يكشف عن",
    "غير مخول", "عدم الكشف عن هويته",
)
# A spokesperson speaks for a named organisation: never anonymous.
SPOKESPERSON_WORDS: tuple[str, ...] = ("متحدث", "المتحدث", "ناطق", "الناطق", "متحدثة",
                                       "المتحدثة", "ناطقة", "الناطقة")
# Unique offices: a definite office holder is identifiable even unnamed.
UNIQUE_OFFICE_WORDS: tuple[str, ...] = (
    "وزير", "وزيرة", "رئيس", "رئيسة", "محافظ", "مدير", "مديرة", "أمين", "نقيب", "ممثل",
    "سفير", "قائد الجيش", "الأمين العام", "المبعوث", "مبعوث", "رئيس الوزراء", "الرئيس",
    "الملك", "الأمير", "الوزير", "المحافظ", "المدير", "السفير",
)

# Letters a preposition clitic adds in front of a source («لمصدر»); the span leaves them out.
SOURCE_CLITICS: str = "لب"

# How far the extractor looks (in words) for a cue's clause and a speaker's end.
MAX_FRAME_WORDS = 45
MAX_SPEAKER_WORDS = 14
MAX_CONTENT_WORDS = 160
MIN_DIRECT_WORDS = 3  # a marked segment shorter than this after a cue is a scare quote

# Marks around direct speech, opening → closing.
QUOTE_MARKS: dict[str, str] = {"“": "”", "«": "»", '"': '"', "„": "“"}
SENTENCE_END = ".!?؟\n"
CLAUSE_COMMAS = "،,;؛"

# Folded forms, built once.
SAYING_FORMS: dict[str, str] = {norm(f): lemma for lemma, forms in SAYING_VERBS.items()
                                for f in forms}
OPINION_FORMS: dict[str, str] = {norm(f): lemma for lemma, forms in OPINION_VERBS.items()
                                 for f in forms}
PARTICIPLE_FORMS = norm_set(PARTICIPLES)
FRAME_PARTICIPLE_FORMS = norm_set(FRAME_PARTICIPLES)
GLOSS_FORMS = norm_set(GLOSS_PARTICIPLES)
QUOTE_NOUN_FORMS = norm_set(QUOTE_NOUNS)
SAYING_NOUN_FORM = norm(SAYING_NOUN)
STATEMENT_NOUN_FORMS = norm_set(STATEMENT_NOUNS)
HEARSAY_FORMS = norm_set(HEARSAY_VERBS)
PREPOSITION_FORMS = norm_set(ATTRIBUTION_PREPOSITIONS)
PREPOSITION_WITH_L_FORMS = norm_set(PREPOSITIONS_WITH_L)
COMPLEMENTIZER_FORMS = norm_set(COMPLEMENTIZERS)
COMPLEMENTIZER_BLOCKER_FORMS = norm_set(COMPLEMENTIZER_BLOCKERS)
CLAUSE_PREPOSITION_FORMS = norm_set(CLAUSE_PREPOSITIONS)
FRONTED_COMPLEMENTIZER_FORMS = norm_set(FRONTED_COMPLEMENTIZERS)
VERBATIM_OPENER_FORMS = norm_set(VERBATIM_OPENERS)
RELATIVE_FORMS = norm_set(RELATIVE_WORDS)
ANONYMITY_VERB_FORMS = norm_set(ANONYMITY_VERBS)
ADJUNCT_FORMS = norm_set(w for w in ADJUNCT_WORDS if " " not in w)
IN_ADJUNCT_FORMS = norm_set(IN_ADJUNCT_NOUNS)
OBJECT_NOUN_FORMS = norm_set(OBJECT_NOUNS)
DATA_SOURCE_FORMS = norm_set(DATA_SOURCES)
ANONYMOUS_HEAD_FORMS = norm_set(ANONYMOUS_HEADS)
ALWAYS_ANONYMOUS_FORMS = norm_set(ALWAYS_ANONYMOUS_HEADS)
CHAIN_BREAKER_FORMS = norm_set(CHAIN_BREAKERS)
QUANTIFIER_FORMS = norm_set(QUANTIFIERS)
SPOKESPERSON_FORMS = norm_set(SPOKESPERSON_WORDS)
UNIQUE_OFFICE_FORMS = norm_set(w for w in UNIQUE_OFFICE_WORDS if " " not in w)
ANONYMITY_MARKER_KEYS: tuple[tuple[str, ...], ...] = tuple(
    tuple(t.text for t in tokenize(m)) for m in ANONYMITY_MARKERS
)
