from dataclasses import FrozenInstanceError
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.arabic.date_extract import DateMention, extract_dates, sentences, timeline_entries

REF = datetime(2025, 3, 18, 1, 41)  # the sample's dateline, a Tuesday
SAMPLE = (Path(__file__).parent.parent / "data" / "sample-article.txt").read_text(encoding="utf-8")

# (text, matched text, iso, precision), all resolved against REF.
CASES = [
    # Gregorian, both month traditions and the house style's double form
    ("شهدت سوريا 8 ديسمبر 2024 نهاية حقبة", "8 ديسمبر 2024", "2024-12-08", "day"),
    ("في 8 ديسمبر/كانون الأول 2024", "8 ديسمبر/كانون الأول 2024", "2024-12-08", "day"),
    ("في 8 ديسمبر / كانون الأول 2024", "8 ديسمبر / كانون الأول 2024", "2024-12-08", "day"),
    ("في 8 ديسمبر (كانون الأول) 2024", "8 ديسمبر (كانون الأول) 2024", "2024-12-08", "day"),
    ("في 8 كانون الأول/ديسمبر 2024", "8 كانون الأول/ديسمبر 2024", "2024-12-08", "day"),
    ("وصل في 14 كانون الثاني 2025.", "14 كانون الثاني 2025", "2025-01-14", "day"),
    ("زيارة في 4 فبراير/شباط 2025،", "4 فبراير/شباط 2025", "2025-02-04", "day"),
    ("في 1 تشرين الثاني 2023", "1 تشرين الثاني 2023", "2023-11-01", "day"),
    ("في 9 أيار 2022", "9 أيار 2022", "2022-05-09", "day"),
    ("في 9 ايار 2022", "9 ايار 2022", "2022-05-09", "day"),
    ("في 3 آب 2021", "3 آب 2021", "2021-08-03", "day"),
    ("في 20 مايو 2024م", "20 مايو 2024م", "2024-05-20", "day"),
    ("في 8 ديسمبر عام 2024", "8 ديسمبر عام 2024", "2024-12-08", "day"),
    ("في الـ8 من ديسمبر 2024", "الـ8 من ديسمبر 2024", "2024-12-08", "day"),
    ("في 29 فبراير 2024", "29 فبراير 2024", "2024-02-29", "day"),
    # Maghrebi names
    ("في 3 شتنبر 2024", "3 شتنبر 2024", "2024-09-03", "day"),
    ("في 12 غشت 2022", "12 غشت 2022", "2022-08-12", "day"),
    ("في 5 جويلية 2023", "5 جويلية 2023", "2023-07-05", "day"),
    ("في 2 ماي 2020", "2 ماي 2020", "2020-05-02", "day"),
    # Arabic-Indic and Persian digits, diacritics
    ("في ٨ ديسمبر ٢٠٢٤", "٨ ديسمبر ٢٠٢٤", "2024-12-08", "day"),
    ("في ۸ ديسمبر ۲۰۲۴", "۸ ديسمبر ۲۰۲۴", "2024-12-08", "day"),
    ("في ٢٢ ديسمبر/كانون الأول ٢٠٢٤", "٢٢ ديسمبر/كانون الأول ٢٠٢٤", "2024-12-22", "day"),
    ("في ٨ دِيسَمْبَر ٢٠٢٤", "٨ دِيسَمْبَر ٢٠٢٤", "2024-12-08", "day"),
    # weekday and يوم before the day
    ("الأحد 8 ديسمبر 2024", "الأحد 8 ديسمبر 2024", "2024-12-08", "day"),
    ("الأحد، 8 ديسمبر 2024", "الأحد، 8 ديسمبر 2024", "2024-12-08", "day"),
    ("يوم الأحد 8 ديسمبر", "يوم الأحد 8 ديسمبر", "2024-12-08", "day"),
    ("شهدت سوريا يوم 8 ديسمبر الحدث", "يوم 8 ديسمبر", "2024-12-08", "day"),
    # no year: the nearest one to REF
    ("في 18 آذار", "18 آذار", "2025-03-18", "day"),
    ("في 25 ديسمبر", "25 ديسمبر", "2024-12-25", "day"),
    ("في 1 مايو", "1 مايو", "2025-05-01", "day"),
    ("في 1 أكتوبر", "1 أكتوبر", "2024-10-01", "day"),
    # month and year, with clitics on the month
    ("منذ نوفمبر 2024", "نوفمبر 2024", "2024-11", "month"),
    ("بنوفمبر 2024", "نوفمبر 2024", "2024-11", "month"),
    ("وفي كانون الثاني 2025", "كانون الثاني 2025", "2025-01", "month"),
    ("وآذار 2025", "آذار 2025", "2025-03", "month"),
    ("في فبراير/شباط 2024", "فبراير/شباط 2024", "2024-02", "month"),
    # parts of a month and day ranges
    ("منذ أواخر نوفمبر 2024", "أواخر نوفمبر 2024", "2024-11-21/2024-11-30", "range"),
    ("في أوائل يناير 2025", "أوائل يناير 2025", "2025-01-01/2025-01-10", "range"),
    ("في منتصف شباط 2025", "منتصف شباط 2025", "2025-02-11/2025-02-20", "range"),
    ("في أواخر فبراير 2024", "أواخر فبراير 2024", "2024-02-21/2024-02-29", "range"),
    ("في أوائل يناير", "أوائل يناير", "2025-01-01/2025-01-10", "range"),
    ("بين 8 و10 ديسمبر 2024", "8 و10 ديسمبر 2024", "2024-12-08/2024-12-10", "range"),
    ("من 8 إلى 10 ديسمبر", "8 إلى 10 ديسمبر", "2024-12-08/2024-12-10", "range"),
    ("أيام 8-10 ديسمبر 2024", "8-10 ديسمبر 2024", "2024-12-08/2024-12-10", "range"),
    # years
    ("منذ عام 2011", "عام 2011", "2011", "year"),
    ("في العام 2011", "العام 2011", "2011", "year"),
    ("سنة 1948م", "سنة 1948م", "1948", "year"),
    # Hijri (Umm al-Qura)
    ("في 7 جمادى الآخرة 1446", "7 جمادى الآخرة 1446", "2024-12-08", "day"),
    ("في ١٥ رمضان ١٤٤٦هـ", "١٥ رمضان ١٤٤٦هـ", "2025-03-15", "day"),
    ("الثلاثاء 18 رمضان 1446 هـ", "الثلاثاء 18 رمضان 1446 هـ", "2025-03-18", "day"),
    ("في 10 ذي الحجة 1445", "10 ذي الحجة 1445", "2024-06-16", "day"),
    ("خلال رمضان 1446 هـ", "رمضان 1446 هـ", "2025-03", "month"),
    ("في عام 1446 هـ", "عام 1446 هـ", "2024-07-07/2025-06-25", "range"),
    # numeric
    ("2025.03.18 - 01:41", "2025.03.18", "2025-03-18", "day"),
    ("بتاريخ 18/03/2025", "18/03/2025", "2025-03-18", "day"),
    ("بتاريخ ٢٠٢٥-٠٣-١٨", "٢٠٢٥-٠٣-١٨", "2025-03-18", "day"),
    # relative to REF
    ("وقال أمس إن", "أمس", "2025-03-17", "day"),
    ("بالأمس", "الأمس", "2025-03-17", "day"),
    ("مساء البارحة", "البارحة", "2025-03-17", "day"),
    ("أعلن اليوم", "اليوم", "2025-03-18", "day"),
    ("يصل غدًا", "غدًا", "2025-03-19", "day"),
    ("يصل غداً", "غداً", "2025-03-19", "day"),
    ("أول أمس", "أول أمس", "2025-03-16", "day"),
    ("أول من أمس", "أول من أمس", "2025-03-16", "day"),
    ("بعد غد", "بعد غد", "2025-03-20", "day"),
    ("يزور سوريا الأسبوع المقبل", "الأسبوع المقبل", "2025-03-22/2025-03-28", "week"),
    ("الأسبوع القادم", "الأسبوع القادم", "2025-03-22/2025-03-28", "week"),
    ("الأسبوع الماضي", "الأسبوع الماضي", "2025-03-08/2025-03-14", "week"),
    ("هذا الأسبوع", "هذا الأسبوع", "2025-03-15/2025-03-21", "week"),
    ("الشهر الماضي", "الشهر الماضي", "2025-02", "month"),
    ("الشهر المقبل", "الشهر المقبل", "2025-04", "month"),
    ("العام الماضي", "العام الماضي", "2024", "year"),
    ("السنة المقبلة", "السنة المقبلة", "2026", "year"),
    ("قبل 3 أيام", "قبل 3 أيام", "2025-03-15", "day"),
    ("قبل ٣ أيام", "قبل ٣ أيام", "2025-03-15", "day"),
    ("قبل ثلاثة أيام", "قبل ثلاثة أيام", "2025-03-15", "day"),
    ("بعد يومين", "بعد يومين", "2025-03-20", "day"),
    ("قبل أسبوعين", "قبل أسبوعين", "2025-03-01/2025-03-07", "week"),
    ("الجمعة الماضية", "الجمعة الماضية", "2025-03-14", "day"),
    ("يوم الخميس المقبل", "يوم الخميس المقبل", "2025-03-20", "day"),
    ("الثلاثاء المقبل", "الثلاثاء المقبل", "2025-03-25", "day"),
]

