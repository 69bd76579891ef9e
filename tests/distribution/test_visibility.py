"""A scheduled story and an unpublished one appear in no feed, sitemap or API
list; the unpublished one shows in the changes feed as withdrawn."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from khabar.news.models import Article
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_scheduled_and_unpublished_stories_stay_out_of_every_listing(client, api_key):
    cache.clear()
    tag = TagFactory(name="انتخابات")
    public = ArticleFactory(headline="خبر منشور للجميع")
    scheduled = ArticleFactory(headline="خبر مجدول للغد", published_at=timezone.now() + timedelta(hours=3))
    withdrawn = ArticleFactory(headline="خبر سُحب بعد نشره")
    for article in (public, scheduled, withdrawn):
        article.tags.add(tag)
    withdrawn.status = Article.Status.UNPUBLISHED
    withdrawn.save()
    section = public.section.slug
    surfaces = [
        f"/feeds/{scope}{fmt}/"
        for scope in ("", f"section/{section}/", f"tag/{tag.slug}/")
        for fmt in ("rss", "atom", "json")
    ]
    surfaces += ["/sitemap-articles.xml", "/sitemap-news.xml"]
    surfaces += [
        "/api/v1/articles",
        f"/api/v1/articles?tag={tag.slug}",
        f"/api/v1/articles?section={section}",
    ]
    for url in surfaces:
        text = client.get(url, HTTP_X_API_KEY=api_key).content.decode()
        assert public.headline in text or iri_to_uri(public.get_absolute_url()) in text, url
        for hidden in (scheduled, withdrawn):
            for trace in (hidden.headline, hidden.get_absolute_url(), iri_to_uri(hidden.get_absolute_url())):
                assert trace not in text, (url, trace)
    for hidden in (scheduled, withdrawn):
        assert client.get(f"/api/v1/articles/{hidden.pk}", HTTP_X_API_KEY=api_key).status_code == 404

    changes = client.get("/api/v1/changes", HTTP_X_API_KEY=api_key).json()["items"]
    by_id = {item["id"]: item for item in changes}
    assert by_id[withdrawn.pk]["action"] == "withdrawn" and by_id[withdrawn.pk]["pub_status"] == "canceled"
    assert by_id[public.pk]["action"] == "published"
    assert scheduled.pk not in by_id
