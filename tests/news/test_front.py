from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from khabar.readership import counter
from tests.factories import ArticleFactory, SectionFactory

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
RENDITIONS = [
    {"name": "lead/2025/03/lead-480.jpg", "width": 480, "height": 270},
    {"name": "lead/2025/03/lead-1200.jpg", "width": 1200, "height": 675},
]


def read(article, times: int) -> None:
    for _ in range(times):
        counter.record(article.pk, BROWSER)


def ticker(html: str) -> str:
    """The breaking strip's HTML, or "" when the page has none."""
    start = html.find('<section class="breaking"')
    return html[start : html.index("</section>", start)] if start >= 0 else ""


@pytest.mark.django_db
def test_front_page_has_lead_with_image_latest_sections_and_most_read(client):
    economy = SectionFactory(name="اقتصاد")
    lead = ArticleFactory(
        is_featured=True,
        image="lead/2025/03/lead.jpg",
        image_renditions=RENDITIONS,
        image_alt="وزيرا الدفاع في أنقرة",
        published_at=timezone.now() - timedelta(hours=3),
    )
    newer = ArticleFactory(section=economy)
    read(newer, 3)
    read(lead, 1)
    counter.flush()
    html = client.get("/").content.decode()
    lead_block = html[html.index('<section class="lead"') : html.index('id="latest-h"')]
    assert lead.headline in lead_block and newer.headline not in lead_block
    # width/height reserve the space before the image arrives: no layout shift.
    assert 'width="1200" height="675" alt="وزيرا الدفاع في أنقرة"' in lead_block
    assert "lead-480.jpg 480w, " in lead_block and "lead-1200.jpg 1200w" in lead_block
    assert newer.headline in html[html.index('id="latest-h"') :]
    assert f'<a href="{economy.get_absolute_url()}">اقتصاد</a></h2>' in html
    most_read = html[html.index('id="most-read-h"') :]
    assert most_read.index(newer.headline) < most_read.index(lead.headline)
    assert 'class="most-read-day"' in most_read and 'class="most-read-week"' in most_read


@pytest.mark.django_db
def test_masthead_has_the_gregorian_and_hijri_dates(client):
    with time_machine.travel("2025-03-18 09:00 +03:00", tick=False):
        html = client.get("/").content.decode()
    assert '<time datetime="2025-03-18">الثلاثاء، 18 مارس/آذار 2025</time>' in html
    assert '<span class="date-hijri">18 رمضان 1446 هـ</span>' in html


@pytest.mark.django_db
def test_front_page_costs_six_queries_however_many_stories_sections_and_reads(
    client, django_assert_num_queries
):
    for n in range(6):
        section = SectionFactory(name=f"قسم {n}")
        for article in ArticleFactory.create_batch(
            3, section=section, breaking_until=timezone.now() + timedelta(hours=1)
        ):
            read(article, n + 1)
    counter.flush()
    # None is featured: the newest leads, with its image, from the same queries.
    newest = ArticleFactory(image="lead/2025/03/lead.jpg", image_renditions=RENDITIONS)
    # sections, latest, lead, breaking, most read in a day and in a week
    with django_assert_num_queries(6):
        response = client.get("/")
    html = response.content.decode()
    assert html.count('class="section-block"') == 6 and "الأكثر قراءة" in html and ticker(html)
    lead_block = html[html.index('<section class="lead"') : html.index('id="latest-h"')]
    assert newest.headline in lead_block and 'width="1200" height="675"' in lead_block


@pytest.mark.django_db
def test_ticker_shows_live_breaking_stories_only(client):
    now = timezone.now()
    live = ArticleFactory(breaking_until=now + timedelta(minutes=10))
    over = ArticleFactory(breaking_until=now - timedelta(minutes=1))
    strip = ticker(client.get("/").content.decode())
    assert "عاجل" in strip and live.headline in strip and over.headline not in strip
    with time_machine.travel(now + timedelta(minutes=11)):
        assert ticker(client.get("/").content.decode()) == ""


@pytest.mark.django_db(transaction=True)
def test_cached_front_page_drops_the_ticker_when_the_breaking_spell_ends(client):
    now = timezone.now().replace(microsecond=0)
    story = ArticleFactory(breaking_until=now + timedelta(minutes=2))
    with time_machine.travel(now, tick=False) as clock:
        client.get("/")
        second = client.get("/")
        assert second["X-Khabar-Cache"] == "hit" and story.headline in ticker(second.content.decode())
        clock.move_to(now + timedelta(minutes=2, seconds=1))
        after = client.get("/")
    assert after["X-Khabar-Cache"] == "miss" and ticker(after.content.decode()) == ""
    assert story.headline in after.content.decode()  # still a story, no longer breaking


@pytest.mark.django_db(transaction=True)
def test_most_read_on_the_cached_front_page_is_at_most_the_cache_lifetime_old(client, settings):
    # A local-memory page cache: its expiry follows the (moved) clock, Redis's would not.
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.PAGECACHE_CACHE = "pages"
    settings.PAGECACHE_TTL = 300
    slow, fast = ArticleFactory(), ArticleFactory()
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        read(slow, 2)
        counter.flush()
        client.get("/")
        read(fast, 5)
        counter.flush()
        cached = client.get("/").content.decode()
        assert "most-read" in cached and fast.headline not in cached[cached.index('id="most-read-h"') :]
        clock.shift(timedelta(seconds=301))
        fresh = client.get("/").content.decode()
    most_read = fresh[fresh.index('id="most-read-h"') :]
    assert most_read.index(fast.headline) < most_read.index(slow.headline)
