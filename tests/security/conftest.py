from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from khabar.comments.models import Comment
from khabar.news.models import Article
from tests.factories import ArticleFactory, TagFactory

from . import surfaces

STAFF_PASSWORD = "a-long-editor-passphrase-2025"


@pytest.fixture
def world(db):
    """A small published site: a tagged story with an approved comment, and
    an administrator. `pool` holds the values URL arguments are filled from."""
    tag = TagFactory(name="اقتصاد", slug="iqtisad")
    article = ArticleFactory(headline="خبر عن الاقتصاد والأسواق")
    article.tags.add(tag)
    Comment.objects.create(article=article, name="قارئ", body="تعليق منشور", status=Comment.Status.APPROVED)
    # A story in review puts the newsroom's workflow forms on the dashboard.
    review = ArticleFactory(
        headline="خبر قيد المراجعة zqreview", status=Article.Status.REVIEW, published_at=None
    )
    admin = get_user_model().objects.create_superuser("chief", "chief@example.com", STAFF_PASSWORD)
    pool = {
        "pk": [article.pk],
        "article_id": [article.pk],
        "slug": [article.slug, article.section.slug, tag.slug],
        "section": ["news", article.section.slug, "articles", "sections", "tags", "static"],
        "<int>": [article.pk, 1],
        "<str>": [article.slug, article.section.slug, tag.slug, "x"],
        "<path>": ["x"],
    }
    return SimpleNamespace(
        article=article, review=review, section=article.section, tag=tag, admin=admin, pool=pool
    )


@pytest.fixture
def staff_client(world):
    client = Client()
    client.force_login(world.admin)
    return client


@pytest.fixture
def public_surfaces(world, client):
    found, _ = surfaces.discover(client, world.pool)
    return [s for s in found if not s.login_required]
