"""The search index: each article's analyzed terms, as stored text.

The full-text structures are built from these columns by the database
itself, so they cannot drift from them (migration 0001):
- SQLite: the FTS5 table ``search_fts`` (external content = this table),
  kept in step by three triggers. A later migration that makes Django remake
  this table on SQLite (it does for most column changes) drops the triggers
  and must create them again.
- PostgreSQL: a generated ``document`` tsvector column with a GIN index.

Rows exist for every article whatever its status; searches join
``Article.objects.published()``, so scheduling and unpublishing need no
index work, and deleting an article deletes its row (CASCADE)."""

from django.db import models

from khabar.news.models import Article


class SearchDocument(models.Model):
    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="+")
    headline_terms = models.TextField()
    body_terms = models.TextField()
    # IndexState.version when the row was written; reindex --if-stale redoes
    # rows with another one.
    version = models.CharField(max_length=64, db_index=True)

    def __str__(self):
        return f"search document {self.article_id}"


class IndexState(models.Model):
    """One row: the analyzer version and the protected names the index is
    built with. Queries analyze with the same names, so a name added to the
    tags takes effect for indexing and searching at once, at the next
    ``khabar reindex --if-stale``."""

    version = models.CharField(max_length=64)
    # Only ever grows: a process can add protected names but not forget them.
    names = models.JSONField(default=list)

    def __str__(self):
        return f"search index {self.version}"
