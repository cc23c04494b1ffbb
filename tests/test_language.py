"""Language detection: Arabic script by letter share, Latin script by a stop-word vote."""

from __future__ import annotations

import pytest

from marsad.parse.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال مسؤول في البلدية إن أعمال الصيانة ستنتهي قبل الشتاء.", "ar"),
        ("شو القصة يا جماعة؟ الكهربا مقطوعة من الصبح", "ar"),
        # Arabic with a few English words and digits is still Arabic
        ("أعلنت شركة Apple عن هاتف جديد بسعر 999 دولارا في السوق المحلية", "ar"),
        # Arabic typed on a Persian keyboard (ی, ک) is Arabic
        ("کان الجو باردا فی المدینة یوم امس", "ar"),
        # an Iraqi «گ» does not make Arabic Persian
        ("گال الرجل إنه ما يعرف شي عن الموضوع وراح للبيت بعدين", "ar"),
        ("این گزارش درباره پیشرفت کار در چند شهر است و ژاله آن را نوشت", "fa"),
        ("یہ رپورٹ شہر کے بارے میں ہے اور ہم نے اسے پڑھا ہے", "ur"),
        ("The council said that the repairs will be finished before winter.", "en"),
        ("Der Rat sagte, dass die Arbeiten vor dem Winter fertig sein werden.", "de"),
        ("Le conseil a dit que les travaux seront finis avant l'hiver.", "fr"),
        ("El consejo dijo que las obras estarán terminadas antes del invierno.", "es"),
        ("Hello", "und"),  # no stop word to vote with
        ("Это короткий текст на русском языке", "und"),
        ("12345 !!! 2024-03-05", None),
        ("", None),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_majority_decides_mixed_script() -> None:
    arabic = "هذا نص عربي قصير "
    english = "this is the text of an English page with the words and more "
    assert detect_language(arabic + english * 3) == "en"
    assert detect_language(arabic * 6 + english) == "ar"


def test_a_tie_between_latin_languages_is_undetermined() -> None:
    # «la», «que», «de», «en» vote for both French and Spanish
    assert detect_language("la que de en") == "und"
