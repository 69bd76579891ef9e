"""Fixed-window counters in Django's cache: per IP for the comment form, per
account and per IP for logins. With REDIS_URL set every worker process
counts in the same place; with the local-memory cache each process counts
alone (see SECURITY.md). If the cache cannot be reached the limits fail open:
a reader is never refused because Redis is down."""

import hashlib
import logging
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

from .readers import client_ip

log = logging.getLogger("khabar.security")


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """Parse "30/600": 30 events per 600 seconds."""
        limit, window = str(text).split("/")
        return cls(int(limit), int(window))


def _key(scope: str, who: str, rate: Rate, now: float) -> tuple[str, int]:
    # Hashed so that odd characters in a username never reach the cache key.
    digest = hashlib.sha256(who.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    window_index = int(now) // rate.window
    retry_after = (window_index + 1) * rate.window - int(now)
    return f"rl:{scope}:{rate.window}:{digest}:{window_index}", max(retry_after, 1)


def _cache():
    return caches[getattr(settings, "RATELIMIT_CACHE", "default")]


def rate_hit(*, scope: str, who: str, rate: Rate) -> int:
    """Count one event. Returns 0 while within the limit, otherwise the
    seconds until the window ends (for Retry-After)."""
    key, retry_after = _key(scope, who, rate, time.time())
    count = _count(_cache(), key, timeout=rate.window + 1)
    return retry_after if count > rate.limit else 0


def _count(cache, key: str, *, timeout: int) -> int:
    if hasattr(cache, "incr_window"):  # ResilientRedisCache: one round trip
        return cache.incr_window(key, timeout) or 1  # None: unreachable, fail open
    try:
        cache.add(key, 0, timeout=timeout)
        return cache.incr(key)
    except ValueError:  # expired between add() and incr(), or cache unreachable
        cache.set(key, 1, timeout=timeout)
        return 1


def rate_peek(*, scope: str, who: str, rate: Rate) -> int:
    """Like rate_hit() but without counting: 0, or seconds to wait."""
    key, retry_after = _key(scope, who, rate, time.time())
    return retry_after if (_cache().get(key) or 0) >= rate.limit else 0


def rate_reset(*, scope: str, who: str, rate: Rate) -> None:
    key, _ = _key(scope, who, rate, time.time())
    _cache().delete(key)


def too_many_requests(request, retry_after: int):
    response = render(
        request, "security/too_many_requests.html", {"minutes": -(-retry_after // 60)}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


def hit_per_ip(request, *, scope: str, setting: str) -> int:
    """Count this request for its client IP against the rate named by
    `setting` (read now, so tests and operators can change it): 0 or the
    seconds to wait."""
    ip = client_ip(request)
    wait = rate_hit(scope=scope, who=ip, rate=Rate.parse(getattr(settings, setting)))
    if wait:
        log.warning("rate limit %s exceeded by %s on %s", setting, ip, request.path)
    return wait


def limit_per_ip(**settings_by_method: str):
    """View decorator: `@limit_per_ip(GET="COMMENT_RATE_ISSUE")` answers 429
    with Retry-After once a client IP goes over that rate with GETs."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            setting = settings_by_method.get(request.method)
            if setting:
                wait = hit_per_ip(
                    request, scope=f"{view.__module__}.{view.__name__}:{request.method}", setting=setting
                )
                if wait:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
