"""JSON-LD and OpenGraph on the article page, read back with extruct."""

import extruct
import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from khabar.distribution.structured import LOGO
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def extract(client, article) -> dict:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    data = extruct.extract(html, base_url=article.canonical_url, syntaxes=["json-ld", "opengraph"])
    # OpenGraph as property -> [values] (article:tag repeats).
    og = {}
    for block in data["opengraph"]:
        for name, value in block["properties"]:
            og.setdefault(name, []).append(value)
    return {"json-ld": data["json-ld"], "og": og, "html": html}


def by_type(data: dict, kind: str) -> dict:
    (found,) = [item for item in data["json-ld"] if item["@type"] == kind]
    return found


def test_sample_article_has_news_article_json_ld(client, sample_article):
    data = extract(client, sample_article)
    article = by_type(data, "NewsArticle")
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == "التقارب التركي السوري: اتفاقات عسكرية ودفاعية في الأفق"
    assert article["datePublished"] == "2025-03-18T01:41:00+03:00"
    assert article["dateModified"] == "2025-03-18T01:41:00+03:00"
    assert article["inLanguage"] == "ar" and article["articleSection"] == "سياسة"
    assert article["author"] == {"@type": "Organization", "name": "وكالة أنباء آسيا"}
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": sample_article.canonical_url}
    publisher = article["publisher"]
    assert publisher["name"] == "خبر" and publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"].startswith("http://127.0.0.1:8000/static/khabar/logo.")
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (600, 60)


def test_publisher_logo_file_matches_the_declared_size():
    path, width, height = LOGO
    with Image.open(finders.find(path)) as logo:
        assert logo.size == (width, height) and logo.format == "PNG"


def test_sample_article_has_a_breadcrumb_trail(client, sample_article):
    trail = by_type(extract(client, sample_article), "BreadcrumbList")["itemListElement"]
    assert [(i["position"], i["name"]) for i in trail] == [
        (1, "خبر"),
        (2, "سياسة"),
        (3, sample_article.headline),
    ]
    assert trail[1]["item"] == "http://127.0.0.1:8000" + sample_article.section.get_absolute_url()
    assert trail[2]["item"] == sample_article.canonical_url


def test_sample_article_opengraph(client, sample_article):
    sample_article.tags.add(TagFactory(name="تركيا"), TagFactory(name="سوريا"))
    og = extract(client, sample_article)["og"]
    assert og["og:type"] == ["article"]
    assert og["og:title"] == [sample_article.headline]
    assert og["og:url"] == [sample_article.canonical_url]
    assert og["og:locale"] == ["ar_AR"]
    assert og["article:published_time"] == ["2025-03-18T01:41:00+03:00"]
    assert og["article:section"] == ["سياسة"]
    assert sorted(og["article:tag"]) == ["تركيا", "سوريا"]


def test_image_article_declares_image_sizes_in_json_ld_and_opengraph(client, image_article):
    image_article.image_renditions = [
        {"name": "lead/r/a-480.jpg", "width": 480, "height": 320},
        {"name": "lead/r/a-1200.jpg", "width": 1200, "height": 800},
    ]
    image_article.save()
    data = extract(client, image_article)
    image = by_type(data, "NewsArticle")["image"]
    assert image["url"] == "http://127.0.0.1:8000/media/lead/r/a-1200.jpg"
    assert (image["width"], image["height"]) == (1200, 800)
    og = data["og"]
    (og_image,) = og["og:image"]
    assert og_image.endswith("/media/lead/r/a-1200.jpg")
    assert (og["og:image:width"], og["og:image:height"]) == (["1200"], ["800"])
    assert '<meta name="twitter:card" content="summary_large_image">' in data["html"]


def test_a_headline_cannot_break_out_of_the_json_ld_block(client):
    nasty = '</script><script>alert("x")</script><!-- & \u2028'
    article = ArticleFactory(headline=nasty, summary=nasty)
    data = extract(client, article)
    assert by_type(data, "NewsArticle")["headline"] == nasty
    assert "<script>alert" not in data["html"]
    scripts = data["html"].count("<script")
    assert scripts == data["html"].count('<script type="application/ld+json">') + 1  # + article.js


def test_article_with_author_tags_and_image_stays_within_five_queries(
    client, image_article, django_assert_max_num_queries
):
    image_article.author = image_article.agency.articles.model.author.field.related_model.objects.create(
        name="مراسل خاص", slug="murasil"
    )
    image_article.save()
    with django_assert_max_num_queries(5):
        response = client.get(image_article.get_absolute_url())
    assert '"@type": "Person", "name": "مراسل خاص"' in response.content.decode()
