import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from khabar.readership import counter, store
from khabar.readership.models import HourlyViews
from tests.factories import ArticleFactory
from tests.pagecache.test_nginx_deployment import database_url

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def stored(article) -> int:
    """Reads of `article` in the shared store over the last week."""
    found = {a.pk: a.reads for a in store.most_read(hours=168, limit=50)}
    return found.get(article.pk, 0)


@pytest.mark.django_db
def test_a_read_costs_no_query_and_is_written_at_the_flush(client, django_assert_num_queries):
    article = ArticleFactory()
    client.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    with django_assert_num_queries(0):
        counter.record(article.pk, BROWSER)
        counter.record(article.pk, BROWSER)
    assert counter.pending() == 3 and stored(article) == 0
    assert counter.flush() == 3
    assert counter.pending() == 0 and stored(article) == 3


@pytest.mark.django_db(transaction=True)
def test_pages_served_from_the_page_cache_are_counted(client):
    article = ArticleFactory()
    responses = [client.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER) for _ in range(3)]
    assert [r["X-Khabar-Cache"] for r in responses] == ["miss", "hit", "hit"]
    counter.flush()
    assert stored(article) == 3


@pytest.mark.django_db
def test_robots_print_pages_missing_stories_and_staff_are_not_counted(client):
    article = ArticleFactory()
    for agent in (GOOGLEBOT, "curl/8.5.0", "python-requests/2.32", ""):
        client.get(article.get_absolute_url(), HTTP_USER_AGENT=agent)
    # The id nginx logs for the reads it serves from its cache: a story's page only.
    assert client.get(article.get_absolute_url())["X-Khabar-Read"] == str(article.pk)
    assert "X-Khabar-Read" not in client.get(article.get_print_url(), HTTP_USER_AGENT=BROWSER)
    client.get(f"/news/{article.pk + 1000}/x/", HTTP_USER_AGENT=BROWSER)
    client.head(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    client.cookies["sessionid"] = "staff"
    client.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    counter.flush()
    assert stored(article) == 0


@pytest.mark.django_db
def test_flush_happens_after_the_interval_and_at_the_size_limit(settings):
    settings.READERSHIP_FLUSH_SECONDS = 30
    settings.READERSHIP_FLUSH_KEYS = 3
    article = ArticleFactory()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        counter.start()
        counter.record(article.pk, BROWSER)
        assert stored(article) == 0
        clock.shift(timedelta(seconds=31))
        counter.record(article.pk, BROWSER)  # the interval has passed: both written
        assert stored(article) == 2 and counter.pending() == 0
        counter.record(article.pk, "agent 1")
        counter.record(article.pk, "agent 2")
        assert counter.pending() == 2
        counter.record(article.pk, "agent 3")  # a third key: written at once
        assert stored(article) == 5 and counter.pending() == 0


@pytest.mark.django_db(transaction=True)
def test_counts_flushed_by_a_process_are_there_after_it_exits():
    article = ArticleFactory()
    code = (
        "import django; django.setup()\n"
        "from khabar.readership import counter\n"
        f"for _ in range(4): counter.record({article.pk}, {BROWSER!r})\n"
        "assert counter.pending() == 4\n"  # buffered: written by the exit handler
    )
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert stored(article) == 4


@pytest.mark.django_db
def test_windows_are_the_last_day_and_the_last_week():
    old, recent = ArticleFactory(), ArticleFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            counter.record(old.pk, BROWSER)
        counter.flush()
        clock.shift(timedelta(days=3))
        counter.record(recent.pk, BROWSER)
        counter.flush()
        assert [a.pk for a in store.most_read(hours=24, limit=5)] == [recent.pk]
        assert [a.pk for a in store.most_read(hours=168, limit=5)] == [old.pk, recent.pk]
        clock.shift(timedelta(days=5))
        assert [a.pk for a in store.most_read(hours=168, limit=5)] == [recent.pk]
        clock.shift(timedelta(days=3))
        assert store.most_read(hours=168, limit=5) == []


@pytest.mark.django_db
def test_most_read_is_ordered_by_reads_and_lists_only_published_stories():
    first, second, third, withdrawn = ArticleFactory.create_batch(4)
    for article, reads in ((third, 1), (first, 7), (second, 3), (withdrawn, 9)):
        for _ in range(reads):
            counter.record(article.pk, BROWSER)
    counter.flush()
    withdrawn.status = withdrawn.Status.UNPUBLISHED
    withdrawn.save()
    top = store.most_read(hours=24, limit=5)
    assert [(a.pk, a.reads) for a in top] == [(first.pk, 7), (second.pk, 3), (third.pk, 1)]
    assert [a.pk for a in store.most_read(hours=24, limit=2)] == [first.pk, second.pk]


@pytest.mark.django_db
def test_a_store_that_fails_keeps_the_counts_for_the_next_flush(monkeypatch):
    article = ArticleFactory()
    counter.record(article.pk, BROWSER)

    def broken(counts):
        raise OSError("store down")

    monkeypatch.setattr(store, "add", broken)
    assert counter.flush() == 0 and counter.pending() == 1
    monkeypatch.undo()
    assert counter.flush() == 1 and stored(article) == 1


@pytest.mark.django_db
def test_the_database_store_adds_to_existing_hours(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    article = ArticleFactory()
    hour = int(timezone.now().timestamp() // 3600)
    store.add({(hour, article.pk): 2, (hour, article.pk + 999): 5})  # a deleted story is skipped
    store.add({(hour, article.pk): 3})
    assert list(HourlyViews.objects.values_list("article_id", "hour", "views")) == [(article.pk, hour, 5)]
