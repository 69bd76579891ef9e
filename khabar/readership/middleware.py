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


class ReadCountMiddleware:
    def __init__(self, get_response):
        if not settings.READERSHIP_ENABLED:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        response = self.get_response(request)
        # 304: a reader's browser checking its copy is still a read. Staff
        # (who have a session) reading their own stories are not.
        if request.method == "GET" and response.status_code in (200, 304):
            match = ARTICLE.match(request.path_info)
            if match:
                # For nginx's log of the reads it serves from its cache
                # (deploy/nginx/khabar.conf): stored with the page, not shown.
                response.headers["X-Khabar-Read"] = match[1]
                if self.session_cookie not in request.COOKIES:
                    counter.record(int(match[1]), request.META.get("HTTP_USER_AGENT", ""))
        return response
