"""English dates come from khabar.arabic.dates too (Babel's CLDR data)."""

from datetime import date

import pytest

from khabar.arabic.dates import format_date, format_month, hijri_date


@pytest.mark.parametrize(
    ("day", "weekday", "expected"),
    [
        (date(2025, 3, 18), False, "18 March 2025"),
        (date(2025, 3, 18), True, "Tuesday, 18 March 2025"),
        (date(2024, 2, 29), True, "Thursday, 29 February 2024"),
        (date(999, 1, 5), False, "5 January 999"),
    ],
)
def test_english_dates_are_day_month_year(day, weekday, expected):
    assert format_date(day, weekday=weekday, language="en") == expected


def test_arabic_house_style_options_do_not_leak_into_english():
    day = date(2025, 3, 18)
    assert format_date(day, months="levantine", digits="arabic", language="en") == "18 March 2025"
    assert format_date(day, months="levantine", digits="arabic") == "١٨ آذار ٢٠٢٥"


def test_english_hijri_date():
    assert hijri_date(date(2025, 3, 18), language="en") == "18 Ramadan 1446 AH"
    assert hijri_date(date(2025, 3, 18), digits="arabic", language="en") == "18 Ramadan 1446 AH"
    assert hijri_date(date(1900, 1, 1), language="en") == ""


@pytest.mark.parametrize("call", [format_date, hijri_date])
def test_unknown_language_is_refused(call):
    with pytest.raises(ValueError, match="unknown language"):
        call(date(2025, 3, 18), language="fr")


def test_english_month_of_a_year():
    assert format_month(2025, 3, language="en") == "March 2025"
    assert format_month(2025, 3, months="levantine", digits="arabic", language="en") == "March 2025"
