"""Reads through the reference deployment (deploy/: nginx's cache in front of
the app): the reads nginx serves from its cache reach the count through
`khabar readership-listen`, the ones it passes on are counted by the app,
and every process writes its buffer when it stops. Redis is required, as in
tests/pagecache/test_nginx_deployment.py."""

import os
import secrets
import socket

import pytest
import redis
import requests

from deploy import local
from khabar.readership import counter, nginx, store
from tests.factories import ArticleFactory
from tests.pagecache.test_nginx_deployment import database_url

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def test_nginx_lines_are_parsed_and_anything_else_is_ignored():
    line = b"<190>Nov 29 17:20:00 khabar: 42|Mozilla/5.0 (X11) \\x22quoted\\x22"
    assert nginx.parse(line) == (42, "Mozilla/5.0 (X11) \\x22quoted\\x22")
    assert nginx.parse(b"<190>Nov 29 17:20:00 khabar: |curl") is None
    assert nginx.parse(b"hello") is None
    assert nginx.parse(b"<190>Nov 29 17:20:00 other: 42|x") is None


@pytest.mark.django_db
def test_listener_counts_datagrams_and_flushes_when_stopped():
    article = ArticleFactory()
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender,
    ):
        receiver.bind(("127.0.0.1", 0))
        for agent in (BROWSER, BROWSER, GOOGLEBOT):
            sender.sendto(
                f"<190>Nov 29 17:20:00 khabar: {article.pk}|{agent}".encode(), receiver.getsockname()
            )
        sender.sendto(b"garbage", receiver.getsockname())
        checks = iter(range(4))  # one check before each of the four datagrams, then stop
        nginx.listen(receiver, stop=lambda: next(checks, None) is None)
    assert counter.pending() == 0
    assert [(a.pk, a.reads) for a in store.most_read(hours=2, limit=5)] == [(article.pk, 2)]


@pytest.mark.django_db(transaction=True)
def test_reads_from_nginx_cache_and_from_the_app_are_all_counted(tmp_path, settings):
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    prefix = f"khabar-reads-test-{secrets.token_hex(4)}"
    article = ArticleFactory()
    env = {"DATABASE_URL": database_url(), "REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix}
    with local.running(workdir=tmp_path / "deploy", app_servers=1, workers=1, env=env) as site:
        url = site.nginx + article.get_absolute_url()
        seen = [requests.get(url, headers={"User-Agent": BROWSER}, timeout=10) for _ in range(4)]
        robot = requests.get(url, headers={"User-Agent": GOOGLEBOT}, timeout=10)
        assert [r.headers["X-Cache-Status"] for r in seen] == ["MISS", "HIT", "HIT", "HIT"]
        assert robot.headers["X-Cache-Status"] == "HIT"
    # Stopped: the app worker wrote its one read, the listener nginx's three.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        assert [(a.pk, a.reads) for a in store.most_read(hours=2, limit=5)] == [(article.pk, 4)]
    finally:
        client = redis.Redis.from_url(redis_url)
        client.delete(*client.scan_iter(match=f"{prefix}:*", count=1000), f"{prefix}:none")
