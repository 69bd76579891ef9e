"""The subscribers' read API at /api/v1/ (django-ninja: typed schemas give the
OpenAPI document and its docs page for free, with little machinery).

Only Article.objects.published() is served; the changes feed also names
withdrawn (unpublished) stories, by identifier only, so subscribers can
retract their copies."""

import json
from datetime import datetime
from typing import Annotated

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from ninja import NinjaAPI, Path, Query, Schema
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer
from pydantic import AfterValidator, BeforeValidator, Field

from khabar.news.models import Article

from .auth import BearerKey, HeaderKey, KeyInQuery, RateLimited
from .cursors import CURSOR, iso_only, sane_moment
from .freshness import current_freshness, not_modified, set_validators
from .newsml import article_to_newsml
from .ninjs import article_to_ninjs
from .schemas import ArticleOut, ArticlePage, ChangePage, ErrorOut, NinjsOut
from .selectors import articles_page, changes_page, public_articles

NEWSML_TYPE = "application/vnd.iptc.g2.newsitem+xml"
# Answers any operation can give, whichever app added it (search adds a router).
COMMON_RESPONSES = {
    "304": "Not modified since the ETag / Last-Modified sent",
    "401": "Missing, invalid or revoked key, or a key in the query string",
    "422": "Invalid parameters",
    "429": "Rate limit reached; see Retry-After",
}


class ArabicJSONRenderer(JSONRenderer):
    # UTF-8 as is: Arabic stays readable (and greppable) instead of \uXXXX.
    json_dumps_params = {"ensure_ascii": False}


class SubscribersAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"]["schemas"].setdefault("ErrorOut", ErrorOut.model_json_schema())
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                for code, description in COMMON_RESPONSES.items():
                    answer = {"description": description} | ({} if code == "304" else {"content": error})
                    operation["responses"].setdefault(code, answer)
        return schema