NOT_DATES = [
    "اكتب ناتج 1 + 7?",
    "امتد 24 عامًا",
    "بعد 12 عامًا من الإغلاق",
    "2024",
    "عدد السكان 18 مليونا",
    "30 فبراير",
    "30 فبراير 2025",
    "29 فبراير 2025",
    "31 نيسان 2024",
    "0 يناير 2024",
    "8 ديسمبر/شباط 2024",
    "مارسَ الرئيسُ ضغوطاً",
    "في رمضان",
    "30 رمضان 1446",
    "اليوم التالي",
    "بعد يومين من الهجوم",
    "قبل يوم الأحد",
    "3.5 مليار",
    "2025/13/40",
]


@pytest.mark.parametrize(("text", "matched", "iso", "precision"), CASES)
def test_extracts_the_date(text, matched, iso, precision):
    [mention] = extract_dates(text, REF)
    assert (mention.text, mention.iso, mention.precision) == (matched, iso, precision)
    assert text[mention.start : mention.end] == matched


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text):
    assert extract_dates(text, REF) == []


@pytest.mark.parametrize(
    "text", ["أمس", "الأسبوع المقبل", "قبل 3 أيام", "الشهر الماضي", "8 ديسمبر", "أواخر نوفمبر"]
)
def test_relative_and_yearless_dates_need_a_reference(text):
    assert extract_dates(text) == []


