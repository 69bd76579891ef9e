"""Real processes for the concurrency, durability and outage tests: gunicorn
serving the test database, a private redis-server, and a reader that fills
in the comment form the way a bot would (parsing the question)."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
QUESTION = re.compile(r"اكتب ناتج (\d+) \+ (\d+)")
TOKEN = re.compile(r'name="token" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test database)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _wait_for(url: str, proc, deadline: float = 30) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {deadline}s")


class Gunicorn:
    def __init__(self, *, workers: int = 2, threads: int = 1, env: dict | None = None, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DATABASE_URL": database_url(),
            "SECRET_KEY": "a-test-secret-key-for-the-live-server-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "0",
            "HTTPS": "0",
            "COMMENT_MIN_SECONDS": "0",
            "COMMENT_RATE_ISSUE": "100000/600",
            "COMMENT_RATE_POST": "100000/600",
            "CONN_MAX_AGE": "0",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.workers, self.threads = workers, threads
        self.proc = None

    def start(self) -> "Gunicorn":
        command = [
            str(BIN / "gunicorn"),
            "-c",
            "python:khabar.security.gunicorn_conf",
            "-b",
            f"127.0.0.1:{self.port}",
            "-w",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--timeout",
            "60",
            "config.wsgi",
        ]
        out = os.open(self.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        # Its own process group: kill() can then SIGKILL master and workers together.
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        os.close(out)  # the server holds its own copy
        try:
            _wait_for(self.url + "/healthz", self.proc)
        except BaseException:
            self.stop()  # never leave a half-started server behind
            raise
        return self

    def kill(self) -> None:
        """kill -9 of the master and every worker, as a crash would."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")


@contextmanager
def gunicorn(tmp_path, **kwargs):
    server = Gunicorn(log=tmp_path / f"gunicorn-{free_port()}.log", **kwargs).start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def redis_server(tmp_path):
    """A private redis-server on a free port (the test may kill it)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    end = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if time.monotonic() > end:
                proc.kill()
                raise
            time.sleep(0.05)
    try:
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


class Reader:
    """One browser: its own cookies, fills the comment form like a bot."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.http = requests.Session()

    def open_form(self, article_path: str) -> dict:
        response = self.http.get(self.base + article_path, timeout=30)
        response.raise_for_status()
        html = response.text
        left, right = map(int, QUESTION.search(html).groups())
        return {
            "csrfmiddlewaretoken": CSRF.search(html).group(1),
            "token": TOKEN.search(html).group(1).replace("&#x27;", "'"),
            "answer": str(left + right),
        }

    def post(self, article_path: str, form: dict, **fields) -> requests.Response:
        data = {"name": "قارئ", "email": "", "body": "تعليق", "website": "", **form, **fields}
        return self.http.post(
            self.base + article_path,
            data=data,
            headers={"Referer": self.base + article_path},
            allow_redirects=False,
            timeout=60,
        )
