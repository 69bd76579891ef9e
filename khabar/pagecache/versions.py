"""The numbers that make cached pages fresh at once.

A cached page is stamped with the global content generation (and, for an
article page, that article's own version) it was rendered under, and is used
only while those numbers are still current. Bumping a number makes every page
stamped with the old one stale at once: no page has to be found and deleted.
Initial values come from the clock, so a number evicted from the cache never
comes back lower than before and revives old entries."""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.db.models import Min
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from khabar.news.models import Article

GENERATION = "pc:gen"
# Epoch seconds of the next scheduled publication; 0 when none is scheduled.
NEXT_DUE = "pc:due"
# Epoch seconds of the last change; pins renders to the primary database a moment.
CHANGED_AT = "pc:changed"
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def cache():
    return caches[settings.PAGECACHE_CACHE]


def article_key(pk: int) -> str:
    return f"pc:art:{pk}"


def _incr(key: str) -> int | None:
    """The next value of a version number; None when the cache is unreachable."""
    store = cache()
    for _ in range(2):  # a second try if the key was evicted between add and incr
        try:
            store.add(key, time.time_ns() // 1000, timeout=None)
            return store.incr(key)
        except ValueError:
            continue
        except UNREACHABLE:
            return None
    return None


def bump_generation() -> int | None:
    store = cache()
    store.delete(NEXT_DUE)  # the change may have scheduled a story
    store.set(CHANGED_AT, time.time(), timeout=None)
    return _incr(GENERATION)


def bump_article(pk: int) -> int | None:
    return _incr(article_key(pk))


def _next_due(now: float) -> float:
    """The next moment pages change by the clock alone: a scheduled story's
    time, or the end of a story's breaking-news spell (the front page's ticker)."""
    after = datetime.fromtimestamp(now, UTC)
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    moments = [
        # Two index range scans (published_at, breaking_until), not one aggregate over every story.
        published.filter(published_at__gt=after).aggregate(at=Min("published_at"))["at"],
        published.filter(breaking_until__gt=after).aggregate(at=Min("breaking_until"))["at"],
    ]
    return min((moment.timestamp() for moment in moments if moment), default=0.0)


def current(article_pk: int | None = None, *also: str) -> tuple[dict | None, dict]:
    """The version numbers ({"gen", "art", "due", "now"}) and the values of
    the keys in `also`, in one cache round trip; (None, {}) when the cache
    cannot be reached. A scheduled story whose time has come bumps the
    generation here, so the first request after that moment renders pages
    that include it."""
    keys = [GENERATION, NEXT_DUE, *also] + ([article_key(article_pk)] if article_pk else [])
    # One MGET; the cache backend (khabar.security.cache) keeps one Redis
    # client per pool and reads an unreachable Redis as a miss.
    found = cache().get_many(keys)
    now = time.time()
    gen, due = found.get(GENERATION) or _incr(GENERATION), found.get(NEXT_DUE)
    art = (found.get(article_key(article_pk)) or _incr(article_key(article_pk))) if article_pk else 0
    if gen is None or art is None:
        return None, {}
    if due is None or (due and due <= now):
        if due:
            gen = bump_generation() or gen
        due = _next_due(now)
        cache().set(NEXT_DUE, due, timeout=None)
    return {"gen": gen, "art": art, "due": due, "now": now}, found


def ttl(state: dict) -> int:
    """Seconds a page may live: never past the next scheduled publication."""
    limit = settings.PAGECACHE_TTL
    if state["due"]:
        limit = min(limit, int(state["due"] - state["now"]))
    return max(limit, 0)
