"""Feeds, sitemaps and the API answer conditional requests with 304."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from khabar.news.models import Article
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()


@pytest.fixture
def urls(sample_article):
    tag = TagFactory(name="تركيا")
    sample_article.tags.add(tag)
    ArticleFactory(headline="خبر اليوم")  # something for the news sitemap
    pk = sample_article.pk
    return [
        reverse("distribution:feed-site-rss"),
        reverse("distribution:feed-section-atom", args=[sample_article.section.slug]),
        reverse("distribution:feed-tag-json", args=[tag.slug]),
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/api/v1/articles",
        f"/api/v1/articles/{pk}",
        f"/api/v1/articles/{pk}/ninjs",
        f"/api/v1/articles/{pk}/newsml",
        "/api/v1/changes",
    ]


def get(client, url, key, **headers):
    return client.get(url, HTTP_X_API_KEY=key, **headers)


def test_every_surface_sends_validators_and_answers_304(client, urls, api_key):
    for url in urls:
        first = get(client, url, api_key)
        assert first.status_code == 200, url
        etag, modified = first["ETag"], first["Last-Modified"]
        assert get(client, url, api_key, HTTP_IF_NONE_MATCH=etag).status_code == 304, url
        again = get(client, url, api_key, HTTP_IF_MODIFIED_SINCE=modified)
        assert again.status_code == 304 and again["ETag"] == etag, url
        assert get(client, url, api_key, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200, url


def test_a_change_makes_every_copy_stale(client, urls, api_key, sample_article):
    tags = {url: get(client, url, api_key)["ETag"] for url in urls}
    sample_article.headline = "عنوان مصحّح"
    sample_article.save()
    for url, etag in tags.items():
        assert get(client, url, api_key, HTTP_IF_NONE_MATCH=etag).status_code == 200, url


def test_unpublishing_makes_feeds_stale(client, api_key):
    first, second = ArticleFactory(), ArticleFactory()
    etag = client.get("/feeds/rss/")["ETag"]
    first.status = Article.Status.UNPUBLISHED
    first.save()
    assert client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    # A bulk update leaves updated_at alone; the count of public stories still moves.
    etag = client.get("/feeds/rss/")["ETag"]
    Article.objects.filter(pk=second.pk).update(status=Article.Status.UNPUBLISHED)
    assert client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_scheduled_story_falling_due_makes_copies_stale(client, api_key):
    now = timezone.now()
    ArticleFactory(published_at=now - timedelta(hours=1))
    ArticleFactory(published_at=now + timedelta(minutes=30))
    with time_machine.travel(now, tick=False):
        rss, api = client.get("/feeds/rss/"), get(client, "/api/v1/articles", api_key)
    with time_machine.travel(now + timedelta(minutes=31), tick=False):
        assert client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=rss["ETag"]).status_code == 200
        assert client.get("/feeds/rss/", HTTP_IF_MODIFIED_SINCE=rss["Last-Modified"]).status_code == 200
        assert get(client, "/api/v1/articles", api_key, HTTP_IF_NONE_MATCH=api["ETag"]).status_code == 200


def test_a_304_is_never_given_without_a_key(client, api_key, sample_article):
    etag = get(client, "/api/v1/articles", api_key)["ETag"]
    assert client.get("/api/v1/articles", HTTP_IF_NONE_MATCH=etag).status_code == 401
