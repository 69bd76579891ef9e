"""Serving benchmark: khabar's article page through nginx's cache, from the
app's page cache and uncached, against a plain-Django baseline (also behind
Django's per-view cache, in local memory and in Redis) and nginx serving a
static copy of the same HTML, plus comment POSTs to khabar and to a
plain-Django comment view. One run, the scenarios in alternation, all on
loopback; wrk drives the GETs.

    .venv/bin/python benchmarks/serve.py                 # SQLite file + Redis
    .venv/bin/python benchmarks/serve.py --postgres      # PostgreSQL + Redis (production path)

Figures: req/s and p50/p99 from wrk; server CPU ms per request = CPU seconds
the server's processes (master and workers, from /proc/<pid>/stat) spent
during the run / requests; peak RSS (VmHWM) of the workers. The database and
Redis are shared by khabar and the baseline; their CPU is shown apart.
--postgres drops and recreates the database khabar_bench_serve."""

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TICK = os.sysconf("SC_CLK_TCK")
PG_URL = "postgres://postgres@127.0.0.1:5432/khabar_bench_serve"


def wrk_arguments(description: str) -> argparse.ArgumentParser:
    """The load options every wrk benchmark here takes."""
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (median reported)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    return parser


def arguments():
    parser = wrk_arguments(__doc__)
    parser.add_argument("--posts", type=int, default=200, help="comment POSTs per round")
    parser.add_argument("--postgres", action="store_true", help=f"use {PG_URL} (recreated)")
    return parser.parse_args()


# --- processes and /proc ---------------------------------------------------


def tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_seconds(pids: list[int], *, strict: bool = True) -> float:
    """CPU seconds the processes have used. A server process that is gone
    would take its share with it and make a figure too small: refuse instead
    (`strict=False` for the database's and Redis's, which come and go)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            if not strict:
                continue
            raise SystemExit(f"process {pid} exited during the measurement: figures would be wrong") from None
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICK


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def pss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def redis_pid(url: str) -> int | None:
    import redis

    return int(redis.Redis.from_url(url).info("server")["process_id"])


def postgres_pids() -> list[int]:
    """The PostgreSQL backends serving this benchmark's database (persistent
    connections, so the same ones for the whole run), not other clients'."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


# --- wrk ---------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def _percentile(out: str, n: int) -> float:
    found = re.search(rf"^\s+{n}%\s+(\S+)$", out, re.M)
    return _ms(found.group(1)) if found else float("nan")


def wrk(url: str, args, headers: dict | None = None) -> dict:
    argv = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s"]
    argv += ["--latency", url]
    for name, value in (headers or {}).items():
        argv[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _percentile(out, 50),
        "p99": _percentile(out, 99),
        "errors": errors + (int(bad.group(1)) if bad else 0),
    }


class Server:
    def __init__(self, name: str, url: str, pids, *, headers=None):
        self.name, self.url, self.pids, self.headers = name, url, pids, headers or {}

    def warm(self, args) -> None:
        """One unmeasured second of the same load. Without it the first
        scenario of round 1 ran cold (new nginx workers, empty open-file
        cache): the cached page through nginx measured 62 % of static
        there, against 84 % and 103 % in the two rounds after."""
        wrk(self.url, argparse.Namespace(**{**vars(args), "duration": 1}), self.headers)

    def run(self, args, shared: list[int]) -> dict:
        """wrk against this server; CPU of its processes, and of `shared` (Redis, the database)."""
        pids = self.pids()
        before, shared_before = cpu_seconds(pids), cpu_seconds(shared, strict=False)
        result = wrk(self.url, args, self.headers)
        used, shared_used = cpu_seconds(pids) - before, cpu_seconds(shared, strict=False) - shared_before
        result["cpu_ms"] = 1000 * used / max(result["requests"], 1)
        result["shared_cpu_ms"] = 1000 * shared_used / max(result["requests"], 1)
        return result


# --- what is served ----------------------------------------------------------


def database_url(postgres: bool, sqlite_name: str = "bench-serve") -> str:
    return PG_URL if postgres else f"sqlite:///{ROOT / 'var' / sqlite_name}.sqlite3"


