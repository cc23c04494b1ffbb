"""Names we know, with their aliases and one canonical form each (named data, our own lists).

The entity tagger (``marsad.enrich.entities``) finds these in text and lets them override
or extend what its statistical model tags: a known name gets its canonical form, so that
aliases meet («داعش», «تنظيم الدولة», «الدولة الإسلامية» are one group) and attached
clitics are seen through («للأسد» is الأسد, «والموصل» is الموصل; «وليد», «ليبيا» keep
their first letter, see ``marsad.text.match``).

Canonical names are written as news text writes the name alone, with its hamzas and
ة (normalisation happens in matching, never in what we store):

- a person's canonical is the surname news uses on its own (الأسد، سليماني، بوتين), which
  is also how ``../shared/seed/gold.json`` writes them; another person who shares that
  surname keeps the full name as its own canonical (حافظ الأسد، رفيق الحريري);
- a group's canonical is its commonest short name (داعش، قسد); successor names meet on
  the current one (جبهة النصرة → هيئة تحرير الشام);
- a place's canonical is its usual spelling (سوريا for سورية; الولايات المتحدة for أمريكا);
- outlets come from ``marsad.enrich.outlets`` (canonical without وكالة / صحيفة).

Spans hold the name alone, as ANERcorp annotates («حماس» in «حركة حماس», «غزة» in «قطاع
غزة»), so kind words are not part of aliases. Names that are also common words (الحياة،
الباب، صور، القاعدة، الحشد، عون) are left out, listed in an unambiguous longer form («ميشال
عون»), or matched only right after a kind word that stays outside the span (``after``:
«تنظيم القاعدة»; outlets marked ambiguous in ``outlets``: «صحيفة الحياة»). Armies and
coalitions named by a common noun (الجيش اللبناني، التحالف الدولي) are not names here, as in
ANERcorp.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from marsad.enrich.outlets import AMBIGUOUS_OUTLETS, OUTLET_KIND_WORDS, OUTLETS
from marsad.names import EntityType
from marsad.text.match import Lexicon
from marsad.text.tokens import words


@dataclass(frozen=True)
class Name:
    """One known name: its canonical form and every alias (the canonical included)."""

    canonical: str
    aliases: tuple[str, ...] = ()
    # Words one of which must come right before the name, outside its span: for names that
    # are also common words (حركة أمل، تنظيم القاعدة).
    after: tuple[str, ...] = ()

    def forms(self) -> tuple[str, ...]:
        return (self.canonical, *self.aliases)


@dataclass(frozen=True)
class Known:
    """What a gazetteer match means: canonical, entity type, and the words of the match
    before the name itself (1 for «صحيفة الحياة»: the span starts at الحياة)."""

    canonical: str
    type: str
    lead: int = 0


# Armed groups, parties, militias, state forces and international bodies.
GROUPS: tuple[Name, ...] = (
    Name("داعش", ("تنظيم الدولة", "الدولة الإسلامية", "تنظيم الدولة الإسلامية",
                  "الدولة الإسلامية في العراق والشام", "تنظيم الدولة الإسلامية في العراق والشام")),
    Name("حزب الله", ()),
    Name("قسد", ("قوات سوريا الديمقراطية", "قوات سورية الديمقراطية")),
    Name("هيئة تحرير الشام", ("تحرير الشام", "جبهة النصرة", "النصرة", "جبهة فتح الشام")),
    Name("الحشد الشعبي", ("قوات الحشد الشعبي", "هيئة الحشد الشعبي")),
    Name("الحرس الثوري", ("الحرس الثوري الإيراني", "حرس الثورة", "حرس الثورة الإسلامية")),
    Name("فيلق القدس", ()),
    Name("وحدات حماية الشعب", ("الوحدات الكردية",)),
    Name("حزب العمال الكردستاني", ("العمال الكردستاني",)),
    Name("حزب الاتحاد الديمقراطي", ()),
    Name("الحزب الديمقراطي الكردستاني", ()),
    Name("الاتحاد الوطني الكردستاني", ()),
    Name("الجيش السوري الحر", ("الجيش الحر",)),
    Name("الجيش الوطني السوري", ()),
    Name("أحرار الشام", ()),
    Name("جيش الإسلام", ()),
    Name("القاعدة", after=("تنظيم",)),
    Name("طالبان", ()),
    Name("حماس", ()),
    Name("فتح", after=("حركة",)),
    Name("أمل", after=("حركة",)),
    Name("التيار الوطني الحر", ()),
    Name("تيار المستقبل", ()),
    Name("القوات اللبنانية", ()),
    Name("حزب البعث", ("البعث",)),
    Name("عصائب أهل الحق", ("العصائب",)),
    Name("كتائب حزب الله", ()),
    Name("منظمة بدر", ("فيلق بدر",)),
    Name("سرايا السلام", ()),
    Name("الحوثيون", ("أنصار الله", "الحوثيين", "جماعة الحوثي")),
    Name("فاطميون", ("لواء فاطميون",)),
    Name("زينبيون", ("لواء زينبيون",)),
    Name("الأمم المتحدة", ()),
    Name("مجلس الأمن", ("مجلس الأمن الدولي",)),
    Name("حلف شمال الأطلسي", ("الناتو",)),
    Name("الاتحاد الأوروبي", ()),
    Name("جامعة الدول العربية", ("الجامعة العربية",)),
    Name("الصليب الأحمر", ("اللجنة الدولية للصليب الأحمر",)),
    Name("الهلال الأحمر", ("الهلال الأحمر السوري", "الهلال الأحمر العربي السوري")),
    Name("الخوذ البيضاء", ("الدفاع المدني السوري",)),
)

# Countries (entity type LOC, as DESIGN.md maps Wojood's GPE).
COUNTRIES: tuple[Name, ...] = (
    Name("سوريا", ("سورية", "الجمهورية العربية السورية")),
    Name("العراق", ()),
    Name("لبنان", ()),
    Name("إيران", ("الجمهورية الإسلامية الإيرانية",)),
    Name("تركيا", ("تركية",)),
    Name("روسيا", ("روسيا الاتحادية",)),
    Name("الولايات المتحدة", ("الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية",
                              "أمريكا", "أميركا")),
    Name("الأردن", ()),
    Name("السعودية", ("المملكة العربية السعودية",)),
    Name("مصر", ()),
    Name("إسرائيل", ()),
    Name("فلسطين", ()),
    Name("قطر", ()),
    Name("الإمارات", ("الإمارات العربية المتحدة",)),
    Name("الكويت", ()),
    Name("البحرين", ()),
    Name("سلطنة عمان", ()),
    Name("اليمن", ()),
    Name("ليبيا", ()),
    Name("تونس", ()),
    Name("الجزائر", ()),
    Name("المغرب", ("المملكة المغربية",)),
    Name("السودان", ()),
    Name("موريتانيا", ()),
    Name("الصومال", ()),
    Name("فرنسا", ()),
    Name("بريطانيا", ("المملكة المتحدة",)),
    Name("ألمانيا", ()),
    Name("إيطاليا", ()),
    Name("إسبانيا", ()),
    Name("الصين", ()),
    Name("اليابان", ()),
    Name("الهند", ()),
    Name("باكستان", ()),
    Name("أفغانستان", ()),
    Name("أوكرانيا", ()),
    Name("كندا", ()),
    Name("أستراليا", ()),
    Name("قبرص", ()),
    Name("اليونان", ()),
    Name("أرمينيا", ()),
    Name("أذربيجان", ()),
    Name("كوريا الشمالية", ()),
    Name("كوريا الجنوبية", ()),
)

# Syrian, Iraqi and Lebanese governorates, cities and regions, and capitals elsewhere.
PLACES: tuple[Name, ...] = (
    # Syria
    Name("دمشق", ()),
    Name("ريف دمشق", ()),
    Name("حلب", ()),
    Name("حمص", ()),
    Name("حماة", ()),
    Name("اللاذقية", ()),
    Name("طرطوس", ()),
    Name("إدلب", ()),
    Name("الرقة", ()),
    Name("دير الزور", ()),
    Name("الحسكة", ()),
    Name("درعا", ()),
    Name("السويداء", ()),
    Name("القنيطرة", ()),
    Name("منبج", ()),
    Name("عفرين", ()),
    Name("كوباني", ("عين العرب",)),
    Name("القامشلي", ()),
    Name("البوكمال", ("البو كمال",)),
    Name("تدمر", ()),
    Name("الرستن", ()),
    Name("دوما", ()),
    Name("داريا", ()),
    Name("جسر الشغور", ()),
    Name("معرة النعمان", ()),
    Name("خان شيخون", ()),
    Name("سراقب", ()),
    Name("تل أبيض", ()),
    Name("رأس العين", ()),
    Name("الغوطة الشرقية", ()),
    Name("الغوطة", ()),
    Name("القصير", ()),
    Name("الجولان", ()),
    Name("الفرات", ()),
    # Iraq
    Name("بغداد", ()),
    Name("الموصل", ()),
    Name("البصرة", ()),
    Name("أربيل", ()),
    Name("كركوك", ()),
    Name("الأنبار", ()),
    Name("الرمادي", ()),
    Name("الفلوجة", ()),
    Name("تكريت", ()),
    Name("صلاح الدين", ()),
    Name("نينوى", ()),
    Name("ديالى", ()),
    Name("بعقوبة", ()),
    Name("كربلاء", ()),
    Name("النجف", ()),
    Name("بابل", ()),
    Name("السليمانية", ()),
    Name("دهوك", ()),
    Name("سامراء", ()),
    Name("تلعفر", ("تل عفر",)),
    Name("سنجار", ()),
    Name("الناصرية", ()),
    Name("ذي قار", ()),
    Name("الكوت", ()),
    Name("الديوانية", ()),
    Name("كردستان", ()),
    Name("دجلة", ()),
    # Lebanon
    Name("بيروت", ()),
    Name("طرابلس", ()),
    Name("صيدا", ()),
    Name("بعلبك", ()),
    Name("الهرمل", ()),
    Name("زحلة", ()),
    Name("جونية", ()),
    Name("النبطية", ()),
    Name("عكار", ()),
    Name("البقاع", ()),
    Name("جبل لبنان", ()),
    Name("عرسال", ()),
    Name("الضاحية الجنوبية", ()),
    # Capitals and cities elsewhere that Syrian and Iraqi news name often
    Name("القاهرة", ()),
    Name("الرياض", ()),
    Name("طهران", ()),
    Name("أنقرة", ()),
    Name("إسطنبول", ("اسطنبول", "استانبول")),
    Name("موسكو", ()),
    Name("واشنطن", ()),
    Name("باريس", ()),
    Name("لندن", ()),
    Name("برلين", ()),
    Name("جنيف", ()),
    Name("أستانا", ()),
    Name("سوتشي", ()),
    Name("القدس", ()),
    Name("غزة", ()),
    Name("الضفة الغربية", ()),
    Name("الدوحة", ()),
    Name("أبوظبي", ("أبو ظبي",)),
    Name("دبي", ()),
    Name("صنعاء", ()),
    Name("عدن", ()),
    Name("الخرطوم", ()),
    Name("بنغازي", ()),
    Name("الرباط", ()),
    Name("نيويورك", ()),
    Name("بكين", ()),
)

# Well-known people. Canonical: the surname used alone (see the module docstring).
PEOPLE: tuple[Name, ...] = (
    Name("الأسد", ("بشار الأسد", "بشار حافظ الأسد")),
    Name("حافظ الأسد", ()),
    Name("ماهر الأسد", ()),
    Name("سليماني", ("قاسم سليماني",)),
    Name("البغدادي", ("أبو بكر البغدادي",)),
    Name("الجولاني", ("أبو محمد الجولاني",)),
    Name("نصر الله", ("حسن نصر الله", "نصرالله", "حسن نصرالله")),
    Name("بوتين", ("فلاديمير بوتين",)),
    Name("ترامب", ("دونالد ترامب", "ترمب")),
    Name("أوباما", ("باراك أوباما",)),
    Name("بايدن", ("جو بايدن",)),
    Name("أردوغان", ("رجب طيب أردوغان", "رجب أردوغان")),
    Name("خامنئي", ("علي خامنئي",)),
    Name("روحاني", ("حسن روحاني",)),
    Name("لافروف", ("سيرغي لافروف", "سيرجي لافروف")),
    Name("كيري", ("جون كيري",)),
    Name("دي ميستورا", ("ستافان دي ميستورا",)),
    Name("العبادي", ("حيدر العبادي",)),
    Name("نوري المالكي", ()),
    Name("مقتدى الصدر", ()),
    Name("أبو مهدي المهندس", ()),
    Name("الحريري", ("سعد الحريري",)),
    Name("رفيق الحريري", ()),
    Name("ميشال عون", ("ميشيل عون",)),
    Name("نبيه بري", ()),
    Name("جنبلاط", ("وليد جنبلاط",)),
    Name("وليد المعلم", ()),
    Name("نتنياهو", ("بنيامين نتنياهو",)),
    Name("السيسي", ("عبد الفتاح السيسي",)),
    Name("محمد بن سلمان", ("بن سلمان",)),
    Name("عبد الملك الحوثي", ()),
)

GAZETTEER: tuple[tuple[str, tuple[Name, ...]], ...] = (
    (EntityType.ORG.value, GROUPS),
    (EntityType.LOC.value, COUNTRIES),
    (EntityType.LOC.value, PLACES),
    (EntityType.PER.value, PEOPLE),
)


@lru_cache(maxsize=1)
def gazetteer_lexicon() -> Lexicon[Known]:
    """Every alias of every known name and outlet, for longest-match, clitic-aware search."""
    lexicon: Lexicon[Known] = Lexicon()
    for entity_type, names in GAZETTEER:
        for name in names:
            for form in set(name.forms()):
                if not name.after:
                    lexicon.add(form, Known(name.canonical, entity_type))
                for kind in name.after:
                    lexicon.add(f"{kind} {form}", Known(name.canonical, entity_type,
                                                        len(words(kind))))
    org = EntityType.ORG.value
    for outlet in OUTLETS:
        for alias in outlet.aliases:
            if alias not in AMBIGUOUS_OUTLETS:
                lexicon.add(alias, Known(outlet.canonical, org))
                continue
            for kind in OUTLET_KIND_WORDS:
                lead = len(words(kind))
                lexicon.add(f"{kind} {alias}", Known(outlet.canonical, org, lead))
    return lexicon


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Every normalised word of every alias: stems the canonical rule may strip clitics to."""
    found: set[str] = set()
    for _, names in GAZETTEER:
        for name in names:
            for form in name.forms():
                found.update(words(form))
    for outlet in OUTLETS:
        for alias in outlet.aliases:
            found.update(words(alias))
    return frozenset(found)
