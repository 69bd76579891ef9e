import io
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from jsonschema import Draft202012Validator
from lxml import etree
from PIL import Image

from khabar.distribution.services import apikey_create
from tests.factories import ArticleFactory, TagFactory

STANDARDS = Path(__file__).resolve().parents[1] / "data" / "standards"


@pytest.fixture(scope="session")
def ninjs_validator():
    schema = json.loads((STANDARDS / "ninjs" / "ninjs-schema_3.1.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="session")
def newsml_schema():
    return etree.XMLSchema(etree.parse(str(STANDARDS / "newsml-g2" / "NewsML-G2_2.35-spec-All-Power.xsd")))


@pytest.fixture(scope="session")
def sitemap_schema():
    """sitemap.xsd plus our schema for Google's news: elements, which the
    strict ##other wildcard of sitemap.xsd insists on checking."""
    folder = STANDARDS / "sitemaps"
    driver = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" schemaLocation="sitemap.xsd"/>
      <xs:import namespace="http://www.google.com/schemas/sitemap-news/0.9"
                 schemaLocation="news-sitemap-khabar.xsd"/>
    </xs:schema>"""
    return etree.XMLSchema(etree.fromstring(driver.encode(), base_url=f"{folder}/"))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def image_article(media):
    article = ArticleFactory(
        headline="افتتاح معرض بغداد الدولي للكتاب",
        summary="دور نشر من عشرين بلداً",
        image_alt="زوار في أروقة المعرض",
        image_caption="أروقة المعرض صباح الافتتاح",
        image_credit="تصوير: وكالة أنباء آسيا",
    )
    article.image.save("lead.jpg", ContentFile(jpeg(1200, 800)), save=True)
    article.tags.add(TagFactory(name="ثقافة"), TagFactory(name="كتب"))
    return article


@pytest.fixture
def api_key(db):
    _, secret = apikey_create(name="صحيفة الشرق")
    return secret
