"""`khabar reindex` and `--if-stale`: the index is rebuilt when the analyzer
version or the protected names (tags) change, and only then."""

from io import StringIO

import pytest
from django.core.management import call_command

from khabar.arabic import analyzer
from khabar.search import state
from khabar.search.models import IndexState, SearchDocument
from khabar.search.selectors import search_articles
from tests.factories import ArticleFactory, TagFactory


def reindex(*args) -> str:
    out = StringIO()
    call_command("reindex", *args, stdout=out)
    return out.getvalue()


def found(query):
    return {a.pk for a in search_articles(query)[:20]}


@pytest.fixture
def restore_names():
    saved = set(analyzer.PROTECT)
    yield
    analyzer.PROTECT.clear()
    analyzer.PROTECT.update(saved)
    analyzer.analyze_word.cache_clear()
    state._applied.clear()


def test_reindex_builds_the_index_for_stories_written_around_it(db):
    article = ArticleFactory(headline="افتتاح جسر الرمادي", summary="")
    assert found("الرمادي") == set()
    assert "indexed 1 articles" in reindex()
    assert found("الرمادي") == {article.pk}


def test_if_stale_does_nothing_when_nothing_changed(make_article):
    make_article(headline="افتتاح جسر الرمادي")
    reindex()
    assert reindex("--if-stale") == "search index is up to date\n"


def test_if_stale_writes_stories_missing_from_the_index(make_article):
    make_article(headline="افتتاح جسر الرمادي")
    reindex()
    missing = ArticleFactory(headline="افتتاح جسر الفلوجة", summary="")
    assert "indexed 1 articles" in reindex("--if-stale")
    assert found("الفلوجة") == {missing.pk}


def test_new_analyzer_version_rebuilds_everything(make_article):
    for n in range(3):
        make_article(headline=f"خبر رقم {n}")
    reindex()
    # As if these rows were written by an older analyzer.
    SearchDocument.objects.update(version="0-old", headline_terms="", body_terms="")
    IndexState.objects.update(version="0-old")
    assert "indexed 3 articles" in reindex("--if-stale")
    assert SearchDocument.objects.exclude(version=IndexState.objects.get().version).count() == 0
    assert len(found("خبر")) == 3


def test_a_new_tag_is_protected_in_index_and_queries_after_reindex(make_article, restore_names):
    # Without the name, the lexicon reads كالن as ك + الن and وكالن as something else.
    unrelated = make_article(headline="التقى الن بالوفد")
    about_him = make_article(headline="التقى وكالن بالوفد")
    reindex()
    assert found("كالن") == {unrelated.pk}
    TagFactory(name="إبراهيم كالن")
    assert "indexed 2 articles" in reindex("--if-stale")
    assert found("كالن") == {about_him.pk}
    assert "إبراهيم كالن" in IndexState.objects.get().names
