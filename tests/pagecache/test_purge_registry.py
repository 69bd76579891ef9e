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
    mine.append(f"/%6Eews/{story.pk}/x/?page=3")  # nginx keys it as /news/...
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


def test_nginx_files_a_page_under_its_decoded_path_whatever_its_spelling():
    encoded = "/news/1/%D8%AE%D8%A8%D8%B1/"
    raw = "/news/1/خبر/".encode().decode("latin-1")  # raw UTF-8 on the request line, as the header has it
    assert purge.nginx_key(encoded) == purge.nginx_key(raw) == raw
    assert purge.nginx_key("/news/1/%d8%ae%d8%a8%d8%b1/") == raw
    assert purge.nginx_key("/tag/%25/?page=2") == "/tag/%/?page=2"  # decoded once, the query as sent
    assert purge.nginx_key("/section/x/?") == "/section/x/"  # nginx's $is_args is empty then
    assert purge.nginx_key("/") == "/"


@pytest.mark.parametrize(
    "uri", ["/news//1/x/", "/news/1/./", "/news/1/../", "/news/1/x/%2E%2E/", "/news/1/x/..", "/a/%2F/b/"]
)
def test_a_path_nginx_would_merge_or_resolve_has_no_key(uri):
    assert purge.nginx_key(uri) is None
    assert purge.register(uri) is False and uri not in purge.registered(purge._epoch())


@pytest.mark.django_db(transaction=True)  # pages are cached outside a transaction only
def test_nginx_may_keep_only_pages_asked_for_by_their_own_path(client, settings):
    """A page fetched under a path nginx files under another one (here the
    front page's "/" once "." is resolved) is not marked for storing."""
    settings.PAGECACHE_PURGE_URLS = ["http://127.0.0.1:9"]  # never reached: no purge here
    story = ArticleFactory()
    for uri, kept in ((story.get_absolute_url(), True), ("/./", False)):
        response = client.get(story.get_absolute_url(), HTTP_X_KHABAR_URI=uri)
        assert response.status_code == 200
        assert ("X-Accel-Expires" in response) is kept, uri
