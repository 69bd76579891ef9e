"""The story timeline: extraction split into entries, its box on the article
page, the merged timeline of a tag page, and editors hiding an entry."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from khabar.intelligence import selectors, services
from khabar.intelligence.timeline import Entry, date_label, entry_key, story_timeline
from tests.factories import ArticleFactory, TagFactory

SAMPLE_DATES = ["2024-11-21", "2024-12-08", "2024-12-22", "2025-01-14", "2025-02-04", "2025-03-22"]


def timeline_box(html: str) -> str:
    match = re.search(r'<aside class="timeline".*?</aside>', html, re.S)
    assert match, "no timeline box on the page"
    return match.group()


def datetimes(fragment: str) -> list[str]:
    return re.findall(r'<time datetime="([^"]+)">', fragment)


@pytest.mark.django_db
def test_sample_article_page_shows_its_timeline_in_date_order(client, sample_article):
    box = timeline_box(client.get(sample_article.get_absolute_url()).content.decode())
    assert '<h2 id="timeline-h">التسلسل الزمني</h2>' in box
    # Late November, the four dated events, then "next week" as the week after
    # 18 March 2025 (Saturday 22 to Friday 28 March).
    assert datetimes(box) == SAMPLE_DATES
    assert ">22–28 مارس/آذار 2025</time>" in box
    assert ">4 فبراير/شباط 2025</time>" in box
    assert "وزيارة الرئيس السوري الجديد إلى تركيا في 4 فبراير/شباط 2025" in box


def test_a_sentence_with_two_dates_gives_two_entries():
    text = (
        "زار الوزير أنقرة في 14 يناير/كانون الثاني 2025، وزار الرئيس تركيا في 4 فبراير/شباط 2025، "
        "وهي الأولى منذ سنوات."
    )
    first, second = story_timeline(text)
    assert (first.start, second.start) == (date(2025, 1, 14), date(2025, 2, 4))
    assert first.text == "زار الوزير أنقرة في 14 يناير/كانون الثاني 2025…"
    assert second.text.startswith("وزار الرئيس تركيا في 4 فبراير/شباط 2025")


def test_dates_without_a_comma_between_them_stay_one_entry():
    (entry,) = story_timeline("امتدت المفاوضات من مارس 2024 حتى 3 أبريل 2024.")
    assert entry.start == date(2024, 4, 3) and entry.precision == "day"


def _entry(precision, start, end):
    return Entry("k", start, end, precision, "", "")


@pytest.mark.parametrize(
    ("precision", "start", "end", "months", "digits", "label", "attr"),
    [
        (
            "day",
            date(2024, 12, 8),
            date(2024, 12, 8),
            "both",
            "latin",
            "8 ديسمبر/كانون الأول 2024",
            "2024-12-08",
        ),
        (
            "day",
            date(2024, 12, 8),
            date(2024, 12, 8),
            "levantine",
            "arabic",
            "٨ كانون الأول ٢٠٢٤",
            "2024-12-08",
        ),
        ("month", date(2024, 12, 1), date(2024, 12, 31), "egyptian", "latin", "ديسمبر 2024", "2024-12"),
        (
            "month",
            date(2025, 1, 1),
            date(2025, 1, 31),
            "both",
            "arabic",
            "يناير/كانون الثاني ٢٠٢٥",
            "2025-01",
        ),
        ("year", date(2011, 1, 1), date(2011, 12, 31), "both", "arabic", "٢٠١١", "2011"),
        ("week", date(2025, 3, 22), date(2025, 3, 28), "egyptian", "latin", "22–28 مارس 2025", "2025-03-22"),
        (
            "range",
            date(2025, 3, 29),
            date(2025, 4, 4),
            "levantine",
            "latin",
            "29 آذار – 4 نيسان 2025",
            "2025-03-29",
        ),
        (
            "range",
            date(2024, 12, 28),
            date(2025, 1, 3),
            "egyptian",
            "latin",
            "28 ديسمبر 2024 – 3 يناير 2025",
            "2024-12-28",
        ),
    ],
)
def test_entry_dates_read_in_the_site_style(precision, start, end, months, digits, label, attr):
    entry = _entry(precision, start, end)
    assert date_label(entry, months=months, digits=digits) == label
    assert entry.datetime_attr == attr


def test_entry_key_ignores_spacing_and_edits_elsewhere():
    text = "قال الوزير إن الاجتماع عُقد في 8 ديسمبر 2024."
    (before,) = story_timeline(text)
    (after,) = story_timeline("فقرة جديدة أُضيفت في أول الخبر.\n\n" + text.replace(" إن ", "  إن "))
    assert before.key == after.key == entry_key("8 ديسمبر 2024", text)


@pytest.mark.django_db
def test_month_precision_entry_is_marked_up_as_year_and_month(client):
    article = ArticleFactory(
        body="<p>بدأت الأزمة في ديسمبر/كانون الأول 2024.</p><p>ثم عُقدت القمة في 5 يناير 2025.</p>"
    )
    box = timeline_box(client.get(article.get_absolute_url()).content.decode())
    assert datetimes(box) == ["2024-12", "2025-01-05"]


@pytest.mark.django_db
def test_a_single_dated_sentence_makes_no_timeline_box(client):
    article = ArticleFactory(body="<p>أعلنت الوزارة اليوم نتائج الامتحانات.</p>")
    assert 'class="timeline"' not in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_hidden_entry_disappears_from_the_page_and_comes_back(client, sample_article):
    url = sample_article.get_absolute_url()
    wrong = next(e for e in selectors.compute_timeline(sample_article) if e.start == date(2024, 11, 21))
    services.timeline_entry_hide(article=sample_article, key=wrong.key, label=wrong.text)
    box = timeline_box(client.get(url).content.decode())
    assert datetimes(box) == SAMPLE_DATES[1:]
    services.timeline_entry_show(article=sample_article, key=wrong.key)
    assert datetimes(timeline_box(client.get(url).content.decode())) == SAMPLE_DATES


@pytest.mark.django_db
def test_hiding_does_not_touch_the_story_version(sample_article):
    before = sample_article.updated_at
    key = selectors.compute_timeline(sample_article)[0].key
    services.timeline_entry_hide(article=sample_article, key=key)
    services.timeline_entry_hide(article=sample_article, key=key)  # twice: still one record
    sample_article.refresh_from_db()
    assert sample_article.updated_at == before
    assert [item["key"] for item in sample_article.timeline_hidden] == [key]


@pytest.mark.django_db
def test_timeline_is_extracted_once_per_version_of_the_text(sample_article, monkeypatch):
    first = selectors.article_timeline(sample_article)

    def fail(*args, **kwargs):
        raise AssertionError("extracted again")

    monkeypatch.setattr(selectors.timeline, "story_timeline", fail)
    assert selectors.article_timeline(sample_article) == first
    sample_article.updated_at = timezone.now()  # an edit: the cached entries no longer apply
    with pytest.raises(AssertionError, match="extracted again"):
        selectors.article_timeline(sample_article)


@pytest.mark.django_db
def test_tag_page_merges_the_timelines_of_its_stories(client, sample_article):
    tag = TagFactory(name="سوريا")
    other = ArticleFactory(
        headline="مؤتمر المانحين لسوريا",
        body="<p>عُقد مؤتمر أول في 10 مارس 2024.</p><p>ويُعقد الثاني في 30 يونيو 2025.</p>",
    )
    draft = ArticleFactory(status="draft", body="<p>حدث في 1 يناير 2025.</p><p>وآخر في 2 يناير 2025.</p>")
    for article in (sample_article, other, draft):
        article.tags.add(tag)
    html = client.get(tag.get_absolute_url()).content.decode()
    section = re.search(r'<section class="timeline".*?</section>', html, re.S).group()
    assert datetimes(section) == ["2024-03-10", *SAMPLE_DATES, "2025-06-30"]
    items = re.findall(r"<li>.*?</li>", section, re.S)
    assert other.get_absolute_url() in items[0] and other.get_absolute_url() in items[-1]
    assert all(sample_article.get_absolute_url() in item for item in items[1:-1])
    assert draft.get_absolute_url() not in section


@pytest.mark.django_db
def test_tag_page_uses_the_cached_timelines(sample_article, django_assert_max_num_queries):
    tag = TagFactory()
    sample_article.tags.add(tag)
    selectors.tag_timeline(tag)
    with django_assert_max_num_queries(1):
        assert len(selectors.tag_timeline(tag)) == len(SAMPLE_DATES)


@pytest.mark.django_db
def test_tag_page_leaves_out_hidden_entries(sample_article):
    tag = TagFactory()
    sample_article.tags.add(tag)
    key = selectors.compute_timeline(sample_article)[-1].key
    services.timeline_entry_hide(article=sample_article, key=key)
    assert [e.datetime_attr for e, _ in selectors.tag_timeline(tag)] == SAMPLE_DATES[:-1]


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.com", "a-long-password-1")


@pytest.mark.django_db
def test_editor_hides_an_entry_from_the_story_change_page(client, editor, sample_article):
    client.force_login(editor)
    change = reverse("admin:news_article_change", args=[sample_article.pk])
    page = client.get(change).content.decode()
    assert 'form="intelligence-timeline" name="hide"' in page
    key = selectors.compute_timeline(sample_article)[0].key
    action = reverse("admin:news_article_timeline_entry", args=[sample_article.pk])
    assert f'value="{key}"' in page and f'action="{action}"' in page
    response = client.post(action, {"hide": key})
    assert response.status_code == 302 and response["Location"].startswith(change)
    sample_article.refresh_from_db()
    assert [item["key"] for item in sample_article.timeline_hidden] == [key]
    assert sample_article.timeline_hidden[0]["by"] == "editor"
    assert 'name="show"' in client.get(change).content.decode()
    client.post(action, {"show": key})
    sample_article.refresh_from_db()
    assert sample_article.timeline_hidden == []


@pytest.mark.django_db
def test_hiding_needs_a_post_and_a_real_entry(client, editor, sample_article):
    client.force_login(editor)
    action = reverse("admin:news_article_timeline_entry", args=[sample_article.pk])
    assert client.get(action).status_code == 405
    client.post(action, {"hide": "not-an-entry"})
    sample_article.refresh_from_db()
    assert sample_article.timeline_hidden == []


@pytest.mark.django_db
def test_readers_cannot_hide_entries(client, sample_article):
    action = reverse("admin:news_article_timeline_entry", args=[sample_article.pk])
    key = selectors.compute_timeline(sample_article)[0].key
    response = client.post(action, {"hide": key})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    sample_article.refresh_from_db()
    assert sample_article.timeline_hidden == []


@pytest.mark.django_db
def test_article_page_stays_within_five_queries_with_timeline_and_related(
    client, sample_article, django_assert_max_num_queries
):
    for i in range(3):
        related = ArticleFactory(
            headline=f"تركيا وسوريا: زيارة وفد عسكري {i}", body="<p>أنقرة دمشق الجيش السوري</p>"
        )
        services.article_terms_refresh(article=related)
    services.article_terms_refresh(article=sample_article)  # as the newsroom's save does
    key = selectors.compute_timeline(sample_article)[0].key
    services.timeline_entry_hide(article=sample_article, key=key)
    with django_assert_max_num_queries(5):
        html = client.get(sample_article.get_absolute_url()).content.decode()
    assert 'class="timeline"' in html and "تركيا وسوريا: زيارة وفد عسكري 0" in html


def test_story_timeline_of_an_old_story_resolves_relative_dates_from_its_own_day():
    (entry, other) = story_timeline("وصل الوفد أمس. ويغادر في 9 مايو 2020.", date(2020, 5, 5))
    assert entry.start == date(2020, 5, 4) and other.start == date(2020, 5, 9)
