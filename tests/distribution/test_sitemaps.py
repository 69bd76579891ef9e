"""Sitemaps checked against sitemap.xsd (plus our schema for Google's news:
elements), the Google News two-day window on a controlled clock, robots.txt."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from lxml import etree

from khabar.distribution.sitemaps import ArticleSitemap
from khabar.news.models import Article
from tests.factories import AgencyFactory, ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
BAGHDAD = ZoneInfo("Asia/Baghdad")


def fetch_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def valid_urlset(client, url, schema):
    document = fetch_xml(client, url)
    assert schema.validate(document), (url, schema.error_log)
    return document


def index_locations(client) -> list[str]:
    index = fetch_xml(client, reverse("distribution:sitemap-index"))
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    return [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_index_lists_every_sitemap_and_each_one_is_valid(client, sample_article, sitemap_schema):
    sample_article.tags.add(TagFactory(name="تركيا"))
    ArticleFactory(headline="خبر اليوم")
    locations = index_locations(client)
    assert [urlsplit(u).path for u in locations] == [
        "/sitemap-articles.xml",
        "/sitemap-sections.xml",
        "/sitemap-tags.xml",
        "/sitemap-news.xml",
    ]
    for url in locations:
        valid_urlset(client, local(url), sitemap_schema)


def test_the_sitemap_schema_check_is_real(client, sample_article, sitemap_schema):
    document = fetch_xml(client, "/sitemap-articles.xml")
    assert sitemap_schema.validate(document)
    etree.SubElement(document[0], f"{{{NS['sm']}}}priority").text = "2.5"
    assert not sitemap_schema.validate(document)
    document = fetch_xml(client, "/sitemap-articles.xml")
    etree.SubElement(document[0], f"{{{NS['news']}}}news")  # a news:news without its parts
    assert not sitemap_schema.validate(document)


def test_article_sitemap_has_canonical_urls_and_lastmod(client, sample_article, sitemap_schema):
    document = valid_urlset(client, "/sitemap-articles.xml", sitemap_schema)
    (url,) = document.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS) == sample_article.canonical_url
    assert url.findtext("sm:lastmod", namespaces=NS) == "2025-03-18T01:41:00+03:00"


def test_sections_and_tags_with_public_stories_are_listed(client, sample_article, sitemap_schema):
    used, unused = TagFactory(name="تركيا"), TagFactory(name="وسم مهجور")
    sample_article.tags.add(used)
    ArticleFactory(status=Article.Status.DRAFT).tags.add(unused)
    sections = valid_urlset(client, "/sitemap-sections.xml", sitemap_schema)
    assert sample_article.section.get_absolute_url() in etree.tostring(sections, encoding="unicode")
    tags = [
        loc.text
        for loc in valid_urlset(client, "/sitemap-tags.xml", sitemap_schema).iter(f"{{{NS['sm']}}}loc")
    ]
    assert tags == ["http://127.0.0.1:8000" + used.get_absolute_url()]


def test_empty_sitemaps_are_left_out_of_the_index(client, sample_article):
    # The sample story is from 2025: nothing for Google News, and no tags yet.
    assert [urlsplit(u).path for u in index_locations(client)] == [
        "/sitemap-articles.xml",
        "/sitemap-sections.xml",
    ]


def test_article_sitemap_is_paginated_beyond_its_limit(client, monkeypatch, sitemap_schema):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    ArticleFactory.create_batch(5)
    pages = [local(u) for u in index_locations(client) if "articles" in u]
    assert pages == ["/sitemap-articles.xml", "/sitemap-articles.xml?p=2", "/sitemap-articles.xml?p=3"]
    counts = [len(valid_urlset(client, page, sitemap_schema).findall("sm:url", NS)) for page in pages]
    assert counts == [2, 2, 1]
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-articles.xml?p=abc").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_google_news_sitemap_holds_the_last_two_days(client, sitemap_schema):
    now = datetime(2025, 3, 20, 12, 0, tzinfo=BAGHDAD)
    with time_machine.travel(now, tick=False):
        fresh = ArticleFactory(headline="خبر قبل ساعة", published_at=now - timedelta(hours=1))
        edge = ArticleFactory(
            headline="خبر قبل يومين إلا دقيقة", published_at=now - timedelta(hours=47, minutes=59)
        )
        ArticleFactory(headline="خبر قديم", published_at=now - timedelta(hours=49))
        ArticleFactory(headline="خبر مجدول", published_at=now + timedelta(hours=1))
        document = valid_urlset(client, "/sitemap-news.xml", sitemap_schema)
        titles = [t.text for t in document.iter(f"{{{NS['news']}}}title")]
        assert titles == [fresh.headline, edge.headline]
        first = document.find("sm:url/news:news", NS)
        assert first.findtext("news:publication/news:name", namespaces=NS) == "خبر"
        assert first.findtext("news:publication/news:language", namespaces=NS) == "ar"
        assert first.findtext("news:publication_date", namespaces=NS) == "2025-03-20T11:00:00+03:00"
    with time_machine.travel(now + timedelta(minutes=2), tick=False):
        titles = [t.text for t in fetch_xml(client, "/sitemap-news.xml").iter(f"{{{NS['news']}}}title")]
        assert titles == [fresh.headline]
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        titles = [t.text for t in fetch_xml(client, "/sitemap-news.xml").iter(f"{{{NS['news']}}}title")]
        assert titles == ["خبر مجدول", fresh.headline]


def test_google_news_sitemap_stops_at_one_thousand(client, sitemap_schema):
    section, agency = SectionFactory(), AgencyFactory()
    now = datetime.now(tz=BAGHDAD)
    Article.objects.bulk_create(
        Article(
            headline=f"خبر {n}",
            slug=f"khabar-{n}",
            body="<p>نص</p>",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=n + 1),
            section=section,
            agency=agency,
        )
        for n in range(1005)
    )
    document = valid_urlset(client, "/sitemap-news.xml", sitemap_schema)
    titles = [t.text for t in document.iter(f"{{{NS['news']}}}title")]
    assert len(titles) == 1000 and titles[0] == "خبر 0" and titles[-1] == "خبر 999"


def test_news_sitemap_survives_control_characters(client, sitemap_schema):
    ArticleFactory(headline="عنوان\x07 <مريب> & \x1b")
    document = valid_urlset(client, "/sitemap-news.xml", sitemap_schema)
    assert document.findtext("sm:url/news:news/news:title", namespaces=NS) == "عنوان <مريب> & "


def test_robots_txt_names_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in lines
    assert "Sitemap: http://127.0.0.1:8000/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines
