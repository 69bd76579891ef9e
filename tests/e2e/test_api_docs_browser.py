"""The API's interactive docs in real Chromium: everything comes from this
site (no CDN), the operations render under the site's CSP, and "Try it out"
reaches the live API with a key."""

import pytest

from khabar.distribution.services import apikey_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_api_docs_load_offline_and_call_the_api(site_server, page, sample_article, artifacts):
    _, key = apikey_create(name="متصفح")
    requested, refused = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    response = page.goto(site_server.url + "/api/v1/docs")
    assert response.status == 200
    page.locator(".opblock-summary-path", has_text="/api/v1/articles").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/v1/articles", "/api/v1/changes", "/api/v1/articles/{article_id}/ninjs"} <= set(paths)

    page.locator(".auth-wrapper .authorize").click()
    dialog = page.locator(".dialog-ux")
    dialog.locator(".auth-container").first.locator("input").fill(key)  # the X-Api-Key scheme
    dialog.locator(".auth-container").first.locator(".auth-btn-wrapper .authorize").click()
    dialog.locator(".btn-done").first.click()
    page.locator(".opblock-get .opblock-summary", has_text="/api/v1/changes").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".live-responses-table .response-col_status", has_text="200").first.wait_for()

    page.screenshot(path=artifacts / "api-docs.png", full_page=True)
    outside = [url for url in requested if not url.startswith((site_server.url, "data:", "blob:"))]
    assert outside == []
    assert refused == []
