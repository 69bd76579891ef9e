"""The English edition: URLs, language and direction, the switch link and
hreflang, listings per edition, per-language dates, comments and search."""

import re
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from khabar.news.templatetags.khabar import editions
from khabar.search.services import index_article
from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

BAGHDAD = ZoneInfo("Asia/Baghdad")


@pytest.fixture
def english(db):
    article = ArticleFactory(
        language="en",
        headline="Turkey and Syria sign a defence pact",
        summary="Talks in Ankara ended with an agreement.",
        body="<p>The talks ended in Ankara on Tuesday.</p>",
        published_at=datetime(2025, 3, 18, 1, 41, tzinfo=BAGHDAD),
    )
    index_article(article)
    return article


@pytest.fixture
def arabic(db):
    article = ArticleFactory(
        headline="مباحثات تركية سورية في أنقرة", published_at=datetime(2025, 3, 18, 1, 41, tzinfo=BAGHDAD)
    )
    index_article(article)
    return article


def html_of(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_arabic_urls_are_unchanged_and_english_ones_are_under_en(arabic):
    section, tag = arabic.section, TagFactory()
    assert reverse("news:front") == "/"
    assert arabic.get_absolute_url() == f"/news/{arabic.pk}/{quote(arabic.slug)}/"
    assert section.get_absolute_url() == f"/section/{section.slug}/"
    assert tag.get_absolute_url() == f"/tag/{tag.slug}/"
    assert reverse("search:search") == "/search/"
    assert reverse("distribution:feed-site-rss") == "/feeds/rss/"
    assert reverse("distribution:sitemap-index") == "/sitemap.xml"
    assert reverse("admin:index") == "/admin/"


@pytest.mark.parametrize(
    "path",
    ["/en/", "/en/search/?q=pact", "/en/feeds/rss/", "/en/feeds/atom/", "/en/feeds/json/"],
)
def test_english_public_pages_answer(client, english, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/en/admin/", "/en/newsroom/", "/en/api/v1/", "/en/sitemap.xml", "/ar/"])
def test_admin_newsroom_api_and_sitemaps_have_no_english_copy(client, path):
    assert client.get(path).status_code == 404


def test_english_front_is_english_left_to_right(client, english):
    html = html_of(client, "/en/")
    assert '<html lang="en" dir="ltr">' in html
    assert ">Skip to content</a>" in html and "Latest news" in html and ">Back to top</a>" in html
    assert "عودة للأعلى" not in html and "تخطَّ إلى المحتوى" not in html


def test_arabic_front_keeps_its_arabic_text(client, arabic):
    html = html_of(client, "/")
    assert '<html lang="ar" dir="rtl">' in html
    assert ">تخطَّ إلى المحتوى</a>" in html and 'class="to-top">عودة للأعلى</a>' in html
    assert "Skip to content" not in html


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, {"HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}=en"}],
)
def test_language_comes_from_the_url_never_from_headers_or_cookies(client, arabic, headers):
    response = client.get("/", **headers)
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html and "عودة للأعلى" in html
    assert response["Content-Language"] == "ar"
    assert "Accept-Language" not in response.get("Vary", "")
    assert '<html lang="en" dir="ltr">' in html_of(client, "/en/", HTTP_ACCEPT_LANGUAGE="ar")


def test_every_public_page_links_to_the_other_edition_with_hreflang(client, arabic, english):
    section = arabic.section
    pairs = [
        ("/", "/en/"),
        (f"/section/{section.slug}/", f"/en/section/{section.slug}/"),
        ("/search/?q=x", "/en/search/?q=x"),
        (arabic.get_absolute_url(), f"/en{arabic.get_absolute_url()}"),
        (arabic.get_print_url(), f"/en{arabic.get_print_url()}"),
    ]
    for ar, en in pairs:
        ar_html, en_html = html_of(client, ar), html_of(client, en)
        assert f'<a href="{en}" hreflang="en" lang="en">English</a>' in ar_html, ar
        assert f'<a href="{ar}" hreflang="ar" lang="ar">العربية</a>' in en_html, en
        if "/news/" in ar:
            continue  # stories: see test_story_pages_name_only_their_canonical_as_alternate
        for html in (ar_html, en_html):
            assert f'<link rel="alternate" hreflang="en" href="{settings.SITE_URL}{en}">' in html
            assert f'<link rel="alternate" hreflang="ar" href="{settings.SITE_URL}{ar}">' in html
            assert f'<link rel="alternate" hreflang="x-default" href="{settings.SITE_URL}{ar}">' in html


def test_page_without_a_counterpart_switches_to_the_other_front_page(client):
    html = client.get("/en/no-such-page/").content.decode()
    assert '<html lang="en" dir="ltr">' in html and ">Page not found</h1>" in html
    assert '<a href="/" hreflang="ar" lang="ar">العربية</a>' in html


def test_each_edition_lists_the_stories_in_its_language(client, arabic, english):
    tag = TagFactory()
    arabic.tags.add(tag)
    english.tags.add(tag)
    section = arabic.section
    for path in ("/", f"/section/{section.slug}/", f"/tag/{tag.slug}/"):
        ar_html, en_html = html_of(client, path), html_of(client, "/en" + path)
        assert arabic.headline in ar_html and english.headline not in ar_html, path
        assert english.headline in en_html and arabic.headline not in en_html, path


