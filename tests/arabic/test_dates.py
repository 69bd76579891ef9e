from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.arabic.dates import format_date, format_timestamp, hijri_date, month_name
from khabar.arabic.digits import to_ascii_digits

EGYPTIAN = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو"]
EGYPTIAN += ["يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
LEVANTINE = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران"]
LEVANTINE += ["تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]


@pytest.mark.parametrize(
    ("dt", "expected"),
    [
        (datetime(2025, 3, 18, 1, 41), "2025.03.18 - 01:41"),
        (datetime(2024, 12, 8, 23, 5, 59), "2024.12.08 - 23:05"),
        (datetime(999, 1, 2, 0, 0), "0999.01.02 - 00:00"),
    ],
)
def test_timestamp_matches_the_dateline_format(dt, expected):
    assert format_timestamp(dt) == expected


@pytest.mark.parametrize("month", range(1, 13))
def test_month_names_in_each_style(month):
    assert month_name(month, "egyptian") == EGYPTIAN[month - 1]
    assert month_name(month, "levantine") == LEVANTINE[month - 1]
    assert month_name(month, "both") == f"{EGYPTIAN[month - 1]}/{LEVANTINE[month - 1]}"


def test_double_month_name_is_the_default_style():
    assert month_name(12) == "ديسمبر/كانون الأول"


def test_unknown_month_style_is_refused():
    with pytest.raises(ValueError):
        month_name(1, "maghrebi")


@pytest.mark.parametrize(
    ("d", "options", "expected"),
    [
        (date(2025, 3, 18), {}, "18 مارس/آذار 2025"),
        (date(2025, 3, 18), {"months": "egyptian"}, "18 مارس 2025"),
        (date(2025, 3, 18), {"months": "levantine"}, "18 آذار 2025"),
        (date(2025, 3, 18), {"digits": "arabic"}, "١٨ مارس/آذار ٢٠٢٥"),
        (date(2025, 3, 18), {"weekday": True}, "الثلاثاء، 18 مارس/آذار 2025"),
        (date(2024, 12, 8), {"weekday": True, "months": "egyptian"}, "الأحد، 8 ديسمبر 2024"),
        (date(2024, 12, 8), {"weekday": True, "digits": "arabic"}, "الأحد، ٨ ديسمبر/كانون الأول ٢٠٢٤"),
        (date(2025, 1, 14), {"months": "levantine", "digits": "arabic"}, "١٤ كانون الثاني ٢٠٢٥"),
    ],
)
def test_format_date(d, options, expected):
    assert format_date(d, **options) == expected


def test_unknown_digit_set_is_refused():
    with pytest.raises(ValueError):
        format_date(date(2025, 3, 18), digits="persian")


@pytest.mark.parametrize(
    ("d", "digits", "expected"),
    [
        (date(2025, 3, 18), "latin", "18 رمضان 1446 هـ"),
        (date(2025, 3, 18), "arabic", "١٨ رمضان ١٤٤٦ هـ"),
        (date(2024, 12, 8), "latin", "7 جمادى الآخرة 1446 هـ"),
        (date(2024, 6, 16), "latin", "10 ذو الحجة 1445 هـ"),
    ],
)
def test_hijri_date_is_umm_al_qura(d, digits, expected):
    assert hijri_date(d, digits=digits) == expected


@pytest.mark.parametrize("d", [date(1924, 7, 31), date(2077, 11, 17), date(1, 1, 1), date(9999, 12, 31)])
def test_hijri_date_outside_the_table_is_empty(d):
    assert hijri_date(d) == ""


@given(st.dates(), st.sampled_from(["egyptian", "levantine", "both"]), st.booleans())
def test_arabic_digits_differ_from_latin_only_in_the_digits(d, months, weekday):
    latin = format_date(d, months=months, weekday=weekday)
    arabic = format_date(d, months=months, weekday=weekday, digits="arabic")
    assert not any(ch in "0123456789" for ch in arabic)
    assert to_ascii_digits(arabic) == latin


@given(st.dates())
def test_hijri_date_never_raises(d):
    assert isinstance(hijri_date(d), str)
