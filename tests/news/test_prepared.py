"""PreparedQuery: compiled once, then run with new values, and always the
rows the ORM itself would return (on whichever database the suite runs)."""

from datetime import timedelta

import pytest
from django.db.models.sql import compiler as sql_compiler
from django.http import Http404
from django.utils import timezone

from khabar.comments.models import Comment
from khabar.news.models import Article, Section, Tag
from khabar.news.prepared import Int, Ints, Moment, PreparedQuery
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def story(pk, now):
    return Article.objects.published(now).select_related("section", "agency", "author").filter(pk=pk)


def fields(obj) -> dict:
    """Every column value of a model instance, and of the instances it was read with."""
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    for name in ("section", "agency", "author"):
        related = obj._state.fields_cache.get(name)
        values[name] = related and {f.attname: getattr(related, f.attname) for f in related._meta.fields}
    return values


@pytest.fixture
def compiles(monkeypatch):
    """How many times Django compiles a query to SQL."""
    calls = []
    original = sql_compiler.SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        calls.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(sql_compiler.SQLCompiler, "as_sql", counting)
    return calls


def test_a_story_with_its_related_rows_as_the_orm_reads_it(compiles, django_assert_num_queries):
    first, second = ArticleFactory(), ArticleFactory(author=None)
    query = PreparedQuery(story, pk=Int(), now=Moment())
    now = timezone.now()
    assert [fields(a) for a in query(pk=first.pk, now=now)] == [fields(a) for a in story(first.pk, now)]
    compiles.clear()
    with django_assert_num_queries(1):
        found = query(pk=second.pk, now=now)
    assert compiles == []  # the SQL was reused; only the values changed
    assert [fields(a) for a in found] == [fields(a) for a in story(second.pk, now)]
    assert found[0].section.name == second.section.name and found[0].author is None


def test_the_time_is_a_value_too():
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(hours=2))
    query = PreparedQuery(story, pk=Int(), now=Moment())
    assert query(pk=scheduled.pk, now=timezone.now()) == []
    assert query(pk=scheduled.pk, now=timezone.now() + timedelta(hours=3)) == [scheduled]


def test_first_or_404_is_the_row_or_not_found():
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(hours=2))
    query = PreparedQuery(story, pk=Int(), now=Moment())
    with pytest.raises(Http404):
        query.first_or_404(pk=scheduled.pk, now=timezone.now())
    found = query.first_or_404(pk=scheduled.pk, now=timezone.now() + timedelta(hours=3))
    assert isinstance(found, Article) and found.pk == scheduled.pk


def test_rows_as_dicts_and_lists_of_ids_of_any_length():
    article = ArticleFactory()
    for n, status in enumerate(["approved", "pending", "approved"]):
        Comment.objects.create(article=article, name=f"قارئ {n}", body="رأي", status=status)

    def approved(pk):
        return Comment.objects.approved().filter(article_id=pk).values("name", "body", "created_at")

    comments = PreparedQuery(approved, pk=Int())
    expected = list(approved(article.pk))
    assert comments(pk=article.pk) == expected and len(expected) == 2
    assert comments(pk=article.pk).count() == 2

    others = ArticleFactory.create_batch(3)
    stories = PreparedQuery(lambda ids: Article.objects.filter(pk__in=ids).order_by("pk"), ids=Ints)
    for ids in ([others[0].pk], [o.pk for o in others], [article.pk, others[2].pk]):
        assert stories(ids=ids) == sorted(Article.objects.filter(pk__in=ids), key=lambda a: a.pk)
    assert len(stories.shapes) == 3  # one compiled shape per number of ids


def test_a_query_without_values():
    TagFactory(name="اقتصاد"), TagFactory(name="رياضة")
    tags = PreparedQuery(lambda: Tag.objects.all())
    assert tags() == list(Tag.objects.all()) and len(tags()) == 2
    sections = PreparedQuery(lambda: Section.objects.all())
    assert sections() == list(Section.objects.all())


def test_what_cannot_be_replayed_goes_through_the_orm(django_assert_num_queries):
    article = ArticleFactory()
    query = PreparedQuery(lambda pk, now: story(pk, now), pk=Int(), now=Moment())
    with django_assert_num_queries(0):  # Django needs no query for these
        assert query(pk=2**70, now=timezone.now()) == []
    ids = PreparedQuery(lambda ids: Article.objects.filter(pk__in=ids), ids=Ints)
    with django_assert_num_queries(0):
        assert ids(ids=[]) == []
    # The SQL does not carry the value as given (pk + 1): not prepared, still right.
    shifted = PreparedQuery(lambda pk: Article.objects.filter(pk=pk + 1), pk=Int())
    assert shifted(pk=article.pk - 1) == [article]
    assert all(not isinstance(shape, tuple) for shape in shifted.shapes.values())
