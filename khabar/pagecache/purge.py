"""Purging nginx's copies of pages, exactly, with stock nginx.

nginx stores a page in a file named after the MD5 of its cache key; the
reference config lets the app servers DELETE those files (WebDAV) under
/_khabar_purge/ (see deploy/nginx/khabar.conf for why not a purge module).
A key names one URI, with no wildcard, so the app keeps a registry of the
URIs nginx fetched to cache (nginx marks those requests with X-Khabar-Uri)
and purges exactly those. The registry is
split into epochs: a full purge opens a new epoch, then purges the old one.
A second pass a moment later catches a response that was already on its way
to nginx when the first pass ran (rendered before the change, stored after).
Without PAGECACHE_PURGE_URLS (no nginx in front) all of this is skipped."""

import hashlib
import http.client
import logging
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .versions import cache

log = logging.getLogger("khabar.pagecache")
EPOCH = "pc:ng:epoch"
# nginx keys each page twice, "$khabar_encoding$request_uri": gzip and identity.
ENCODINGS = ("gzip", "")
PURGE_PREFIX = "/_khabar_purge/"


def cache_file(key: str) -> str:
    """nginx's file for a cache key with levels=1:2: c/ba/<md5 ending in bac>."""
    digest = hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()
    return f"{digest[-1]}/{digest[-3:-1]}/{digest}"


def enabled() -> bool:
    return bool(settings.PAGECACHE_PURGE_URLS)


def _epoch() -> int:
    store = cache()
    store.add(EPOCH, time.time_ns() // 1000, timeout=None)
    return store.get(EPOCH)


def register(uri: str) -> None:
    """Remember that nginx is about to cache `uri`."""
    store, epoch = cache(), _epoch()
    count = f"pc:ng:{epoch}:n"
    store.add(count, 0, timeout=settings.PAGECACHE_TTL * 2)
    try:
        index = store.incr(count)
    except ValueError:
        return
    store.set(f"pc:ng:{epoch}:{index}", uri, timeout=settings.PAGECACHE_TTL * 2)


def registered(epoch: int) -> set[str]:
    store = cache()
    count = store.get(f"pc:ng:{epoch}:n") or 0
    keys = [f"pc:ng:{epoch}:{i}" for i in range(1, count + 1)]
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


def purge_article(article) -> None:
    if not enabled():
        return
    pages, prefixes = article_uris(article)

    def uris():
        return {u for u in registered(_epoch()) if u.startswith(prefixes)} | pages

    send(uris())
    _later(lambda: send(uris()))


def _later(task) -> None:
    delay = settings.PAGECACHE_PURGE_SECOND_PASS
    if delay > 0:
        timer = threading.Timer(delay, task)
        timer.start()


def send(uris: set[str]) -> int:
    """Delete each URI's cached copies on every nginx; returns how many existed."""
    purged = 0
    for base in settings.PAGECACHE_PURGE_URLS:
        parts = urlsplit(base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=2)
        try:
            for uri in sorted(uris):
                for encoding in ENCODINGS:
                    conn.request("DELETE", PURGE_PREFIX + cache_file(encoding + uri))
                    response = conn.getresponse()
                    response.read()
                    purged += response.status == 204
        except OSError as error:
            log.warning("nginx purge at %s failed: %s", base, error)
        finally:
            conn.close()
    return purged
