"""API key authentication (X-Api-Key or Authorization: Bearer, never the
query string, where keys end up in logs) and the per-key rate limit."""

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from ninja.security import APIKeyHeader, HttpBearer

from .services import apikey_authenticate

logger = logging.getLogger("khabar.distribution")
QUERY_KEY_NAMES = {"api_key", "apikey", "key", "token", "access_token", "x-api-key", "authorization"}


class KeyInQuery(Exception):
    pass


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def rate_limit_wait(api_key) -> int:
    """Seconds to wait if this request is over the key's limit, else 0.
    A fixed window counted with cache.add + cache.incr, which are atomic in
    Redis, so every process shares one count."""
    limit, window = settings.API_RATE_LIMIT, settings.API_RATE_WINDOW
    now = time.time()
    start = int(now // window) * window
    counter = f"api-rate:{api_key.pk}:{start}"
    try:
        cache.add(counter, 0, timeout=window + 1)
        count = cache.incr(counter)
    except ValueError:  # the counter expired between add and incr
        cache.set(counter, 1, timeout=window + 1)
        count = 1
    except Exception:
        # An unreachable cache must not take the API down with it.
        logger.exception("api rate limit cache unavailable")
        return 0
    return max(1, math.ceil(start + window - now)) if count > limit else 0


def authenticate(request, secret):
    if any(name.lower() in QUERY_KEY_NAMES for name in request.GET):
        raise KeyInQuery
    api_key = apikey_authenticate(secret)
    if api_key is None:
        return None
    wait = rate_limit_wait(api_key)
    if wait:
        raise RateLimited(wait)
    return api_key


class HeaderKey(APIKeyHeader):
    param_name = "X-Api-Key"

    def authenticate(self, request, key):
        return authenticate(request, key)


class BearerKey(HttpBearer):
    def authenticate(self, request, token):
        return authenticate(request, token)
