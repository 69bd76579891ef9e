"""Conditional GET for feeds, sitemaps and the API.

What they show changes when an article is saved (edited, published,
unpublished) or when a scheduled article falls due, so the validators are
built from the newest save of any article and the newest due publication
time, plus the counts so that a deletion changes them too."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django.db.models import Count, Max
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from khabar.news.models import Article


@dataclass(frozen=True)
class Freshness:
    last_modified: datetime | None
    etag: str


def current_freshness() -> Freshness:
    saved = Article.objects.aggregate(at=Max("updated_at"), n=Count("id"))
    due = Article.objects.published().aggregate(at=Max("published_at"), n=Count("id"))
    stamps = [t for t in (saved["at"], due["at"]) if t is not None]
    token = f"{saved['at']}|{saved['n']}|{due['at']}|{due['n']}"
    return Freshness(
        last_modified=max(stamps) if stamps else None,
        etag='"' + hashlib.sha256(token.encode()).hexdigest()[:32] + '"',
    )


def _seconds(freshness: Freshness) -> int | None:
    return int(freshness.last_modified.timestamp()) if freshness.last_modified else None


def not_modified(request, freshness: Freshness):
    """A 304 (with the validators) when the client's copy is current, else None."""
    response = get_conditional_response(request, etag=freshness.etag, last_modified=_seconds(freshness))
    return set_validators(response, freshness) if response is not None else None


def set_validators(response, freshness: Freshness):
    # Ours replace the view's own (syndication and sitemaps set Last-Modified
    # from their items): one pair of validators, so If-Modified-Since works.
    response["ETag"] = freshness.etag
    if freshness.last_modified is not None:
        response["Last-Modified"] = http_date(_seconds(freshness))
    return response


def answer_conditionally(request, freshness: Freshness, build):
    """304 when the client's copy is current; otherwise build() with validators set."""
    cached = not_modified(request, freshness)
    if cached is not None:
        return cached
    response = build()
    return set_validators(response, freshness) if response.status_code == 200 else response


def conditional(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return answer_conditionally(request, current_freshness(), lambda: view(request, *args, **kwargs))

    return wrapper
