"""django.urls.reverse() with a memory. A page names the same few URLs many
times (the story's link, canonical URL, share links, structured data, every
teaser's section): each reverse() walks Django's URL tables, a measurable
share of rendering a page. A URL depends only on its name and arguments, the
URLconf, the script prefix and the active language, so those are the key."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.translation import get_language


def reverse(viewname, *, args=None, kwargs=None):
    key_args = tuple(args) if args else ()
    key_kwargs = tuple(sorted(kwargs.items())) if kwargs else ()
    return _reverse(viewname, key_args, key_kwargs, get_urlconf(), get_script_prefix(), get_language())


@lru_cache(maxsize=8192)
def _reverse(viewname, args, kwargs, urlconf, prefix, language):
    return django_reverse(viewname, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)


def _forget(**kwargs):
    # Tests swap ROOT_URLCONF (and languages) with override_settings.
    _reverse.cache_clear()


setting_changed.connect(_forget)