def prepare_database(env: dict) -> None:
    """A fresh database at DATABASE_URL (PostgreSQL: dropped and created;
    SQLite: the file removed), migrated, with the demo stories."""
    url = env["DATABASE_URL"]
    if url.startswith("postgres"):
        name = urlsplit(url).path.lstrip("/")
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    khabar = str(Path(sys.executable).with_name("khabar"))
    # As `make run` and a newsroom do: stored terms for related stories.
    commands = (["migrate", "--no-input", "-v0"], ["load-demo"], ["refresh-intelligence"])
    for command in (*commands, ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([khabar, *command], env=env, check=True, stdout=subprocess.DEVNULL)


def enrich(article) -> list:
    """The measured page has what the issue asks for: comments, related stories, tags."""
    from khabar.comments.models import Comment
    from khabar.intelligence.models import ArticleTerm
    from khabar.intelligence.selectors import related_articles
    from khabar.news.models import Article, Tag

    for n in range(3):
        Comment.objects.create(
            article=article,
            name=f"قارئ {n}",
            body="تعليق منشور للقياس، فيه بضع كلمات عن الخبر.",
            status=Comment.Status.APPROVED,
            challenge=f"bench-{n}-{secrets.token_hex(4)}",
        )
    if not article.tags.exists():
        article.tags.add(*Tag.objects.all()[:3])
    # The demo's stories share too little to be related: the ones sharing a
    # stored term with the measured story get its tags too, so its page shows
    # (and pays for) a related list.
    terms = ArticleTerm.objects.filter(article_id=article.pk).values("term")
    others = Article.objects.published().filter(intel_terms__term__in=terms).exclude(pk=article.pk)
    others = list(others.distinct()[:3])
    for other in others:
        other.tags.add(*article.tags.all())
    related = related_articles(article)
    assert len(related) == len(others) == 3
    return related


def start_django(env: dict) -> None:
    """This process on `env`'s settings, with a fresh database (prepare_database)."""
    os.environ.update(env)
    prepare_database(dict(os.environ))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def measured_story(env: dict) -> tuple:
    """Environment, a fresh database and Django for a benchmark run; the story
    every scenario measures, with its comments, tags and related stories."""
    start_django(env)
    from khabar.news.models import Article

    article = Article.objects.published().order_by("pk").first()
    return article, enrich(article)


def sql_queries(path: str, related: list) -> int:
    """Queries of one uncached, anonymous render of the page (in-process),
    which must show the related stories."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path + "?uncached=warm")  # the first request of a process reads the site settings
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path + "?uncached=1")
    assert response.status_code == 200 and "X-Khabar-Cache" not in response
    html = response.content.decode()
    assert all(a.get_absolute_url() in html for a in related), "related stories missing from the page"
    return len(queries)


# --- the plain-Django baseline -------------------------------------------------

BASELINE_SETTINGS = """
import os

SECRET_KEY = {key!r}
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
                  "django.contrib.messages", "khabar.news", "khabar.comments"]
# Django's startproject defaults.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "baseline.urls"
TEMPLATES = [{{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [{templates!r}]}}]
DATABASES = {{"default": {database!r}}}
USE_TZ = True
TIME_ZONE = "Asia/Baghdad"
LANGUAGE_CODE = "ar"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The per-view cache's anchors: Django's default (local memory, one copy per
# worker) and the Redis that khabar's page cache uses (its own keys).
CACHES = {{
    "default": {{"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "redis": {{
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "") + ":baseline",
    }},
}}
"""

BASELINE_URLS = """
import secrets

from django import forms
from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.cache import cache_page

from khabar.comments.models import Comment
from khabar.news.models import Article


def article(request, pk, slug):
    article = get_object_or_404(
        Article.objects.filter(status="published").select_related("section", "agency")
        .prefetch_related("tags"),
        pk=pk,
    )
    related = Article.objects.filter(status="published", section=article.section).exclude(pk=pk)[:5]
    comments = Comment.objects.filter(article=article, status="approved")
    return render(request, "article.html", {"article": article, "related": related, "comments": comments})


class CommentForm(forms.Form):
    name = forms.CharField(max_length=80)
    email = forms.EmailField(required=False, max_length=254)
    body = forms.CharField(max_length=3000, widget=forms.Textarea)
    answer = forms.IntegerField()
    token = forms.CharField(widget=forms.HiddenInput, max_length=300)


