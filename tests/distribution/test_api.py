"""The subscribers' API, through HTTP."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from jsonschema import Draft202012Validator
from lxml import etree

from khabar.distribution.services import apikey_create, apikey_revoke
from khabar.news.models import Article
from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()


@pytest.fixture
def api(client, api_key):
    def get(path, **headers):
        headers.setdefault("HTTP_X_API_KEY", api_key)
        return client.get(f"/api/v1{path}", **headers)

    return get


def body(response):
    return json.loads(response.content)


def test_missing_invalid_or_revoked_key_is_401_json(client, api_key):
    _, revoked = apikey_create(name="مشترك سابق")
    apikey_revoke(name="مشترك سابق")
    for headers in (
        {},
        {"HTTP_X_API_KEY": "khb_wrong"},
        {"HTTP_X_API_KEY": revoked},
        {"HTTP_AUTHORIZATION": f"Bearer {revoked}"},
        {"HTTP_AUTHORIZATION": f"Basic {api_key}"},
    ):
        response = client.get("/api/v1/articles", **headers)
        assert response.status_code == 401, headers
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert body(response)["error"] == "unauthorized"


def test_key_works_in_either_header(client, api_key):
    assert client.get("/api/v1/articles", HTTP_X_API_KEY=api_key).status_code == 200
    assert client.get("/api/v1/articles", HTTP_AUTHORIZATION=f"Bearer {api_key}").status_code == 200


def test_key_in_the_query_string_is_refused(client, api_key):
    for name in ("api_key", "key", "token"):
        response = client.get(f"/api/v1/articles?{name}={api_key}", HTTP_X_API_KEY=api_key)
        assert response.status_code == 401 and body(response)["error"] == "key_in_query"
    assert client.get(f"/api/v1/articles?api_key={api_key}").status_code == 401


@time_machine.travel(datetime(2025, 3, 18, 12, 0, 10, tzinfo=UTC), tick=False)  # mid-window, always
def test_rate_limit_answers_429_with_retry_after(api, settings):
    settings.API_RATE_LIMIT = 3
    assert [api("/articles").status_code for _ in range(3)] == [200, 200, 200]
    response = api("/articles")
    assert response.status_code == 429 and body(response)["error"] == "rate_limited"
    assert int(response["Retry-After"]) == settings.API_RATE_WINDOW - 10


@time_machine.travel(datetime(2025, 3, 18, 12, 0, 10, tzinfo=UTC), tick=False)
def test_rate_limit_is_per_key(api, client, settings):
    settings.API_RATE_LIMIT = 1
    _, other = apikey_create(name="مشترك آخر")
    assert api("/articles").status_code == 200
    assert api("/articles").status_code == 429
    assert client.get("/api/v1/articles", HTTP_X_API_KEY=other).status_code == 200


def test_every_api_response_is_an_attachment_with_nosniff(api, client, sample_article):
    responses = [
        api("/articles"),
        api(f"/articles/{sample_article.pk}"),
        api(f"/articles/{sample_article.pk}/ninjs"),
        api(f"/articles/{sample_article.pk}/newsml"),
        api("/changes"),
        api("/articles/999999"),
        api("/nothing/here"),
        client.get("/api/v1/articles"),
        client.post("/api/v1/articles"),
        client.get("/api/v1/openapi.json"),
    ]
    for response in responses:
        assert response["Content-Disposition"].startswith("attachment"), response
        assert response["X-Content-Type-Options"] == "nosniff"
    assert responses[3]["Content-Disposition"] == 'attachment; filename="api.xml"'


def test_undeclared_methods_are_405(client, api_key, sample_article):
    response = client.post("/api/v1/articles", HTTP_X_API_KEY=api_key)
    assert response.status_code == 405 and response["Allow"] == "GET"
    for method in ("put", "patch", "delete", "options"):
        for path in ("/api/v1/articles", f"/api/v1/articles/{sample_article.pk}/ninjs", "/api/v1/changes"):
            response = getattr(client, method)(path, HTTP_X_API_KEY=api_key)
            assert response.status_code == 405 and "GET" in response["Allow"], (method, path)
            assert response["Content-Disposition"].startswith("attachment")


def test_one_article_as_json(api, image_article):
    image_article.tags.add(TagFactory(name="معارض"))
    data = body(api(f"/articles/{image_article.pk}"))
    assert data["headline"] == image_article.headline and data["language"] == "ar"
    assert data["uri"].startswith("urn:newsml:") and data["links"]["html"] == image_article.canonical_url
    assert {t["name"] for t in data["tags"]} == {"ثقافة", "كتب", "معارض"}
    assert data["image"]["width"] == 1200 and data["image"]["mime_type"] == "image/jpeg"
    assert data["body_html"] == "<p>نص الخبر.</p>"


def test_one_article_as_ninjs_and_newsml(api, sample_article, ninjs_validator, newsml_schema):
    ninjs = body(api(f"/articles/{sample_article.pk}/ninjs"))
    assert list(ninjs_validator.iter_errors(ninjs)) == []
    newsml = api(f"/articles/{sample_article.pk}/newsml")
    assert newsml["Content-Type"] == "application/vnd.iptc.g2.newsitem+xml; charset=utf-8"
    document = etree.fromstring(newsml.content)
    assert newsml_schema.validate(document) and document.get("guid") == ninjs["uri"]


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(hours=1)},
    ],
)
def test_unpublished_or_future_articles_are_never_served(api, state):
    article = ArticleFactory(**state)
    for suffix in ("", "/ninjs", "/newsml"):
        response = api(f"/articles/{article.pk}{suffix}")
        assert response.status_code == 404 and body(response)["error"] == "not_found"
    assert body(api("/articles"))["items"] == []


def test_list_filters_by_section_tag_and_update_time(api):
    sport, economy = SectionFactory(name="رياضة"), SectionFactory(name="اقتصاد")
    tag = TagFactory(name="النفط")
    old = ArticleFactory(section=economy, published_at=timezone.now() - timedelta(days=3))
    Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    oil = ArticleFactory(section=economy)
    oil.tags.add(tag)
    match = ArticleFactory(section=sport)

    def ids(query):
        return [item["id"] for item in body(api(f"/articles?{query}"))["items"]]

    assert ids(f"section={sport.slug}") == [match.pk]
    assert ids(f"tag={tag.slug}") == [oil.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+", "%2B")
    assert set(ids(f"updated_since={since}")) == {oil.pk, match.pk}
    assert ids("section=lا-يوجد") == []


def test_cursor_pagination_walks_every_story_once(api):
    articles = ArticleFactory.create_batch(7)
    seen, cursor, pages = [], None, 0
    while True:
        data = body(api("/articles?limit=3" + (f"&cursor={cursor}" if cursor else "")))
        seen += [item["id"] for item in data["items"]]
        pages += 1
        cursor = data["next_cursor"]
        if cursor is None:
            break
    expected = [a.pk for a in sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)]
    assert seen == expected and pages == 3


def test_bad_parameters_are_4xx_json_not_500(api):
    for query in (
        "cursor=%%%",
        "cursor=bm90LWEtY3Vyc29y",
        "cursor=1.2.3",
        "limit=0",
        "limit=101",
        "limit=abc",
        "updated_since=yesterday",
        "updated_since=0.5",
        "updated_since=1700000000",
        "section=%00",
        "tag=a%20b",
    ):
        response = api(f"/articles?{query}")
        assert response.status_code == 422, query
        assert body(response)["error"] == "invalid_request", query
    for path in (
        "/articles/0",
        "/articles/99999999999999999999",
        "/articles/-1",
        "/articles/abc",
        "/articles/%0A",
    ):
        response = api(path)
        assert response.status_code in (404, 422), path
        assert response["Content-Type"].startswith("application/json") and "error" in body(response), path


def test_any_well_formed_cursor_or_time_is_answered(api, sample_article):
    for query in (
        "cursor=0.0",
        "cursor=9999999999999999.999999999999999999",
        "updated_since=0001-01-01T00:00:00%2B14:00",
        "updated_since=9999-12-31T23:59:59-23:59",
        "updated_since=2025-01-01T00:00:00",
    ):
        assert api(f"/articles?{query}").status_code == 200, query
    for query in ("since=0001-01-01T00:00:00Z", "since=9999-12-31T23:59:59Z", "cursor=0.0"):
        assert api(f"/changes?{query}").status_code == 200, query


def test_changes_feed_reports_publication_correction_and_withdrawal(api):
    published = ArticleFactory()
    corrected = ArticleFactory(last_update=timezone.now())
    withdrawn = ArticleFactory(status=Article.Status.UNPUBLISHED)
    ArticleFactory(published_at=timezone.now() + timedelta(hours=1))  # scheduled: not yet news
    ArticleFactory(status=Article.Status.DRAFT)
    data = body(api("/changes"))
    actions = {item["id"]: (item["action"], item["pub_status"]) for item in data["items"]}
    assert actions == {
        published.pk: ("published", "usable"),
        corrected.pk: ("updated", "usable"),
        withdrawn.pk: ("withdrawn", "canceled"),
    }
    (gone,) = [item for item in data["items"] if item["id"] == withdrawn.pk]
    assert gone["href"] is None and "headline" not in gone
    assert data["has_more"] is False


def test_changes_feed_resumes_from_its_cursor(api):
    first = ArticleFactory()
    cursor = body(api("/changes"))["next_cursor"]
    assert body(api(f"/changes?cursor={cursor}"))["items"] == []
    first.status = Article.Status.UNPUBLISHED
    first.save()
    second = ArticleFactory()
    items = body(api(f"/changes?cursor={cursor}"))["items"]
    assert [(i["id"], i["action"]) for i in items] == [(first.pk, "withdrawn"), (second.pk, "published")]


def test_the_api_root_points_to_its_description(client):
    assert body(client.get("/api/v1/")) == {"openapi": "/api/v1/openapi.json", "docs": "/api/v1/docs"}


def test_openapi_document_and_docs_are_served(client):
    schema = body(client.get("/api/v1/openapi.json"))
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/articles", "/api/v1/changes", "/api/v1/articles/{article_id}/ninjs"} <= set(
        schema["paths"]
    )
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"apiKey", "http"}
    docs = client.get("/api/v1/docs")
    html = docs.content.decode()
    assert docs.status_code == 200 and "Content-Disposition" not in docs
    assert "/static/ninja/swagger-ui-bundle" in html and "cdn" not in html.lower()
    Draft202012Validator.check_schema(schema["components"]["schemas"]["ArticleOut"])


OPENAPI_UNDER_OO = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from khabar.distribution.api import api
print(json.dumps(api.get_openapi_schema()))
"""


def test_the_openapi_document_keeps_its_descriptions_in_the_server_interpreter():
    """`khabar serve` runs Python with -OO (no docstrings): a description
    written as a docstring would vanish from the served document."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from khabar.distribution.api import api
    from khabar.pagecache.management.commands.serve import PYTHON_FLAGS

    here = json.loads(json.dumps(api.get_openapi_schema()))
    served = subprocess.run(
        [sys.executable, *PYTHON_FLAGS, "-c", OPENAPI_UNDER_OO],
        cwd=Path(__file__).resolve().parents[2],
        env={k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(served.stdout) == here
    descriptions = [op.get("description") for path in here["paths"].values() for op in path.values()]
    assert "Newest first. Follow `next_cursor` until it is null." in descriptions
