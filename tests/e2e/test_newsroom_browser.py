"""A reporter and an editor take one story through the newsroom in headless
Chromium: draft with an image, review, a schedule one minute ahead (the
clock is controlled with time-machine; the live server runs in this process,
so it sees the same clock), correction, revision diff, restore, and a
conflicting save."""

import json
import re
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from khabar.news.models import Article
from khabar.newsroom.roles import EDITOR, REPORTER
from tests.factories import AgencyFactory, ArticleFactory, SectionFactory, TagFactory
from tests.newsroom.helpers import PASSWORD, ensure_roles, make_user, png_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADLINE = "افتتاح سوق الزعفرانية الجديد للخضار"
WORD = "الزعفرانية"


def log_in(context, base, user):
    page = context.new_page()
    page.goto(f"{base}/admin/login/?next=/newsroom/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/newsroom/")
    return page


def _try_reverse(name, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None  # that surface has not landed (yet)


def public_surfaces(article, section, tag, api_key) -> list[tuple[str, dict]]:
    """Every public place a story can show up, found by URL name, so this
    list grows as search, feeds, sitemaps and the API land."""
    paths = [
        _try_reverse("news:article", pk=article.pk, slug=article.slug),
        _try_reverse("news:article-print", pk=article.pk, slug=article.slug),
        _try_reverse("news:front"),
        _try_reverse("news:section", slug=section.slug),
        _try_reverse("news:tag", slug=tag.slug),
    ]
    search = _try_reverse("search:search")
    paths.append(search and f"{search}?{urlencode({'q': WORD})}")
    for scope, kwargs in [("site", {}), ("section", {"slug": section.slug}), ("tag", {"slug": tag.slug})]:
        paths += [
            _try_reverse(f"distribution:feed-{scope}-{kind}", **kwargs) for kind in ("rss", "atom", "json")
        ]
    surfaces = [(p, {}) for p in paths if p]
    headers = {"X-Api-Key": api_key} if api_key else {}
    for path in (
        _try_reverse("distribution:api:articles"),
        _try_reverse("distribution:api:article", article_id=article.pk),
    ):
        if path and api_key:
            surfaces.append((path, headers))
    return surfaces


def sitemap_children(reader, base) -> list[str]:
    index = _try_reverse("distribution:sitemap-index")
    if not index:
        return []
    xml = reader.get(base + index).text()
    return [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", xml)]


def fetch(reader, base, path, headers) -> tuple[int, str]:
    response = reader.get(base + path, headers=headers)
    text = response.text()
    if "json" in response.headers.get("content-type", ""):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return response.status, text


def mentions(text: str, article) -> bool:
    return article.headline in text or f"/news/{article.pk}/" in text


def api_key_for_test() -> str | None:
    try:
        from khabar.distribution.services import apikey_create
    except ImportError:
        return None
    return apikey_create(name="newsroom-e2e")[1]


def test_reporter_and_editor_take_a_story_from_draft_to_correction(
    site_server, browser, tmp_path, settings, artifacts
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = site_server.url
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start, tick=False) as clock:
        ensure_roles()
        reporter, editor = make_user("reporter", REPORTER), make_user("editor", EDITOR)
        section, agency, tag = SectionFactory(name="اقتصاد"), AgencyFactory(), TagFactory(name="أسواق")
        ArticleFactory(headline="خبر منشور من قبل", section=section, agency=agency).tags.add(tag)
        api_key = api_key_for_test()

        # The reporter drafts with an image and submits.
        reporter_context = browser.new_context(locale="ar")
        page = log_in(reporter_context, base, reporter)
        page.goto(f"{base}/admin/news/article/add/")
        page.fill("#id_headline", HEADLINE)
        page.fill("#id_summary", "سوق جديد في حي الزعفرانية ببغداد.")
        page.fill("#id_body", "<p>افتُتح اليوم السوق بمئة وعشرين محلاً.</p>\n<p>ويعمل من السادسة صباحاً.</p>")
        page.select_option("#id_section", str(section.pk))
        page.select_option("#id_agency", str(agency.pk))
        assert page.locator("input[name=_publish]").count() == 0
        assert page.locator("#id_publish_at").count() == 0
        page.set_input_files(
            "#id_image_upload",
            files=[{"name": "souq.png", "mimeType": "image/png", "buffer": png_bytes(1600, 900)}],
        )
        page.fill("#id_image_alt", "واجهة السوق الجديد")
        page.fill("#id_image_caption", "السوق صباح الافتتاح")
        page.fill("#id_image_credit", "تصوير: خبر")
        page.click("input[name=_submit]")
        assert "حالة الخبر الآن: قيد المراجعة" in page.locator(".messagelist").inner_text()
        article = Article.objects.get(headline=HEADLINE)
        article.tags.add(tag)
        assert article.status == Article.Status.REVIEW and article.created_by == reporter
        assert [r["width"] for r in article.image_renditions] == [480, 800, 1200, 1600]

        # ...and cannot publish it by any route.
        assert page.locator("input[name=_publish]").count() == 0
        token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
        change = f"{base}/admin/news/article/{article.pk}/change/"
        forged_form = {
            "csrfmiddlewaretoken": token, "headline": HEADLINE, "body": article.body, "_publish": "1",
            "section": str(section.pk), "agency": str(agency.pk), "opened_version": str(article.version),
        }  # fmt: skip
        assert page.request.post(change, form=forged_form).status == 403
        action = {
            "csrfmiddlewaretoken": token,
            "action": "publish_selected",
            "_selected_action": str(article.pk),
        }
        assert page.request.post(f"{base}/admin/news/article/", form={**action, "index": "0"}).status == 403
        direct = f"{base}/newsroom/articles/{article.pk}/publish/"
        assert page.request.post(direct, form={"csrfmiddlewaretoken": token}).status == 403
        article.refresh_from_db()
        assert article.status == Article.Status.REVIEW and article.version == 2

        # The editor finds it waiting for review and schedules it one minute ahead.
        editor_context = browser.new_context(locale="ar")
        desk = log_in(editor_context, base, editor)
        assert desk.locator("[data-count=review]").inner_text() == "1"
        desk.screenshot(path=artifacts / "newsroom-dashboard.png", full_page=True)
        desk.locator("#review").get_by_role("link", name=HEADLINE).click()
        at = timezone.localtime(start + timedelta(minutes=1))
        desk.fill("#id_publish_at", at.strftime("%Y-%m-%dT%H:%M"))
        desk.click("input[name=_publish]")
        assert "حالة الخبر الآن: مجدول" in desk.locator(".messagelist").inner_text()
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED and article.published_at == start + timedelta(
            minutes=1
        )

        # Absent from every public surface before its time...
        reader = browser.new_context(locale="ar").request
        surfaces = public_surfaces(article, section, tag, api_key)
        assert len(surfaces) >= 5
        own = {article.get_absolute_url(), article.get_print_url()}
        for path, headers in surfaces + [(p, {}) for p in sitemap_children(reader, base)]:
            status, text = fetch(reader, base, path, headers)
            if path in own:
                # A 404 that links to the same address in the other edition:
                # an echo of the URL the reader asked for, not the story.
                assert status == 404 and article.headline not in text, f"{path} shows the story ({status})"
            else:
                assert not mentions(text, article), f"{path} shows the story before its time ({status})"
        assert fetch(reader, base, article.get_absolute_url(), {})[0] == 404

        # ...and present on all of them once it comes, with no job run.
        clock.move_to(start + timedelta(minutes=1, seconds=5))
        for path, headers in surfaces:
            status, text = fetch(reader, base, path, headers)
            assert status == 200 and mentions(text, article), f"{path} does not show the story at its time"
        children = sitemap_children(reader, base)
        if children:
            assert any(mentions(fetch(reader, base, p, {})[1], article) for p in children), (
                "no sitemap lists it"
            )
        story = browser.new_context(locale="ar").new_page()
        story.goto(base + article.get_absolute_url())
        img = story.locator(".lead-image img")
        assert img.get_attribute("width") == "1600" and "480w" in img.get_attribute("srcset")
        og = story.locator('meta[property="og:image"]').get_attribute("content")
        assert og.endswith(article.image_renditions[-1]["name"])

        # The editor corrects it: the note shows at the end, dated, with "last updated".
        desk.goto(change)
        desk.fill("#id_body", "<p>افتُتح اليوم السوق بمئة وأربعين محلاً.</p>\n<p>ويعمل من السادسة صباحاً.</p>")
        desk.fill("#id_correction", "صُحّح عدد المحال: مئة وأربعون لا مئة وعشرون.")
        desk.check("#id_substantive_update")
        desk.click("input[name=_continue]")
        assert desk.locator(".errornote").count() == 0
        story.reload()
        assert "مئة وأربعين محلاً" in story.locator(".body").inner_text()
        assert "صُحّح عدد المحال" in story.locator(".corrections").inner_text()
        assert "آخر تحديث" in story.locator(".dateline").inner_text()

        # The revision diff shows the change; restoring the earlier text works.
        desk.goto(f"{base}/newsroom/articles/{article.pk}/revisions/")
        diff = desk.locator(".diff-body")
        assert diff.locator("del").first.inner_text().strip() == "وعشرين"
        assert diff.locator("ins").first.inner_text().strip() == "وأربعين"
        desk.screenshot(path=artifacts / "newsroom-revisions.png", full_page=True)
        before_correction = Article.objects.get(pk=article.pk).revisions.get(action="schedule").number
        desk.locator(f"tr[data-number='{before_correction}']").get_by_role(
            "button", name="استعادة هذه النسخة"
        ).click()
        assert f"استُعيد نص النسخة {before_correction}" in desk.locator(".messagelist").inner_text()
        story.reload()
        assert "مئة وعشرين محلاً" in story.locator(".body").inner_text()
        assert "صُحّح عدد المحال" in story.locator(".corrections").inner_text()  # corrections are never undone

        # Two editors open the story; the second save is refused and nothing is overwritten.
        first, second = editor_context.new_page(), editor_context.new_page()
        first.goto(change)
        second.goto(change)
        first.fill("#id_headline", HEADLINE + " اليوم")
        first.click("input[name=_continue]")
        assert first.locator(".errornote").count() == 0
        second.fill("#id_headline", HEADLINE + " غداً")
        second.click("input[name=_continue]")
        assert "تغيّر هذا الخبر منذ فتحته" in second.locator(".errorlist.nonfield").inner_text()
        second.screenshot(path=artifacts / "newsroom-conflict.png", full_page=True)
        assert Article.objects.get(pk=article.pk).headline == HEADLINE + " اليوم"
        for context in (reporter_context, editor_context):
            context.close()
