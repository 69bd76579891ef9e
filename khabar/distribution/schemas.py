"""Typed shapes of the subscribers' API (django-ninja turns them into the
OpenAPI document)."""

from datetime import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Schema
from pydantic import ConfigDict

from khabar.news.html import clean_body

from .meta import item_uri, item_version, lead_image


def api_url(name: str, article) -> str:
    return reverse(f"distribution:api:{name}", kwargs={"article_id": article.pk})


class ErrorOut(Schema):
    error: str
    detail: str
    errors: list[dict[str, Any]] | None = None


class NamedOut(Schema):
    slug: str
    name: str


class ImageOut(Schema):
    url: str
    mime_type: str
    width: int | None
    height: int | None
    alt: str
    caption: str
    credit: str


class LinksOut(Schema):
    html: str
    self: str
    ninjs: str
    newsml: str


class ArticleOut(Schema):
    id: int
    uri: str
    version: int
    headline: str
    summary: str
    body_html: str
    language: Literal["ar", "en"] = "ar"
    section: NamedOut
    tags: list[NamedOut]
    author: str | None
    agency: str
    published_at: datetime
    updated_at: datetime
    last_update: datetime | None
    image: ImageOut | None
    links: LinksOut

    @staticmethod
    def resolve_uri(obj):
        return item_uri(obj)

    @staticmethod
    def resolve_version(obj):
        return item_version(obj)

    @staticmethod
    def resolve_body_html(obj):
        return clean_body(obj.body)

    @staticmethod
    def resolve_tags(obj):
        return list(obj.tags.all())

    @staticmethod
    def resolve_author(obj):
        return obj.author.name if obj.author else None

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.name

    @staticmethod
    def resolve_image(obj):
        image = lead_image(obj)
        return image.__dict__ if image else None

    @staticmethod
    def resolve_links(obj):
        return {
            "html": obj.canonical_url,
            "self": api_url("article", obj),
            "ninjs": api_url("article_ninjs", obj),
            "newsml": api_url("article_newsml", obj),
        }


class ArticlePage(Schema):
    items: list[ArticleOut]
    next_cursor: str | None


class ChangeOut(Schema):
    id: int
    uri: str
    version: int
    action: Literal["published", "updated", "corrected", "withdrawn"]
    pub_status: Literal["usable", "canceled"]
    changed_at: datetime
    href: str | None


class ChangePage(Schema):
    items: list[ChangeOut]
    next_cursor: str
    has_more: bool


class NinjsOut(Schema):
    # Descriptions are spelled out, not docstrings: `khabar serve` runs without those.
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "description": "The document itself is IPTC ninjs 3.1; only its core is spelled out here."
        },
    )
    uri: str
    type: str
    version: str
    pubStatus: Literal["usable", "withheld", "canceled"]
    language: str
    headlines: list[dict[str, Any]]
    bodies: list[dict[str, Any]]
