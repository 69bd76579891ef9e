"""Counts article reads, whoever served the page: the view, or the page
cache's hit path (this middleware sits outside khabar.pagecache). Costs a
regex match and a dict increment (khabar.readership.counter.record). Reads
that nginx serves from its own cache are counted from its log (nginx.py)."""

import re

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed

from . import counter

# The article page in either edition (/news/<id>/<slug>/, /en/news/...), not its print page.
ARTICLE = re.compile(r"^/(?:[a-z]{2}/)?news/(\d+)/[^/]+/$")


def count_read(request, status_code: int) -> str | None:
    """Counts an anonymous read of a story page; returns the story's id for
    the response's X-Khabar-Read (None for other pages). Shared with the
    page cache's WSGI layer (khabar.pagecache.wsgi), which answers hits
    before this middleware would run."""
    # 304: a reader's browser checking its copy is still a read. Staff
    # (who have a session) reading their own stories are not.
    if request.method != "GET" or status_code not in (200, 304):
        return None
    match = ARTICLE.match(request.path_info)
    if match is None:
        return None
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        counter.record(int(match[1]), request.META.get("HTTP_USER_AGENT", ""))
    return match[1]


class ReadCountMiddleware:
    def __init__(self, get_response):
        if not settings.READERSHIP_ENABLED:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        story = count_read(request, response.status_code)
        if story:
            # For nginx's log of the reads it serves from its cache
            # (deploy/nginx/khabar.conf): stored with the page, not shown.
            response.headers["X-Khabar-Read"] = story
        return response
