"""Template filters that format through khabar.arabic, so pages, feeds and
the importer agree on Arabic dates and digits."""

from datetime import datetime

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse, translate_url
from django.utils import timezone, translation

from khabar.arabic import dates
from khabar.arabic.digits import to_arabic_digits
from khabar.news.reversing import per_urlconf

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


def _edition() -> str:
    """The page's language (from its URL), as khabar.arabic.dates knows it."""
    return "en" if translation.get_language() == "en" else "ar"


def _local_day(value):
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


@register.filter
def long_date(value):
    """The full date, e.g. الثلاثاء، 18 مارس/آذار 2025, in the site's month
    names and digits (KHABAR_MONTHS, KHABAR_DIGITS)."""
    if not value:
        return ""
    return dates.format_date(
        _local_day(value),
        months=settings.KHABAR_MONTHS,
        digits=settings.KHABAR_DIGITS,
        weekday=True,
        language=_edition(),
    )


@register.filter
def hijri(value, always=False):
    """The Umm al-Qura date (18 رمضان 1446 هـ) when KHABAR_HIJRI is on (or
    `always`, as in the masthead), else nothing."""
    if not value or not (settings.KHABAR_HIJRI or always):
        return ""
    return dates.hijri_date(_local_day(value), digits=settings.KHABAR_DIGITS, language=_edition())


@register.filter
def month_year(value):
    """A month of a year (مارس/آذار 2025) in the site's month names and digits."""
    if not value:
        return ""
    return dates.format_month(
        value.year,
        value.month,
        months=settings.KHABAR_MONTHS,
        digits=settings.KHABAR_DIGITS,
        language=_edition(),
    )


@register.filter
def digits(value):
    """A number in the site's digits (KHABAR_DIGITS; English pages keep Latin ones)."""
    text = str(value)
    return to_arabic_digits(text) if settings.KHABAR_DIGITS == "arabic" and _edition() == "ar" else text


@register.simple_tag
def now_local():
    return timezone.localtime()


@register.simple_tag(takes_context=True)
def editions(context):
    """This page in each edition: [(code, name, path, is_current)]. Built from
    the path alone (pages are cached by path); a page with no counterpart
    (a 404, the newsroom) points to the other edition's front page."""
    request = context.get("request")
    # One leading slash: "//host/..." must never become a link off the site.
    path = "/" + request.path.lstrip("/") if request is not None else "/"
    query = request.META.get("QUERY_STRING", "") if request is not None else ""
    # Resolving the path again on every page is a measurable share of a
    # render, so ordinary paths are remembered; a long one is worked out afresh.
    find = _edition_paths if len(path) <= 512 else _edition_paths.uncached
    return [
        (code, name, f"{url}?{query}" if query and keeps_query else url, current)
        for code, name, url, current, keeps_query in find(path)
    ]


@per_urlconf(maxsize=2048)
def _edition_paths(path):
    """(code, name, path, is_current, keeps_query) for each edition; the
    query string is added by the caller, so it takes no part in the key."""
    current, links = translation.get_language(), []
    for code, name in settings.LANGUAGES:
        url = path if code == current else translate_url(path, code)
        if url == path and code != current:
            with translation.override(code):
                links.append((code, name, reverse("news:front"), False, False))
        else:
            links.append((code, name, url, code == current, True))
    return tuple(links)


class OnceNode(template.Node):
    """Renders its contents once per language, script prefix and the values
    named in the tag, then reuses the HTML. Only for site chrome that nothing
    but code, settings and those values decide (stylesheet links, feed links,
    the search box, the footer): a settings change forgets it all, and new
    code means a new process."""

    epoch = 0  # moved on by setting_changed

    def __init__(self, nodelist, vary):
        self.nodelist, self.vary = nodelist, vary
        self.rendered, self.seen_epoch = {}, OnceNode.epoch

    def render(self, context):
        if self.seen_epoch != OnceNode.epoch:
            self.rendered, self.seen_epoch = {}, OnceNode.epoch
        key = (translation.get_language(), get_script_prefix(), *(v.resolve(context) for v in self.vary))
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = self.nodelist.render(context)
        return html


@register.tag
def once(parser, token):
    """{% once var... %}…{% endonce %}: see OnceNode. Every context value
    used inside must be named; never around anything from the database or
    the request."""
    vary = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, vary)


def _forget_chrome(**kwargs):
    OnceNode.epoch += 1


setting_changed.connect(_forget_chrome)
