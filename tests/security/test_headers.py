"""Configuration and headers (T-01, T-03, T-04, T-05, T-06, T-25 names):
production mode is checked in subprocesses with production environment
variables, the way a deployment starts."""

import json
import os
import subprocess
import sys

import pytest
import requests
from django.conf import settings
from django.test import Client

from . import live, surfaces

pytestmark = pytest.mark.django_db

PROD_ENV = {
    "SECRET_KEY": "x7-k2uQ_0r9pLmZ4vN8sT1wY6eB3cH5jD0fG2aR7iU9oE4lK-q3Wz8Xc1Vb6Nm",
    "ALLOWED_HOSTS": "news.example",
    "DEBUG": "0",
    "HTTPS": "1",
}


def run(args: list[str], **env) -> subprocess.CompletedProcess:
    """A fresh process with production environment variables (not the suite's;
    tests/e2e sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, never a deployment)."""
    clean = {k: v for k, v in os.environ.items() if k not in {*PROD_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        args,
        cwd=live.ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", code], **env)


def test_check_deploy_is_clean_in_production_mode():
    """T-01: no warning, no error, nothing silenced."""
    result = run([str(live.BIN / "khabar"), "check", "--deploy", "--fail-level", "WARNING"], **PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert not getattr(settings, "SILENCED_SYSTEM_CHECKS", [])


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
    ],
)
def test_wsgi_refuses_to_start_with_unsafe_production_settings(env, expected):
    result = run_python("import config.wsgi", **{**PROD_ENV, **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and expected in result.stderr


def test_wsgi_starts_with_real_production_settings():
    result = run_python("import config.wsgi; print('ready')", **PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ready"


def test_production_cookies_are_host_prefixed_secure_and_httponly():
    """T-25 (settings side): __Host- names, Secure, HttpOnly session, SameSite=Lax, HSTS."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: "
        "getattr(s, k) for k in ['SESSION_COOKIE_NAME','CSRF_COOKIE_NAME','SESSION_COOKIE_SECURE',"
        "'CSRF_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','SESSION_COOKIE_SAMESITE','SESSION_COOKIE_DOMAIN',"
        "'SESSION_COOKIE_PATH','SECURE_HSTS_SECONDS','SECURE_SSL_REDIRECT','DEBUG']}))"
    )
    result = run_python(code, **PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_PATH": "/",
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "DEBUG": False,
    }


DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def _csp(response) -> dict:
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in policy.split(";")) if d}


def test_every_public_surface_sends_the_security_headers(public_surfaces, client):
    """T-03 over every URL the URLconf has (found, not listed)."""
    assert len(public_surfaces) >= 8
    for surface in public_surfaces:
        response = client.get(surface.url)
        h = response.headers
        assert h["X-Content-Type-Options"] == "nosniff", surface
        assert h["Referrer-Policy"] == "strict-origin-when-cross-origin", surface
        assert h["Cross-Origin-Opener-Policy"] == "same-origin", surface
        assert h["X-Frame-Options"] == "DENY", surface
        assert "camera=()" in h["Permissions-Policy"], surface
        csp = _csp(response)
        assert csp["default-src"] == ["'none'"], surface
        assert csp["script-src"] == ["'self'"], surface
        assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"], surface
        assert not any("unsafe" in v for values in csp.values() for v in values), surface
        if h["Content-Type"].startswith("text/html"):
            assert h["Content-Type"] == "text/html; charset=utf-8", surface
        if surface.url.startswith("/api/") and response.status_code == 200 and "json" in h["Content-Type"]:
            assert h.get("Content-Disposition", "").startswith("attachment"), surface


def test_pages_have_no_inline_script_or_style(public_surfaces, client):
    """What lets script-src/style-src stay 'self': no inline code in our HTML.
    JSON-LD and json_script blocks are data (a non-script type), never run."""
    import lxml.html

    for surface in public_surfaces:
        response = client.get(surface.url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        doc = lxml.html.fromstring(response.content)
        for script in doc.iter("script"):
            assert script.get("src") or script.get("type") in DATA_SCRIPT_TYPES, surface
        assert not doc.xpath("//style | //*[@style]"), surface
        assert not [a for el in doc.iter() for a in el.attrib if a.lower().startswith("on")], surface


def test_csp_can_be_switched_off_for_the_escaping_tests(client, world, settings):
    settings.CSP_ENABLED = False
    assert "Content-Security-Policy" not in client.get("/").headers


def test_unknown_host_is_refused(client, world):
    """T-05."""
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


def test_methods_the_site_does_not_use_get_405(public_surfaces):
    """T-06: PUT, PATCH, DELETE, TRACE, OPTIONS and WebDAV verbs answer 405
    with an Allow header everywhere, before CSRF or any view."""
    client = Client()
    wrong = []
    for surface in public_surfaces:
        for method in ("PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "PROPFIND", "CONNECT"):
            response = client.generic(method, surface.url)
            # The API names only its own method (GET) in Allow; the site, GET, HEAD, POST.
            allowed = {m.strip() for m in response.get("Allow", "").split(",") if m.strip()}
            if response.status_code != 405 or not allowed or method in allowed:
                wrong.append((surface.name, method, response.status_code))
    assert wrong == [], sorted({name for name, _, _ in wrong})


def test_the_api_reads_only_and_says_so_in_allow(world, settings):
    """T-06 under /api/v1/, with a valid key (the sweep above sees only what
    an anonymous reader reaches): every route still answers GET; every other
    method, POST included, gets 405 naming only GET (the docs page: GET, HEAD)."""
    from khabar.distribution.services import apikey_create

    settings.API_RATE_LIMIT = 10**6
    client = Client(HTTP_X_API_KEY=apikey_create(name="methods")[1])
    api = [s for s in surfaces.discover(client, world.pool)[0] if s.url.startswith("/api/")]
    assert len({s.name for s in api}) >= 8, [s.name for s in api]
    wrong = []
    for surface in api:
        if client.get(surface.url).status_code != 200:
            wrong.append((surface.name, "GET"))
        for method in ("POST", "PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "PROPFIND"):
            response = client.generic(method, surface.url)
            expected = "GET, HEAD" if surface.url.startswith("/api/v1/docs") else "GET"
            if response.status_code != 405 or response.get("Allow") != expected:
                wrong.append((surface.name, method, response.status_code, response.get("Allow")))
    assert wrong == []


@pytest.mark.urls("tests.security.urls_boom")
def test_a_crash_gives_the_generic_arabic_500_page(world):
    """T-04: no traceback, no settings, no paths."""
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "حدث خطأ مؤقت" in body
    for leak in ("Traceback", "ZeroDivisionError", "SECRET_KEY", "settings", str(live.ROOT)):
        assert leak not in body


def test_not_found_page_is_generic_and_arabic(client, world):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()
    assert "Page not found" not in response.content.decode()


def test_csrf_failure_page_is_arabic_and_logged(world, caplog):
    client = Client(enforce_csrf_checks=True)
    response = client.post(world.article.get_comment_url(), {"name": "x"})
    assert response.status_code == 403
    assert "تعذّر إرسال النموذج" in response.content.decode()
    assert "CSRF" not in response.content.decode()
    assert any("csrf refused" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_live_server_discloses_no_software_or_version(tmp_path, world):
    """T-04 on the real server: gunicorn's own Server header is replaced."""
    with live.gunicorn(tmp_path, workers=1) as server:
        for path in ["/", world.article.get_absolute_url(), "/no/such/page/"]:
            response = requests.get(server.url + path, timeout=10)
            assert response.headers["Server"] == "khabar"
            assert "X-Powered-By" not in response.headers
            assert "gunicorn" not in response.text.lower()
