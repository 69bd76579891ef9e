"""Reads behind the subscribers' API: pages of public stories and of changes,
by keyset (time, id) so a page costs the same deep in the archive."""

from datetime import datetime

from django.db.models import Case, F, Q, When
from django.db.models.functions import Greatest
from django.urls import reverse

from khabar.news.models import Article

from .cursors import EPOCH, decode_cursor, encode_cursor
from .meta import item_uri, item_version, pub_status


def public_articles():
    """Due, published stories with what the API shows of them; `changed_at` is
    the last save or the moment the story became public, whichever is later."""
    return (
        Article.objects.published()
        .select_related("section", "agency", "author")
        .prefetch_related("tags")
        .annotate(changed_at=Greatest("updated_at", "published_at"))
    )


def articles_page(*, section=None, tag=None, updated_since=None, cursor=None, limit=20):
    """Newest first; returns (articles, next_cursor or None)."""
    articles = public_articles().order_by("-published_at", "-id")
    if section:
        articles = articles.filter(section__slug=section)
    if tag:
        articles = articles.filter(tags__slug=tag)
    if updated_since:
        articles = articles.filter(changed_at__gte=updated_since)
    if cursor:
        at, pk = decode_cursor(cursor)
        articles = articles.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=pk))
    page = list(articles[: limit + 1])
    if len(page) <= limit:
        return page, None
    page = page[:limit]
    return page, encode_cursor(page[-1].published_at, page[-1].pk)


def changes_page(*, since: datetime | None = None, cursor: str | None = None, limit: int = 100):
    """Oldest change first; returns (changes, next_cursor, has_more). The cursor
    is always given: asking again with it returns only later changes."""
    changes = (
        (Article.objects.published() | Article.objects.filter(status=Article.Status.UNPUBLISHED))
        .annotate(
            changed_at=Case(
                When(status=Article.Status.PUBLISHED, then=Greatest("updated_at", "published_at")),
                default=F("updated_at"),
            )
        )
        .only("id", "status", "published_at", "updated_at", "created_at", "last_update", "corrections")
        .order_by("changed_at", "id")
    )
    if since:
        changes = changes.filter(changed_at__gt=since)
    if cursor:
        at, pk = decode_cursor(cursor)
        changes = changes.filter(Q(changed_at__gt=at) | Q(changed_at=at, pk__gt=pk))
    page = list(changes[: limit + 1])
    more, page = len(page) > limit, page[:limit]
    if page:
        cursor = encode_cursor(page[-1].changed_at, page[-1].pk)
    elif not cursor:
        # Nothing yet: a position just before anything that can still come.
        cursor = encode_cursor(since, 10**18 - 1) if since else encode_cursor(EPOCH, 0)
    return [change_entry(article) for article in page], cursor, more


def change_entry(article: Article) -> dict:
    """What a subscriber needs to act: never the text of a withdrawn story."""
    withdrawn = pub_status(article) == "canceled"
    if withdrawn:
        action = "withdrawn"
    elif article.corrections:
        action = "corrected"
    else:
        action = "updated" if article.last_update else "published"
    return {
        "id": article.pk,
        "uri": item_uri(article),
        "version": item_version(article),
        "action": action,
        "pub_status": "canceled" if withdrawn else "usable",
        "changed_at": article.changed_at,
        "href": None if withdrawn else reverse("distribution:api:article", kwargs={"article_id": article.pk}),
    }
