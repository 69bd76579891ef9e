"""The reference deployment with its real parts: nginx (deploy/nginx/khabar.conf)
in front of two `khabar serve` instances on loopback, sharing the test
database (PostgreSQL when DATABASE_URL says so, else the SQLite file) and Redis.

Redis is required, in the SQLite pass too: the instances need one shared cache
with atomic counters, which local memory is not (and a file cache is not
atomic). CI always runs Redis; REDIS_URL picks the server, a random key prefix
keeps these keys apart from everything else."""

import re
import secrets
import socket
import time
from functools import partial
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

import lxml.html
import pytest
import requests
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from deploy import local
from khabar.comments.models import Comment
from khabar.security.cache import ResilientRedisCache
from khabar.security.middleware import edge_headers
from tests.factories import ArticleFactory, TagFactory

PASSWORD = "a-long-editor-password-1"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Overrides the suite's cache flush: the deployment's cache belongs to its
    own processes and must live across this module's tests."""


# Seconds after a change until its second purge pass (khabar/pagecache/purge.py).
SECOND_PASS = 1


def database_url() -> str:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{host}/{s['NAME']}"


@pytest.fixture(scope="module")
def deployment(django_db_setup, django_db_blocker, tmp_path_factory):
    import os

    env = {
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "CACHE_KEY_PREFIX": f"khabar-nginx-test-{secrets.token_hex(4)}",
        "PAGECACHE_PURGE_SECOND_PASS": str(SECOND_PASS),
        "COMMENTS_MODERATION": "1",
        "COMMENT_MIN_SECONDS": "0",  # the reader here answers at once; that rule is tested in security
    }
    with (
        django_db_blocker.unblock(),
        local.running(workdir=tmp_path_factory.mktemp("deploy"), env=env) as running,
    ):
        yield running
    ResilientRedisCache(env["REDIS_URL"], {"KEY_PREFIX": env["CACHE_KEY_PREFIX"]}).clear()


@pytest.fixture
def site(deployment):
    """Committed rows (transactional test), so the app servers see them."""
    # A change in the previous test has its second purge pass still pending
    # in an app server for SECOND_PASS seconds: landing in this test, it
    # would expire a page this test has just had nginx store.
    time.sleep(SECOND_PASS + 0.5)
    tag = TagFactory(name="اقتصاد")
    article = ArticleFactory(headline="الخبر قبل التصحيح", body="<p>نص أول.</p>")
    article.tags.add(tag)
    ArticleFactory.create_batch(3, section=article.section)
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    return deployment, article


def get(url: str, **headers) -> requests.Response:
    return requests.get(url, headers=headers, timeout=10, allow_redirects=False)


def raw_get(base: str, path: str, **headers) -> tuple[dict, bytes]:
    """GET with the path's Arabic as raw UTF-8 on the request line, as some
    clients send it (requests would percent-encode it): headers and body."""
    where = urlsplit(base)
    lines = [b"GET " + unquote_to_bytes(path) + b" HTTP/1.1", f"Host: {where.netloc}".encode()]
    lines += [f"{k}: {v}".encode() for k, v in {**headers, "Connection": "close"}.items()]
    with socket.create_connection((where.hostname, where.port), timeout=10) as conn:
        conn.sendall(b"\r\n".join(lines) + b"\r\n\r\n")
        answer = b"".join(iter(lambda: conn.recv(65536), b""))
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *fields = head.decode("latin-1").split("\r\n")
    return {"status": status, **dict(f.split(": ", 1) for f in fields)}, body