def test_absolute_dates_need_no_reference():
    assert [m.iso for m in extract_dates("في 8 ديسمبر 2024 و7 جمادى الآخرة 1446")] == [
        "2024-12-08",
        "2024-12-08",
    ]


def test_reference_may_be_a_date_or_a_datetime():
    assert extract_dates("أمس", date(2025, 3, 18)) == extract_dates("أمس", REF)


def test_mention_ranges_and_iso():
    [week] = extract_dates("الأسبوع المقبل", REF)
    assert (week.start_date, week.end_date) == (date(2025, 3, 22), date(2025, 3, 28))
    assert week.iso == "2025-03-22/2025-03-28"
    [month] = extract_dates("فبراير 2024", REF)
    assert (month.start_date, month.end_date) == (date(2024, 2, 1), date(2024, 2, 29))
    with pytest.raises(FrozenInstanceError):
        month.start = 3


def test_longest_match_wins_and_mentions_are_in_order():
    text = "ففي أواخر نوفمبر 2024 ثم 8 ديسمبر/كانون الأول 2024 وأمس"
    assert [m.text for m in extract_dates(text, REF)] == [
        "أواخر نوفمبر 2024",
        "8 ديسمبر/كانون الأول 2024",
        "أمس",
    ]


def test_sample_article_dates():
    found = {m.iso: m for m in extract_dates(SAMPLE, REF)}
    for iso in ["2024-12-08", "2024-12-22", "2025-01-14", "2025-02-04", "2024-11-21/2024-11-30"]:
        assert iso in found
    assert found["2024-11-21/2024-11-30"].text == "أواخر نوفمبر 2024"
    week = found["2025-03-22/2025-03-28"]
    assert week.text == "الأسبوع المقبل"
    assert date(2025, 3, 18) < week.start_date <= week.end_date <= date(2025, 3, 30)


