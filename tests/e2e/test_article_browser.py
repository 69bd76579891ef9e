"""The sample article in real headless Chromium, as a reader and a moderator see it."""

import re

import pytest
from django.contrib.auth import get_user_model

from khabar.comments.models import Challenge, Comment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def answer_for(page) -> int:
    question = page.locator("label[for=id_answer]").inner_text()
    left, right = map(int, re.search(r"اكتب ناتج (\d+) \+ (\d+)", question).groups())
    return left + right


def test_reader_sees_the_sample_article_as_published(site_server, page, sample_article, artifacts):
    page.goto(site_server.url + sample_article.get_absolute_url())
    assert page.locator("h1").inner_text() == "التقارب التركي السوري: اتفاقات عسكرية ودفاعية في الأفق"
    assert page.locator(".byline").inner_text() == "وكالة أنباء آسيا"
    assert page.locator(".dateline time").inner_text() == "2025.03.18 - 01:41"
    items = page.locator(".body li").all_inner_texts()
    assert len(items) == 3 and items[0].startswith("تقديم القوات المسلحة التركية")
    share = page.locator(".share a.share-facebook")
    assert share.inner_text() == "Facebook Share"
    assert share.get_attribute("href").startswith("https://www.facebook.com/sharer/sharer.php?u=")
    assert "127.0.0.1" in share.get_attribute("href")
    for key, host in [
        ("x", "https://twitter.com/intent/tweet"),
        ("whatsapp", "https://wa.me/"),
        ("telegram", "https://t.me/share/url"),
    ]:
        assert page.locator(f".share a.share-{key}").get_attribute("href").startswith(host)
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"

    page.screenshot(path=artifacts / "article-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artifacts / "article-phone.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "the phone layout scrolls sideways"


def test_print_media_hides_the_chrome_and_keeps_the_story(site_server, page, sample_article):
    page.goto(site_server.url + sample_article.get_absolute_url())
    page.emulate_media(media="print")
    for hidden in [".masthead", ".share", ".article-tools", ".comments", ".site-footer"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ["h1", ".byline", ".dateline", ".body", ".print-url"]:
        assert page.locator(shown).first.is_visible(), shown
    assert sample_article.canonical_url in page.locator(".print-url").inner_text()


def test_print_button_calls_window_print_and_works_without_javascript(
    site_server, browser, page, sample_article
):
    page.goto(site_server.url + sample_article.get_absolute_url())
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.locator(".share .print-link").click()
    assert page.evaluate("window.__printed") == 1

    context = browser.new_context(java_script_enabled=False)
    no_js = context.new_page()
    no_js.goto(site_server.url + sample_article.get_absolute_url())
    no_js.locator(".share .print-link").click()
    assert no_js.url.endswith("/print/")
    assert no_js.locator("h1").inner_text().startswith("التقارب التركي السوري")
    context.close()


def test_back_to_top_works_without_javascript(site_server, browser, sample_article):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 800, "height": 600})
    page = context.new_page()
    page.goto(site_server.url + sample_article.get_absolute_url())
    page.locator(".article-tools .to-top").scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 0
    page.locator(".article-tools .to-top").click()
    for _ in range(30):  # smooth scrolling takes a moment; no page JS to wait with
        if page.evaluate("window.scrollY") == 0:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.scrollY") == 0
    assert page.url.endswith("#top")
    context.close()


def test_comment_wrong_then_right_then_approved_then_replay_refused(
    site_server, page, sample_article, settings
):
    settings.COMMENT_MIN_SECONDS = 0  # a script types faster than a person; the time trap is tested elsewhere
    page.goto(site_server.url + sample_article.get_absolute_url())
    form = page.locator("form.comment-form")  # brought into the page by article.js
    form.wait_for()
    page.fill("#id_name", "قارئ من بغداد")
    page.fill("#id_body", "تحليل مفيد، شكراً.\n<b>وسطر ثانٍ</b>")
    page.fill("#id_answer", str(answer_for(page) + 1))
    page.click("form.comment-form button[type=submit]")
    assert "الإجابة غير صحيحة" in page.locator(".captcha .errors").inner_text()
    assert page.input_value("#id_name") == "قارئ من بغداد"
    assert page.input_value("#id_body") == "تحليل مفيد، شكراً.\n<b>وسطر ثانٍ</b>"

    page.fill("#id_answer", str(answer_for(page)).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")))
    used_token = page.locator("input[name=token]").input_value()
    page.click("form.comment-form button[type=submit]")
    assert "سيظهر بعد مراجعته" in page.locator("#comments .notice").inner_text()
    assert Comment.objects.get().status == Comment.Status.PENDING

    get_user_model().objects.create_superuser("editor", "e@example.com", "a-long-editor-passphrase")
    page.goto(site_server.url + "/admin/comments/comment/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-editor-passphrase")
    page.click("input[type=submit]")
    page.locator("input.action-select").first.check()
    page.select_option("select[name=action]", "approve")
    page.click("button[name=index]")
    assert "نُشر: 1" in page.locator(".messagelist").inner_text()

    page.goto(site_server.url + sample_article.get_absolute_url())
    comment = page.locator("article.comment")
    assert comment.count() == 1
    assert "قارئ من بغداد" in comment.inner_text() and "<b>وسطر ثانٍ</b>" in comment.inner_text()

    # Replay the spent token with the right answer: refused, nothing stored.
    challenge = Challenge.objects.get(used_at__isnull=False, token__in=Comment.objects.values("challenge"))
    page.goto(site_server.url + sample_article.get_comment_url())
    page.fill("#id_name", "بوت")
    page.fill("#id_body", "تعليق مكرر")
    page.evaluate("t => document.querySelector('input[name=token]').value = t", used_token)
    page.fill("#id_answer", str(challenge.answer))
    page.click("form.comment-form button[type=submit]")
    assert "استُخدم هذا السؤال" in page.locator(".captcha .errors").inner_text()
    assert Comment.objects.count() == 1
