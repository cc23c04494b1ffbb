"""News outlets and wire agencies, with the ways Arabic pages write them (named data).

One list for the entity tagger (an outlet is an ORG), for quotations (``via``: the outlet a
statement was given to or relayed by) and for the sourcing summary (agencies cited).
Canonical names follow quotes_conventions.md: without وكالة / صحيفة / قناة. Aliases are
written as pages write them; matching normalises them and sees through clitics
(«لرويترز» is رويترز), see ``marsad.text.match.Lexicon``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from marsad.text.match import Lexicon


@dataclass(frozen=True)
class Outlet:
    canonical: str
    aliases: tuple[str, ...]
    agency: bool  # a wire agency (counted in the sourcing summary's agencies)
    english: str


OUTLETS: tuple[Outlet, ...] = (
    # Wire agencies
    Outlet("رويترز", ("رويترز", "رويتر"), True, "Reuters"),
    Outlet("فرانس برس", ("فرانس برس", "فرانس بريس", "أ ف ب", "ا ف ب", "أ.ف.ب", "أفب",
                         "الصحافة الفرنسية"), True, "AFP"),
    Outlet("أسوشيتد برس", ("أسوشيتد برس", "أسوشييتد برس", "اسوشيتد برس", "أسوشيتدبرس",
                           "أ ب", "أ.ب"), True, "Associated Press"),
    Outlet("الأناضول", ("الأناضول",), True, "Anadolu"),
    Outlet("سانا", ("سانا", "الوكالة العربية السورية للأنباء"), True, "SANA"),
    Outlet("د ب أ", ("د ب أ", "د.ب.أ", "الأنباء الألمانية"), True, "dpa"),
    Outlet("شينخوا", ("شينخوا", "شينخوا الصينية"), True, "Xinhua"),
    Outlet("إرنا", ("إرنا", "ارنا"), True, "IRNA"),
    Outlet("فارس", ("فارس للأنباء",), True, "Fars"),
    Outlet("تسنيم", ("تسنيم",), True, "Tasnim"),
    Outlet("نوفوستي", ("نوفوستي", "ريا نوفوستي"), True, "RIA Novosti"),
    Outlet("تاس", ("تاس",), True, "TASS"),
    Outlet("واس", ("واس", "وكالة الأنباء السعودية"), True, "SPA"),
    Outlet("وام", ("وام", "وكالة أنباء الإمارات"), True, "WAM"),
    Outlet("قنا", ("قنا", "وكالة الأنباء القطرية"), True, "QNA"),
    Outlet("كونا", ("كونا",), True, "KUNA"),
    Outlet("بترا", ("بترا",), True, "Petra"),
    Outlet("الوكالة الوطنية للإعلام", ("الوكالة الوطنية للإعلام",), True, "NNA (Lebanon)"),
    Outlet("واع", ("واع", "وكالة الأنباء العراقية"), True, "INA (Iraq)"),
    Outlet("أ ش أ", ("أ ش أ", "وكالة أنباء الشرق الأوسط"), True, "MENA"),
    Outlet("وفا", ("وفا",), True, "WAFA"),
    Outlet("بلومبرغ", ("بلومبرغ", "بلومبرج"), True, "Bloomberg"),
    # Broadcasters, papers and sites
    Outlet("الجزيرة", ("الجزيرة", "الجزيرة نت"), False, "Al Jazeera"),
    Outlet("العربية", ("العربية", "العربية نت"), False, "Al Arabiya"),
    Outlet("بي بي سي", ("بي بي سي", "بي بي سي عربي", "هيئة الإذاعة البريطانية"), False, "BBC"),
    Outlet("سي إن إن", ("سي إن إن", "سي ان ان"), False, "CNN"),
    Outlet("سكاي نيوز", ("سكاي نيوز", "سكاي نيوز عربية"), False, "Sky News"),
    Outlet("الميادين", ("الميادين",), False, "Al Mayadeen"),
    Outlet("المنار", ("المنار",), False, "Al Manar"),
    Outlet("روسيا اليوم", ("روسيا اليوم", "آر تي"), False, "RT"),
    Outlet("فرانس 24", ("فرانس 24",), False, "France 24"),
    Outlet("الحدث", ("الحدث",), False, "Al Hadath"),
    Outlet("الشرق الأوسط", ("الشرق الأوسط",), False, "Asharq Al-Awsat"),
    Outlet("الحياة", ("الحياة",), False, "Al Hayat"),
    Outlet("القدس العربي", ("القدس العربي",), False, "Al-Quds Al-Arabi"),
    Outlet("النهار", ("النهار",), False, "An-Nahar"),
    Outlet("الأخبار", ("الأخبار اللبنانية",), False, "Al-Akhbar"),
    Outlet("الوطن", ("الوطن السورية",), False, "Al-Watan (Syria)"),
    Outlet("نيويورك تايمز", ("نيويورك تايمز",), False, "The New York Times"),
    Outlet("واشنطن بوست", ("واشنطن بوست",), False, "The Washington Post"),
    Outlet("وول ستريت جورنال", ("وول ستريت جورنال",), False, "The Wall Street Journal"),
    Outlet("الغارديان", ("الغارديان", "الجارديان"), False, "The Guardian"),
    Outlet("فايننشال تايمز", ("فايننشال تايمز",), False, "Financial Times"),
    Outlet("المرصد السوري لحقوق الإنسان", ("المرصد السوري لحقوق الإنسان", "المرصد السوري"),
           False, "SOHR"),
)

# Words that name what kind of outlet follows: «لوكالة رويترز», «صحيفة الحياة». They are not
# part of the canonical name (quotes_conventions.md, "via").
OUTLET_KIND_WORDS: tuple[str, ...] = (
    "وكالة", "وكالة أنباء", "وكالة الأنباء", "صحيفة", "جريدة", "قناة", "تلفزيون", "شبكة",
    "إذاعة", "موقع", "مجلة",
)

# Outlet names that are also common words or names («الحياة» life, «الوطن» homeland, «فارس»
# a given name): only matched right after an outlet-kind word («صحيفة الحياة»).
AMBIGUOUS_OUTLETS: frozenset[str] = frozenset(
    {"الحياة", "العربية", "الحدث", "الوطن", "فارس", "الأخبار", "النهار", "تاس", "بترا",
     "وفا", "واس", "وام", "قنا", "المنار", "الجزيرة", "الشرق الأوسط", "أ ب", "أ.ب"}
)


@lru_cache(maxsize=1)
def outlet_lexicon() -> Lexicon[Outlet]:
    """Every alias of every outlet, for longest-match search in text."""
    lexicon: Lexicon[Outlet] = Lexicon()
    for outlet in OUTLETS:
        for alias in outlet.aliases:
            lexicon.add(alias, outlet)
    return lexicon


def outlet_by_canonical() -> dict[str, Outlet]:
    return {o.canonical: o for o in OUTLETS}