def comment(request, pk):
    # The plain way: a form, CSRF, the question's sum in a signed hidden
    # field, one INSERT, a redirect.
    article = get_object_or_404(Article.objects.filter(status="published"), pk=pk)
    form = CommentForm(request.POST or None)
    if form.is_valid():
        try:
            expected = signing.loads(form.cleaned_data["token"], max_age=3600)
        except signing.BadSignature:
            expected = None
        if form.cleaned_data["answer"] == expected:
            Comment.objects.create(
                article=article, name=form.cleaned_data["name"], email=form.cleaned_data["email"],
                body=form.cleaned_data["body"], challenge=secrets.token_hex(16),
            )
            return HttpResponseRedirect(f"/news/{pk}/{article.slug}/?comment=pending")
        form.add_error("answer", "wrong")
    left, right = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    form = CommentForm(initial={"token": signing.dumps(left + right)})
    return render(request, "comment.html", {"article": article, "form": form, "left": left, "right": right})


urlpatterns = [
    path("news/<int:pk>/comment/", comment),
    path("news/<int:pk>/<str:slug>/", article),
    path("cached/news/<int:pk>/<str:slug>/", cache_page(300)(article)),
    path("redis/news/<int:pk>/<str:slug>/", cache_page(300, cache="redis")(article)),
]
"""

BASELINE_TEMPLATE = """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{{ article.headline }}</title></head>
<body><main><article>
<h1>{{ article.headline }}</h1>
<p>{{ article.section.name }} · {{ article.agency.name }} · {{ article.published_at }}</p>
<p>{{ article.summary }}</p>
{{ article.body|safe }}
<ul>{% for tag in article.tags.all %}<li>{{ tag.name }}</li>{% endfor %}</ul>
</article>
<section><h2>تعليقات</h2>{% for c in comments %}<p>{{ c.name }}: {{ c.body|linebreaksbr }}</p>
{% endfor %}</section>
<aside><ul>{% for r in related %}<li><a href="/news/{{ r.pk }}/{{ r.slug }}/">{{ r.headline }}</a></li>
{% endfor %}</ul></aside></main></body></html>
"""


BASELINE_COMMENT_TEMPLATE = """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{{ article.headline }}</title></head>
<body><main><h1>{{ article.headline }}</h1>
<form method="post">{% csrf_token %}{{ form.as_div }}<p>اكتب ناتج {{ left }} + {{ right }}</p>
<button>أرسل</button></form></main></body></html>
"""


def write_baseline(where: Path) -> None:
    from django.conf import settings

    package = where / "baseline"
    (package / "templates").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    database = {k: v for k, v in settings.DATABASES["default"].items() if k != "TEST"}
    (package / "settings.py").write_text(
        BASELINE_SETTINGS.format(
            key=secrets.token_urlsafe(50), templates=str(package / "templates"), database=database
        )
    )
    (package / "urls.py").write_text(BASELINE_URLS)
    (package / "templates" / "article.html").write_text(BASELINE_TEMPLATE)
    (package / "templates" / "comment.html").write_text(BASELINE_COMMENT_TEMPLATE)


def start_baseline(stack: ExitStack, where: Path, port: int) -> subprocess.Popen:
    from deploy import local

    write_baseline(where)
    env = dict(os.environ, PYTHONPATH=f"{where}:{ROOT}", DJANGO_SETTINGS_MODULE="baseline.settings")
    argv = [sys.executable, "-m", "gunicorn", "django.core.wsgi:get_wsgi_application()", "--workers", "2"]
    argv += ["--worker-class", "sync", "--preload", "--bind", f"127.0.0.1:{port}"]
    return stack.enter_context(local.process(argv, env=env, log=where / "baseline.log"))


def start_static_nginx(stack: ExitStack, where: Path, port: int, path: str, html: bytes) -> subprocess.Popen:
    """nginx serving a file with the socket and file settings that
    deploy/nginx/khabar.conf gives its page cache (kept file handles too), at
    the story's own URL, as a static site would: the same request line
    (percent-encoded Arabic slug) for nginx to parse as on the cached side."""
    from deploy import local

    page = where / "www" / unquote(path).strip("/") / "index.html"
    page.parent.mkdir(parents=True)
    page.write_bytes(html)
    site = where / "static-site.conf"
    site.write_text(
        f"server {{ listen 127.0.0.1:{port}; sendfile off; tcp_nopush off; tcp_nodelay on; "
        f"keepalive_timeout 30s; open_file_cache max=10000 inactive=60s; "
        f"location / {{ root {where / 'www'}; }} }}\n"
    )
    conf = where / "nginx.conf"
    conf.write_text(local.main_conf(where, site))
    argv = [local.NGINX, "-c", str(conf), "-g", "daemon off;"]
    return stack.enter_context(local.process(argv, env=dict(os.environ), log=where / "nginx.log"))


# --- comment POSTs -----------------------------------------------------------


def comment_form_fields(html: str) -> dict:
    """A reader's answers to a comment form page: its token, CSRF token and the sum."""
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    left, right = map(int, re.search(r"اكتب ناتج (\d+) \+ (\d+)", html).groups())
    return {"token": token, "csrfmiddlewaretoken": csrf, "answer": str(left + right)}


