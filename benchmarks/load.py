"""Load test of the reference deployment (`make test-load`): wrk keeps 50
connections busy on the public pages through nginx for 60 s while an editor
publishes new stories and corrects published ones. Passes only with 0 errors
and no stale page: after every correction the corrected text is checked at
once, and again a moment later, through nginx and on each app server.

    .venv/bin/python benchmarks/load.py              # SQLite file + Redis
    .venv/bin/python benchmarks/load.py --postgres   # PostgreSQL + Redis

The editor works through khabar.newsroom.services in this process, with the
deployment's database, Redis and purge address, exactly as an app server's
admin would (the admin path itself is covered by tests/pagecache)."""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import serve  # noqa: E402  (the same database setup)

LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--postgres", action="store_true", help=f"use {serve.PG_URL} (recreated)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between editor actions")
    return parser.parse_args()


def wrk(base: str, paths: list[str], args, workdir: Path) -> str:
    script = workdir / "paths.lua"
    script.write_text(LUA % ", ".join(f'"{p}"' for p in paths))
    argv = [
        "wrk",
        "-t2",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
    ]
    return subprocess.run([*argv, base], capture_output=True, text=True, check=True).stdout


def wrk_errors(out: str) -> int:
    import re

    socket = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return socket + (int(bad.group(1)) if bad else 0)


class Editor:
    """Publishes a story, then corrects a published one, in turns."""

    def __init__(self, deployment, stories, user, pause: float):
        self.deployment, self.stories, self.user, self.pause = deployment, stories, user, pause
        self.corrections = self.publications = 0
        self.stale: list[str] = []
        self.stop = threading.Event()

    def bases(self) -> list[str]:
        return [self.deployment.nginx] + [
            self.deployment.app(n) for n in range(len(self.deployment.app_ports))
        ]

    def check(self, path: str, text: str, when: str) -> None:
        for base in self.bases():
            html = requests.get(base + path, timeout=10).text
            if text not in html:
                self.stale.append(f"{when}: {base}{path} lacks {text!r}")

    def correct(self, n: int) -> None:
        from khabar.newsroom.services import article_save

        article = self.stories[n % len(self.stories)]
        article.refresh_from_db()
        marker = f"تصحيح رقم {n}"
        article.body = f"<p>{marker}: نص الخبر بعد التصحيح.</p>"
        article_save(article=article, by=self.user, correction=marker)
        self.corrections += 1
        self.check(article.get_absolute_url(), marker, "at once")
        later = threading.Timer(1.5, self.check, (article.get_absolute_url(), marker, "1.5 s later"))
        later.start()

    def publish(self, n: int) -> None:
        from khabar.news.models import Article
        from khabar.newsroom.services import article_publish, article_save

        model = self.stories[0]
        headline = f"خبر عاجل رقم {n} {secrets.token_hex(2)}"
        story = Article(headline=headline, body="<p>نص عاجل.</p>", section=model.section, agency=model.agency)
        article_save(article=story, by=self.user)
        article_publish(article=Article.objects.get(pk=story.pk), by=self.user)
        self.publications += 1
        self.check("/", headline, "new story at once")

    def run(self) -> None:
        n = 0
        while not self.stop.wait(self.pause):
            n += 1
            (self.publish if n % 2 else self.correct)(n)


def main() -> None:
    args = arguments()
    env = {
        "DATABASE_URL": serve.database_url(args.postgres, "bench-load"),
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "CACHE_KEY_PREFIX": f"khabar-load-{secrets.token_hex(4)}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",
        "CONN_MAX_AGE": "600",
    }
    serve.start_django(env)
    from django.contrib.auth import get_user_model

    from deploy import local
    from khabar.news.models import Article, Section, Tag

    stories = list(Article.objects.published().order_by("pk"))
    paths = ["/"] + [a.get_absolute_url() for a in stories]
    paths += [s.get_absolute_url() for s in Section.objects.all()] + [
        t.get_absolute_url() for t in Tag.objects.all()
    ]
    user = get_user_model().objects.create_superuser(
        "load-editor", "editor@example.org", secrets.token_urlsafe(16)
    )

    try:
        with (
            tempfile.TemporaryDirectory(prefix="khabar-load-") as tmp,
            local.running(workdir=Path(tmp) / "deploy", app_servers=2, workers=2, env=env) as deployment,
        ):
            from django.conf import settings

            # The editor's content_changed purges this deployment's nginx.
            settings.PAGECACHE_PURGE_URLS = [deployment.purge]
            editor = Editor(deployment, stories, user, args.pause)
            thread = threading.Thread(target=editor.run)
            thread.start()
            started = time.perf_counter()
            try:
                out = wrk(deployment.nginx, paths, args, Path(tmp))
            finally:
                editor.stop.set()
                thread.join()
                time.sleep(2)  # the last delayed checks
            elapsed = time.perf_counter() - started
    finally:
        serve.cleanup_redis(env)  # the run's own keys, once its servers have stopped: Redis may be shared

    errors = wrk_errors(out)
    print(out)
    print(
        f"{elapsed:.0f} s, {args.connections} connections, {len(paths)} pages: {errors} errors; "
        f"editor: {editor.publications} stories published, {editor.corrections} corrections; "
        f"stale pages seen: {len(editor.stale)}"
    )
    for line in editor.stale[:20]:
        print("  stale:", line)
    sys.exit(0 if errors == 0 and not editor.stale else 1)


if __name__ == "__main__":
    main()
