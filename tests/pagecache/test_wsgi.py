"""The WSGI layer in front of Django (khabar/pagecache/wsgi.py) answers cache
hits without Django's handler, and answers them exactly as Django would:
each test asks the same question of Django alone and of the layer in front
of it, both real WSGI applications, and compares status, headers and body.

transactional_db, as in test_pagecache.py: versions move on commit."""

import gzip
import io
import sys
from urllib.parse import unquote_to_bytes

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import transaction
from django.http import HttpResponse

from khabar.pagecache import middleware, wsgi
from khabar.pagecache.services import content_changed
from khabar.pagecache.wsgi import CachedPageApplication
from khabar.readership import counter
from khabar.security.middleware import edge_digest, edge_headers
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def wsgi_environ(path: str, method: str, headers: dict) -> dict:
    """What a WSGI server such as gunicorn passes: PATH_INFO is the decoded
    path's UTF-8 bytes as latin-1 characters."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


class Answer:
    def __init__(self, app, path: str, method: str = "GET", **headers):
        environ = wsgi_environ(path, method, headers)
        self.started = []
        receiver = lambda **kwargs: self.started.append(1)  # noqa: E731
        request_started.connect(receiver, weak=False)
        try:
            captured = []
            body = app(environ, lambda status, headers, exc_info=None: captured.append((status, headers)))
            self.body = b"".join(body)
            if hasattr(body, "close"):
                body.close()
        finally:
            request_started.disconnect(receiver)
        self.status, headers = captured[0]
        self.code = int(self.status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        assert len(self.headers) == len(headers), f"a header sent twice: {headers}"

    @property
    def through_django(self) -> bool:
        return bool(self.started)

    def same_as(self, other: "Answer") -> bool:
        return (self.status, self.headers, self.body) == (other.status, other.headers, other.body)


def make_apps() -> tuple:
    """Django alone, and the layer in front of it. Django's middleware read
    their settings when the handler is made: make them after changing any."""
    django = WSGIHandler()
    return django, CachedPageApplication(django)


@pytest.fixture
def apps():
    return make_apps()


@pytest.fixture
def story():
    return ArticleFactory(body="<p>فقرة أولى من الخبر.</p><ul><li>بند</li></ul>")


def filled(apps, path: str, **headers) -> None:
    django, _ = apps
    first = Answer(django, path, **headers)
    assert first.code == 200, first.status


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Accept-Encoding": "gzip, deflate, br"},
        {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) قارئ"},
        {"Cookie": "theme=dark; khabar_lang=ar"},  # cookies other than the session's
    ],
    ids=["plain", "gzip", "agent", "other-cookies"],
)
def test_a_hit_is_answered_in_front_of_django_as_django_answers_it(apps, story, headers):
    django, front = apps
    path = story.get_absolute_url()
    filled(apps, path, **headers)
    by_django, in_front = Answer(django, path, **headers), Answer(front, path, **headers)
    assert by_django.through_django and not in_front.through_django
    assert by_django.headers["x-khabar-cache"] == "hit"
    assert in_front.same_as(by_django), (in_front.headers, by_django.headers)
    assert in_front.headers["x-khabar-read"] == str(story.pk)
    assert "Content-Security-Policy".lower() in in_front.headers
    if "Accept-Encoding" in headers:
        assert "فقرة أولى" in gzip.decompress(in_front.body).decode()


@pytest.mark.parametrize("path", ["/", "/?page=2", "/feeds/rss/"])
def test_other_cached_pages_too(apps, story, path):
    django, front = apps
    filled(apps, path)
    by_django, in_front = Answer(django, path), Answer(front, path)
    assert not in_front.through_django
    assert in_front.same_as(by_django)
    assert "x-khabar-read" not in in_front.headers


def test_conditional_requests_and_head(apps, story):
    django, front = apps
    path = story.get_absolute_url()
    filled(apps, path)
    etag = Answer(django, path).headers["etag"]
    modified = Answer(django, path).headers["last-modified"]
    for method, headers, code in [
        ("GET", {"If-None-Match": etag}, 304),
        ("GET", {"If-None-Match": etag.replace('"', '"x')}, 200),
        ("GET", {"If-Modified-Since": modified}, 304),
        ("HEAD", {}, 200),
    ]:
        by_django = Answer(django, path, method, **headers)
        in_front = Answer(front, path, method, **headers)
        assert not in_front.through_django, (method, headers)
        assert in_front.code == code and in_front.same_as(by_django), (method, headers)


def test_reads_are_counted_once_per_hit(apps, story):
    _, front = apps
    path = story.get_absolute_url()
    filled(apps, path)
    before = counter.pending()
    Answer(front, path)
    Answer(front, path, "HEAD")  # not a read
    Answer(front, path + "print/")  # the print page is not counted either
    assert counter.pending() == before + 1


def test_without_read_counting(story, settings):
    settings.READERSHIP_ENABLED = False
    apps = make_apps()
    django, front = apps
    path = story.get_absolute_url()
    filled(apps, path)
    before = counter.pending()
    by_django, in_front = Answer(django, path), Answer(front, path)
    assert not in_front.through_django and in_front.same_as(by_django)
    assert "x-khabar-read" not in in_front.headers and counter.pending() == before


def test_behind_nginx_the_edge_headers_are_left_to_it(apps, story, settings):
    settings.PAGECACHE_PURGE_URLS = ["http://127.0.0.1:9"]  # only named: nothing is purged here
    django, front = apps
    path = story.get_absolute_url()
    nginx = {"X-Khabar-Uri": path, "X-Khabar-Edge-Headers": edge_digest(edge_headers())}
    filled(apps, path, **nginx)
    by_django, in_front = Answer(django, path, **nginx), Answer(front, path, **nginx)
    assert not in_front.through_django and in_front.same_as(by_django)
    assert "content-security-policy" not in in_front.headers
    assert "x-khabar-cache" not in in_front.headers and "x-accel-expires" in in_front.headers
    told_wrong = {**nginx, "X-Khabar-Edge-Headers": "0" * 16}
    by_django, in_front = Answer(django, path, **told_wrong), Answer(front, path, **told_wrong)
    assert in_front.same_as(by_django) and "content-security-policy" in in_front.headers


def test_over_https_with_hsts(story, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    apps = make_apps()
    django, front = apps
    path = story.get_absolute_url()
    filled(apps, path)
    https = {"X-Forwarded-Proto": "https"}
    by_django, in_front = Answer(django, path, **https), Answer(front, path, **https)
    assert not in_front.through_django and in_front.same_as(by_django)
    assert in_front.headers["strict-transport-security"] == "max-age=3600"
    plain = Answer(front, path)
    assert "strict-transport-security" not in plain.headers and plain.same_as(Answer(django, path))


def test_a_redirect_to_https_is_left_to_django(apps, story, settings, caplog):
    path = story.get_absolute_url()
    filled(apps, path)
    settings.SECURE_SSL_REDIRECT = True
    _, front = make_apps()
    in_front = Answer(front, path)
    assert in_front.through_django and in_front.code == 301
    assert in_front.headers["location"].startswith("https://")
    assert "failed" not in caplog.text  # left to Django by design, not after an error


@pytest.mark.parametrize(
    "method, path, headers",
    [
        ("GET", "{path}", {"Cookie": "sessionid=abc"}),
        ("GET", "{path}?comment=pending", {}),
        ("GET", "{path}", {"Authorization": "Bearer x"}),
        ("POST", "{path}", {}),
        ("GET", "{path}", {"Host": "evil.example"}),
    ],
    ids=["session", "notice", "credentials", "post", "bad-host"],
)
def test_what_is_not_an_anonymous_hit_goes_to_django(apps, story, method, path, headers):
    django, front = apps
    path = path.format(path=story.get_absolute_url())
    filled(apps, story.get_absolute_url())
    in_front = Answer(front, path, method, **headers)
    assert in_front.through_django
    assert "x-khabar-cache" not in in_front.headers or in_front.headers["x-khabar-cache"] != "hit"
    if headers.get("Host"):
        assert in_front.code == 400


def test_without_the_page_cache_middleware_django_answers_everything(apps, story, settings, caplog):
    path = story.get_absolute_url()
    filled(apps, path)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "pagecache" not in m]
    _, front = make_apps()
    answer = Answer(front, path)
    assert answer.through_django and answer.code == 200 and "x-khabar-cache" not in answer.headers
    assert "failed" not in caplog.text


def test_a_correction_is_served_at_once_and_then_cached_again(apps, story):
    _, front = apps
    path = story.get_absolute_url()
    filled(apps, path)
    assert "فقرة أولى" in Answer(front, path).body.decode()
    with transaction.atomic():
        story.body = "<p>نص مصحّح.</p>"
        story.save()
        transaction.on_commit(lambda: content_changed(article=story))
    corrected = Answer(front, path)
    assert corrected.through_django and corrected.headers["x-khabar-cache"] == "miss"
    assert "نص مصحّح" in corrected.body.decode()
    again = Answer(front, path)
    assert not again.through_django and again.body == corrected.body


def test_a_miss_is_looked_up_once(apps, story, monkeypatch):
    _, front = apps
    path = story.get_absolute_url()
    calls = []
    real = middleware.lookup
    monkeypatch.setattr(middleware, "lookup", lambda request: calls.append(1) or real(request))
    miss = Answer(front, path)
    assert miss.headers["x-khabar-cache"] == "miss" and len(calls) == 1


def test_without_a_reachable_cache_django_serves_the_page(apps, story, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "khabar.security.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    _, front = apps
    answer = Answer(front, story.get_absolute_url())
    assert answer.code == 200 and answer.through_django and "x-khabar-cache" not in answer.headers


def test_a_failure_in_front_hands_the_request_to_django(apps, story, monkeypatch, caplog):
    _, front = apps
    path = story.get_absolute_url()
    filled(apps, path)

    def broken(secure):
        raise RuntimeError("boom")

    monkeypatch.setattr(wsgi, "_outer_headers", broken)
    answer = Answer(front, path)
    assert answer.code == 200 and answer.through_django and "فقرة أولى" in answer.body.decode()
    assert "answering in front of Django failed" in caplog.text


class Maintenance:
    """A middleware that answers every request itself (a maintenance page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return HttpResponse("صيانة", status=503)


def test_a_middleware_outside_that_answers_itself_is_left_to_answer(apps, story, settings):
    path = story.get_absolute_url()
    filled(apps, path)
    settings.MIDDLEWARE = [f"{__name__}.Maintenance", *settings.MIDDLEWARE]
    _, front = make_apps()
    answer = Answer(front, path)
    assert answer.through_django and answer.code == 503 and answer.body.decode() == "صيانة"
