"""GET /api/v1/search: the site's search for API subscribers. A router of the
distribution app's API (its keys, rate limits and error shapes apply); the
items are that API's article objects plus a highlighted snippet."""

import re
from datetime import date
from typing import Annotated, Literal

from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator

from khabar.distribution.schemas import ArticleOut
from khabar.news.html import html_to_text, strip_illegal_chars
from khabar.news.models import Agency, Section

from .selectors import search_articles
from .snippets import snippet

router = Router(tags=["search"])
SLUG = r"^[-\w]+$"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day_only(value):
    # pydantic would read 0 or "1e9" as a Unix time; a day is YYYY-MM-DD.
    if not (isinstance(value, str) and _DAY.fullmatch(value)):
        raise ValueError("expected a day as YYYY-MM-DD, e.g. 2025-03-18")
    return value


Day = Annotated[date, BeforeValidator(_day_only)]


class SearchFilters(Schema):
    q: str = Field("", max_length=5000, description='words (all must match), "a phrase", -excluded')
    section: str | None = Field(None, max_length=100, pattern=SLUG, description="slug of a section")
    agency: str | None = Field(None, max_length=200, pattern=SLUG, description="slug of an agency")
    date_from: Day | None = Field(None, description="published on or after this day (site time zone)")
    date_to: Day | None = Field(None, description="published on or before this day (site time zone)")
    sort: Literal["relevance", "new"] = "relevance"
    page: int = Field(1, ge=1, le=10_000)
    limit: int = Field(20, ge=1, le=100)


class SearchHitOut(ArticleOut):
    snippet_html: str = Field(description="a passage of the story, matched words in <mark>")

    @staticmethod
    def resolve_snippet_html(obj):
        return obj.search_snippet


class SearchPage(Schema):
    items: list[SearchHitOut]
    count: int
    page: int
    next_page: int | None


@router.get(
    "",
    response=SearchPage,
    url_name="search",
    summary="Search published stories",
    description="Relevance (with a boost for recent stories) or newest first.",  # not a docstring: -OO
)
def search(request, filters: Query[SearchFilters]):
    scope = {}
    for name, model in (("section", Section), ("agency", Agency)):
        if getattr(filters, name):
            scope[name] = model.objects.filter(slug=getattr(filters, name)).first()
            if scope[name] is None:
                return {"items": [], "count": 0, "page": filters.page, "next_page": None}
    query = strip_illegal_chars(filters.q)
    results = search_articles(
        query, **scope, date_from=filters.date_from, date_to=filters.date_to, sort=filters.sort
    )
    page = Paginator(results, filters.limit).get_page(filters.page)
    items = list(page)
    for article in items:
        text = f"{article.summary}\n{html_to_text(article.body)}"
        article.search_snippet = str(snippet(text, results.query.highlight_terms))
    return {
        "items": items,
        "count": results.count(),
        "page": page.number,
        "next_page": page.next_page_number() if page.has_next() else None,
    }
