"""Durability (T-70..T-73): SQLite's pragmas on a live connection, kill -9 of
gunicorn while readers post comments, and `khabar backup` / `khabar restore`
while writes continue. Everything runs on the suite's database, SQLite or
PostgreSQL; the server is a real gunicorn in its own process group."""

import json
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import psycopg
import pytest
import requests
from django.core.management import CommandError, call_command
from django.db import connection

from khabar.comments.models import Comment
from tests.factories import ArticleFactory

from . import live

pytestmark = pytest.mark.django_db(transaction=True)


def khabar(*args, database_url=None, check=True) -> subprocess.CompletedProcess:
    env = {**live.Gunicorn(log=live.ROOT / "unused").env}
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [str(live.BIN / "khabar"), *args], cwd=live.ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_sqlite_runs_in_wal_with_full_sync_immediate_writers_and_a_busy_timeout(tmp_path):
    """T-72 and the IMMEDIATE/busy-timeout half of T-49, read back from a
    live connection made with the production settings (in a subprocess, so it
    holds on the PostgreSQL pass too)."""
    code = (
        "import json, django; django.setup(); from django.db import connection as c; c.ensure_connection();"
        "cur = c.cursor();"
        "print(json.dumps({p: cur.execute('PRAGMA ' + p).fetchone()[0]"
        " for p in ['journal_mode', 'synchronous', 'busy_timeout', 'foreign_keys']}"
        " | {'mode': c.transaction_mode}))"
    )
    env = {**live.Gunicorn(log=tmp_path / "x").env, "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=live.ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    # synchronous 2 = FULL: a commit survives power loss, not only a crash.
    assert json.loads(result.stdout) == {
        "journal_mode": "wal",
        "synchronous": 2,
        "busy_timeout": 20000,
        "foreign_keys": 1,
        "mode": "IMMEDIATE",
    }


class Writers:
    """Readers posting comments as fast as the server lets them; a comment
    counts as acknowledged only once its 302 has arrived."""

    def __init__(self, url: str, path: str, threads: int = 8):
        self.url, self.path = url, path
        self.acknowledged, self.stop = [], threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(t,)) for t in range(threads)]

    def _loop(self, t):
        reader, n = live.Reader(self.url), 0
        while not self.stop.is_set():
            body = f"كتابة متينة {t}-{n}"
            try:
                response = reader.post(self.path, reader.open_form(self.path), name="متين", body=body)
            except (requests.RequestException, AttributeError):  # the server is gone
                return
            if response.status_code == 302:
                self.acknowledged.append(body)
            n += 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def stored_bodies() -> set[str]:
    return set(Comment.objects.filter(name="متين").values_list("body", flat=True))


def assert_database_intact():
    if connection.vendor == "sqlite":
        with sqlite3.connect(connection.settings_dict["NAME"]) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    else:
        with connection.cursor() as cursor:
            for name in ("synchronous_commit", "fsync", "full_page_writes"):
                cursor.execute(f"SHOW {name}")
                assert cursor.fetchone()[0] == "on", name


@pytest.mark.security_long
def test_kill_9_of_the_server_loses_no_acknowledged_comment(tmp_path):
    """T-70 (SQLite) / T-71 (PostgreSQL, the application server killed, not
    the shared postmaster): every comment whose 302 reached a reader is in the
    table after the crash; at most one in-flight commit per thread is extra."""
    article = ArticleFactory()
    path = article.get_comment_url()
    server = live.Gunicorn(workers=2, threads=4, log=tmp_path / "crash.log").start()
    try:
        with Writers(server.url, path) as writers:
            time.sleep(5)
            server.kill()
        acknowledged = list(writers.acknowledged)
    finally:
        server.stop()
    stored = stored_bodies()
    assert len(acknowledged) > 50, "the writers barely wrote; the test proves nothing"
    assert set(acknowledged) <= stored, set(acknowledged) - stored
    assert len(stored) - len(acknowledged) <= len(writers.threads)
    assert_database_intact()
    # The server comes back on the same database and takes comments again.
    with live.gunicorn(tmp_path, workers=2) as again:
        reader = live.Reader(again.url)
        assert reader.post(path, reader.open_form(path), name="متين", body="بعد العودة").status_code == 302
    print(
        f"\nT-70/71 ({connection.vendor}): {len(acknowledged)} acknowledged before kill -9,"
        f" {len(stored)} stored, {len(set(acknowledged) - stored)} missing"
    )


@contextmanager
def scratch_database(tmp_path):
    """An empty database of the same kind to restore into."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    s = connection.settings_dict
    name = s["NAME"] + "_restore"
    admin = psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield live.database_url().rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def bodies_in(database_url: str) -> set[str]:
    code = (
        "import json, django; django.setup(); from khabar.comments.models import Comment;"
        "print(json.dumps(list(Comment.objects.filter(name='متين').values_list('body', flat=True))))"
    )
    env = {**live.Gunicorn(log=live.ROOT / "unused").env, "DATABASE_URL": database_url}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=live.ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def test_backup_then_restore_into_an_empty_database_round_trips(tmp_path):
    article = ArticleFactory()
    for n in range(5):
        Comment.objects.create(article=article, name="متين", body=f"قبل النسخ {n}")
    backup = tmp_path / "khabar.backup"
    out = khabar("backup", str(backup)).stdout
    assert str(backup) in out and backup.stat().st_size > 0
    Comment.objects.create(article=article, name="متين", body="بعد النسخ")
    with scratch_database(tmp_path) as target:
        khabar("restore", str(backup), "--no-input", database_url=target)
        assert bodies_in(target) == {f"قبل النسخ {n}" for n in range(5)}
        # Restoring again over a database that has moved on puts it back.
        khabar("restore", str(backup), "--no-input", database_url=target)
        assert bodies_in(target) == {f"قبل النسخ {n}" for n in range(5)}


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    with pytest.raises(CommandError, match="not"):
        call_command("restore", str(bogus), "--no-input")
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.backup"), "--no-input")


@pytest.mark.security_long
def test_backup_taken_while_comments_keep_coming_holds_every_earlier_comment(tmp_path):
    """T-73: a backup during the T-49 kind of load holds every comment
    acknowledged before it began and restores to an intact database."""
    article = ArticleFactory()
    path = article.get_comment_url()
    backup = tmp_path / "during-load.backup"
    with live.gunicorn(tmp_path, workers=2, threads=4) as server, Writers(server.url, path) as writers:
        time.sleep(3)
        before = set(writers.acknowledged)
        khabar("backup", str(backup))
        time.sleep(1)
    assert len(before) > 20
    with scratch_database(tmp_path) as target:
        khabar("restore", str(backup), "--no-input", database_url=target)
        restored = bodies_in(target)
        if target.startswith("sqlite"):
            with sqlite3.connect(target.removeprefix("sqlite:///")) as db:
                assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert before <= restored, before - restored
    print(
        f"\nT-73 ({connection.vendor}): {len(before)} acknowledged before the backup began,"
        f" {len(restored)} in the restored copy, {len(writers.acknowledged)} acknowledged in all"
    )
