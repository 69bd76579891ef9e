"""Signed preview links; breaking and featured stories on the front page."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from khabar.newsroom.preview import preview_url
from tests.factories import ArticleFactory

from .helpers import change_url, draft, login

pytestmark = pytest.mark.django_db


def test_preview_link_shows_a_draft_to_someone_without_an_account(client, reporter):
    article = draft(reporter, headline="مسودة للمعاينة قبل النشر")
    url = preview_url(article)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>مسودة للمعاينة قبل النشر</h1>" in html and "معاينة: هذه الصفحة لا يراها القرّاء" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow" and response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert client.get(article.get_absolute_url()).status_code == 404  # still not public


def test_expired_preview_link_gets_a_friendly_403(client, reporter, settings):
    article = draft(reporter)
    url = preview_url(article)
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.NEWSROOM_PREVIEW_TTL + 5)):
        response = client.get(url)
    assert response.status_code == 403
    assert "انتهت صلاحية رابط المعاينة" in response.content.decode()
    assert article.headline not in response.content.decode()


@pytest.mark.parametrize("mangle", ["tamper-id", "tamper-signature", "garbage"])
def test_tampered_preview_link_gets_a_friendly_404(client, reporter, mangle):
    article = draft(reporter)
    other = draft(reporter, headline="مسودة أخرى لا تُكشف")
    token = preview_url(article).rstrip("/").rsplit("/", 1)[1]
    pk, stamp, signature = token.split(":")
    token = {
        "tamper-id": f"{other.pk}:{stamp}:{signature}",
        "tamper-signature": f"{pk}:{stamp}:{signature[:-2]}xx",
        "garbage": "not-a-token",
    }[mangle]
    response = client.get(reverse("newsroom:preview", kwargs={"token": token}))
    assert response.status_code == 404
    html = response.content.decode()
    assert "رابط المعاينة غير صالح" in html and other.headline not in html


def test_change_form_offers_the_preview_link(client, reporter):
    article = draft(reporter)
    login(client, reporter)
    html = client.get(change_url(article)).content.decode()
    assert "/preview/" in html and "رابط معاينة يُشارَك" in html


def test_front_page_leads_with_the_featured_story(client):
    featured = ArticleFactory(
        headline="الخبر المميز", is_featured=True, published_at=timezone.now() - timedelta(hours=5)
    )
    newest = ArticleFactory(headline="أحدث خبر")
    html = client.get("/").content.decode()
    lead = html[html.index('<section class="lead"') : html.index("</section>")]
    assert featured.headline in lead and newest.headline not in lead
    assert html.count(featured.headline) == 1 and newest.headline in html


def test_a_scheduled_featured_story_does_not_lead_before_its_time(client):
    ArticleFactory(headline="مميز مجدول", is_featured=True, published_at=timezone.now() + timedelta(hours=1))
    ArticleFactory(headline="خبر عادي منشور")
    html = client.get("/").content.decode()
    assert "مميز مجدول" not in html and "خبر عادي منشور" in html


def test_breaking_strip_shows_until_the_end_time(client):
    end = timezone.now() + timedelta(minutes=30)
    ArticleFactory(headline="انفجار في الميناء", breaking_until=end)
    ArticleFactory(headline="خبر عاجل انتهى", breaking_until=timezone.now() - timedelta(minutes=1))
    html = client.get("/").content.decode()
    strip = html[html.index('class="breaking"') : html.index("</section>")]
    assert "انفجار في الميناء" in strip and "خبر عاجل انتهى" not in strip
    with time_machine.travel(end + timedelta(seconds=1)):
        assert 'class="breaking"' not in client.get("/").content.decode()
