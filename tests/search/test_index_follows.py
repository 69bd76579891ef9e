"""The index follows every write path: the newsroom services (create, edit,
publish, schedule, unpublish, delete), the importer, and the admin (which
goes through the newsroom services)."""

from datetime import timedelta

import time_machine
from django.db import connection
from django.utils import timezone

from khabar.arabic.analyzer import analyze
from khabar.news.models import Article
from khabar.newsroom import services
from khabar.search.models import SearchDocument
from khabar.search.selectors import search_articles
from khabar.search.services import unindex_article
from tests.factories import AgencyFactory, SectionFactory


def found(query: str) -> list[int]:
    return [a.pk for a in search_articles(query)[:20]]


def new_story(by, headline="وزير الخارجية يزور بغداد", body="<p>وصل الوزير إلى العاصمة صباح اليوم.</p>"):
    article = Article(headline=headline, body=body, section=SectionFactory(), agency=AgencyFactory())
    return services.article_save(article=article, by=by)


def test_draft_is_indexed_but_found_only_once_published(editor):
    article = new_story(editor)
    assert SearchDocument.objects.filter(article_id=article.pk).exists()
    assert found("بغداد") == []
    services.article_publish(article=article, by=editor)
    assert found("بغداد") == [article.pk]


def test_edit_replaces_the_indexed_words(editor):
    article = services.article_publish(article=new_story(editor), by=editor)
    article.headline = "وزير الخارجية يزور عمّان"
    article.body = "<p>بحث الوزير ملف المياه.</p>"
    services.article_save(article=article, by=editor, expected_version=article.version)
    assert found("بغداد") == [] and found("العاصمة") == []
    assert found("عمان") == [article.pk] and found("المياه") == [article.pk]


def test_unpublished_story_vanishes_and_comes_back(editor):
    article = services.article_publish(article=new_story(editor), by=editor)
    services.article_unpublish(article=article, by=editor)
    assert found("بغداد") == []
    services.article_publish(article=article, by=editor)
    assert found("بغداد") == [article.pk]


def test_deleted_story_leaves_nothing_in_the_index(editor):
    article = services.article_publish(article=new_story(editor), by=editor)
    pk = article.pk
    services.article_delete(article=article, by=editor)
    assert found("بغداد") == []
    assert not SearchDocument.objects.filter(article_id=pk).exists()
    assert _raw_index_hits("بغداد") == 0


def test_unindexed_story_is_not_found(editor):
    article = services.article_publish(article=new_story(editor), by=editor)
    unindex_article(article.pk)
    assert found("بغداد") == [] and _raw_index_hits("بغداد") == 0


def test_scheduled_story_appears_at_its_time_without_a_job(editor):
    at = timezone.now() + timedelta(hours=2)
    article = services.article_publish(article=new_story(editor), by=editor, at=at)
    assert found("بغداد") == []
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        assert found("بغداد") == [article.pk]


def test_imported_story_is_found(sample_article):
    assert found("احمد الشرع") == [sample_article.pk]


def test_admin_save_goes_to_the_index(client, editor):
    client.force_login(editor)
    article = services.article_publish(article=new_story(editor), by=editor)
    url = f"/admin/news/article/{article.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(headline="وزير الخارجية يزور الموصل", version=article.version, tags=[])
    response = client.post(url, data)
    assert response.status_code == 302, getattr(response.context.get("adminform"), "errors", None)
    assert found("الموصل") == [article.pk]


def _raw_index_hits(word: str) -> int:
    """Rows in the engine's own full-text structure, published or not: the
    FTS5 table on SQLite (kept by triggers), the tsvector rows on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [f'"{_term(word)}"'])
        else:
            cursor.execute(
                "SELECT count(*) FROM search_searchdocument WHERE document @@ plainto_tsquery('simple', %s)",
                [_term(word)],
            )
        return cursor.fetchone()[0]


def _term(word: str) -> str:
    return analyze(word)[0]
