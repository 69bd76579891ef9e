"""The search page as a reader gets it: /search/?q=… (and the box on every page)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import AgencyFactory, SectionFactory

NOW = timezone.now()


def page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response, response.content.decode()


def count_of(html: str) -> int:
    return int(re.search(r"عدد النتائج: (\d+)", html).group(1))


def test_every_page_has_a_search_box_without_script(client, sample_article):
    for url in ["/", sample_article.get_absolute_url(), "/search/"]:
        html = client.get(url).content.decode()
        form = re.search(r'<form[^>]*role="search"[^>]*>.*?</form>', html, re.S).group(0)
        assert 'method="get"' in form and 'action="/search/"' in form and 'name="q"' in form
        assert "<label" in form and "<script" not in form


def test_result_links_to_the_article_with_words_marked_as_written(client, sample_article):
    response, html = page(client, q="احمد الشرع")
    assert count_of(html) == 1
    assert f'href="{sample_article.get_absolute_url()}"' in html
    # The reader typed no hamza; the page marks the words as the story spells them.
    assert "<mark>أحمد</mark> <mark>الشرع</mark>" in html


def test_highlight_keeps_diacritics_and_escapes_html(client, make_article):
    make_article(headline="قال مُحَمَّدٌ إن <b>الاجتماع</b> انتهى", body="<p>نص</p>")
    _, html = page(client, q="محمد")
    assert "<mark>مُحَمَّدٌ</mark>" in html
    assert "&lt;b&gt;" in html and "<b>الاجتماع" not in html


def test_snippet_shows_the_passage_with_the_match(client, make_article):
    filler = " ".join(["كلام عام عن الطقس"] * 40)
    make_article(headline="نشرة", body=f"<p>{filler}</p><p>وأعلن مسؤول في وزارة النفط زيادة الإنتاج.</p>")
    _, html = page(client, q="النفط")
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    assert snippet.startswith("… ") and "<mark>النفط</mark>" in snippet


def test_count_and_pagination_keep_the_query(client, make_article):
    for n in range(23):
        make_article(headline=f"سوق الذهب رقم {n}", published_at=NOW - timedelta(hours=n + 1))
    _, html = page(client, q="الذهب", sort="new")
    assert count_of(html) == 23 and html.count('class="teaser result"') == 20
    assert "q=%D8%A7%D9%84%D8%B0%D9%87%D8%A8&amp;sort=new&amp;page=2" in html
    _, html = page(client, q="الذهب", sort="new", page=2)
    assert html.count('class="teaser result"') == 3 and "رقم 22<" in html and "رقم 19<" not in html


def test_newest_first(client, make_article):
    old = make_article(headline="قمة الدوحة الأولى", published_at=NOW - timedelta(days=3))
    new = make_article(headline="قمة الدوحة الثانية", published_at=NOW - timedelta(hours=1))
    _, html = page(client, q="قمة الدوحة", sort="new")
    assert html.index(new.get_absolute_url()) < html.index(old.get_absolute_url())


def test_relevance_puts_the_headline_above_the_body_and_boosts_recent_stories(client, make_article):
    body_only = make_article(headline="أخبار اليوم", body="<p>تحدث عن الكهرباء.</p>")
    headline = make_article(headline="أزمة الكهرباء", body="<p>تفاصيل.</p>")
    stale = make_article(headline="أزمة الكهرباء القديمة", published_at=NOW - timedelta(days=400))
    _, html = page(client, q="الكهرباء")
    order = [html.index(a.get_absolute_url()) for a in (headline, body_only, stale)]
    assert order == sorted(order)


def test_filters_by_section_agency_and_dates(client, make_article):
    sport, politics = (
        SectionFactory(name="رياضة", slug="sport"),
        SectionFactory(name="سياسة", slug="politics"),
    )
    other = AgencyFactory(name="وكالة أخرى", slug="other")
    # Local noons, so b and c fall on different local days whatever the hour of the run.
    noon = timezone.localtime(NOW).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)
    a = make_article(headline="ملعب بغداد", section=sport, published_at=noon - timedelta(days=10))
    b = make_article(headline="برلمان بغداد", section=politics, published_at=noon - timedelta(days=1))
    c = make_article(headline="مطار بغداد", section=politics, agency=other, published_at=noon)
    _, html = page(client, q="بغداد", section="sport")
    assert count_of(html) == 1 and a.get_absolute_url() in html
    _, html = page(client, q="بغداد", agency="other")
    assert count_of(html) == 1 and c.get_absolute_url() in html
    day = b.published_at.astimezone(timezone.get_current_timezone()).date()
    _, html = page(client, q="بغداد", date_from=day.isoformat(), date_to=day.isoformat())
    assert count_of(html) == 1 and b.get_absolute_url() in html
    arabic_digits = day.isoformat().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    _, html = page(client, q="بغداد", date_from=arabic_digits)
    assert count_of(html) == 2


@pytest.mark.parametrize(
    "params, error",
    [
        ({"section": "nope"}, "هذا القسم غير موجود."),
        ({"section": "\x00"}, None),
        ({"agency": "' OR 1=1 --"}, "هذه الوكالة غير موجودة."),
        ({"date_from": "أمس"}, "اكتب التاريخ بالشكل 2024-12-08."),
        ({"date_from": "0001-01-01"}, "هذا التاريخ خارج المدى الممكن."),
        ({"date_to": "9999-12-31"}, "هذا التاريخ خارج المدى الممكن."),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "تاريخ النهاية قبل تاريخ البداية."),
        ({"sort": "id; DROP TABLE news_article"}, "اختر ترتيبًا من القائمة."),
        ({"page": "-1"}, None),
        ({"page": "99999999999999999999"}, None),
        ({"page": "\x00"}, None),
    ],
)
def test_bad_filters_are_reported_and_ignored_never_a_500(client, sample_article, params, error):
    _, html = page(client, q="احمد الشرع", **params)
    if error:
        assert error in html
    # An invalid filter is dropped, not guessed: the story is still found.
    if "date_to" not in params or "date_from" in params:
        assert count_of(html) == 1


def test_query_of_any_shape_renders(client, sample_article):
    for q in ['"', "-", "NEAR(", "ب" * 5000, "'; DROP TABLE x; --", "-الشرع", "\x00الشرع"]:
        _, html = page(client, q=q)
        assert count_of(html) == (1 if q == "\x00الشرع" else 0)


def test_empty_query_shows_the_form_only(client, sample_article):
    for params in [{}, {"q": "  "}, {"q": "\x00"}]:
        _, html = page(client, **params)
        assert 'id="search-q"' in html and "عدد النتائج" not in html


def test_nothing_found_says_so(client, sample_article):
    _, html = page(client, q="كلمةغيرموجودة")
    assert "عدد النتائج: 0" in html and "لم نجد أخبارًا منشورة تطابق" in html