def test_english_story_is_marked_english_and_its_links_stay_in_the_english_edition(client, english):
    assert english.get_absolute_url() == f"/en/news/{english.pk}/{english.slug}/"
    html = html_of(client, english.get_absolute_url())
    assert '<html lang="en" dir="ltr">' in html
    assert '<article class="story" lang="en" dir="ltr">' in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}/en/news/{english.pk}/{english.slug}/">' in html
    assert '<meta property="og:locale" content="en_US">' in html
    assert f'href="/en/news/{english.pk}/{english.slug}/print/"' in html
    assert f'data-fragment="/en/news/{english.pk}/comment/?fragment=1"' in html
    assert ">Print</a>" in html and ">Add a comment</a>" in html and ">Comments</h2>" in html


def test_arabic_story_in_the_english_interface_keeps_its_own_language(client, arabic):
    html = html_of(client, f"/en{arabic.get_absolute_url()}")
    assert '<html lang="en" dir="ltr">' in html
    assert '<article class="story" lang="ar" dir="rtl">' in html
    # One canonical address: the story's own edition.
    assert f'<link rel="canonical" href="{arabic.canonical_url}">' in html
    assert arabic.canonical_url == f"{settings.SITE_URL}/news/{arabic.pk}/{quote(arabic.slug)}/"


def test_wrong_slug_redirects_within_the_edition_asked_for(client, arabic):
    response = client.get(f"/en/news/{arabic.pk}/old/")
    assert response.status_code == 301
    assert response["Location"] == f"/en/news/{arabic.pk}/{quote(arabic.slug)}/"


def test_dates_follow_the_page_language(client, arabic):
    ar_html = html_of(client, arabic.get_absolute_url())
    en_html = html_of(client, f"/en{arabic.get_absolute_url()}")
    assert "الثلاثاء، 18 مارس/آذار 2025" in ar_html and "Tuesday" not in ar_html
    assert "Tuesday, 18 March 2025" in en_html and "مارس/آذار" not in en_html
    # The agency's own timestamp is the same in both.
    assert "2025.03.18 - 01:41" in ar_html and "2025.03.18 - 01:41" in en_html


def test_english_comment_form_asks_in_english(client, english):
    html = html_of(client, reverse("comments:form", kwargs={"pk": english.pk}).replace("/news/", "/en/news/"))
    assert '<html lang="en" dir="ltr">' in html
    assert re.search(r"What is \d \+ \d\?</label>", html)
    assert ">Send comment</button>" in html and ">Name</label>" in html


def test_english_comment_error_is_in_english(client, english):
    url = f"/en/news/{english.pk}/comment/"
    form = html_of(client, url)
    fields = {
        name: re.search(rf'name="{name}" value="([^"]+)"', form)[1]
        for name in ("token", "csrfmiddlewaretoken")
    }
    response = client.post(url, {**fields, "name": "Ann", "body": "Hello", "answer": "eight"})
    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Write the result in digits only, such as 8." in html
    assert "اكتب الناتج أرقاماً فقط" not in html


def test_english_search_finds_english_text_and_arabic_still_works(client, arabic, english):
    en_html = html_of(client, "/en/search/?q=defence+PACT")
    assert '<html lang="en" dir="ltr">' in en_html and "Results: 1" in en_html
    assert f'href="{english.get_absolute_url()}" lang="en" dir="ltr"' in en_html
    ar_html = html_of(client, "/search/?q=أنقرة")
    assert "عدد النتائج: 1" in ar_html and arabic.get_absolute_url() in ar_html
    assert "Results: 0" in html_of(client, "/en/search/?q=pacts")  # whole words: Latin is not stemmed


def test_section_names_are_shared_between_editions(client, english):
    section = SectionFactory(name="اقتصاد")
    html = html_of(client, f"/en/section/{section.slug}/")
    assert "<h1>اقتصاد</h1>" in html and ">No stories here yet.</p>" in html


def test_story_pages_name_only_their_canonical_as_alternate(client, arabic, english):
    # The other interface's copy of a story is the same text, not a translation.
    for story in (arabic, english):
        arabic_interface = reverse("news:article", kwargs={"pk": story.pk, "slug": story.slug})
        for url in (arabic_interface, f"/en{arabic_interface}"):
            html = html_of(client, url)
            alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
            assert alternates == [(story.language, story.canonical_url)], url


def test_en_without_slash_redirects_to_the_english_front(client):
    response = client.get("/en")
    assert response.status_code == 301 and response["Location"] == "/en/"


@pytest.mark.parametrize(
    "path", ["//evil.example/", "//evil.example/news/1/x/", "///evil.example/section/a/"]
)
def test_switch_link_never_leaves_the_site(rf, path):
    # A server hands such paths on as they came; the test client would
    # read "//host" as a host, so the request is made by hand.
    request = rf.get("/")
    request.path = request.path_info = path
    for _code, _name, url, _current in editions({"request": request}):
        assert url.startswith("/") and not url.startswith("//"), url
