"""ninjs and NewsML-G2 checked against the official IPTC schemas."""

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree

from khabar.distribution.newsml import article_to_newsml
from khabar.distribution.ninjs import article_to_ninjs
from khabar.news.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
NAR = {"g2": "http://iptc.org/std/nar/2006-10-01/", "h": "http://www.w3.org/1999/xhtml"}
NAUGHTY = 'عنوان </script><!-- & "اقتباس" \x07\x0b\x1b <b>غامق</b>'


def assert_valid_ninjs(validator, data):
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def assert_valid_newsml(schema, xml: bytes):
    document = etree.fromstring(xml)
    assert schema.validate(document), schema.error_log
    return document


def test_the_ninjs_schema_check_is_real(ninjs_validator, sample_article):
    data = article_to_ninjs(sample_article)
    for broken in ({**data, "pubStatus": "gone"}, {**data, "uri": "not a uri"}, {**data, "headline": "x"}):
        assert list(ninjs_validator.iter_errors(broken))


def test_sample_article_as_ninjs_is_valid_and_complete(ninjs_validator, sample_article):
    data = article_to_ninjs(sample_article)
    assert_valid_ninjs(ninjs_validator, data)
    assert data["uri"].startswith("urn:newsml:127.0.0.1:") and data["uri"].endswith(f":{sample_article.pk}")
    assert data["headlines"][0]["value"] == "التقارب التركي السوري: اتفاقات عسكرية ودفاعية في الأفق"
    assert data["firstCreated"] == "2025-03-18T01:41:00+03:00"
    assert data["pubStatus"] == "usable" and data["language"] == "ar" and data["type"] == "text"
    html = data["bodies"][0]
    assert html["contentType"] == "text/html" and "<li>" in html["value"] and html["wordCount"] > 300
    assert data["subjects"][0]["name"] == "سياسة" and data["subjects"][0]["rel"] == "section"
    assert data["by"] == "وكالة أنباء آسيا" and "associations" not in data


def test_ninjs_uri_is_stable_across_edits(sample_article):
    before = article_to_ninjs(sample_article)
    sample_article.headline = "عنوان معدّل"
    sample_article.save()
    after = article_to_ninjs(sample_article)
    assert after["uri"] == before["uri"]
    assert int(after["version"]) >= int(before["version"])


def test_article_with_image_has_a_picture_association(ninjs_validator, image_article):
    data = article_to_ninjs(image_article)
    assert_valid_ninjs(ninjs_validator, data)
    (picture,) = data["associations"]
    assert picture["type"] == "picture" and picture["name"] == "leadimage"
    original = picture["renditions"][0]
    assert (original["width"], original["height"], original["contentType"]) == (1200, 800, "image/jpeg")
    assert original["href"].startswith("http://127.0.0.1:8000/media/lead/") and original["sizeInBytes"] > 0
    assert {"role": "caption", "value": "أروقة المعرض صباح الافتتاح"} in picture["descriptions"]
    assert [s["name"] for s in data["subjects"][1:]] == ["ثقافة", "كتب"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"status": Article.Status.UNPUBLISHED}, "canceled"),
        ({"status": Article.Status.DRAFT, "published_at": None}, "withheld"),
        ({"published_at": timezone.now() + timedelta(days=1)}, "withheld"),
    ],
)
def test_pub_status_follows_the_article(ninjs_validator, newsml_schema, state, expected):
    article = ArticleFactory(**state)
    data = article_to_ninjs(article)
    assert_valid_ninjs(ninjs_validator, data)
    assert data["pubStatus"] == expected
    document = assert_valid_newsml(newsml_schema, article_to_newsml(article))
    assert document.find("g2:itemMeta/g2:pubStatus", NAR).get("qcode") == f"stat:{expected}"


def test_sample_article_as_newsml_is_valid(newsml_schema, sample_article):
    document = assert_valid_newsml(newsml_schema, article_to_newsml(sample_article))
    assert document.get("guid") == article_to_ninjs(sample_article)["uri"]
    assert document.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    assert document.findtext("g2:contentMeta/g2:headline", namespaces=NAR) == sample_article.headline
    assert document.find("g2:contentMeta/g2:language", NAR).get("tag") == "ar"
    assert document.find("g2:itemMeta/g2:pubStatus", NAR).get("qcode") == "stat:usable"
    assert document.findtext("g2:itemMeta/g2:firstCreated", namespaces=NAR) == "2025-03-18T01:41:00+03:00"
    subjects = document.findall("g2:contentMeta/g2:subject/g2:name", NAR)
    assert [s.text for s in subjects] == ["سياسة"]
    paragraphs = document.findall("g2:contentSet/g2:inlineXML/h:html/h:body/h:p", NAR)
    assert len(paragraphs) >= 5 and "أنقرة" in paragraphs[0].text
    assert document.findall(".//h:li", NAR)


def test_newsml_of_an_article_with_image_links_the_image(newsml_schema, image_article):
    document = assert_valid_newsml(newsml_schema, article_to_newsml(image_article))
    link = document.find("g2:itemMeta/g2:link[@rel='irel:associatedWith']", NAR)
    assert link.get("href").endswith(".jpg") and link.get("contenttype") == "image/jpeg"
    assert [s.text for s in document.findall("g2:contentMeta/g2:subject/g2:name", NAR)] == [
        "سياسة",
        "ثقافة",
        "كتب",
    ]


def test_the_newsml_schema_check_is_real(newsml_schema, sample_article):
    document = etree.fromstring(article_to_newsml(sample_article))
    document.remove(document.find("g2:itemMeta", NAR))
    assert not newsml_schema.validate(document)


def test_naughty_text_stays_valid_in_both_formats(ninjs_validator, newsml_schema):
    article = ArticleFactory(headline=NAUGHTY, summary=NAUGHTY, body=f"<p>{NAUGHTY}</p><p>ثانٍ<br>سطر</p>")
    data = article_to_ninjs(article)
    assert_valid_ninjs(ninjs_validator, data)
    document = assert_valid_newsml(newsml_schema, article_to_newsml(article))
    headline = document.findtext("g2:contentMeta/g2:headline", namespaces=NAR)
    assert headline.startswith("عنوان </script><!-- &") and "\x07" not in headline