def comment_posts(base: str, article, n: int, pids: list[int], min_seconds: int, warm: int = 40) -> dict:
    """Fetch warm + n forms, wait out the minimum answer time, post `warm`
    answers unmeasured (each worker's first comment imports what only
    writing needs: the sanitizer, the moderation lists; the GET scenarios
    are warmed the same way), then post n answers and measure those."""
    import requests

    session = requests.Session()
    forms = [
        comment_form_fields(session.get(base + article.get_comment_url(), timeout=10).text)
        for _ in range(warm + n)
    ]
    time.sleep(min_seconds + 0.5)

    def post(number: int, form: dict) -> bool:
        data = {"name": "قارئ", "email": "", "body": f"تعليق رقم {number} للقياس", **form}
        response = session.post(
            base + article.get_comment_url(), data=data, allow_redirects=False, timeout=10
        )
        return response.status_code == 302 and "comment=" in response.headers.get("Location", "")

    assert all(post(number, form) for number, form in enumerate(forms[:warm])), "warm-up comment refused"
    before, started, ok = cpu_seconds(pids), time.perf_counter(), 0
    latencies = []
    for number, form in enumerate(forms[warm:], start=warm):
        t0 = time.perf_counter()
        ok += post(number, form)
        latencies.append(1000 * (time.perf_counter() - t0))
    used, elapsed = cpu_seconds(pids) - before, time.perf_counter() - started
    latencies.sort()
    return {
        "requests": n,
        "rps": n / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "errors": n - ok,
        "cpu_ms": 1000 * used / n,
        "shared_cpu_ms": float("nan"),
    }


# --- report ------------------------------------------------------------------


def median_of(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]} | {
        "errors": sum(r["errors"] for r in runs)
    }


def print_table(results: dict) -> None:
    head = f"{'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11} {'DB+Redis':>9} {'errors':>7}"
    print(f"\n{'scenario':36} {head}")
    for name, r in results.items():
        print(
            f"{name:36} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f} {r['cpu_ms']:11.3f}"
            f" {r['shared_cpu_ms']:9.3f} {r['errors']:7d}"
        )


