"""The list of URIs nginx stored, which purges read (khabar/pagecache/purge.py):
every URI for a full purge, and per story, so that a story's purge (each
approved comment) reads its own URIs and not every page nginx holds. The
purge itself, against a real nginx, is in test_nginx_deployment.py."""

import pytest

from khabar.pagecache import purge
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_each_story_has_its_own_list_beside_the_full_one():
    story, other = ArticleFactory(), ArticleFactory()
    mine = [story.get_absolute_url(), story.get_absolute_url() + "print/", f"/en/news/{story.pk}/x/?page=2"]
    theirs = other.get_absolute_url()
    for uri in [*mine, theirs, "/", "/tag/news/"]:
        purge.register(uri)
    epoch = purge._epoch()

    assert purge.registered(epoch) == {*mine, theirs, "/", "/tag/news/"}
    assert purge.registered(epoch, story.pk) == set(mine)
    assert purge.registered(epoch, other.pk) == {theirs}


def test_a_story_purge_takes_its_pages_and_what_nginx_stored_under_them():
    story, other = ArticleFactory(), ArticleFactory()
    stored = f"/news/{story.pk}/{story.slug}/?page=2"
    purge.register(stored)
    purge.register(other.get_absolute_url())
    purge.register("/")

    pages, prefixes = purge.article_uris(story)
    uris = purge.story_uris(story, pages, prefixes)

    assert uris == pages | {stored}
    assert story.get_absolute_url() in uris and other.get_absolute_url() not in uris and "/" not in uris


def test_a_new_epoch_starts_with_empty_lists():
    story = ArticleFactory()
    purge.register(story.get_absolute_url())
    old = purge._epoch()
    purge.cache().incr(purge.EPOCH)  # what purge_everything does before purging the old epoch

    assert purge.registered(purge._epoch()) == set()
    assert purge.registered(purge._epoch(), story.pk) == set()
    assert purge.registered(old, story.pk) == {story.get_absolute_url()}
