"""The page cache keeps the editions apart and refreshes a story's English
page as at once as its Arabic one; nginx purges cover both editions.

transactional_db: versions move on commit (see tests/pagecache)."""

from urllib.parse import quote

import pytest
from django.db import transaction

from khabar.comments.models import Comment
from khabar.comments.services import comment_approve
from khabar.pagecache import purge
from khabar.pagecache.services import content_changed
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def outcome(response) -> str | None:
    return response.headers.get("X-Khabar-Cache")


def test_editions_never_get_each_others_cached_copy(client):
    ArticleFactory()
    ar_first, en_first = client.get("/"), client.get("/en/")
    assert (outcome(ar_first), outcome(en_first)) == ("miss", "miss")
    # A reader whose browser prefers English still gets the Arabic copy at /.
    ar_hit = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    en_hit = client.get("/en/", HTTP_ACCEPT_LANGUAGE="ar")
    assert (outcome(ar_hit), outcome(en_hit)) == ("hit", "hit")
    assert ar_hit.content == ar_first.content and b'<html lang="ar" dir="rtl">' in ar_hit.content
    assert en_hit.content == en_first.content and b'<html lang="en" dir="ltr">' in en_hit.content
    assert ar_hit["Content-Language"] == "ar" and en_hit["Content-Language"] == "en"


def test_editing_a_story_refreshes_its_english_page_at_once(client):
    article = ArticleFactory(language="en", headline="Old headline", body="<p>First text.</p>")
    url = article.get_absolute_url()
    client.get(url)
    assert outcome(client.get(url)) == "hit"
    with transaction.atomic():
        article.body = "<p>Corrected text.</p>"
        article.save()
        transaction.on_commit(lambda: content_changed(article=article))
    again = client.get(url)
    assert outcome(again) == "miss" and b"Corrected text." in again.content


def test_a_story_only_change_refreshes_both_editions_of_its_page(client):
    # A comment decision moves only the story's own version (article_only):
    # /en/news/<pk>/... must share that version with /news/<pk>/...
    article = ArticleFactory()
    ar_url = article.get_absolute_url()
    en_url = "/en" + ar_url
    for url in (ar_url, en_url, en_url.replace(f"/{quote(article.slug)}/", f"/{quote(article.slug)}/print/")):
        client.get(url)
        assert outcome(client.get(url)) == "hit", url
    comment = Comment.objects.create(article=article, name="Ann", body="A fresh comment")
    comment_approve(comment=comment)
    for url in (ar_url, en_url):
        page = client.get(url)
        assert outcome(page) == "miss" and b"A fresh comment" in page.content, url


def test_purging_a_story_deletes_its_pages_in_both_editions(settings, monkeypatch):
    settings.PAGECACHE_PURGE_URLS = ["http://127.0.0.1:9"]
    settings.PAGECACHE_PURGE_SECOND_PASS = 0
    article = ArticleFactory()
    page = article.get_absolute_url()
    purge.register(f"/en{page}?page=2")
    purge.register(f"/news/{article.pk + 1}/other/")
    sent = []
    monkeypatch.setattr(purge, "send", lambda uris: sent.append(set(uris)) or 0)
    purge.purge_article(article)
    (uris,) = sent
    assert uris == {page, f"{page}print/", f"/en{page}", f"/en{page}print/", f"/en{page}?page=2"}
