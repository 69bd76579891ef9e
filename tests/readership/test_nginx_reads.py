"""Reads through the reference deployment (deploy/: nginx's cache in front of
the app): the reads nginx serves from its cache reach the count through
`khabar readership-listen`, the ones it passes on are counted by the app,
and every process writes its buffer when it stops. Redis is required, as in
tests/pagecache/test_nginx_deployment.py."""

import os
import secrets
from functools import partial

import pytest
import requests

from deploy import local
from khabar.readership import counter, nginx, store
from khabar.security.cache import ResilientRedisCache
from tests.factories import ArticleFactory
from tests.pagecache.test_nginx_deployment import database_url, raw_get

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def test_nginx_lines_are_parsed_and_anything_else_is_ignored():
    agent = "Mozilla/5.0 (X11) \\x22quoted\\x22"
    assert nginx.parse(f"GET|42|{agent}".encode()) == (42, agent)
    assert nginx.parse(b"GET||curl") is None  # a page that is not a story
    assert nginx.parse(b"HEAD|42|curl") is None  # nobody read it
    assert nginx.parse(b"42|curl") is None
    assert nginx.parse(b"hello") is None
    assert nginx.parse(b"") is None


def lines(*reads) -> bytes:
    return b"".join(f"GET|{pk}|{agent}\n".encode() for pk, agent in reads)


def reads_of(article) -> int:
    counter.flush()
    return dict((a.pk, a.reads) for a in store.most_read(hours=2, limit=5)).get(article.pk, 0)


@pytest.mark.django_db
def test_follower_counts_whole_lines_robots_dropped(tmp_path):
    article = ArticleFactory()
    log = tmp_path / "reads.log"
    follower = nginx.LogFollower(log)
    assert follower.poll() == 0  # nginx has written nothing yet
    unfinished = f"GET|{article.pk}|Moz".encode()
    log.write_bytes(lines((article.pk, BROWSER), (article.pk, GOOGLEBOT)) + b"garbage\n" + unfinished)
    assert follower.poll() == 2  # the unfinished line waits for its end
    with log.open("ab") as out:
        out.write(b"illa/5.0\n")
    assert follower.poll() == 1
    assert reads_of(article) == 2  # the robot is dropped when the counts are written


@pytest.mark.django_db
def test_a_restarted_follower_neither_loses_nor_repeats_reads(tmp_path):
    article = ArticleFactory()
    log = tmp_path / "reads.log"
    log.write_bytes(lines((article.pk, BROWSER), (article.pk, BROWSER)))
    first = nginx.LogFollower(log)
    assert first.poll() == 2
    counter.flush()
    first.save()
    first.close()
    with log.open("ab") as out:  # written while no follower ran
        out.write(lines((article.pk, BROWSER)))
    assert nginx.LogFollower(log).poll() == 1
    assert reads_of(article) == 3


@pytest.mark.django_db
def test_follower_keeps_counting_through_a_renaming_rotation(tmp_path):
    article = ArticleFactory()
    log = tmp_path / "reads.log"
    log.write_bytes(lines((article.pk, BROWSER)))
    follower = nginx.LogFollower(log)
    assert follower.poll() == 1
    with log.open("ab") as out:  # logrotate renames; nginx writes on to the old file
        log.rename(tmp_path / "reads.log.1")
        out.write(lines((article.pk, BROWSER)))
    assert follower.poll() == 1  # nginx not reopened yet: the old file is still read
    log.write_bytes(lines((article.pk, BROWSER), (article.pk, BROWSER)))  # nginx -s reopen
    assert follower.poll() == 2
    assert reads_of(article) == 4


@pytest.mark.django_db
def test_follower_starts_again_on_a_truncated_log(tmp_path):
    # copytruncate: the file is emptied in place and nginx writes on from its start.
    article = ArticleFactory()
    log = tmp_path / "reads.log"
    log.write_bytes(lines((article.pk, BROWSER), (article.pk, BROWSER)))
    follower = nginx.LogFollower(log)
    assert follower.poll() == 2
    log.write_bytes(lines((article.pk, BROWSER)))
    assert follower.poll() == 1
    assert reads_of(article) == 3


@pytest.mark.django_db
def test_follow_writes_each_batch_and_stops_after_a_last_look(tmp_path):
    article = ArticleFactory()
    log = tmp_path / "reads.log"
    log.write_bytes(lines((article.pk, BROWSER)))
    stops = iter([False, True])

    def wait():  # nginx writes a line while the follower waits
        with log.open("ab") as out:
            out.write(lines((article.pk, BROWSER)))

    nginx.follow(nginx.LogFollower(log), stop=lambda: next(stops), wait=wait)
    assert counter.pending() == 0
    assert reads_of(article) == 2
    assert (tmp_path / "reads.log.offset").read_text().split()[1] == str(log.stat().st_size)


@pytest.fixture
def deployment_keys():
    """Redis and a key prefix of the deployment's own, whose keys are deleted
    afterwards, whether the test passed or not."""
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    prefix = f"khabar-reads-test-{secrets.token_hex(4)}"
    yield redis_url, prefix
    ResilientRedisCache(redis_url, {"KEY_PREFIX": prefix}).clear()


@pytest.mark.django_db(transaction=True)
def test_reads_from_nginx_cache_and_from_the_app_are_all_counted(tmp_path, settings, deployment_keys):
    redis_url, prefix = deployment_keys
    article = ArticleFactory()
    env = {"DATABASE_URL": database_url(), "REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix}
    with local.running(workdir=tmp_path / "deploy", app_servers=1, workers=1, env=env) as site:
        url = site.nginx + article.get_absolute_url()
        first = requests.get(url, headers={"User-Agent": BROWSER}, timeout=10)
        # A robot, counted by neither, waits until nginx has filed the copy.
        robot = local.settled(partial(requests.get, url, headers={"User-Agent": GOOGLEBOT}, timeout=10))
        assert robot.headers["X-Cache-Status"] == "HIT"
        seen = [first] + [requests.get(url, headers={"User-Agent": BROWSER}, timeout=10) for _ in range(3)]
        assert [r.headers["X-Cache-Status"] for r in seen] == ["MISS", "HIT", "HIT", "HIT"]
        # A HEAD is nobody's read; the raw UTF-8 spelling of the URL is the same page.
        head = requests.head(url, headers={"User-Agent": BROWSER}, timeout=10)
        assert head.headers["X-Cache-Status"] == "HIT"
        spelled, _ = raw_get(
            site.nginx, article.get_absolute_url(), **{"User-Agent": BROWSER, "Accept-Encoding": "gzip"}
        )
        assert spelled["X-Cache-Status"] == "HIT"
        # nginx logs the id the app stored with the page, and only a story's:
        # HITs of its print page and of the front page are not reads.
        others = [site.nginx + article.get_print_url(), site.nginx + "/"]
        fetches = [partial(requests.get, u, headers={"User-Agent": BROWSER}, timeout=10) for u in others]
        cached = [fetch() for fetch in fetches] + [local.settled(fetch) for fetch in fetches]
        assert [r.headers["X-Cache-Status"] for r in cached] == ["MISS", "MISS", "HIT", "HIT"]
        assert not any("X-Khabar-Read" in r.headers for r in seen + cached)
    # Stopped: the app worker wrote its one read, the listener nginx's four.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    assert [(a.pk, a.reads) for a in store.most_read(hours=2, limit=5)] == [(article.pk, 5)]
