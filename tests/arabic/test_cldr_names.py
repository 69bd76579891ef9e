"""khabar.arabic.cldr_names holds CLDR's names so that pages need not load
Babel's locales; these tests keep the copy equal to Babel's CLDR data."""

from datetime import date

import pytest
from babel.dates import format_date as babel_format_date
from babel.dates import get_day_names, get_month_names
from hypothesis import given
from hypothesis import strategies as st

from khabar.arabic.cldr_names import DAYS, MONTHS, day_names, month_names
from khabar.arabic.dates import format_date, format_month


@pytest.mark.parametrize("locale", sorted(MONTHS))
def test_month_names_are_babels(locale):
    assert month_names(locale) == dict(get_month_names("wide", locale=locale))


@pytest.mark.parametrize("locale", sorted(DAYS))
def test_day_names_are_babels(locale):
    assert day_names(locale) == dict(get_day_names("wide", locale=locale))


@given(st.dates(min_value=date(1, 1, 1)), st.booleans())
def test_english_dates_read_as_babel_writes_them(d, weekday):
    pattern = "EEEE, d MMMM y" if weekday else "d MMMM y"
    assert format_date(d, weekday=weekday, language="en") == babel_format_date(d, pattern, locale="en_GB")


@given(st.dates(min_value=date(1, 1, 1)))
def test_english_months_read_as_babel_writes_them(d):
    expected = babel_format_date(d.replace(day=1), "MMMM y", locale="en_GB")
    assert format_month(d.year, d.month, language="en") == expected
