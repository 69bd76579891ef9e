"""URLs with a memory. A page names the same few URLs many times (the
story's link, canonical URL, share links, structured data, every teaser's
section): each reverse() walks Django's URL tables, a measurable share of
rendering a page. What a URL (or anything built from URLs) comes out as
depends only on the arguments, the URLconf, the script prefix and the active
language, so `per_urlconf` memoises a function under exactly those, and
forgets everything when settings change (tests swap ROOT_URLCONF, LANGUAGES
and site settings with override_settings)."""

from functools import cache, lru_cache, wraps

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.translation import get_language

_memos = []


def per_urlconf(maxsize: int):
    """lru_cache for a function of hashable arguments whose result also
    depends on the URLconf, script prefix and language of the request (and
    on settings). `.uncached` calls the function itself."""

    def decorate(func):
        @lru_cache(maxsize=maxsize)
        def keyed(urlconf, prefix, language, *args):
            return func(*args)

        @wraps(func)
        def memoised(*args):
            return keyed(get_urlconf(), get_script_prefix(), get_language(), *args)

        memoised.uncached = func
        _memos.append(keyed)
        return memoised

    return decorate


def per_settings(func):
    """functools.cache for a function of settings alone (no arguments that
    vary per request), forgotten with the rest when settings change."""
    memo = cache(func)
    _memos.append(memo)
    return memo


def _forget(**kwargs):
    for memo in _memos:
        memo.cache_clear()


setting_changed.connect(_forget)


def reverse(viewname, *, args=None, kwargs=None):
    key_args = tuple(args) if args else ()
    key_kwargs = tuple(sorted(kwargs.items())) if kwargs else ()
    return _reverse(viewname, key_args, key_kwargs)


@per_urlconf(maxsize=8192)
def _reverse(viewname, args, kwargs):
    return django_reverse(viewname, args=args or None, kwargs=dict(kwargs) or None)
