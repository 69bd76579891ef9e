"""The page's language comes from its URL alone: /en/... is English, anything
else Arabic. Django's LocaleMiddleware would also read the language cookie
and Accept-Language (and add `Vary: Accept-Language`); khabar.pagecache and
nginx key whole pages on the path, so a page must never depend on them."""

from django.conf import settings
from django.utils import translation


class UrlLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        # override() puts the previous language back afterwards, so nothing
        # later in this thread (a test's reverse(), the next request) inherits it.
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
        return response
