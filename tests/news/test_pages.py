import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from khabar.comments.models import Comment
from khabar.news.models import Article
from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_article_page_shows_every_element_of_the_sample(client, sample_article):
    response = client.get(sample_article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>التقارب التركي السوري: اتفاقات عسكرية ودفاعية في الأفق</h1>" in html
    agency = sample_article.agency
    assert re.search(
        f'<p class="byline"><a href="{re.escape(agency.get_absolute_url())}"[^>]*>وكالة أنباء آسيا</a></p>',
        html,
    )
    assert '<time datetime="2025-03-18T01:41:00+03:00">2025.03.18 - 01:41</time>' in html
    assert html.count("<li>") >= 3
    assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2F" in html
    assert ">Facebook Share</a>" in html and ">طباعة</a>" in html
    assert 'href="#top" class="to-top">عودة للأعلى</a>' in html
    assert ">اضافة تعليق</a>" in html
    assert f'<link rel="canonical" href="{sample_article.canonical_url}">' in html
    assert (
        '<meta property="og:title" content="التقارب التركي السوري: اتفاقات عسكرية ودفاعية في الأفق">' in html
    )


def test_share_links_carry_the_canonical_url_and_no_script(client, sample_article):
    html = client.get(sample_article.get_absolute_url()).content.decode()
    for prefix in (
        "https://twitter.com/intent/tweet?url=",
        "https://wa.me/?text=",
        "https://t.me/share/url?url=",
    ):
        assert prefix in html
    assert '<script src="http' not in html and "connect.facebook" not in html


def test_wrong_slug_redirects_to_the_canonical_address(client, sample_article):
    response = client.get(reverse("news:article", kwargs={"pk": sample_article.pk, "slug": "old"}))
    assert response.status_code == 301
    assert response["Location"] == sample_article.get_absolute_url()


def test_print_view_has_story_and_address_but_no_chrome(client, sample_article):
    html = client.get(sample_article.get_print_url()).content.decode()
    assert "2025.03.18 - 01:41" in html and "وكالة أنباء آسيا" in html
    assert sample_article.canonical_url in html
    assert "Facebook Share" not in html and "comment-form" not in html and "اضافة تعليق" not in html


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(hours=1)},
    ],
)
def test_unpublished_or_future_article_is_not_public(client, state):
    article = ArticleFactory(**state)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(article.get_print_url()).status_code == 404
    assert article.headline not in client.get("/").content.decode()
    assert client.get(article.get_comment_url()).status_code == 404


def test_article_page_query_count_is_bounded(client, sample_article, django_assert_max_num_queries):
    for i in range(5):
        ArticleFactory(section=sample_article.section)
        Comment.objects.create(article=sample_article, name=f"قارئ {i}", body="تعليق", status="approved")
    sample_article.tags.add(TagFactory(), TagFactory())
    with django_assert_max_num_queries(5):
        response = client.get(sample_article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="comment"') == 5


def test_front_page_shows_lead_latest_and_sections(client):
    economy = SectionFactory(name="اقتصاد")
    old = ArticleFactory(published_at=timezone.now() - timedelta(days=2))
    lead = ArticleFactory()
    ArticleFactory(section=economy)
    html = client.get("/").content.decode()
    assert html.index(lead.headline) < html.index(old.headline)
    assert 'id="lead-h" class="visually-hidden">الخبر الرئيسي<' in html and economy.name in html


def test_section_and_tag_pages_list_and_paginate(client):
    section = SectionFactory(name="رياضة")
    tag = TagFactory(name="كرة القدم")
    articles = ArticleFactory.create_batch(25, section=section)
    articles[0].tags.add(tag)
    first = client.get(section.get_absolute_url()).content.decode()
    second = client.get(section.get_absolute_url() + "?page=2").content.decode()
    assert first.count('class="teaser"') == 20 and second.count('class="teaser"') == 5
    assert client.get(section.get_absolute_url() + "?page=abc").status_code == 200
    assert client.get(section.get_absolute_url() + "?page=99999999999999999999").status_code == 200
    assert articles[0].headline in client.get(tag.get_absolute_url()).content.decode()


def test_unknown_pages_get_the_arabic_404(client):
    response = client.get("/section/لا-يوجد/")
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()
