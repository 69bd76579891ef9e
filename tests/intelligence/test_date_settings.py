"""KHABAR_MONTHS × KHABAR_DIGITS × KHABAR_HIJRI on the article dateline and
the front-page masthead; the agency's own timestamp never changes."""

import os
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db

LONG = {
    ("egyptian", "latin"): "الثلاثاء، 18 مارس 2025",
    ("levantine", "latin"): "الثلاثاء، 18 آذار 2025",
    ("both", "latin"): "الثلاثاء، 18 مارس/آذار 2025",
    ("egyptian", "arabic"): "الثلاثاء، ١٨ مارس ٢٠٢٥",
    ("levantine", "arabic"): "الثلاثاء، ١٨ آذار ٢٠٢٥",
    ("both", "arabic"): "الثلاثاء، ١٨ مارس/آذار ٢٠٢٥",
}
HIJRI = {"latin": "18 رمضان 1446 هـ", "arabic": "١٨ رمضان ١٤٤٦ هـ"}
CASES = [(months, digits, hijri) for months, digits in LONG for hijri in (True, False)]


@pytest.mark.parametrize(("months", "digits", "hijri"), CASES)
def test_article_dateline_follows_the_date_settings(client, sample_article, months, digits, hijri):
    with override_settings(KHABAR_MONTHS=months, KHABAR_DIGITS=digits, KHABAR_HIJRI=hijri):
        html = client.get(sample_article.get_absolute_url()).content.decode()
    dateline = html[html.index('<p class="dateline">') :]
    dateline = dateline[: dateline.index("</p>")]
    # The agency's own timestamp stays as the sample writes it, whatever the settings.
    assert '<time datetime="2025-03-18T01:41:00+03:00">2025.03.18 - 01:41</time>' in dateline
    assert f'<span class="date-long">{LONG[months, digits]}' in dateline
    assert (HIJRI[digits] in dateline) is hijri
    assert "رمضان" in dateline if hijri else "رمضان" not in dateline
    others = {text for key, text in LONG.items() if key != (months, digits)}
    assert not any(f">{text}<" in dateline or f">{text} " in dateline for text in others)


@pytest.mark.parametrize(("months", "digits", "hijri"), CASES)
def test_front_page_masthead_shows_today_in_the_site_style(client, sample_article, months, digits, hijri):
    moment = datetime(2025, 3, 18, 12, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    with (
        time_machine.travel(moment, tick=False),
        override_settings(KHABAR_MONTHS=months, KHABAR_DIGITS=digits, KHABAR_HIJRI=hijri),
    ):
        html = client.get("/").content.decode()
    masthead = html[html.index('<header class="masthead"') : html.index("</header>")]
    assert f'<p class="masthead-date"><time datetime="2025-03-18">{LONG[months, digits]}</time>' in masthead
    # The masthead carries both calendars whatever KHABAR_HIJRI (issue 9); the setting rules datelines.
    assert HIJRI[digits] in masthead


def test_hijri_date_for_18_march_2025_is_18_ramadan_1446(client, sample_article):
    with override_settings(KHABAR_HIJRI=True):
        html = client.get(sample_article.get_absolute_url()).content.decode()
    assert '<span class="date-hijri">18 رمضان 1446 هـ</span>' in html


def test_defaults_are_both_month_names_latin_digits_and_no_hijri():
    assert (settings.KHABAR_MONTHS, settings.KHABAR_DIGITS, settings.KHABAR_HIJRI) == ("both", "latin", False)


def _settings_with(**env) -> subprocess.CompletedProcess:
    environ = {**os.environ, **env}
    code = "import config.settings as s; print(s.KHABAR_MONTHS, s.KHABAR_DIGITS, s.KHABAR_HIJRI)"
    return subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True)


def test_settings_come_from_the_environment():
    result = _settings_with(KHABAR_MONTHS="Levantine", KHABAR_DIGITS="arabic", KHABAR_HIJRI="on")
    assert result.stdout.split() == ["levantine", "arabic", "True"]


@pytest.mark.parametrize("env", [{"KHABAR_MONTHS": "gulf"}, {"KHABAR_DIGITS": "hindi"}])
def test_a_wrong_date_setting_stops_the_start_with_a_clear_message(env):
    result = _settings_with(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and list(env.values())[0] in result.stderr