class LocalSwagger(Swagger):
    """Swagger UI from the files django-ninja ships (served by whitenoise, no
    CDN). ninja renders them itself only when it is an installed app, which it
    is not here: see the distribution part of config/settings.py."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        # Keys travel in headers, never in a cookie: no CSRF token to add.
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api, "add_csrf": False}
        return render(request, self.template, context)


api = SubscribersAPI(
    title="khabar: subscribers' API",
    version="1",
    description="Published stories as JSON, IPTC ninjs 3.1 and NewsML-G2 2.35, and a changes feed. "
    "Send the key in `X-Api-Key` or `Authorization: Bearer`.",
    urls_namespace="distribution:api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # No validator badge: the docs page must not call anywhere but this site.
    docs=LocalSwagger(settings={"validatorUrl": None}),
    auth=[HeaderKey(), BearerKey()],
    renderer=ArabicJSONRenderer(),
)


def _error(request, status: int, error: str, detail: str, **extra) -> HttpResponse:
    return api.create_response(request, {"error": error, "detail": detail, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    response = _error(request, 401, "unauthorized", "مفتاح API مفقود أو غير صالح أو ملغى.")
    response["WWW-Authenticate"] = 'Bearer realm="khabar"'
    return response


@api.exception_handler(KeyInQuery)
def _key_in_query(request, exc):
    return _error(
        request, 401, "key_in_query", "يُرسل المفتاح في ترويسة X-Api-Key أو Authorization، لا في الرابط."
    )


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    response = _error(request, 429, "rate_limited", "تجاوزت عدد الطلبات المسموح به؛ أعد المحاولة لاحقاً.")
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors = [
        {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors
    ]
    return _error(request, 422, "invalid_request", "معاملات الطلب غير صالحة.", errors=errors)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", "لا يوجد خبر منشور بهذا المعرّف.")


Moment = Annotated[datetime, BeforeValidator(iso_only), AfterValidator(sane_moment)]
SLUG = r"^[-\w]+$"
ArticleId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class ArticleFilters(Schema):
    section: str | None = Field(None, max_length=100, pattern=SLUG, description="slug of a section")
    tag: str | None = Field(None, max_length=100, pattern=SLUG, description="slug of a tag")
    updated_since: Moment | None = Field(None, description="changed (edited or made public) at or after")
    cursor: str | None = Field(
        None, max_length=200, pattern=CURSOR, description="next_cursor of a previous page"
    )
    limit: int = Field(20, ge=1, le=100)


# Operation descriptions go in `description`, not in docstrings: `khabar
# serve` runs without docstrings (-OO), and the served document must not lose them.
@api.get(
    "/articles",
    response=ArticlePage,
    url_name="articles",
    summary="List stories",
    description="Newest first. Follow `next_cursor` until it is null.",
)
def list_articles(request, response: HttpResponse, filters: Query[ArticleFilters]):
    if (cached := _conditional(request, response)) is not None:
        return cached
    items, next_cursor = articles_page(**filters.dict())
    return {"items": items, "next_cursor": next_cursor}


def _one(article_id: int) -> Article:
    return get_object_or_404(public_articles(), pk=article_id)


ONE = {200: ArticleOut, 404: ErrorOut}


@api.get("/articles/{int:article_id}", response=ONE, url_name="article", summary="One story as JSON")
def get_article(request, response: HttpResponse, article_id: ArticleId):
    if (cached := _conditional(request, response)) is not None:
        return cached
    return _one(article_id)


@api.get(
    "/articles/{int:article_id}/ninjs",
    response={200: NinjsOut, 404: ErrorOut},
    url_name="article_ninjs",
    summary="One story as IPTC ninjs 3.1",
)
def get_article_ninjs(request, response: HttpResponse, article_id: ArticleId):
    if (cached := _conditional(request, response)) is not None:
        return cached
    data = article_to_ninjs(_one(article_id))
    return _with(response, JsonResponse(data, json_dumps_params={"ensure_ascii": False}))


@api.get(
    "/articles/{int:article_id}/newsml",
    response={404: ErrorOut},
    url_name="article_newsml",
    summary="One story as a NewsML-G2 2.35 newsItem",
    openapi_extra={
        "responses": {
            "200": {
                "description": "NewsML-G2 newsItem",
                "content": {NEWSML_TYPE: {"schema": {"type": "string"}}},
            }
        }
    },
)
def get_article_newsml(request, response: HttpResponse, article_id: ArticleId):
    if (cached := _conditional(request, response)) is not None:
        return cached
    xml = article_to_newsml(_one(article_id))
    return _with(response, HttpResponse(xml, content_type=f"{NEWSML_TYPE}; charset=utf-8"))


class ChangeFilters(Schema):
    since: Moment | None = Field(None, description="only changes after this time")
    cursor: str | None = Field(
        None, max_length=200, pattern=CURSOR, description="next_cursor of a previous page"
    )
    limit: int = Field(100, ge=1, le=500)


@api.get(
    "/changes",
    response=ChangePage,
    url_name="changes",
    summary="Changes feed",
    description="Oldest change first: published, updated, corrected or withdrawn stories. Keep the\n"
    "last `next_cursor` and ask again with it to receive only what changed since.",
)
def list_changes(request, response: HttpResponse, filters: Query[ChangeFilters]):
    if (cached := _conditional(request, response)) is not None:
        return cached
    items, next_cursor, more = changes_page(**filters.dict())
    return {"items": items, "next_cursor": next_cursor, "has_more": more}


def _conditional(request, response: HttpResponse):
    """A 304 if the subscriber's copy is current; else the validators go on `response`."""
    freshness = current_freshness()
    cached = not_modified(request, freshness)
    if cached is None:
        set_validators(response, freshness)
    return cached


def _with(temporal: HttpResponse, response: HttpResponse) -> HttpResponse:
    # A response returned as-is does not get the headers set on ninja's temporal one.
    for header in ("ETag", "Last-Modified"):
        if header in temporal:
            response[header] = temporal[header]
    return response


# GET /api/v1/search: the site's search, under these keys and error shapes.
api.add_router("/search", "khabar.search.api.router")
