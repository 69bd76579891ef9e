"""Every feed, read back by a real feed parser."""

import json
from datetime import datetime
from types import SimpleNamespace

import feedparser
import pytest
from django.urls import reverse

from khabar.news.models import Section, Tag
from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db
FORMATS = ("rss", "atom", "json")
SAMPLE_HEADLINE = "التقارب التركي السوري: اتفاقات عسكرية ودفاعية في الأفق"


def feed_urls(section: Section, tag: Tag) -> list[str]:
    urls = [reverse(f"distribution:feed-site-{f}") for f in FORMATS]
    urls += [reverse(f"distribution:feed-section-{f}", kwargs={"slug": section.slug}) for f in FORMATS]
    urls += [reverse(f"distribution:feed-tag-{f}", kwargs={"slug": tag.slug}) for f in FORMATS]
    return urls


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if response["Content-Type"] == "application/feed+json":
        return response, parse_json_feed(response.content)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return response, parsed


def parse_json_feed(content: bytes) -> SimpleNamespace:
    """feedparser 6.0 reads no JSON Feed: check JSON Feed 1.1's required members
    and give the items the shape feedparser gives RSS/Atom entries."""
    data = json.loads(content)
    assert data["version"] == "https://jsonfeed.org/version/1.1" and data["title"]
    entries = []
    for item in data["items"]:
        assert item["id"] and (item.get("content_html") or item.get("content_text"))
        datetime.fromisoformat(item["date_published"])
        entries.append(
            SimpleNamespace(
                title=item["title"],
                link=item["url"],
                content=[SimpleNamespace(value=item["content_html"])],
                author=item["authors"][0]["name"],
                tags=[SimpleNamespace(term=t) for t in item["tags"]],
                enclosures=[
                    SimpleNamespace(href=a["url"], type=a["mime_type"], length=a["size_in_bytes"])
                    for a in item.get("attachments", [])
                ],
            )
        )
    return SimpleNamespace(feed={"language": data["language"]}, entries=entries)


def test_every_feed_parses_cleanly_with_the_full_arabic_story(client, sample_article):
    tag = TagFactory(name="تركيا")
    sample_article.tags.add(tag)
    for url in feed_urls(sample_article.section, tag):
        response, parsed = parse(client, url)
        (entry,) = parsed.entries
        assert entry.title == SAMPLE_HEADLINE, url
        assert entry.link == sample_article.canonical_url
        assert "تشهد العلاقات بين أنقرة ودمشق" in entry.content[0].value
        assert "<li>" in entry.content[0].value
        assert entry.author == "وكالة أنباء آسيا"
        assert {t.term for t in entry.tags} >= {"سياسة", "تركيا"}
        assert parsed.feed.get("language", "ar").startswith("ar"), url


def test_rss_and_atom_declare_arabic_and_their_media_types(client, sample_article):
    rss = client.get(reverse("distribution:feed-site-rss"))
    atom = client.get(reverse("distribution:feed-site-atom"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert feedparser.parse(rss.content).feed.language == "ar"
    assert b'xml:lang="ar"' in atom.content


def test_lead_image_travels_as_an_enclosure(client, image_article):
    for fmt in FORMATS:
        _, parsed = parse(client, reverse(f"distribution:feed-site-{fmt}"))
        (enclosure,) = parsed.entries[0].enclosures
        assert enclosure.href == image_article.canonical_url.split("/news/")[0] + image_article.image.url
        assert enclosure.type == "image/jpeg"
        assert int(enclosure.length) == image_article.image.size


def test_json_feed_follows_version_1_1(client, image_article):
    data = json.loads(client.get(reverse("distribution:feed-site-json")).content)
    assert data["version"] == "https://jsonfeed.org/version/1.1" and data["language"] == "ar"
    (item,) = data["items"]
    assert item["title"] == image_article.headline and item["url"] == image_article.canonical_url
    assert item["date_published"].endswith("+03:00") and item["authors"] == [{"name": "وكالة أنباء آسيا"}]
    assert item["tags"][0] == "سياسة" and set(item["tags"][1:]) == {"ثقافة", "كتب"}
    assert item["attachments"][0]["size_in_bytes"] == image_article.image.size


def test_control_characters_never_break_a_feed(client):
    section = SectionFactory(name="منوعات\x0b")
    tag = TagFactory(name="وسم\x01غريب")
    article = ArticleFactory(
        section=section,
        headline="عنوان\x07 فيه </title> & رموز\x1b",
        summary="ملخص\x0c",
        body="<p>نص\x08 الخبر</p>",
    )
    article.tags.add(tag)
    for url in feed_urls(section, tag):
        _, parsed = parse(client, url)
        assert parsed.entries[0].title == "عنوان فيه </title> & رموز", url


def test_feeds_hold_the_latest_fifty_newest_first(client):
    section = SectionFactory(name="رياضة")
    articles = ArticleFactory.create_batch(55, section=section)
    for url in (
        reverse("distribution:feed-site-rss"),
        reverse("distribution:feed-section-atom", args=[section.slug]),
    ):
        _, parsed = parse(client, url)
        assert len(parsed.entries) == 50
    newest = max(articles, key=lambda a: (a.published_at, a.pk))
    assert parsed.entries[0].title == newest.headline


def test_section_feed_shows_only_its_section(client):
    sport, economy = SectionFactory(name="رياضة"), SectionFactory(name="اقتصاد")
    ArticleFactory(section=sport, headline="مباراة القمة")
    ArticleFactory(section=economy, headline="سعر النفط")
    _, parsed = parse(client, reverse("distribution:feed-section-rss", args=[sport.slug]))
    assert [e.title for e in parsed.entries] == ["مباراة القمة"]


def test_unknown_section_or_tag_feed_is_404(client):
    assert client.get(reverse("distribution:feed-section-rss", args=["لا-يوجد"])).status_code == 404
    assert client.get(reverse("distribution:feed-tag-json", args=["لا-يوجد"])).status_code == 404


def test_pages_advertise_their_feeds(client, sample_article):
    tag = TagFactory(name="تركيا")
    sample_article.tags.add(tag)
    pages = {
        "/": [reverse(f"distribution:feed-site-{f}") for f in FORMATS],
        sample_article.get_absolute_url(): [reverse(f"distribution:feed-site-{f}") for f in FORMATS],
        sample_article.section.get_absolute_url(): feed_urls(sample_article.section, tag)[3:6],
        tag.get_absolute_url(): feed_urls(sample_article.section, tag)[6:],
    }
    for page, feeds in pages.items():
        html = client.get(page).content.decode()
        for href in feeds:
            assert f'href="{href}"' in html and 'rel="alternate"' in html, (page, href)
            assert client.get(href).status_code == 200


def test_feeds_refuse_writes(client, sample_article):
    assert client.post(reverse("distribution:feed-site-rss")).status_code == 405
    assert client.delete(reverse("distribution:feed-site-json")).status_code == 405