def server_env(database_url: str) -> dict:
    """The settings the benchmarked servers run with: Redis, a fresh key prefix."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "CACHE_KEY_PREFIX": f"khabar-bench-{secrets.token_hex(4)}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",
        "CONN_MAX_AGE": "600",
        "MAX_REQUESTS": "0",  # no worker recycling mid-measurement
    }


def main() -> None:
    args = arguments()
    from deploy import local

    env = {
        **server_env(database_url(args.postgres)),
        # One client address posts every comment: lift the per-IP limits (they still run).
        "COMMENT_RATE_ISSUE": "1000000/600",
        "COMMENT_RATE_POST": "1000000/600",
    }
    article, related = measured_story(env)
    from django.conf import settings

    path = article.get_absolute_url()
    queries = sql_queries(path, related)
    postgres = postgres_pids if args.postgres else list

    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="khabar-bench-") as tmp:
        tmp = Path(tmp)
        deployment = stack.enter_context(
            local.running(workdir=tmp / "deploy", app_servers=1, workers=2, env=env)
        )
        app_pid = deployment.processes["app0"].pid
        nginx_pid = deployment.processes["nginx"].pid
        base_port, static_port = local.free_port(), local.free_port()
        baseline = start_baseline(stack, tmp, base_port)
        local.wait_for(f"http://127.0.0.1:{base_port}{path}", baseline)
        import requests

        for prefix in ("/cached", "/redis"):  # fills each per-view cache
            cached = requests.get(f"http://127.0.0.1:{base_port}{prefix}{path}", timeout=10)
            assert cached.status_code == 200, cached.status_code

        html = requests.get(deployment.app(0) + path, timeout=10).content
        static = start_static_nginx(stack, tmp / "static", static_port, path, html)
        local.wait_for(f"http://127.0.0.1:{static_port}{path}", static)
        assert requests.get(f"http://127.0.0.1:{static_port}{path}", timeout=10).content == html
        for url in (deployment.nginx + path, deployment.app(0) + path):  # warm both caches
            requests.get(url, timeout=10)
        kept = local.settled(partial(requests.get, deployment.nginx + path, timeout=10))
        if kept.headers["X-Cache-Status"] != "HIT":
            raise SystemExit("nginx did not keep the article page")
        assert requests.get(deployment.app(0) + path, timeout=10).headers["X-Khabar-Cache"] == "hit"

        servers = [
            Server(
                "khabar cached, through nginx",
                deployment.nginx + path,
                lambda: tree(nginx_pid) + tree(app_pid),
            ),
            Server("nginx static copy", f"http://127.0.0.1:{static_port}{path}", lambda: tree(static.pid)),
            Server("khabar cached, from the app", deployment.app(0) + path, lambda: tree(app_pid)),
            Server("khabar uncached (app)", deployment.app(0) + path + "?uncached=1", lambda: tree(app_pid)),
            Server(
                "plain Django baseline", f"http://127.0.0.1:{base_port}{path}", lambda: tree(baseline.pid)
            ),
            Server(
                "plain Django, per-view cache",
                f"http://127.0.0.1:{base_port}/cached{path}",
                lambda: tree(baseline.pid),
            ),
            Server(
                "plain Django, per-view cache, Redis",
                f"http://127.0.0.1:{base_port}/redis{path}",
                lambda: tree(baseline.pid),
            ),
        ]
        for server in servers:
            server.warm(args)
        runs: dict[str, list[dict]] = {s.name: [] for s in servers}
        for round_ in range(args.rounds):
            order = servers if round_ % 2 == 0 else servers[::-1]
            for server in order:
                shared = [redis_pid(env["REDIS_URL"]), *postgres()]
                runs[server.name].append(server.run(args, shared))
                print(
                    f"round {round_ + 1}: {server.name}: {runs[server.name][-1]['rps']:.0f} req/s", flush=True
                )
        results = {name: median_of(r) for name, r in runs.items()}
        min_seconds = getattr(settings, "COMMENT_MIN_SECONDS", 0)
        # In alternating rounds too: one batch of posts against one other
        # moved the ratio between them by a third from run to run.
        posts = {"comment POST (form, question, post)": [], "plain Django comment POST": []}
        for round_ in range(args.rounds):
            pair = [
                ("comment POST (form, question, post)", deployment.app(0), tree(app_pid), min_seconds),
                ("plain Django comment POST", f"http://127.0.0.1:{base_port}", tree(baseline.pid), 0),
            ]
            for name, base, pids, wait in pair if round_ % 2 == 0 else pair[::-1]:
                posts[name].append(comment_posts(base, article, args.posts, pids, wait))
                print(f"round {round_ + 1}: {name}: {posts[name][-1]['cpu_ms']:.2f} ms CPU", flush=True)
        results |= {name: median_of(runs) for name, runs in posts.items()}
        workers = [p for p in tree(app_pid) if p != app_pid]
        base_workers = [p for p in tree(baseline.pid) if p != baseline.pid]
        memory = {
            "khabar": (sum(status_kib(p, "VmHWM") for p in workers), sum(pss_kib(p) for p in workers)),
            "baseline": (
                sum(status_kib(p, "VmHWM") for p in base_workers),
                sum(pss_kib(p) for p in base_workers),
            ),
        }

    engine = env["DATABASE_URL"].split(":")[0]
    print(f"\nkhabar article page: {len(html)} bytes; {args.rounds} rounds x {args.duration} s per scenario, "
          f"wrk -t{args.threads} -c{args.connections}, medians; {engine}, Redis")  # fmt: skip
    print_table(results)
    r = results
    nginx_ratio = r["khabar cached, through nginx"]["rps"] / r["nginx static copy"]["rps"]
    uncached_ratio = r["khabar uncached (app)"]["cpu_ms"] / r["plain Django baseline"]["cpu_ms"]
    print("\ntarget                                              measured     met")
    checks = [
        ("cached through nginx >= 80% of nginx-static req/s", f"{nginx_ratio:.0%}", nginx_ratio >= 0.8),
        ("cached from the app <= 0.6 ms CPU/request", f"{r['khabar cached, from the app']['cpu_ms']:.3f} ms",
         r["khabar cached, from the app"]["cpu_ms"] <= 0.6),
        ("uncached <= 1.3x plain-Django CPU/request", f"{uncached_ratio:.2f}x", uncached_ratio <= 1.3),
        ("uncached <= 5 SQL queries", f"{queries}", queries <= 5),
        ("comment POST <= 3 ms CPU/request", f"{r['comment POST (form, question, post)']['cpu_ms']:.2f} ms",
         r["comment POST (form, question, post)"]["cpu_ms"] <= 3),
        ("two workers <= 120 MiB RSS together", f"{memory['khabar'][0] / 1024:.0f} MiB",
         memory["khabar"][0] <= 120 * 1024),
    ]  # fmt: skip
    for label, measured, met in checks:
        print(f"{label:51} {measured:>12} {'yes' if met else 'NO':>6}")
    print_anchors(r)
    for name, (rss, pss) in memory.items():
        print(f"{name} workers (2): peak RSS {rss / 1024:.0f} MiB, PSS now {pss / 1024:.0f} MiB")
    cleanup_redis(env)


# What the issue measured its anchors at, on its own machine (CPU ms/request).
ISSUE_FIGURES = {
    "plain Django baseline": 5.2,
    "plain Django, per-view cache": 0.60,
    "plain Django comment POST": 2.4,
}


def print_anchors(r: dict) -> None:
    """The issue's two absolute targets, put beside the anchors it measured
    them against, measured again here in the same run: 0.6 ms is what
    Django's per-view cache cost there, 3 ms is 1.25 x its plain POST. For
    comparing machines; the targets above stay what the issue says."""
    factor = r["plain Django baseline"]["cpu_ms"] / ISSUE_FIGURES["plain Django baseline"]
    print(f"\nthis machine: the plain-Django page costs {factor:.2f} x the issue's 5.2 ms")
    cached = r["khabar cached, from the app"]["cpu_ms"] / r["plain Django, per-view cache"]["cpu_ms"]
    posted = r["comment POST (form, question, post)"]["cpu_ms"] / r["plain Django comment POST"]["cpu_ms"]
    limit = 3 / ISSUE_FIGURES["plain Django comment POST"]
    in_redis = r["khabar cached, from the app"]["cpu_ms"] / r["plain Django, per-view cache, Redis"]["cpu_ms"]
    rows = [
        ("cached from the app / Django per-view cache (0.6/0.60)", cached, 1.0),
        ("cached from the app / the same in Redis", in_redis, 1.0),
        (f"comment POST / plain Django POST (3/2.4 = {limit:.2f})", posted, limit),
    ]
    for label, ratio, most in rows:
        print(f"{label:56} {ratio:6.2f}x {'within' if ratio <= most else 'above':>7}")


def cleanup_redis(env: dict) -> None:
    """Deletes the run's keys (its own CACHE_KEY_PREFIX) and no others."""
    from khabar.security.cache import ResilientRedisCache

    ResilientRedisCache(env["REDIS_URL"], {"KEY_PREFIX": env["CACHE_KEY_PREFIX"]}).clear()


if __name__ == "__main__":
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    main()
