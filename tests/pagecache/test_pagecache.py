"""The page cache through HTTP: hits, 304s, gzip, exact refresh on change,
scheduled stories, bypasses, and no reader's token on a shared page.

These tests use transactional_db: versions move on commit, and a test case
wrapped in one transaction never commits."""

import gzip
import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from khabar.comments.models import Comment
from khabar.comments.services import comment_approve
from khabar.news.models import Article
from khabar.pagecache import versions
from khabar.pagecache.services import content_changed
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def outcome(response) -> str | None:
    return response.headers.get("X-Khabar-Cache")


def text(response) -> str:
    return response.content.decode()


def edit(article: Article, **fields) -> None:
    """An edit the way services make one: save, then content_changed after commit."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(article, name, value)
        article.save()
        transaction.on_commit(lambda: content_changed(article=article))


def test_second_anonymous_request_is_a_hit_without_sql(client, django_assert_num_queries):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert outcome(first) == "miss"
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert outcome(second) == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "no-cache"


def test_hit_keeps_the_security_headers_of_the_page(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert outcome(second) == "hit"
    for header in ("X-Frame-Options", "X-Content-Type-Options", "Content-Type", "Referrer-Policy"):
        assert second.headers.get(header) == first.headers.get(header), header


def test_conditional_requests_answer_304(client):
    article = ArticleFactory()
    page = client.get(article.get_absolute_url())
    by_etag = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=page["ETag"])
    assert by_etag.status_code == 304 and by_etag.content == b""
    by_date = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=page["Last-Modified"])
    assert by_date.status_code == 304
    other = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_304_stops_after_a_correction(client):
    article = ArticleFactory()
    etag = client.get(article.get_absolute_url())["ETag"]
    edit(article, body="<p>نص مصحّح.</p>")
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and "نص مصحّح" in text(again)


def test_gzip_is_served_to_clients_that_accept_it(client):
    article = ArticleFactory()
    plain = client.get(article.get_absolute_url())
    for attempt in ("miss-or-hit", "hit"):
        packed = client.get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert packed["Content-Encoding"] == "gzip", attempt
        assert gzip.decompress(packed.content) == plain.content
        assert packed["Vary"] == "Accept-Encoding"
    assert "Content-Encoding" not in plain


def test_uncached_pages_are_gzipped_too(client, admin_client):
    article = ArticleFactory()
    response = admin_client.get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert outcome(response) is None
    assert response["Content-Encoding"] == "gzip"


def test_edit_refreshes_article_front_and_section_pages_at_once(client):
    article = ArticleFactory(headline="عنوان أول للخبر")
    urls = [article.get_absolute_url(), "/", article.section.get_absolute_url()]
    for url in urls:
        client.get(url)
        assert outcome(client.get(url)) == "hit"
    edit(article, headline="عنوان مصحّح للخبر")
    for url in urls:
        response = client.get(url)
        assert outcome(response) == "miss", url
        assert "عنوان مصحّح للخبر" in text(response) and "عنوان أول للخبر" not in text(response), url


def test_unpublishing_removes_the_story_at_once(client):
    article = ArticleFactory(headline="خبر سيُسحب")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "خبر سيُسحب" in text(client.get("/"))
    edit(article, status=Article.Status.UNPUBLISHED)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "خبر سيُسحب" not in text(client.get("/"))


def test_deleting_a_story_removes_it_at_once(client):
    article = ArticleFactory(headline="خبر سيُحذف")
    client.get("/")
    with transaction.atomic():
        article.delete()
        transaction.on_commit(lambda: content_changed())
    assert "خبر سيُحذف" not in text(client.get("/"))


def test_approved_comment_appears_at_once_and_listings_stay_cached(client):
    article = ArticleFactory()
    comment = Comment.objects.create(
        article=article, name="قارئ", body="تعليق ينتظر المراجعة", challenge="t1"
    )
    client.get(article.get_absolute_url())
    client.get("/")
    assert "تعليق ينتظر المراجعة" not in text(client.get(article.get_absolute_url()))
    with transaction.atomic():
        comment_approve(comment=comment)
    page = client.get(article.get_absolute_url())
    assert outcome(page) == "miss" and "تعليق ينتظر المراجعة" in text(page)
    assert outcome(client.get("/")) == "hit"


def test_scheduled_story_appears_when_its_time_comes(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ArticleFactory(headline="خبر منشور الآن")
        ArticleFactory(headline="خبر مجدول لاحقاً", published_at=start + timedelta(minutes=5))
        front = client.get("/")
        assert "خبر منشور الآن" in text(front) and "خبر مجدول لاحقاً" not in text(front)
        assert outcome(client.get("/")) == "hit"
        assert versions.ttl(versions.current()[0]) <= 5 * 60 < settings.PAGECACHE_TTL
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        assert outcome(client.get("/")) == "hit"
    with time_machine.travel(start + timedelta(minutes=5, seconds=1), tick=False):
        front = client.get("/")
        assert outcome(front) == "miss" and "خبر مجدول لاحقاً" in text(front)


def test_logged_in_editor_always_gets_a_fresh_page(client, admin_client):
    article = ArticleFactory(headline="قبل التعديل")
    client.get(article.get_absolute_url())
    # Changed without content_changed: only an uncached page can show it.
    Article.objects.filter(pk=article.pk).update(headline="بعد التعديل")
    editor_view = admin_client.get(article.get_absolute_url())
    assert outcome(editor_view) is None and "بعد التعديل" in text(editor_view)
    assert "X-Accel-Expires" not in editor_view
    assert "قبل التعديل" in text(client.get(article.get_absolute_url()))


def test_reader_with_a_pending_comment_notice_gets_a_fresh_page(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url() + "?comment=pending")
    assert outcome(response) is None
    assert "سيظهر بعد مراجعته" in text(response)


def test_only_the_page_parameter_is_cached(client):
    section = SectionFactory()
    ArticleFactory.create_batch(3, section=section)
    url = section.get_absolute_url()
    client.get(url + "?page=1")
    assert outcome(client.get(url + "?page=1")) == "hit"
    assert outcome(client.get(url + "?utm_source=x")) is None
    assert outcome(client.get(url)) == "miss"  # its own entry


def test_comment_form_is_never_cached(client):
    article = ArticleFactory()
    for _ in range(2):
        response = client.get(article.get_comment_url())
        assert outcome(response) is None
        assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def _token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_cached_article_page_carries_no_readers_token_or_question(client):
    article = ArticleFactory()
    reader_a, reader_b = Client(), Client()
    form_a = text(reader_a.get(article.get_comment_url()))
    form_b = text(reader_b.get(article.get_comment_url()))
    token_a, token_b = _token(form_a), _token(form_b)
    assert token_a != token_b
    csrf_a = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_a).group(1)
    for reader in (reader_a, reader_b, client):
        reader.get(article.get_absolute_url())
        page = reader.get(article.get_absolute_url())
        assert outcome(page) == "hit"
        html = text(page)
        assert "csrfmiddlewaretoken" not in html
        assert token_a not in html and token_b not in html and csrf_a not in html
        assert "اكتب ناتج" not in html and 'name="token"' not in html
        assert "Set-Cookie" not in page.headers and not page.cookies


def test_a_page_with_a_form_token_is_never_stored(rf):
    from django.http import HttpResponse
    from django.urls import resolve

    from khabar.pagecache.middleware import storable

    article = ArticleFactory()
    request = rf.get(article.get_absolute_url())
    request.resolver_match = resolve(article.get_absolute_url())
    assert storable(request, HttpResponse("<p>خبر</p>"))
    leaking = HttpResponse('<input name="csrfmiddlewaretoken" value="x">')
    assert not storable(request, leaking)
    with_cookie = HttpResponse("<p>خبر</p>")
    with_cookie.set_cookie("csrftoken", "x")
    assert not storable(request, with_cookie)
