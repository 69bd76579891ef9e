"""The English edition in real headless Chromium: left to right, text aligned
to the left, Arabic stories inside it still right to left."""

import pytest

from tests.factories import ArticleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def computed(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"el => getComputedStyle(el).{prop}")


def test_english_edition_reads_left_to_right(site_server, page, artifacts):
    english = ArticleFactory(
        language="en",
        headline="Turkey and Syria sign a defence pact",
        summary="Talks in Ankara ended with an agreement.",
        body="<p>The talks ended in Ankara on Tuesday after two days.</p>",
    )
    arabic = ArticleFactory(headline="مباحثات تركية سورية في أنقرة")

    page.goto(site_server.url + "/en/")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("document.documentElement.dir") == "ltr"
    assert computed(page, "html", "direction") == "ltr"
    assert page.locator(".lead h3").inner_text() == english.headline
    assert computed(page, ".lead h3", "textAlign") in ("start", "left")
    # The masthead starts on the left: the brand sits left of the page's centre.
    box = page.locator(".brand a").bounding_box()
    assert box["x"] + box["width"] < page.viewport_size["width"] / 2
    # Arabic names in a teaser's meta line must not pull the time into a
    # right-to-left run: the line reads section, agency, time from the left.
    section = page.locator(".lead .meta a").first.bounding_box()
    time = page.locator(".lead .meta time").bounding_box()
    assert section["x"] < time["x"]
    page.screenshot(path=artifacts / "english-front.png", full_page=True)

    page.click(f"text={english.headline}")
    page.wait_for_url(f"**{english.get_absolute_url()}")
    assert computed(page, "article.story", "direction") == "ltr"
    assert computed(page, ".story .body p", "textAlign") in ("start", "left")
    paragraph = page.locator(".story .body p").bounding_box()
    story = page.locator("article.story").bounding_box()
    assert abs(paragraph["x"] - story["x"]) < 2  # starts at the left edge
    assert page.locator(".share .print-link").inner_text() == "Print"
    page.screenshot(path=artifacts / "english-article.png", full_page=True)

    # The switch link leads to the same story in the Arabic interface: the
    # page turns right to left, the English story stays left to right.
    page.click("a[hreflang=ar]")
    page.wait_for_url(f"{site_server.url}{english.get_absolute_url().removeprefix('/en')}")
    assert computed(page, "html", "direction") == "rtl"
    assert computed(page, "article.story", "direction") == "ltr"
    page.goto(site_server.url + "/")
    assert page.locator(".lead h3").inner_text() == arabic.headline

    # An Arabic story opened in the English interface keeps its own direction.
    page.goto(site_server.url + "/en" + arabic.get_absolute_url())
    assert computed(page, "html", "direction") == "ltr"
    assert computed(page, "article.story", "direction") == "rtl"
    heading = page.locator(".story h1").bounding_box()
    story = page.locator("article.story").bounding_box()
    assert (
        abs((heading["x"] + heading["width"]) - (story["x"] + story["width"])) < 2
    )  # ends at the right edge
