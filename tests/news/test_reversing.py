"""khabar.news.reversing.per_urlconf: one result per arguments, URLconf,
script prefix and language, forgotten when settings change."""

from django.test import override_settings
from django.urls import set_script_prefix
from django.utils import translation

from khabar.news.reversing import per_urlconf, reverse


def test_a_memo_is_kept_per_language_and_prefix_and_forgotten_on_a_settings_change():
    calls = []

    @per_urlconf(maxsize=8)
    def front(tag):
        calls.append(tag)
        return f"{tag}:{reverse('news:front')}"

    assert front("a") == front("a") == "a:/" and calls == ["a"]
    with translation.override("en"):
        assert front("a") == "a:/en/"
    set_script_prefix("/khabar/")
    try:
        assert front("a") == "a:/khabar/"
    finally:
        set_script_prefix("/")
    assert len(calls) == 3
    with override_settings(SITE_NAME="تجربة"):
        front("a")
    assert len(calls) == 4
    assert front.uncached("b") == "b:/" and front("a") == "a:/" and len(calls) == 6
