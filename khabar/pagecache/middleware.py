"""Whole-page cache for anonymous readers.

A middleware rather than a view decorator: a hit must skip sessions, CSRF,
auth and URL resolution to cost a fraction of a millisecond, and views stay
thin (which views are cached is a list in settings, PAGECACHE_VIEWS). Pages
carry the content generation (and the article's version on article pages),
so khabar.pagecache.services.content_changed refreshes every page at once.
A hit costs one cache round trip: the version numbers and the page are
fetched together, and the page counts only if it carries those numbers."""

import gzip
import hashlib
import re
from fnmatch import fnmatch

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from . import purge, versions

# Everything under an article's URL (the page, the print page), in either
# edition (/news/1/..., /en/news/1/...), shares its version.
_ARTICLE = re.compile(r"^/(?:en/)?news/(\d+)/")
CACHED_QUERY = re.compile(r"^(page=\d{1,6})?$")
# Where the WSGI layer leaves its lookup for this middleware on a miss.
LOOKED_UP = "khabar.pagecache.looked_up"
# Set per response in respond(), never copied from the rendered page.
_OWN_HEADERS = {
    "etag",
    "last-modified",
    "cache-control",
    "expires",
    "vary",
    "content-length",
    "content-encoding",
}


def is_anonymous_read(request) -> bool:
    """A GET nobody could have personalised: no session, no login, no
    per-reader notice such as ?comment=pending (any query but page=)."""
    return (
        request.method in ("GET", "HEAD")
        and CACHED_QUERY.match(request.META.get("QUERY_STRING", "")) is not None
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        # Inside an open transaction (ATOMIC_REQUESTS, or a test case) the page
        # could show rows that roll back, and its version bump comes only at commit.
        and not connection.in_atomic_block
    )


def accepts_gzip(request) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")


def page_key(request, gz: bool) -> str:
    where = f"{request.path}?{request.META.get('QUERY_STRING', '')}"
    where = hashlib.blake2b(where.encode(), digest_size=16).hexdigest()
    return f"pc:page:{where}:{'gz' if gz else 'id'}"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_read(request):
            return self.get_response(request)
        request.get_host()  # ALLOWED_HOSTS holds for cache hits too
        # The WSGI layer in front (khabar.pagecache.wsgi) has looked already on a miss.
        state, entry = request.META.pop(LOOKED_UP, None) or lookup(request)
        if state is None:  # no cache reachable: serve uncached rather than fail
            return self.get_response(request)
        if entry is not None:
            return respond(request, entry, state, "hit")
        response = self.get_response(request)
        ttl = versions.ttl(state)
        if ttl <= 0 or not storable(request, response):
            return response
        plain, packed = to_entries(response, (state["gen"], state["art"]))
        versions.cache().set_many({page_key(request, False): plain, page_key(request, True): packed}, ttl)
        return respond(request, packed if accepts_gzip(request) else plain, state, "miss")


def lookup(request) -> tuple[dict | None, tuple | None]:
    """The version numbers (None when no cache is reachable) and this
    request's cached page if it is current, in one cache round trip."""
    match = _ARTICLE.match(request.path)
    key = page_key(request, accepts_gzip(request))
    state, found = versions.current(int(match[1]) if match else None, key)
    if state is None:
        return None, None
    entry = found.get(key)
    if entry is not None and entry[0] == (state["gen"], state["art"]):
        return state, entry
    return state, None


def storable(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control:
        return False
    if not any(fnmatch(match.view_name, pattern) for pattern in settings.PAGECACHE_VIEWS):
        return False
    # Belt and braces: a page with a form token is one reader's, never everyone's.
    return b"csrfmiddlewaretoken" not in response.content


def to_entries(response, stamp: tuple) -> tuple[tuple, tuple]:
    """(plain, gzip) entries: versions, headers, body, ETag, Last-Modified, encoding.
    Compressed once here, so hits cost no compression; safe from BREACH
    because a cached anonymous page holds no secret."""
    headers = [(k, v) for k, v in response.items() if k.lower() not in _OWN_HEADERS]
    body = response.content
    tag = hashlib.blake2b(body, digest_size=12).hexdigest()
    modified = http_date()
    plain = (stamp, headers, body, f'"{tag}"', modified, "")
    packed = (stamp, headers, gzip.compress(body, compresslevel=6, mtime=0), f'"{tag}-gz"', modified, "gzip")
    return plain, packed


def answer(request, entry: tuple, state: dict, outcome: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of a cached page's answer: the middleware
    makes it an HttpResponse, the WSGI layer sends it as it is."""
    _, stored, body, etag, modified, encoding = entry
    if not_modified(request, etag, modified):
        status, body = 304, b""
        headers = [(name, value) for name, value in stored if name.lower() == "content-type"]
    else:
        status, headers = 200, list(stored)
        if encoding:
            headers.append(("Content-Encoding", encoding))
        headers.append(("Content-Length", str(len(body))))
    headers += [
        ("ETag", etag),
        ("Last-Modified", modified),
        # Browsers keep the page but ask again each time (a cheap 304): a
        # correction must reach them at once.
        ("Cache-Control", "no-cache"),
        ("Vary", "Accept-Encoding"),
    ]
    uri = request.META.get("HTTP_X_KHABAR_URI")
    # register() refuses a path nginx files under another page's key.
    if uri and purge.enabled() and purge.register(uri):
        # nginx will keep this copy; never past the next scheduled story.
        # No X-Khabar-Cache in it: nginx parses every stored header on every
        # HIT, and says HIT or MISS itself (X-Cache-Status).
        headers.append(("X-Accel-Expires", str(versions.ttl(state))))
    else:
        headers.append(("X-Khabar-Cache", outcome))
    return status, headers, body


def respond(request, entry: tuple, state: dict, outcome: str) -> HttpResponse:
    status, headers, body = answer(request, entry, state, outcome)
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    return response


def not_modified(request, etag: str, modified: str) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        # Either encoding of the same page is the same content.
        core = etag.strip('"').removesuffix("-gz")
        tags = parse_etags(if_none_match)
        return any(tag == "*" or tag.strip('"').removesuffix("-gz") == core for tag in tags)
    since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if not since:  # most requests: no date to parse (parsing "" raises and is caught)
        return False
    since = parse_http_date_safe(since)
    return since is not None and since >= parse_http_date_safe(modified)
