"""Django's Redis cache, made to survive a Redis outage.

Everything khabar keeps in the cache can be lost: whole pages (rebuilt on a
miss), rate-limit counters (limits fail open, see ratelimit.py) and nothing
else (sessions and comment questions live in the database). So when Redis
cannot be reached a read is a miss, a write is dropped and incr() reports a
missing key, instead of every page answering 500. Settings give the client
short socket timeouts, and after a failure the cache is not asked again for
_PAUSE seconds: a hung Redis then costs one timeout per pause and thread,
not one per cache call (an article page makes about a dozen)."""

import logging
import re
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("khabar.security")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
_LOG_EVERY = 30.0  # seconds: one line per outage period, not one per request
_PAUSE = 5.0  # seconds without asking Redis after it failed to answer
# What SCAN's MATCH pattern treats specially, escaped in a key prefix.
_GLOB_SPECIAL = re.compile(r"[*?\[\]\\]")


class _ReusingClient(RedisCacheClient):
    """Django builds a new redis.Redis object for every cache call, and each
    one fills a table of ~170 response callbacks: a measurable share of a
    page-cache hit. One client per connection pool does the same work."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


# One event in a fixed window: INCR, with the expiry set by the event that
# created the key. A script runs atomically, so a counter is never left
# without its expiry, and it costs one round trip where add() and incr()
# cost three (incr() checks that the key exists first).
_COUNT = (
    "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n"
)


class ResilientRedisCache(RedisCache):
    _last_logged = -_LOG_EVERY  # per instance (Django makes one per thread)
    _paused_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient

    def validate_key(self, key):
        """No memcached key rules: Redis keys are binary-safe and long keys
        are fine. Django's default walks every key a character at a time on
        every call to warn about memcached limits (a page-cache hit reads
        four keys, a story page's path makes long ones); its docs suggest
        overriding this for backends that accept any key."""

    def _unreachable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        self._paused_until = now + _PAUSE
        if now - self._last_logged >= _LOG_EVERY:
            self._last_logged = now
            log.error("cache unreachable (%s during %s): serving without it", type(error).__name__, operation)

    def _paused(self) -> bool:
        return time.monotonic() < self._paused_until

    def _call(self, operation: str, fallback, *args, **kwargs):
        if self._paused():
            return fallback
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except UNREACHABLE as error:
            self._unreachable(operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def clear(self):
        """Delete this cache's own keys (those under its KEY_PREFIX), not the
        whole Redis database as Django's clear() does (FLUSHDB): the same
        database may hold another site's cache, a test run's or a
        benchmark's. Keys are found with SCAN, which never blocks Redis the
        way KEYS would, and removed with UNLINK, freed off Redis's main thread."""
        if self._paused():
            return False
        pattern = _GLOB_SPECIAL.sub(r"\\\g<0>", self.key_prefix) + ":*"
        try:
            client = self._cache.get_client(None, write=True)
            batch = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) == 1000:
                    client.unlink(*batch)
                    batch.clear()
            if batch:
                client.unlink(*batch)
            return True
        except UNREACHABLE as error:
            self._unreachable("clear", error)
            return False

    def incr_window(self, key, timeout: int, version=None) -> int | None:
        """Count one event on a counter that lives `timeout` seconds from its
        first event; None when Redis cannot be reached (rate limits then fail open)."""
        if self._paused():
            return None
        key = self.make_and_validate_key(key, version=version)
        try:
            return int(self._cache.get_client(key, write=True).eval(_COUNT, 1, key, int(timeout)))
        except UNREACHABLE as error:
            self._unreachable("incr_window", error)
            return None

    def incr(self, key, delta=1, version=None):
        if not self._paused():
            try:
                return super().incr(key, delta, version=version)
            except UNREACHABLE as error:
                self._unreachable("incr", error)
        # The contract for a key that is not there: callers already handle it.
        raise ValueError(f"Key '{key}' not found (cache unreachable)")
