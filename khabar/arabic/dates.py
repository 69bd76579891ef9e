"""Arabic date formatting: the dateline timestamp, Gregorian dates with the
house style's double month names ("18 مارس/آذار 2025") and Umm al-Qura Hijri
dates. Month and day names are CLDR's, copied into khabar.arabic.cldr_names
(a test compares every one with Babel's) so that pages never load a Babel
locale: ~8 MiB in each web process.
The English edition's dates are made here too (language="en"), so every
date on the site still comes from this one module."""

from datetime import date, datetime
from functools import cache

from hijridate import Gregorian

from .cldr_names import DAYS, MONTHS, month_names
from .digits import to_arabic_digits

# Babel locales whose CLDR data carries each naming tradition (ARABIC-TEXT §8).
MONTH_LOCALES = {"egyptian": "ar", "levantine": "ar_SY"}
MONTH_STYLES = ("egyptian", "levantine", "both")
LANGUAGES = ("ar", "en")


@cache
def _months(locale: str) -> dict[int, str]:
    return month_names(locale)


def month_name(month: int, style: str = "both") -> str:
    if style == "both":
        return f"{month_name(month, 'egyptian')}/{month_name(month, 'levantine')}"
    if style not in MONTH_LOCALES:
        raise ValueError(f"unknown month style {style!r}; use one of {MONTH_STYLES}")
    return _months(MONTH_LOCALES[style])[month]


def weekday_name(d: date) -> str:
    return DAYS["ar"][d.weekday()]


def _digits(text: str, digits: str) -> str:
    # Babel writes Latin digits even for ar_EG/ar_SA, so the switch happens here.
    if digits == "arabic":
        return to_arabic_digits(text)
    if digits != "latin":
        raise ValueError(f"unknown digits {digits!r}; use 'latin' or 'arabic'")
    return text


def format_timestamp(dt: datetime) -> str:
    """The dateline format of the agency's pages: "2025.03.18 - 01:41".
    ``dt`` is already in local time; converting is the caller's business."""
    # Not strftime: glibc drops the zero padding of years before 1000.
    return f"{dt.year:04d}.{dt.month:02d}.{dt.day:02d} - {dt.hour:02d}:{dt.minute:02d}"


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; use one of {LANGUAGES}")


def format_date(
    d: date, *, months: str = "both", digits: str = "latin", weekday: bool = False, language: str = "ar"
) -> str:
    """18 مارس/آذار 2025 (الثلاثاء، ... with weekday); in English, CLDR's
    British order "Tuesday, 18 March 2025": the agency writes day first.
    ``months`` and ``digits`` are Arabic house style and do not apply to English."""
    _check_language(language)
    if language == "en":
        # CLDR's en_GB patterns "d MMMM y" and "EEEE, d MMMM y".
        text = f"{d.day} {MONTHS['en_GB'][d.month - 1]} {d.year}"
        return f"{DAYS['en_GB'][d.weekday()]}, {text}" if weekday else text
    text = f"{d.day} {month_name(d.month, months)} {d.year}"
    if weekday:
        text = f"{weekday_name(d)}، {text}"
    return _digits(text, digits)


def format_month(
    year: int, month: int, *, months: str = "both", digits: str = "latin", language: str = "ar"
) -> str:
    """A month of a year, e.g. "مارس/آذار 2025" ("March 2025" in English; archive pages)."""
    _check_language(language)
    if language == "en":
        return f"{MONTHS['en_GB'][month - 1]} {year}"  # CLDR's en_GB "MMMM y"
    return _digits(f"{month_name(month, months)} {year}", digits)


def hijri_date(d: date, *, digits: str = "latin", language: str = "ar") -> str:
    """Umm al-Qura date such as "18 رمضان 1446 هـ" ("18 Ramadan 1446 AH" in
    English), or "" outside the table's range (1924-08-01..2077-11-16): a
    page should lose the Hijri line, not fail."""
    _check_language(language)
    try:
        h = Gregorian(d.year, d.month, d.day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    text = f"{h.day} {h.month_name(language)} {h.year} {h.notation(language)}"
    return text if language == "en" else _digits(text, digits)
