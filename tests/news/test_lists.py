import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from khabar.news.models import Agency, Article, Author
from khabar.pagecache.services import content_changed
from tests.factories import AgencyFactory, ArticleFactory

BAGHDAD = ZoneInfo("Asia/Baghdad")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BAGHDAD)


@pytest.mark.django_db
def test_author_and_agency_pages_list_their_stories_and_paginate(client):
    author = Author.objects.create(name="سارة الكاتبة", slug="سارة-الكاتبة")
    other = AgencyFactory(name="وكالة أخرى", slug="other")
    mine = ArticleFactory.create_batch(22, author=author)
    theirs = ArticleFactory(agency=other)
    first = client.get(author.get_absolute_url()).content.decode()
    second = client.get(author.get_absolute_url() + "?page=2").content.decode()
    assert "<h1>سارة الكاتبة</h1>" in first
    assert first.count('class="teaser"') == 20 and second.count('class="teaser"') == 2
    assert theirs.headline not in first + second
    agency_page = client.get(other.get_absolute_url()).content.decode()
    assert theirs.headline in agency_page and mine[0].headline not in agency_page
    assert client.get("/author/لا-أحد/").status_code == 404
    assert client.get("/agency/none/").status_code == 404


@pytest.mark.django_db
def test_article_page_and_teasers_link_the_agency_and_the_author(client):
    author = Author.objects.create(name="سارة الكاتبة", slug="sara")
    article = ArticleFactory(author=author)
    page = client.get(article.get_absolute_url()).content.decode()
    front = client.get("/").content.decode()
    for html in (page, front):
        for target, name in ((article.agency, article.agency.name), (author, "سارة الكاتبة")):
            assert re.search(f'<a href="{re.escape(target.get_absolute_url())}"[^>]*>{name}</a>', html)


@pytest.mark.django_db
def test_archive_lists_a_day_a_month_and_a_year_in_the_site_time_zone(client):
    # 23:30 on the 18th in Baghdad is the 18th, though it is 20:30 UTC.
    late = ArticleFactory(published_at=at(2025, 3, 18, 23, 30))
    next_day = ArticleFactory(published_at=at(2025, 3, 19, 0, 10))
    april = ArticleFactory(published_at=at(2025, 4, 2, 12, 0))
    day = client.get("/archive/2025/03/18/").content.decode()
    month = client.get("/archive/2025/3/").content.decode()
    year = client.get("/archive/2025/").content.decode()
    assert "<h1>أرشيف الثلاثاء، 18 مارس/آذار 2025</h1>" in day
    assert late.headline in day and next_day.headline not in day
    assert "<h1>أرشيف مارس/آذار 2025</h1>" in month
    assert late.headline in month and next_day.headline in month and april.headline not in month
    assert "<h1>أرشيف 2025</h1>" in year and all(a.headline in year for a in (late, next_day, april))
    assert 'href="/archive/2025/3/">مارس/آذار 2025</a>' in day and 'href="/archive/2025/">2025</a>' in day


@pytest.mark.django_db
def test_archive_shows_only_published_stories(client):
    shown = ArticleFactory(published_at=timezone.now() - timedelta(hours=1))
    draft = ArticleFactory(published_at=shown.published_at, status=Article.Status.DRAFT)
    future = ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    local = timezone.localtime(shown.published_at)
    html = client.get(f"/archive/{local.year}/{local.month}/").content.decode()
    assert shown.headline in html and draft.headline not in html
    assert future.headline not in client.get(f"/archive/{local.year}/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/archive/2025/13/",
        "/archive/2025/02/30/",
        "/archive/0/",
        "/archive/1/",
        "/archive/2025/0/",
        "/archive/2025/03/0/",
        "/archive/9999/12/",
        "/archive/9999/12/32/",
        "/archive/99999999999/",
    ],
)
def test_impossible_archive_dates_are_404_not_errors(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_archive_uses_arabic_digits_when_configured(client, settings):
    settings.KHABAR_DIGITS = "arabic"
    ArticleFactory(published_at=at(2025, 3, 18, 12, 0))
    html = client.get("/archive/2025/03/").content.decode()
    assert "<h1>أرشيف مارس/آذار ٢٠٢٥</h1>" in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["author", "agency", "archive"])
def test_new_list_pages_are_cached_and_refreshed_by_a_change(client, kind):
    author = Author.objects.create(name="كاتب", slug="writer")
    article = ArticleFactory(author=author, published_at=at(2025, 3, 18, 12, 0))
    path = {
        "author": author.get_absolute_url(),
        "agency": Agency.objects.get().get_absolute_url(),
        "archive": "/archive/2025/03/18/",
    }[kind]
    assert [client.get(path)["X-Khabar-Cache"] for _ in range(2)] == ["miss", "hit"]
    Article.objects.filter(pk=article.pk).update(headline="عنوان مصحح")
    content_changed(article=article)
    again = client.get(path)
    assert again["X-Khabar-Cache"] == "miss" and "عنوان مصحح" in again.content.decode()
