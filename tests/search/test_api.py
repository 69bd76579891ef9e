"""GET /api/v1/search: the same search for API subscribers."""

import json

import pytest
from django.core.cache import cache

from khabar.distribution.services import apikey_create
from tests.factories import SectionFactory


@pytest.fixture
def api(client, db):
    cache.clear()
    _, secret = apikey_create(name="صحيفة الشرق")

    def get(**params):
        response = client.get("/api/v1/search", params, HTTP_X_API_KEY=secret)
        return response.status_code, json.loads(response.content)

    return get


def test_api_search_finds_the_sample_article_with_a_marked_snippet(api, sample_article):
    status, data = api(q="احمد الشرع")
    assert status == 200 and data["count"] == 1 and data["next_page"] is None
    (item,) = data["items"]
    assert item["id"] == sample_article.pk and item["headline"] == sample_article.headline
    assert "<mark>أحمد</mark> <mark>الشرع</mark>" in item["snippet_html"]


def test_api_search_pages_sorts_and_filters(api, make_article):
    sport = SectionFactory(name="رياضة", slug="sport")
    for n in range(5):
        make_article(headline=f"ملعب البصرة {n}", section=sport if n % 2 else SectionFactory())
    status, data = api(q="البصرة", sort="new", limit=2)
    assert status == 200 and data["count"] == 5 and len(data["items"]) == 2 and data["next_page"] == 2
    status, data = api(q="البصرة", section="sport")
    assert data["count"] == 2
    status, data = api(q="البصرة", section="nowhere")
    assert status == 200 and data["count"] == 0


@pytest.mark.parametrize("q", ['"', "NEAR(", "سوريا & !تركيا", "'; DROP TABLE x; --", "\x00", "ب" * 5000, ""])
def test_api_search_answers_any_query(api, sample_article, q):
    status, data = api(q=q)
    assert status == 200 and data["count"] == len(data["items"])


def test_api_search_refuses_bad_parameters_as_json(api, sample_article):
    for params in (
        {"sort": "id"},
        {"date_from": "yesterday"},
        {"date_to": "0"},
        {"page": "0"},
        {"section": "<x>"},
    ):
        status, data = api(q="الشرع", **params)
        assert status == 422 and data["error"] == "invalid_request"
