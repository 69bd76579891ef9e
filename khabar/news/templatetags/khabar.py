"""Template filters that format through khabar.arabic, so pages, feeds and
the importer agree on Arabic dates and digits."""

from django import template
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
