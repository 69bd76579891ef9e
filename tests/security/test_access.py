"""T-29: no draft, story in review, unpublished or scheduled story on any
public surface (every page, feed, sitemap and API route the URLconf has,
anonymous and with an API key), until its time comes."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from khabar.news.models import Article
from tests.factories import ArticleFactory

from . import surfaces

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(world):
    now = timezone.now()
    return {
        "zqdraft": ArticleFactory(headline="مسودة zqdraft", status=Article.Status.DRAFT, published_at=None),
        "zqreview": world.review,
        "zqunpub": ArticleFactory(headline="ملغى zqunpub", status=Article.Status.UNPUBLISHED),
        "zqsched": ArticleFactory(headline="مجدول zqsched", published_at=now + timedelta(hours=1)),
    }


def _public_text(clients, pool) -> str:
    seen = []
    for client in clients:
        for surface in surfaces.discover(client, pool)[0]:
            if surface.login_required:
                continue
            # Searches use the stories' words, not the markers (a search page echoes its query).
            for params in (
                {},
                {"q": "مسودة"},
                {"q": "ملغى"},
                {"q": "مجدول"},
                {"q": "المراجعة"},
                {"page": "2"},
            ):
                seen.append(client.get(surface.url, params).content.decode("utf-8", "replace"))
    return "\n".join(seen)


def test_unpublished_and_scheduled_stories_appear_on_no_public_surface(world, hidden, settings):
    settings.API_RATE_LIMIT = 10**9
    clients = [Client()]
    try:
        from khabar.distribution.services import apikey_create
    except ImportError:
        pass
    else:
        clients.append(Client(HTTP_X_API_KEY=apikey_create(name="leak-check")[1]))
    text = _public_text(clients, world.pool)
    assert world.article.headline in text  # the check can see a published story
    for marker, article in hidden.items():
        assert marker not in text, marker
        for url in (article.get_absolute_url(), article.get_print_url(), article.get_comment_url()):
            assert Client().get(url).status_code == 404, url


def test_a_scheduled_story_appears_when_its_time_comes(world, hidden):
    article = hidden["zqsched"]
    with time_machine.travel(article.published_at + timedelta(seconds=1)):
        assert Client().get(article.get_absolute_url()).status_code == 200
        assert "zqsched" in Client().get("/").content.decode()
