"""nginx adds the site-wide security headers to public pages itself, so that
they are not stored with (and re-parsed from) every cached page; the app
leaves out its own copies when nginx says which exact set it adds. The
end-to-end check, through the real nginx, is in test_nginx_deployment.py."""

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from deploy.local import SITE_CONF
from khabar.security.middleware import EdgeHeadersMiddleware, edge_digest, edge_headers


def public_location() -> str:
    text = SITE_CONF.read_text()
    return text[text.index("    location / {") : text.index("\n    }\n", text.index("    location / {"))]


def test_nginx_adds_exactly_the_apps_headers_and_names_their_digest():
    block = public_location()
    added = {
        name: value.strip('"')
        for name, value in re.findall(r'^\s*add_header (\S+) ("[^"]*"|\S+) always;', block, re.M)
        if name != "X-Cache-Status"
    }
    assert added == edge_headers()
    told = re.search(r"^\s*proxy_set_header X-Khabar-Edge-Headers (\S+);", block, re.M).group(1)
    assert told == edge_digest(edge_headers())


def respond(meta: dict, **headers) -> HttpResponse:
    def view(request):
        response = HttpResponse("<p>خبر</p>")
        for name, value in {**edge_headers(), **headers}.items():
            response[name.replace("_", "-")] = value
        return response

    request = RequestFactory().get("/", **meta)
    return EdgeHeadersMiddleware(view)(request)


@pytest.mark.parametrize("meta", [{}, {"HTTP_X_KHABAR_EDGE_HEADERS": "0123456789abcdef"}])
def test_the_app_keeps_its_headers_unless_told_the_same_set(meta):
    """Straight from the app, or behind an nginx whose copy differs."""
    response = respond(meta)
    for name, value in edge_headers().items():
        assert response[name] == value


def test_told_the_same_set_the_app_leaves_them_to_nginx_but_keeps_its_own_values():
    told = {"HTTP_X_KHABAR_EDGE_HEADERS": edge_digest(edge_headers())}
    response = respond(told, Referrer_Policy="no-referrer")
    assert response["Referrer-Policy"] == "no-referrer"
    assert not any(name in response for name in edge_headers() if name != "Referrer-Policy")
    assert response.content.decode() == "<p>خبر</p>"


def test_a_settings_change_changes_the_digest(settings):
    before = edge_digest(edge_headers())
    # The middleware remembers the set (this fills its memory) ...
    assert "Content-Security-Policy" not in respond({"HTTP_X_KHABAR_EDGE_HEADERS": before})
    settings.CSP = settings.CSP + "; upgrade-insecure-requests"
    assert edge_digest(edge_headers()) != before
    # ... so an nginx still sending the old digest gets the app's own headers.
    response = respond({"HTTP_X_KHABAR_EDGE_HEADERS": before})
    assert response["Content-Security-Policy"].endswith("upgrade-insecure-requests")
    # ... and forgets it when a setting changes: an nginx with the new set is recognised.
    after = edge_digest(edge_headers())
    assert "Content-Security-Policy" not in respond({"HTTP_X_KHABAR_EDGE_HEADERS": after})
