"""Searching the way a reader does, in real headless Chromium."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reader_finds_the_sample_article_with_the_words_marked(site_server, page, sample_article, artifacts):
    page.goto(site_server.url + "/")
    box = page.get_by_role("search").get_by_label("ابحث في الأخبار")
    # Typed without hamza, as readers type.
    box.fill("احمد الشرع")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator(".result-count").inner_text() == "عدد النتائج: 1"
    result = page.locator("article.result")
    assert result.count() == 1
    # Marked as the story spells them, with the hamza.
    assert result.locator("mark").all_inner_texts() == ["أحمد", "الشرع"]
    assert (
        page.evaluate("getComputedStyle(document.querySelector('mark')).backgroundColor")
        != "rgba(0, 0, 0, 0)"
    )

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artifacts / "search-phone.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "the phone layout scrolls sideways"

    result.get_by_role("link").first.click()
    page.wait_for_url("**/news/**")
    assert page.locator("h1").inner_text() == sample_article.headline


def test_filters_and_newest_first_work_without_javascript(site_server, browser, sample_article):
    context = browser.new_context(locale="ar", java_script_enabled=False)
    page = context.new_page()
    page.goto(site_server.url + "/search/?q=" + "دمشق")
    page.get_by_label("الترتيب").select_option("new")
    page.get_by_label("القسم").select_option(label="سياسة")
    page.get_by_role("button", name="ابحث").click()
    assert "sort=new" in page.url
    assert page.locator(".result-count").inner_text() == "عدد النتائج: 1"
    context.close()
