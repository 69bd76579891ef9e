"""Instructions per request, counted by valgrind's callgrind: the story page
served from the app's cache, uncached, and the plain-Django anchors of
benchmarks/serve.py (the page uncached, and behind Django's per-view cache in
local memory and in Redis). Unlike CPU time, the counts do not depend on how fast
the machine is today or on what else it is doing, so they compare runs made
on different days. The application is called in-process through WSGI (no
gunicorn, no sockets to the client); PostgreSQL or SQLite and Redis are real.

    .venv/bin/python benchmarks/instructions.py --postgres

Each scenario runs twice under callgrind, after the same 20 warm-up
requests: once with N more (200 for a cached page, 20 for a rendered one)
and once with none; the difference over N is what one request costs,
start-up excluded. A run outside callgrind comes first, so that both
measured runs find the caches warm; most-read counts are written at exit
only (the same in both), not every 30 s."""

import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import serve  # noqa: E402  (the same database, story and baseline)

WARM = 20
# Measured requests: a cached request is small enough that a garbage
# collection falling inside the run or not moved its count by up to 15 %
# over 20 requests; over 200 it averages out.
CACHED, PAGES = 200, 20
POSTS = 50
POST_SCENARIOS = {  # name: (settings module, measured requests)
    "khabar comment POST": ("config.settings", POSTS),
    "plain Django comment POST": ("baseline.settings", POSTS),
}
SCENARIOS = {  # name: (settings module, path prefix, query string, measured requests)
    "khabar cached, from the app": ("config.settings", "", "", CACHED),
    "khabar uncached (app)": ("config.settings", "", "uncached=1", PAGES),
    "plain Django baseline": ("baseline.settings", "", "", PAGES),
    "plain Django, per-view cache": ("baseline.settings", "/cached", "", CACHED),
    "plain Django, per-view cache, Redis": ("baseline.settings", "/redis", "", CACHED),
}


def wsgi_application(settings_module: str):
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    if settings_module == "config.settings":
        from config.wsgi import application  # what gunicorn serves: the page cache's layer in front

        return application
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


ENVIRON = {
    "REQUEST_METHOD": "GET",
    "QUERY_STRING": "",
    "SERVER_NAME": "127.0.0.1",
    "SERVER_PORT": "80",
    "HTTP_HOST": "127.0.0.1",
    "REMOTE_ADDR": "127.0.0.1",
    "wsgi.url_scheme": "http",
    "wsgi.errors": sys.stderr,
}


def child(name: str, count: int) -> None:
    """Runs inside callgrind: WARM + count requests for one scenario."""
    if name in POST_SCENARIOS:
        post_child(name, count)
        return
    settings_module, prefix, query, _ = SCENARIOS[name]
    application = wsgi_application(settings_module)
    # WSGI's PATH_INFO: the decoded path, its UTF-8 bytes as latin-1 characters.
    path = unquote(prefix + os.environ["BENCH_PATH"]).encode().decode("latin-1")
    environ = {**ENVIRON, "PATH_INFO": path, "QUERY_STRING": query}
    for _ in range(WARM + count):
        answer = []
        start = lambda s, h, e=None, a=answer: a.append(s)  # noqa: E731
        body = application({**environ, "wsgi.input": io.BytesIO()}, start)
        b"".join(body)
        if hasattr(body, "close"):  # optional in WSGI: a plain list has none
            body.close()
        assert answer[0].startswith("200"), (name, answer)


def post_child(name: str, count: int) -> None:
    """WARM + POSTS comment forms fetched in every run (the same work in
    both measured runs), then WARM + count of them answered and posted."""
    settings_module, _ = POST_SCENARIOS[name]
    application = wsgi_application(settings_module)
    from django.conf import settings

    path = os.environ["BENCH_COMMENT_PATH"]
    cookies = {}

    def call(method: str, body: bytes = b"") -> tuple[str, str]:
        environ = {
            **ENVIRON,
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_COOKIE": "; ".join(f"{key}={value}" for key, value in cookies.items()),
            "wsgi.input": io.BytesIO(body),
        }
        answer = []
        content = application(environ, lambda s, h, e=None: answer.append((s, h)))
        text = b"".join(content).decode()
        if hasattr(content, "close"):
            content.close()
        for header, value in answer[0][1]:
            if header.lower() == "set-cookie":
                key, _, value = value.split(";")[0].partition("=")
                cookies[key] = value
        return answer[0][0], text

    forms = [serve.comment_form_fields(call("GET")[1]) for _ in range(WARM + POSTS)]
    time.sleep(getattr(settings, "COMMENT_MIN_SECONDS", 0) + 0.5)
    for number, form in enumerate(forms[: WARM + count]):
        data = {"name": "قارئ", "email": "", "body": f"تعليق رقم {number} للقياس", **form}
        status, _ = call("POST", urlencode(data).encode())
        assert status.startswith("302"), (name, status)


def collected(name: str, count: int, env: dict, *, callgrind: bool = True) -> int:
    argv = [sys.executable, __file__, "--child", name, "--count", str(count)]
    if not callgrind:
        subprocess.run(argv, env=env, check=True)
        return 0
    argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv]
    out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help=f"use {serve.PG_URL} (recreated)")
    parser.add_argument(
        "--scenario",
        action="append",
        choices=[*SCENARIOS, *POST_SCENARIOS],
        help="only these (repeatable; default all)",
    )
    parser.add_argument("--child")
    parser.add_argument("--count", type=int, default=0)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.count)
        return

    env = serve.server_env(serve.database_url(args.postgres))
    article, _ = serve.measured_story(env)
    with tempfile.TemporaryDirectory(prefix="khabar-instructions-") as tmp:
        serve.write_baseline(Path(tmp))
        child_env = dict(
            os.environ,
            PYTHONPATH=f"{tmp}:{ROOT}",
            BENCH_PATH=article.get_absolute_url(),
            BENCH_COMMENT_PATH=article.get_comment_url(),
            # One client address posts every comment: lift the per-IP limits (they still run).
            COMMENT_RATE_ISSUE="1000000/600",
            COMMENT_RATE_POST="1000000/600",
            HTTPS="0",
            # Most-read counts are written every 30 s of wall time, and under
            # callgrind a run lasts minutes: a write landing in one run and not
            # the other would be counted as the requests' cost. Written at
            # exit only, the same once in each run.
            READERSHIP_FLUSH_SECONDS="1000000",
        )
        per_request = {}
        for name in args.scenario or [*SCENARIOS, *POST_SCENARIOS]:
            # Once outside callgrind first: the first render of the story
            # computes and caches its timeline and related ranking (hundreds
            # of millions of instructions), which neither measured run may pay.
            collected(name, 0, child_env, callgrind=False)
            requests = POST_SCENARIOS[name][1] if name in POST_SCENARIOS else SCENARIOS[name][3]
            more, none = collected(name, requests, child_env), collected(name, 0, child_env)
            per_request[name] = (more - none) / requests
            print(f"{name:36} {per_request[name] / 1e6:8.2f} M instructions/request", flush=True)
    serve.cleanup_redis(env)
    ratios = (
        ("uncached / baseline", "khabar uncached (app)", "plain Django baseline"),
        (
            "cached from the app / Django's per-view cache",
            "khabar cached, from the app",
            "plain Django, per-view cache",
        ),
        ("comment POST / plain Django's", "khabar comment POST", "plain Django comment POST"),
    )
    for label, measured, anchor in ratios:
        if measured in per_request and anchor in per_request:
            print(f"{label}: {per_request[measured] / per_request[anchor]:.2f} x")


if __name__ == "__main__":
    main()
