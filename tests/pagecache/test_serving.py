"""/healthz, `khabar serve`, the replica router and admin edits."""

import os
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from khabar.news.models import Article, Section
from khabar.pagecache import routers
from khabar.pagecache.management.commands import serve
from khabar.pagecache.management.commands.serve import MAX_DEFAULT_WORKERS, default_workers
from tests.factories import ArticleFactory


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_cache_is_down(client, settings):
    # A real Redis client against a port nothing listens on.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "pagecache" not in m]
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": "ok", "cache": "fail"}
    assert "Traceback" not in response.content.decode()


def test_serve_refuses_insecure_production_settings(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "short"
    with pytest.raises(CommandError, match="SECRET_KEY"):
        call_command("serve", "--dry-run")


def test_serve_runs_gunicorn_sync_workers_from_web_concurrency(settings, monkeypatch, capsys):
    settings.SECRET_KEY = "k" * 50
    settings.ALLOWED_HOSTS = ["news.example"]
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("PORT", "8123")
    call_command("serve", "--dry-run")
    argv = capsys.readouterr().out.split()
    assert argv[:2] == ["gunicorn", "config.wsgi:application"]
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--worker-class") + 1] == "sync"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"


@pytest.fixture
def production(settings, tmp_path, monkeypatch):
    """Settings `khabar serve` accepts, VAR_DIR in tmp_path, and os.execve
    recording what would have been started: a list of (argv, env)."""
    settings.SECRET_KEY = "k" * 50
    settings.ALLOWED_HOSTS = ["news.example"]
    settings.VAR_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    (settings.STATIC_ROOT / "staticfiles.json").write_text("{}")
    # What the compiling process (a fresh interpreter) reads its settings from.
    monkeypatch.setenv("SECRET_KEY", "k" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "news.example")
    started = []
    monkeypatch.setattr(os, "execve", lambda path, argv, env: started.append((argv, env)))
    return started


def test_serve_runs_gunicorn_without_docstrings_from_bytecode_compiled_ahead(
    production, tmp_path, monkeypatch
):
    """The server's interpreter (-OO) reads bytecode serve compiled into
    VAR_DIR beforehand, even where writing bytecode is turned off."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    call_command("serve")
    [(argv, env)] = production
    assert argv[1:5] == ["-OO", "-m", "gunicorn", "config.wsgi:application"]
    assert env["PYTHONPYCACHEPREFIX"] == str(tmp_path / "bytecode")
    assert "PYTHONDONTWRITEBYTECODE" not in env
    compiled = {p.name for p in (tmp_path / "bytecode").rglob("*.pyc")}
    tag = sys.implementation.cache_tag
    assert {f"wsgi.{tag}.opt-2.pyc", f"wsgiapp.{tag}.opt-2.pyc"} <= compiled
    assert all(name.endswith(".opt-2.pyc") for name in compiled)


def test_serve_still_starts_when_compiling_ahead_fails_and_says_so(production, monkeypatch, capsys):
    monkeypatch.setattr(serve, "PRELOAD", "raise SystemExit(3)")
    call_command("serve")
    [(argv, _)] = production
    assert argv[1:5] == ["-OO", "-m", "gunicorn", "config.wsgi:application"]
    assert "could not compile the server's modules ahead" in capsys.readouterr().err


def test_default_worker_count_is_two_per_core_plus_one_capped(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert default_workers() == 5
    monkeypatch.setattr("os.cpu_count", lambda: 64)
    assert default_workers() == MAX_DEFAULT_WORKERS


def test_router_sends_public_reads_to_a_replica_and_pinned_reads_to_the_primary(settings):
    settings.DATABASE_REPLICA_URLS = ["postgres://replica.invalid/khabar"]  # only named, never opened
    router = routers.PrimaryReplicaRouter()
    assert router.db_for_read(Article) == "replica0"
    assert router.db_for_write(Article) == "default"
    token = routers.pin_to_primary()
    try:
        assert router.db_for_read(Article) == "default"
    finally:
        routers._pinned.reset(token)
    assert not router.allow_migrate("replica0", "news")


@pytest.mark.django_db
def test_a_post_pins_the_browser_to_the_primary_for_a_while(rf, settings):
    settings.DATABASE_REPLICA_URLS = ["postgres://replica.invalid/khabar"]  # only named, never opened
    seen = []

    def view(request):
        from django.http import HttpResponse

        seen.append(routers.PrimaryReplicaRouter().db_for_read(Article))
        return HttpResponse("ok")

    middleware = routers.PinToPrimaryMiddleware(view)
    after_post = middleware(rf.post("/admin/news/article/1/change/"))
    cookie = after_post.cookies[routers.PIN_COOKIE]
    assert cookie["max-age"] == settings.PIN_TO_PRIMARY_SECONDS and cookie["httponly"]
    pinned_get = rf.get("/news/1/x/")
    pinned_get.COOKIES[routers.PIN_COOKIE] = "1"
    middleware(pinned_get)
    settings.PIN_TO_PRIMARY_SECONDS = 0  # no recent change counts any more
    middleware(rf.get("/news/1/x/"))
    assert seen == ["default", "default", "replica0"]


@pytest.mark.django_db(transaction=True)
def test_admin_edit_of_a_section_refreshes_its_cached_page(client, admin_client):
    from django.contrib.contenttypes.models import ContentType

    # Earlier transactional tests flushed the content types this cache still knows.
    ContentType.objects.clear_cache()
    article = ArticleFactory()
    section = article.section
    client.get(section.get_absolute_url())
    assert client.get(section.get_absolute_url())["X-Khabar-Cache"] == "hit"
    response = admin_client.post(
        f"/admin/news/section/{section.pk}/change/",
        {"name": "قسم بعد التعديل", "slug": section.slug, "position": 3},
    )
    assert response.status_code == 302
    assert Section.objects.get(pk=section.pk).name == "قسم بعد التعديل"
    page = client.get(section.get_absolute_url())
    assert page["X-Khabar-Cache"] == "miss" and "قسم بعد التعديل" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_content_changed_inside_a_rolled_back_transaction_changes_nothing(client):
    from khabar.pagecache.services import content_changed

    article = ArticleFactory()
    client.get(article.get_absolute_url())
    with pytest.raises(RuntimeError), transaction.atomic():
        transaction.on_commit(lambda: content_changed(article=article))
        raise RuntimeError
    assert client.get(article.get_absolute_url())["X-Khabar-Cache"] == "hit"


@pytest.mark.django_db
def test_static_files_have_hashed_names_and_far_future_caching(client):
    import re

    html = client.get(ArticleFactory().get_absolute_url()).content.decode()
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', html).group(1)
    response = client.get(css, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "max-age=31536000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.django_db(transaction=True)
def test_pages_are_served_uncached_when_redis_is_down(client, settings):
    from khabar.pagecache.services import content_changed

    article = ArticleFactory(headline="خبر والذاكرة معطلة")
    settings.CACHES = {
        "default": {
            "BACKEND": "khabar.security.cache.ResilientRedisCache",  # the production backend
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and "خبر والذاكرة معطلة" in response.content.decode()
    assert "X-Khabar-Cache" not in response
    content_changed(article=article)  # logs, never raises
