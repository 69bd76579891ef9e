"""Purging nginx's copies of pages, exactly, with stock nginx.

For each cache key a change touched, the app asks nginx's purge server to
replace its copy with an already expired stand-in (GET /_khabar_purge, the
key in X-Khabar-Key; deploy/nginx/khabar.conf says how and why, and why not
a purge module), so the next reader's request goes to the app. A key names
one URI, with no wildcard, so the app keeps a registry of the URIs nginx
fetched to cache (nginx marks those requests with X-Khabar-Uri) and purges
exactly those, under the decoded path nginx files each page by
(`nginx_key`). The registry is split into epochs: a full purge opens a new
epoch, then purges the old one. A second pass a moment later catches a
response that was already on its way to nginx when the first pass ran
(rendered before the change, stored after).
Without PAGECACHE_PURGE_URLS (no nginx in front) all of this is skipped."""

import http.client
import logging
import re
import threading
import time
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .versions import cache

log = logging.getLogger("khabar.pagecache")
EPOCH = "pc:ng:epoch"
# nginx keys each page twice, "$khabar_encoding$uri$is_args$args": gzip and identity.
ENCODINGS = ("gzip", "")
PURGE_PATH = "/_khabar_purge"
# What the purge server answers once it has stored the stand-in.
REPLACED = 503


def enabled() -> bool:
    return bool(settings.PAGECACHE_PURGE_URLS)


def nginx_key(uri: str) -> str | None:
    """nginx's "$uri$is_args$args" for a request URI as the app has it
    (X-Khabar-Uri, or a reversed URL): the path percent-decoded, its bytes
    carried in a latin-1 str as HTTP headers carry them. None for a path
    nginx files under another one (an empty, "." or ".." segment, which it
    merges or resolves): such a page is never stored, so no request can put
    its answer under another page's key."""
    path, _, query = uri.partition("?")
    try:
        raw = path.encode("latin-1")
    except UnicodeEncodeError:  # an IRI, not bytes carried in a str
        raw = path.encode()
    decoded = unquote_to_bytes(raw)
    segments = decoded.split(b"/")[1:]  # the last is empty after a closing slash
    if b"" in segments[:-1] or any(segment in (b".", b"..") for segment in segments):
        return None
    return decoded.decode("latin-1") + (f"?{query}" if query else "")


def _epoch() -> int:
    store = cache()
    store.add(EPOCH, time.time_ns() // 1000, timeout=None)
    return store.get(EPOCH)


# A story's own URLs (its page, print page, other editions) begin
# ".../news/<pk>/"; nginx's copies of them are also listed per story, so a
# story's purge (every approved comment) reads its own few URIs, not every
# URI nginx stored since the last publication.
_STORY_URI = re.compile(r"^[^?]*?/news/(\d+)/")


def register(uri: str) -> bool:
    """Remember that nginx is about to cache `uri`. False, and nothing
    remembered, for a URI nginx must not cache (no `nginx_key`)."""
    key = nginx_key(uri)
    if key is None:
        return False
    epoch = _epoch()
    _append(f"pc:ng:{epoch}", uri)
    # Decoded, as nginx keys it: "/%6Eews/5/..." is story 5's page too.
    story = _STORY_URI.match(key)
    if story:
        _append(f"pc:ng:{epoch}:a{story[1]}", uri)
    return True


def _append(prefix: str, uri: str) -> None:
    store, timeout = cache(), settings.PAGECACHE_TTL * 2
    store.add(f"{prefix}:n", 0, timeout=timeout)
    try:
        index = store.incr(f"{prefix}:n")
    except ValueError:
        return
    store.set(f"{prefix}:{index}", uri, timeout=timeout)


def registered(epoch: int, story: int | None = None) -> set[str]:
    """The URIs nginx stored in `epoch`: all of them, or one story's."""
    prefix = f"pc:ng:{epoch}" + (f":a{story}" if story is not None else "")
    store = cache()
    count = store.get(f"{prefix}:n") or 0
    keys = [f"{prefix}:{i}" for i in range(1, count + 1)]
    return set(store.get_many(keys).values()) if keys else set()


def purge_everything() -> None:
    if not enabled():
        return
    old = _epoch()
    cache().incr(EPOCH)
    send(registered(old))
    _later(lambda: send(registered(old) | registered(_epoch())))


def article_uris(article) -> tuple[set[str], tuple[str, ...]]:
    """The story's page and print page in every edition, and the prefixes
    ("/news/5/", "/en/news/5/") any other URL of the story starts with."""
    pages, prefixes = set(), []
    kwargs = {"pk": article.pk, "slug": article.slug}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            pages |= {reverse("news:article", kwargs=kwargs), reverse("news:article-print", kwargs=kwargs)}
            prefixes.append(f"{reverse('news:front')}news/{article.pk}/")
    return pages, tuple(prefixes)


def story_uris(article, pages: set[str], prefixes: tuple[str, ...]) -> set[str]:
    """What a change to the story alone (a comment) purges: its pages, and
    whatever else under its URLs (`article_uris`) nginx stored in this epoch."""
    return {u for u in registered(_epoch(), article.pk) if u.startswith(prefixes)} | pages


def purge_article(article) -> None:
    if not enabled():
        return
    # Reversed here, in the request's thread (its script prefix), once; the
    # second pass reads the list again, for what nginx stored in between.
    pages, prefixes = article_uris(article)
    send(story_uris(article, pages, prefixes))
    _later(lambda: send(story_uris(article, pages, prefixes)))


def _later(task) -> None:
    delay = settings.PAGECACHE_PURGE_SECOND_PASS
    if delay > 0:
        timer = threading.Timer(delay, task)
        timer.start()


def send(uris: set[str]) -> int:
    """Replace each URI's copies on every nginx; returns how many were replaced."""
    purged = 0
    for base in settings.PAGECACHE_PURGE_URLS:
        parts = urlsplit(base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=2)
        try:
            # Two spellings of one page are one key: replaced once.
            for key in sorted({key for key in map(nginx_key, uris) if key is not None}):
                for encoding in ENCODINGS:
                    # Headers go out as latin-1: the key's bytes, as nginx has them.
                    conn.request("GET", PURGE_PATH, headers={"X-Khabar-Key": encoding + key})
                    response = conn.getresponse()
                    response.read()
                    purged += response.status == REPLACED
        except OSError as error:
            log.warning("nginx purge at %s failed: %s", base, error)
        finally:
            conn.close()
    return purged
