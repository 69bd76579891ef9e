"""The site chrome and edition links rendered once per process
(khabar.news.templatetags.khabar: {% once %}, editions) must still follow
every change that decides them."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_masthead_and_footer_follow_a_settings_change(client, sample_article):
    path = sample_article.get_absolute_url()
    assert "وكالة أنباء آسيا" in client.get(path + "?uncached=1").content.decode()
    with override_settings(SITE_AGENCY="وكالة التجربة", SITE_NAME="تجربة"):
        html = client.get(path + "?uncached=2").content.decode()
    assert '<span class="agency" dir="auto">وكالة التجربة</span>' in html
    assert "<p>© وكالة التجربة</p>" in html
    assert 'title="تجربة (RSS)"' in html


def test_chrome_is_rendered_in_the_page_language(client, sample_article):
    arabic = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert 'action="/search/"' in arabic and 'action="/en/search/"' in english


def test_edition_links_keep_the_query_of_each_request(client, sample_article):
    path = sample_article.get_absolute_url()
    first = client.get(path + "?comment=pending").content.decode()
    second = client.get(path + "?comment=approved").content.decode()
    assert f'href="/en{path}?comment=pending"' in first
    assert f'href="/en{path}?comment=approved"' in second
    assert "comment=pending" not in second
