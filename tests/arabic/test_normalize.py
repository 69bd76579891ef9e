import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.arabic.normalize import fold, normalize

# Characters the normaliser has rules for, mixed with plain letters, so that
# hypothesis hits the interesting cases far more often than with st.text().
ARABIC_SOUP = st.text(
    alphabet=st.sampled_from(
        list("ابتثجحخدذرسشصضطظعغفقكلمنهويةىءأإآٱؤئیک٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹،؛؟٪٫٬")
        + list("\u064b\u064e\u0651\u0652\u0670\u06d6\u0640\u200c\u200f\u061c\u202b\u2067\ufeff\u00ad")
        + list("ﻻﺍﻟﺨﺒﺮﹰEéeİΣ\u0301\u0654 .-")
    ),
    max_size=60,
)

PROBES = [
    # ARABIC-TEXT.md §3, with the §7 choices (ة and ى kept, ؤ/ئ → ء)
    ("diacritics", "فرّ الأسدُ وتُرجِمَ", "فر الاسد وترجم"),
    ("tatweel", "العـــربية", "العربية"),
    ("alef forms", "أحمد إبراهيم آسيا ٱلله", "احمد ابراهيم اسيا الله"),
    ("taa marbuta kept", "صحيفة", "صحيفة"),
    ("alef maqsura kept", "موسى على", "موسى على"),
    ("hamza seats", "مسؤول رئيس", "مسءول رءيس"),
    ("digits", "٢٠٢٤ ۲۰۲۴", "2024 2024"),
    ("arabic punctuation", "دمشق، أنقرة؛ لماذا؟ ٥٪", "دمشق, انقرة; لماذا? 5%"),
    ("decimal and thousands separators", "٣٫٥ و١٬٠٠٠", "3.5 و1,000"),
    ("lam-alef ligature", "ﻻ", "لا"),
    ("persian yeh and kaf", "ایران کرد", "ايران كرد"),
    # more
    ("presentation forms", "ﺍﻟﺨﺒﺮ", "الخبر"),
    ("superscript alef", "هٰذا", "هذا"),
    ("quranic marks", "الرحيمِ ۖ", "الرحيم "),
    ("latin lower-cased", "BBC News", "bbc news"),
    ("full-width", "ＡＢＣ１", "abc1"),
    ("zero-width non-joiner inside a word", "مد\u200cير", "مدير"),
    ("zero-width space inside a word", "مد\u200bير", "مدير"),
    ("soft hyphen inside a word", "الخ\u00adبر", "الخبر"),
    ("bom and marks", "\ufeff\u200fالخبر\u200e\u061c", "الخبر"),
    ("bidi embedding and isolates", "\u202bالخبر\u202c \u2067خبر\u2069", "الخبر خبر"),
    ("nbsp kept as a space", "\u00a0الخبر\u00a0", " الخبر "),
    ("empty", "", ""),
]


@pytest.mark.parametrize(("text", "expected"), [p[1:] for p in PROBES], ids=[p[0] for p in PROBES])
def test_normalize_probe(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("صحيفة", "صحيفه"),
        ("موسى على", "موسي علي"),
        ("العـــربية", "العربيه"),
        ("الأمم المتحدة", "الامم المتحده"),
        ("مسئول", "مسءول"),
        ("Ḥamas", "ḥamas"),
    ],
)
def test_fold_merges_taa_marbuta_and_alef_maqsura(text, expected):
    assert fold(text) == expected


def test_fold_makes_typing_variants_of_a_tag_name_equal():
    assert fold("الأمم المتحدة") == fold("الامم المتحده") == fold("ٱلأُمَمُ ٱلمُتَّحِدَة")


@given(st.text())
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@given(ARABIC_SOUP)
def test_normalize_is_idempotent_on_arabic_soup(text):
    once = normalize(text)
    assert normalize(once) == once


@given(st.text())
def test_fold_is_idempotent_and_extends_normalize(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert fold(normalize(text)) == folded


@given(ARABIC_SOUP)
def test_normalized_text_has_no_variant_left(text):
    result = normalize(text)
    assert not set(result) & set("أإآٱؤئیک٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹،؛؟٪\u0640\u200c\u200f\ufeff")
    assert not any(0x064B <= ord(char) <= 0x065F for char in result)
    assert unicodedata.is_normalized("NFKC", result)
    assert not set(fold(text)) & set("ةى")
