"""Cached pages answered in front of Django's handler (config/wsgi.py).

Through Django, a cache hit paid more for the handler around it than for
the hit itself: the request_started and request_finished signals (which
visit every database connection), eight middleware calls, and building an
HttpResponse whose headers are checked one by one. This layer answers a hit
from a WSGIRequest (Django's own host, cookie and scheme rules), the same
single cache round trip (khabar.pagecache.middleware.lookup) and the same
headers, and hands everything else to Django untouched: a miss, a reader
with a session, a redirect to HTTPS, a failure of its own.

The headers the middleware outside the page cache would add (security
headers) are worked out by running those middleware once on an empty
response, per settings and per scheme; the two that depend on the request
(a story's read count, the headers nginx adds itself) share their code with
their middleware. Where this layer is not in front (the test client, ASGI),
the middleware answers hits as before; tests/pagecache/test_wsgi.py holds
the two paths to the same answers."""

import io
import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.utils.module_loading import import_string

from khabar.distribution.middleware import API_PREFIX
from khabar.news.reversing import per_settings
from khabar.readership.middleware import count_read
from khabar.security.middleware import edge_added

from . import middleware

log = logging.getLogger("khabar.pagecache")
PAGECACHE = "khabar.pagecache.middleware.PageCacheMiddleware"
READCOUNT = "khabar.readership.middleware.ReadCountMiddleware"
STATUS = {200: "200 OK", 304: "304 Not Modified"}


class CachedPageApplication:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        # Cheap tests on the environ first: most requests that are not
        # cached reads (posts, staff, ?comment=pending, API keys) skip
        # building a request here. The cookie test may be wrong only one way
        # (another cookie's value holding the name): Django answers those.
        if (
            environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in environ
            and middleware.CACHED_QUERY.match(environ.get("QUERY_STRING", ""))
            and settings.SESSION_COOKIE_NAME not in environ.get("HTTP_COOKIE", "")
        ):
            try:
                found = cached_answer(environ)
            except Exception:  # Django answers instead, and reports its own errors
                log.exception("page cache: answering in front of Django failed")
                found = None
            if found is not None:
                status, headers, body = found
                start_response(STATUS[status], headers)
                return [body]
        return self.application(environ, start_response)


def cached_answer(environ) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """The answer to a hit, or None (after leaving the lookup for the middleware)."""
    # A copy: WSGIRequest rewrites PATH_INFO in its environ (to the decoded
    # path), and Django must be handed the server's own if it answers.
    request = WSGIRequest(environ.copy())
    if not middleware.is_anonymous_read(request) or request.path.startswith(_own_headers_prefixes()):
        return None
    try:
        request.get_host()
    except DisallowedHost:
        return None  # Django answers 400 and logs it
    secure = request.is_secure()
    if settings.SECURE_SSL_REDIRECT and not secure:
        return None  # SecurityMiddleware redirects (or knows the exemptions)
    outer = _outer_headers(secure)
    if outer is None:
        return None
    state, entry = middleware.lookup(request)
    if entry is None:
        environ[middleware.LOOKED_UP] = (state, entry)
        return None
    status, headers, body = middleware.answer(request, entry, state, "hit")
    if _counts_reads():
        story = count_read(request, status)
        if story:
            headers.append(("X-Khabar-Read", story))
    present = {name.lower() for name, _ in headers}
    # Each of these middleware adds its header only where the page has none.
    headers += [(name, value) for name, value in outer if name.lower() not in present]
    nginx_adds = {name.lower(): value for name, value in edge_added(request).items()}
    if nginx_adds:
        headers = [(name, value) for name, value in headers if nginx_adds.get(name.lower()) != value]
    return status, headers, body


@per_settings
def _own_headers_prefixes() -> tuple[str, ...]:
    # Paths whose outer middleware add headers of their own (the API's
    # download headers, the admin's policy); never cached, but if settings
    # ever cache them, Django answers them.
    return (API_PREFIX, settings.CSP_ADMIN_PREFIX) if settings.CSP_ADMIN else (API_PREFIX,)


@per_settings
def _counts_reads() -> bool:
    return settings.READERSHIP_ENABLED and READCOUNT in settings.MIDDLEWARE


@per_settings
def _outer_headers(secure: bool) -> tuple[tuple[str, str], ...] | None:
    """What the middleware outside the page cache add to an empty response
    for a public path: the security headers (HSTS over HTTPS only). None if
    one of them answers a plain GET itself, or the page cache is not
    installed: then Django answers every time."""
    if PAGECACHE not in settings.MIDDLEWARE:
        return None
    outer = settings.MIDDLEWARE[: settings.MIDDLEWARE.index(PAGECACHE)]
    empty = HttpResponse()
    before = set(empty.headers)
    handler = lambda request: empty  # noqa: E731
    for path in reversed(outer):
        if path == READCOUNT:  # counts reads: cached_answer calls it itself
            continue
        try:
            handler = import_string(path)(handler)
        except MiddlewareNotUsed:
            continue
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "443" if secure else "80",
        "wsgi.url_scheme": "https" if secure else "http",
        "wsgi.input": io.BytesIO(),
    }
    if settings.SECURE_PROXY_SSL_HEADER:
        name, value = settings.SECURE_PROXY_SSL_HEADER
        environ[name] = value if secure else "http"
    response = handler(WSGIRequest(environ))
    if response is not empty:
        return None
    return tuple((name, value) for name, value in response.items() if name not in before)
