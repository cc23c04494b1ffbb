"""Small generated pages for run-level tests (our own invented text)."""

from __future__ import annotations

import random

TOWNS = ["حلب", "حمص", "درعا", "الرقة", "الموصل", "صيدا", "إربد", "المنصورة", "صفاقس", "البصرة"]
SUBJECTS = ["أسعار الخبز", "انقطاع الكهرباء", "موسم القمح", "حركة المعابر", "امتحانات الثانوية"]
SPEAKERS = ["مسؤول محلي", "مصدر في البلدية", "تاجر من السوق", "مدير المستشفى", "نائب المحافظ"]
COMMENTS = [
    "الله يعين الناس على هالغلاء",
    "كلام صحيح مية بالمية",
    "متى رح تنحل المشكلة؟\nصار لنا شهور ننتظر",
    "شكرا على التغطية",
    "ما في شي جديد، نفس الوعود كل سنة",
]


def default_comments(n: int) -> int:
    """How many comments page ``n`` has when the caller does not say."""
    return n % 5


def text_page(n: int, *, comments: int | None = None, seed: int = 0) -> str:
    """A plain-text export in the seed's layout: title, paragraphs, furniture, comments."""
    rng = random.Random(seed * 100_003 + n)
    town, subject = rng.choice(TOWNS), rng.choice(SUBJECTS)
    speaker = rng.choice(SPEAKERS)
    k = default_comments(n) if comments is None else comments
    lines = [
        f"{subject} في {town}: تقرير رقم {n}",
        "",
        f"قال {speaker} في {town} إن {subject} شهدت تغيرا ملحوظا خلال الأسبوع {n % 52 + 1}.",
        "",
        f"وأضاف أن السلطات تعمل على معالجة الوضع قبل نهاية الشهر، وأن {n * 7 % 97} أسرة "
        "تلقت مساعدات حتى الآن.[ads1]",
        "",
        "التعليقات المنشورة لا تعبر عن رأي الموقع وإنما عن رأي أصحابها",
        "",
        f"{k} تعليقات" if k != 1 else "تعليق واحد",
        "",
    ]
    for i in range(k):
        body = COMMENTS[(n + i) % len(COMMENTS)].replace("\n", "\n     ")
        lines += [f"  {i + 1}. {body} ({n}-{i})", ""]
    return "\n".join(lines)
