"""Where read counts live: Redis sorted sets (one per clock hour, story id ->
reads) when the default cache is Redis, else the HourlyViews table. Both are
written only by counter.flush(), in one batch."""

import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.db.models import Sum
from redis.exceptions import RedisError

from khabar.news.models import Article

from .models import HourlyViews

# Hour buckets are kept eight days: the longest window is seven.
KEEP_HOURS = 8 * 24


def _redis():
    """(client, make_key) of the default cache when it is Redis, else None."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return None
    return cache._cache.get_client(write=True), cache.make_key


def add(counts: dict[tuple[int, int], int]) -> None:
    """Add {(hour, article id): reads} to the store."""
    redis = _redis()
    if redis:
        client, make_key = redis
        pipe = client.pipeline(transaction=False)
        for (hour, pk), n in counts.items():
            key = make_key(f"mr:{hour}")
            pipe.zincrby(key, n, pk)
            pipe.expire(key, KEEP_HOURS * 3600)
        pipe.execute()
        return
    # One statement for SQLite and PostgreSQL alike: add to the row, or create it.
    sql = (
        "INSERT INTO readership_hourlyviews (article_id, hour, views) VALUES (%s, %s, %s) "
        "ON CONFLICT (article_id, hour) DO UPDATE SET views = readership_hourlyviews.views + excluded.views"
    )
    existing = set(Article.objects.filter(pk__in={pk for _, pk in counts}).values_list("pk", flat=True))
    rows = [(pk, hour, n) for (hour, pk), n in counts.items() if pk in existing]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    oldest = min(hour for hour, _ in counts) - KEEP_HOURS
    HourlyViews.objects.filter(hour__lt=oldest).delete()


def most_read(*, hours: int, limit: int, now: float | None = None) -> list[Article]:
    """Published stories with the most reads in the last `hours` clock hours
    (the current one included), most first; one SQL query."""
    now = time.time() if now is None else now
    last = int(now // 3600)
    first = last - hours + 1
    published = Article.objects.published().in_edition().for_listing()
    redis = _redis()
    if not redis:
        return list(
            published.filter(hourly_views__hour__gte=first, hourly_views__hour__lte=last)
            .annotate(reads=Sum("hourly_views__views"))
            .order_by("-reads", "-published_at", "-id")[:limit]
        )
    client, make_key = redis
    keys = [make_key(f"mr:{hour}") for hour in range(first, last + 1)]
    # A few more than asked for: some may have been unpublished since.
    try:
        ranked = client.zunion(keys, withscores=True)[::-1][: limit + 20]
    except RedisError:
        return []  # the block is left out rather than the page failing
    reads = {int(member): score for member, score in ranked}
    found = published.filter(pk__in=reads)
    for article in found:
        article.reads = int(reads[article.pk])
    return sorted(found, key=lambda a: (-a.reads, -a.published_at.timestamp(), -a.pk))[:limit]
