"""Writes to the search index. Whatever writes an article calls
``index_article`` in the same transaction (the importer, the newsroom
services); deleting an article deletes its row by CASCADE.

Every article is indexed whatever its status: searches go through
``Article.objects.published()``, so a scheduled story turns up at its time
without a job and an unpublished one disappears at once."""

from collections.abc import Callable, Iterable

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

from khabar.news.html import html_to_text
from khabar.news.models import Article

from . import state
from .models import SearchDocument
from .query import index_terms

BATCH = 500


def document_fields(article: Article) -> dict[str, str]:
    """Analyzed headline, and analyzed summary + body (weighted lower)."""
    body = f"{article.summary}\n{html_to_text(article.body)}"
    return {"headline_terms": index_terms(article.headline), "body_terms": index_terms(body)}


def index_article(article: Article) -> None:
    using = router.db_for_write(SearchDocument, instance=article)
    version = state.current_version(using)
    SearchDocument.objects.using(using).update_or_create(
        article_id=article.pk, defaults={**document_fields(article), "version": version}
    )


def unindex_article(article_id: int) -> None:
    """For callers that remove an article from the index without deleting it."""
    SearchDocument.objects.filter(article_id=article_id).delete()


def reindex(
    *,
    only_stale: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[int], None] | None = None,
) -> int:
    """(Re)build the index; returns how many articles were written.

    Takes the current tag names into the index state first. ``only_stale``
    writes only articles without a row or with a row of another version
    (analyzer changed, names added, or written by an older release)."""
    version = state.adopt_site_names(using)
    articles = Article.objects.using(using).only("id", "headline", "summary", "body").order_by("pk")
    if only_stale:
        current = SearchDocument.objects.using(using).filter(version=version).values("article_id")
        articles = articles.exclude(pk__in=current)
    written = 0
    for batch in _batches(articles.iterator(chunk_size=BATCH)):
        rows = [SearchDocument(article_id=a.pk, version=version, **document_fields(a)) for a in batch]
        with transaction.atomic(using=using):
            SearchDocument.objects.using(using).bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["article"],
                update_fields=["headline_terms", "body_terms", "version"],
            )
        written += len(rows)
        if progress:
            progress(written)
    if written:
        optimize(using)
    return written


def is_stale(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Would ``reindex(only_stale=True)`` write anything?"""
    version = state.version_for(state.wanted_names(using))
    if state.current_version(using) != version:
        return True
    fresh = SearchDocument.objects.using(using).filter(version=version).values("article_id")
    return Article.objects.using(using).exclude(pk__in=fresh).exists()


def optimize(using: str = DEFAULT_DB_ALIAS) -> None:
    """After bulk writes: merge FTS5's segments, and refresh the planner's
    statistics. SQLite needs them to look stories up through the covering
    article_lookup_idx rather than the (much wider) rows."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        cursor.execute("ANALYZE news_article")
        cursor.execute("ANALYZE search_searchdocument")


def _batches(items: Iterable[Article]) -> Iterable[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