def editor(base: str) -> requests.Session:
    """A logged-in session on one instance (sessions live in the shared database)."""
    session = requests.Session()
    login = session.get(f"{base}/admin/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    response = session.post(
        f"{base}/admin/login/?next=/admin/",
        data={"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": token},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def form_errors(html: str) -> list[str]:
    return [
        e.text_content().strip()
        for e in lxml.html.fromstring(html).xpath(
            "//*[contains(@class, 'errorlist') or contains(@class, 'errornote')]"
        )
    ]


def submit_admin_form(session: requests.Session, url: str, **changes) -> requests.Response:
    """Post an admin form back with everything it holds, plus `changes`."""
    page = session.get(url, timeout=10)
    form = next(f for f in lxml.html.fromstring(page.text).forms if set(changes) & set(f.fields.keys()))
    data = [(k, v) for k, v in form.form_values() if k not in changes] + list(changes.items())
    return session.post(url, data=data, timeout=10, allow_redirects=False)


# Transactional on purpose: rows must be committed for the app servers, and a
# test wrapped in a transaction would read a snapshot blind to their commits
# (on SQLite it would even hold the write lock they need).
pytestmark = pytest.mark.django_db(transaction=True)


def test_anonymous_pages_are_served_from_nginx_cache(site):
    deployment, article = site
    for path in (article.get_absolute_url(), "/", article.section.get_absolute_url()):
        for encoding in ("gzip", "identity"):
            first = get(deployment.nginx + path, **{"Accept-Encoding": encoding})
            again = local.settled(partial(get, deployment.nginx + path, **{"Accept-Encoding": encoding}))
            assert first.status_code == again.status_code == 200
            assert again.headers["X-Cache-Status"] == "HIT", (path, encoding)
            assert again.content == first.content
            assert (again.headers.get("Content-Encoding") == "gzip") == (encoding == "gzip")
            assert "Set-Cookie" not in again.headers
            # The app's own hit/miss header is not stored: nginx re-parses
            # every stored header on each HIT and says HIT itself.
            assert "X-Khabar-Cache" not in again.headers


def test_every_spelling_of_a_story_url_shares_one_copy_and_its_purge(site):
    """nginx keys pages by their decoded path: the story asked for with its
    slug percent-encoded and as raw UTF-8 is one copy, and one purge."""
    from khabar.pagecache.purge import send

    deployment, article = site
    path = article.get_absolute_url()
    assert "%D8" in path
    plain = {"Accept-Encoding": "identity"}
    stored = get(deployment.nginx + path, **plain)
    local.settled(partial(get, deployment.nginx + path, **plain))
    headers, body = raw_get(deployment.nginx, path, **plain)
    assert headers["status"].endswith("200 OK") and headers["X-Cache-Status"] == "HIT"
    assert body == stored.content
    raw = unquote_to_bytes(path).decode("latin-1")  # as X-Khabar-Uri carries raw bytes
    with override_settings(PAGECACHE_PURGE_URLS=[deployment.purge]):
        assert send({path, raw}) == 2  # one page, two encodings: each copy replaced once
    # The raw spelling is not valid HTTP (gunicorn answers it 400): the
    # encoded one fetches the new copy, which the raw one then shares.
    assert get(deployment.nginx + path, **plain).headers["X-Cache-Status"] == "EXPIRED"
    headers, _ = local.settled(
        lambda: raw_get(deployment.nginx, path, **plain), lambda answer: answer[0]["X-Cache-Status"]
    )
    assert headers["X-Cache-Status"] == "HIT"


def test_security_headers_come_once_each_and_are_not_stored_with_pages(site):
    """nginx adds them to public pages (khabar.conf); the app leaves out its copies."""
    deployment, article = site
    expected = edge_headers()
    feed = reverse("distribution:feed-site-rss")
    public = [article.get_absolute_url(), "/", article.get_comment_url(), feed, "/no/such/page/"]
    stored_paths = {article.get_absolute_url(), "/", feed}
    for path in public:
        first = get(deployment.nginx + path)  # MISS, then HIT where stored
        again = (
            local.settled(partial(get, deployment.nginx + path))
            if path in stored_paths
            else get(deployment.nginx + path)
        )
        seen = [first, again]
        for response in seen:
            # Two copies would read "DENY, DENY".
            assert {name: response.headers.get(name) for name in expected} == expected, path
        if path == article.get_absolute_url():  # a new story: from the app, then from the cache
            assert [r.headers["X-Cache-Status"] for r in seen] == ["MISS", "HIT"]
        elif path in {"/", feed}:
            assert seen[1].headers["X-Cache-Status"] == "HIT", path
    stored = [f.read_bytes() for f in (deployment.workdir / "cache").rglob("*") if f.is_file()]
    assert stored and not any(b"Content-Security-Policy" in page for page in stored)
    # The admin, never stored, keeps the app's own headers.
    login = get(deployment.nginx + "/admin/login/")
    assert login.status_code == 200 and "X-Cache-Status" not in login.headers
    assert {name: login.headers.get(name) for name in expected} == expected


def test_conditional_request_through_nginx_answers_304(site):
    deployment, article = site
    page = get(deployment.nginx + article.get_absolute_url())
    again = get(deployment.nginx + article.get_absolute_url(), **{"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304


def test_static_files_come_from_nginx_with_far_future_caching(site):
    deployment, article = site
    html = get(deployment.nginx + article.get_absolute_url()).text
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', html).group(1)
    response = get(deployment.nginx + css, **{"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers.get("Content-Encoding") == "gzip"  # whitenoise's .gz, sent by nginx
    assert response.headers["Server"].startswith("nginx") and "X-Cache-Status" not in response.headers


def test_logged_in_editor_bypasses_nginx_cache(site):
    deployment, article = site
    session = editor(deployment.app(0))
    for _ in range(2):
        response = session.get(deployment.nginx + article.get_absolute_url(), timeout=10)
        assert response.headers["X-Cache-Status"] == "BYPASS"


def test_edit_through_one_instance_is_visible_at_once_through_nginx_and_the_other(site):
    deployment, article = site
    tag = article.tags.get()
    pages = [article.get_absolute_url(), "/", article.section.get_absolute_url(), tag.get_absolute_url()]
    for path in pages:
        get(deployment.nginx + path)
        assert local.settled(partial(get, deployment.nginx + path)).headers["X-Cache-Status"] == "HIT"
        get(deployment.app(1) + path)
        assert get(deployment.app(1) + path).headers["X-Khabar-Cache"] == "hit"

    session = editor(deployment.app(0))
    change = f"{deployment.app(0)}/admin/news/article/{article.pk}/change/"
    response = submit_admin_form(session, change, headline="الخبر بعد التصحيح", _save="حفظ")
    assert response.status_code == 302, form_errors(response.text)

    for base in (deployment.nginx, deployment.app(1), deployment.app(0)):
        for path in pages:
            html = get(base + path).text
            assert "الخبر بعد التصحيح" in html and "الخبر قبل التصحيح" not in html, (base, path)


def test_comment_approved_through_the_other_instance_appears_at_once(site):
    deployment, article = site
    reader = requests.Session()
    form = reader.get(deployment.nginx + article.get_comment_url(), timeout=10)
    assert "X-Cache-Status" not in form.headers or form.headers["X-Cache-Status"] != "HIT"
    token = re.search(r'name="token" value="([^"]+)"', form.text).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    left, right = map(int, re.search(r"اكتب ناتج (\d+) \+ (\d+)", form.text).groups())
    posted = reader.post(
        deployment.nginx + article.get_comment_url(),
        data={"name": "قارئ", "email": "", "body": "تعليق من قارئ عبر nginx", "token": token,
              "answer": str(left + right), "csrfmiddlewaretoken": csrf},
        headers={"Referer": deployment.nginx + article.get_comment_url()},
        timeout=10,
        allow_redirects=False,
    )  # fmt: skip
    assert posted.status_code == 302 and posted.headers["Location"].endswith("?comment=pending#comments")
    path = article.get_absolute_url()
    get(deployment.nginx + path)
    cached = local.settled(partial(get, deployment.nginx + path))
    assert cached.headers["X-Cache-Status"] == "HIT" and "تعليق من قارئ عبر nginx" not in cached.text

    session = editor(deployment.app(1))
    changelist = f"{deployment.app(1)}/admin/comments/comment/"
    page = session.get(changelist, timeout=10).text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    pk = Comment.objects.get(body="تعليق من قارئ عبر nginx", status=Comment.Status.PENDING).pk
    response = session.post(
        changelist,
        data={"action": "approve", "_selected_action": str(pk), "index": "0", "csrfmiddlewaretoken": csrf},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302
    assert Comment.objects.get(pk=pk).status == Comment.Status.APPROVED
    for base in (deployment.nginx, deployment.app(0), deployment.app(1)):
        assert "تعليق من قارئ عبر nginx" in get(base + path).text, base


def test_healthz_through_nginx(site):
    deployment, _ = site
    response = get(deployment.nginx + "/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_readers_cannot_purge_through_the_public_server(site):
    from khabar.pagecache.purge import PURGE_PATH, REPLACED

    deployment, article = site
    path = article.get_absolute_url()
    get(deployment.nginx + path)
    assert local.settled(partial(get, deployment.nginx + path)).headers["X-Cache-Status"] == "HIT"
    for encoding in ("gzip", ""):
        attempt = get(deployment.nginx + PURGE_PATH, **{"X-Khabar-Key": encoding + path})
        assert attempt.status_code != REPLACED
    assert get(deployment.nginx + path).headers["X-Cache-Status"] == "HIT"


def test_a_purge_replaces_the_copy_nginx_keeps_open(site):
    """The page location keeps open file handles; the very next request after
    a purge must still see it (a file deleted behind nginx's back would be
    served on from the kept handle)."""
    from khabar.pagecache.purge import send

    deployment, article = site
    path = article.get_absolute_url()
    for _ in range(4):  # warm the kept handles
        get(deployment.nginx + path)
    assert local.settled(partial(get, deployment.nginx + path)).headers["X-Cache-Status"] == "HIT"
    with override_settings(PAGECACHE_PURGE_URLS=[deployment.purge]):
        assert send({path}) == 2  # gzip and plain
    first = get(deployment.nginx + path)
    assert first.status_code == 200 and first.headers["X-Cache-Status"] == "EXPIRED"
    assert "<article" in first.text
    assert local.settled(partial(get, deployment.nginx + path)).headers["X-Cache-Status"] == "HIT"
