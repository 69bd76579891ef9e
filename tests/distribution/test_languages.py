"""A story's language in feeds, sitemaps, ninjs, NewsML-G2 and JSON-LD; each
edition's feeds list that edition's stories."""

import json

import extruct
import pytest
from lxml import etree

from khabar.distribution.newsml import article_to_newsml
from khabar.distribution.ninjs import article_to_ninjs
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
NAR = {"g2": "http://iptc.org/std/nar/2006-10-01/", "h": "http://www.w3.org/1999/xhtml"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def english(db):
    return ArticleFactory(
        language="en", headline="Ceasefire talks resume in Doha", body="<p>Talks resumed.</p>"
    )


@pytest.fixture
def arabic(db):
    return ArticleFactory(headline="استئناف محادثات وقف إطلاق النار")


def test_ninjs_reports_the_story_language(ninjs_validator, english, arabic):
    data = article_to_ninjs(english)
    assert data["language"] == "en"
    assert (
        data["altIds"][0]["value"].endswith(english.get_absolute_url())
        and "/en/news/" in data["altIds"][0]["value"]
    )
    assert not list(ninjs_validator.iter_errors(data))
    assert article_to_ninjs(arabic)["language"] == "ar"


def test_newsml_reports_the_story_language(newsml_schema, english):
    document = etree.fromstring(article_to_newsml(english))
    assert newsml_schema.validate(document), newsml_schema.error_log
    assert document.get(XML_LANG) == "en"
    assert document.find("g2:contentMeta/g2:language", NAR).get("tag") == "en"
    page = document.find(".//h:html", NAR)
    assert (page.get("lang"), page.get("dir")) == ("en", "ltr")


def test_json_ld_reports_the_story_language(client, english):
    html = client.get(english.get_absolute_url()).content.decode()
    data = extruct.extract(html, base_url=english.canonical_url, syntaxes=["json-ld"])["json-ld"]
    (story,) = [item for item in data if item["@type"] == "NewsArticle"]
    assert story["inLanguage"] == "en"
    assert story["url"] == english.canonical_url


def test_each_edition_has_its_feeds(client, english, arabic):
    ar_rss = etree.fromstring(client.get("/feeds/rss/").content)
    en_rss = etree.fromstring(client.get("/en/feeds/rss/").content)
    assert ar_rss.findtext("channel/language") == "ar"
    assert en_rss.findtext("channel/language") == "en"
    assert [i.findtext("title") for i in ar_rss.iter("item")] == [arabic.headline]
    assert [i.findtext("title") for i in en_rss.iter("item")] == [english.headline]
    assert en_rss.findtext("channel/title").endswith("Latest news")
    assert en_rss.findtext("channel/link").endswith("/en/")

    atom = etree.fromstring(client.get("/en/feeds/atom/").content)
    assert atom.get(XML_LANG) == "en"
    feed = json.loads(client.get("/en/feeds/json/").content)
    assert feed["language"] == "en" and [i["language"] for i in feed["items"]] == ["en"]
    assert feed["items"][0]["url"] == english.canonical_url
    assert json.loads(client.get("/feeds/json/").content)["language"] == "ar"


def test_pages_advertise_their_own_edition_feeds(client, english):
    html = client.get("/en/").content.decode()
    assert 'href="/en/feeds/rss/"' in html and 'href="/en/feeds/json/"' in html


def test_news_sitemap_and_api_give_each_story_its_language(client, english, arabic, settings):
    sitemap = client.get("/sitemap-news.xml").content.decode()
    assert f"<loc>{english.canonical_url}</loc>" in sitemap
    assert "<news:language>en</news:language>" in sitemap and "<news:language>ar</news:language>" in sitemap
