"""The front page in Chromium: its blocks, the breaking ticker coming and
going with a story's end time (the clock is moved with time-machine; the live
server runs in this process, so it sees the same clock, and its page cache
is on), and most-read ordering after real page views counted by the real
mechanism (the read counter behind the page cache), then a flush."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from khabar.newsroom.images import image_prepare, image_store
from khabar.readership import counter
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.e2e
# A reader's browser: headless Chromium's own user agent says "HeadlessChrome", a robot.
READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


@pytest.fixture
def reader(browser):
    context = browser.new_context(locale="ar", user_agent=READER, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def lead_image(settings, tmp_path) -> list[dict]:
    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (40, 90, 140)).save(buffer, "PNG")
    return image_store(image_prepare(SimpleUploadedFile("lead.png", buffer.getvalue())))


def test_front_page_has_its_blocks(site_server, reader, settings, tmp_path, artifacts):
    renditions = lead_image(settings, tmp_path)
    lead = ArticleFactory(
        headline="الخبر الرئيسي بالصورة",
        is_featured=True,
        image=renditions[-1]["name"],
        image_renditions=renditions,
        image_alt="صورة الاجتماع",
    )
    sport = SectionFactory(name="رياضة")
    match = ArticleFactory(section=sport, headline="نتيجة المباراة")
    reader.goto(site_server.url + lead.get_absolute_url())
    counter.flush()
    reader.goto(site_server.url + "/")
    image = reader.locator(".lead img")
    assert image.get_attribute("width") == "1600" and image.get_attribute("height") == "900"
    assert image.evaluate("i => i.complete && i.naturalWidth") > 0  # the rendition is really served
    assert reader.locator(".lead h3").inner_text() == lead.headline
    assert match.headline in reader.locator("section[aria-labelledby=latest-h]").inner_text()
    assert reader.locator(".section-block h2").filter(has_text="رياضة").count() == 1
    assert reader.locator(".most-read-day li").all_inner_texts() == [lead.headline]
    assert "هـ" in reader.locator(".masthead-date").inner_text()  # the Hijri date beside the Gregorian
    reader.screenshot(path=str(artifacts / "front-page.png"), full_page=True)


def test_breaking_ticker_appears_and_goes_with_the_end_time(site_server, reader):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        story = ArticleFactory(headline="انفجار في الميناء", breaking_until=start + timedelta(minutes=5))
        ArticleFactory(headline="خبر عاجل انتهى", breaking_until=start - timedelta(minutes=1))
        reader.goto(site_server.url + "/")
        ticker = reader.locator("section.breaking")
        assert ticker.locator("h2").inner_text() == "عاجل"
        assert ticker.locator("li").all_inner_texts() == [story.headline]
        reader.reload()  # now from the page cache: still there
        assert ticker.locator("li").all_inner_texts() == [story.headline]
        clock.move_to(start + timedelta(minutes=5, seconds=1))
        reader.reload()
        assert ticker.count() == 0
        assert story.headline in reader.locator("section[aria-labelledby=latest-h]").inner_text()


def test_most_read_follows_real_page_views(site_server, reader, page):
    first, second, third = (ArticleFactory(headline=f"خبر للقراءة {n}") for n in (1, 2, 3))
    for article, views in ((third, 1), (first, 4), (second, 2)):
        for _ in range(views):
            reader.goto(site_server.url + article.get_absolute_url())
    for _ in range(5):  # headless Chromium's own user agent is a robot's: not counted
        page.goto(site_server.url + third.get_absolute_url())
    counter.flush()
    reader.goto(site_server.url + "/")
    expected = [first.headline, second.headline, third.headline]
    assert reader.locator(".most-read-day li").all_inner_texts() == expected
    assert reader.locator(".most-read-week li").all_inner_texts() == expected