@pytest.mark.parametrize("phrase", ["1 + 7", "24 عامًا", "61 عامًا", "12 عامًا", "15 عامًا"])
def test_sample_article_numbers_are_not_dates(phrase):
    at = SAMPLE.index(phrase)
    for mention in extract_dates(SAMPLE, REF):
        assert mention.end <= at or mention.start >= at + len(phrase)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "قال د. أحمد إن النمو بلغ 3.5 في المئة. ثم غادر!",
            ["قال د. أحمد إن النمو بلغ 3.5 في المئة.", "ثم غادر!"],
        ),
        ("هل عاد؟ نعم\nسطر جديد...", ["هل عاد؟", "نعم", "سطر جديد..."]),
        ("انتهى في 1446 هـ. بعدها", ["انتهى في 1446 هـ.", "بعدها"]),
        ("2025.03.18 - 01:41\n\n  نص  ", ["2025.03.18 - 01:41", "نص"]),
        ("", []),
        (" . \n ", ["."]),
    ],
)
def test_sentences(text, expected):
    assert [text[start:end] for start, end in sentences(text)] == expected


def test_timeline_of_the_sample_is_in_date_order():
    entries = timeline_entries(SAMPLE, REF)
    isos = [mention.iso for mention, _ in entries]
    assert isos == [
        "2024-11-21/2024-11-30",
        "2024-12-08",
        "2024-12-22",
        "2025-01-14",
        "2025-03-18",
        "2025-03-22/2025-03-28",
    ]
    _, sentence = entries[0]
    assert "منذ أواخر نوفمبر 2024" in sentence
    assert all(mention.text in sentence for mention, sentence in entries)


def test_timeline_uses_the_most_precise_date_of_a_sentence():
    [(mention, _)] = timeline_entries("في نوفمبر 2024، وتحديدًا في 8 نوفمبر 2024، وقع الحادث.", REF)
    assert mention.iso == "2024-11-08"


# Fragments that make the rules fire and collide, to go with plain random text.
FRAGMENTS = st.sampled_from(
    ["8", "٢٠٢٤", "۲۰۲۴", "2024", "ديسمبر", "كانون الأول", "/", "(", ")", "يوم", "الأحد", "،", "أمس",
     "أواخر", "رمضان", "1446", "هـ", "عام", "قبل", "بعد", "يومين", "أيام", "الأسبوع", "المقبل", "و",
     "ب", "ال", "ـ", "ً", "\u200f", ".", "-", "+", "\n", " ", "  ", "30", "فبراير", "م", "من", "إلى"]
)  # fmt: skip
ARABIC_TEXT = st.lists(FRAGMENTS, max_size=30).map("".join)
REFS = st.none() | st.dates() | st.datetimes()


@given(st.text() | ARABIC_TEXT, REFS)
def test_extraction_never_raises_and_spans_point_into_the_text(text, ref):
    mentions = extract_dates(text, ref)
    previous_end = 0
    for mention in mentions:
        assert previous_end <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.start_date <= mention.end_date
        assert mention.precision in {"day", "month", "year", "week", "range"}
        previous_end = mention.end


@given(st.text() | ARABIC_TEXT, REFS)
def test_timeline_never_raises(text, ref):
    for mention, sentence in timeline_entries(text, ref):
        assert isinstance(mention, DateMention)
        assert sentence.strip() == sentence and sentence
