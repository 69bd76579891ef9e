"""Template filters that format through khabar.arabic, so pages, feeds and
the importer agree on Arabic dates and digits."""

from datetime import datetime

from django import template
from django.conf import settings
from django.utils import timezone

from khabar.arabic import dates

register = template.Library()


@register.filter
def timestamp(value):
    """The agency's own format, `2025.03.18 - 01:41`, in the site's time zone."""
    if not value:
        return ""
    return dates.format_timestamp(timezone.localtime(value))


@register.filter
def iso(value):
    return timezone.localtime(value).isoformat() if value else ""


def _local_day(value):
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


@register.filter
def long_date(value):
    """The full date, e.g. الثلاثاء، 18 مارس/آذار 2025, in the site's month
    names and digits (KHABAR_MONTHS, KHABAR_DIGITS)."""
    if not value:
        return ""
    return dates.format_date(
        _local_day(value), months=settings.KHABAR_MONTHS, digits=settings.KHABAR_DIGITS, weekday=True
    )


@register.filter
def hijri(value):
    """The Umm al-Qura date (18 رمضان 1446 هـ) when KHABAR_HIJRI is on, else nothing."""
    if not value or not settings.KHABAR_HIJRI:
        return ""
    return dates.hijri_date(_local_day(value), digits=settings.KHABAR_DIGITS)


@register.simple_tag
def now_local():
    return timezone.localtime()
