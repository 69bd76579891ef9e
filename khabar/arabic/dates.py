"""Arabic date formatting: the dateline timestamp, Gregorian dates with the
house style's double month names ("18 مارس/آذار 2025") and Umm al-Qura Hijri
dates. Month and day names come from CLDR (Babel), not from hand tables."""

from datetime import date, datetime
from functools import cache

from babel.dates import get_day_names, get_month_names
from hijridate import Gregorian

from .digits import to_arabic_digits

# Babel locales whose CLDR data carries each naming tradition (ARABIC-TEXT §8).
MONTH_LOCALES = {"egyptian": "ar", "levantine": "ar_SY"}
MONTH_STYLES = ("egyptian", "levantine", "both")


@cache
def _months(locale: str) -> dict[int, str]:
    return dict(get_month_names("wide", locale=locale))


def month_name(month: int, style: str = "both") -> str:
    if style == "both":
        return f"{month_name(month, 'egyptian')}/{month_name(month, 'levantine')}"
    if style not in MONTH_LOCALES:
        raise ValueError(f"unknown month style {style!r}; use one of {MONTH_STYLES}")
    return _months(MONTH_LOCALES[style])[month]


def weekday_name(d: date) -> str:
    return get_day_names("wide", locale="ar")[d.weekday()]


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


def format_date(d: date, *, months: str = "both", digits: str = "latin", weekday: bool = False) -> str:
    text = f"{d.day} {month_name(d.month, months)} {d.year}"
    if weekday:
        text = f"{weekday_name(d)}، {text}"
    return _digits(text, digits)


def hijri_date(d: date, *, digits: str = "latin") -> str:
    """Umm al-Qura date such as "18 رمضان 1446 هـ", or "" outside the table's
    range (1924-08-01..2077-11-16): a page should lose the Hijri line, not fail."""
    try:
        h = Gregorian(d.year, d.month, d.day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    return _digits(f"{h.day} {h.month_name('ar')} {h.year} {h.notation('ar')}", digits)
