"""Security timings that the test suite must not assert (no timed assertions
in tests): each figure is printed beside a baseline measured in the same run,
so a slow or busy machine shows up in both columns.

    .venv/bin/python benchmarks/security.py                 # all parts, ~1-2 minutes
    .venv/bin/python benchmarks/security.py --only text --big

Parts:
- text (T-30): our text functions on 10,000 and 100,000 repetitions of a
  crafted input (~0.1 and ~1 MB): best of 3, and the growth from 10x more
  input (about 10x when linear, 100x when quadratic), beside the same figures
  for a linear baseline (encoding the same text to UTF-8). Then Django's
  filters with DoS history (CVE list in ../shared/SECURITY-TESTS.md 1.1) at
  the longest text a visitor can send (3,000 characters) and at 10x (--big:
  100x, which takes ~30 s for strip_tags).
- requests (T-30): the search page with a 5,000-character Accept-Language
  and a 1 MB comment body, beside the same requests with ordinary values.
- logins (T-23): a login with an unknown user and with a wrong password, real
  PBKDF2 hasher, median of --tries each.
- redis (T-76): an article page with Redis up, killed and frozen (SIGSTOP),
  beside the same page with no Redis configured (local memory).

The Django parts run on a throwaway SQLite file in a temporary directory."""

import argparse
import os
import secrets
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="khabar-bench-security-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DATABASE_URL=f"sqlite:///{TMP / 'bench.sqlite3'}",
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS="testserver",
    DEBUG="0",
    HTTPS="0",
)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()


def best_of(function, argument, runs=3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        function(argument)
        best = min(best, time.perf_counter() - started)
    return best


def median_of(function, runs) -> float:
    times = []
    for n in range(runs):
        started = time.perf_counter()
        function(n)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def row(*cells, widths=(30, 12, 12, 10, 12, 12, 10)):
    print(
        "  ".join(
            str(c).rjust(w) if i else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=False))
        )
    )


def part_text(big: bool) -> None:
    from tests.security.test_dos import DJANGO_FILTERS, LONGEST_INPUT, OURS

    def baseline(text):
        text.encode("utf-8")

    print("\n== text functions (T-30): seconds, best of 3; growth = 100k / 10k repetitions")
    row("function", "10k reps", "100k reps", "growth", "base 10k", "base 100k", "growth")
    for name, (function, make) in OURS.items():
        small, large = make(10_000), make(100_000)
        f_small, f_large = best_of(function, small), best_of(function, large)
        b_small, b_large = best_of(baseline, small), best_of(baseline, large)
        row(
            name,
            f"{f_small:.4f}",
            f"{f_large:.4f}",
            f"{f_large / max(f_small, 1e-9):.1f}x",
            f"{b_small:.5f}",
            f"{b_large:.5f}",
            f"{b_large / max(b_small, 1e-9):.1f}x",
        )
    sizes = [LONGEST_INPUT, LONGEST_INPUT * 10] + ([LONGEST_INPUT * 100] if big else [])
    print("\n== Django filters (T-30): seconds on crafted input of n characters (best of 3)")
    widths = (30, *[12] * len(sizes), 14, 12)
    row("filter", *(f"n={n:,}" for n in sizes), "growth per 10x", "baseline", widths=widths)
    for name, (function, make) in DJANGO_FILTERS.items():
        texts = [make(n)[: n * 3] for n in sizes]
        times = [best_of(function, t) for t in texts]
        growth = (times[-1] / max(times[0], 1e-9)) ** (1 / (len(sizes) - 1))
        base = best_of(baseline, texts[-1])
        row(name, *(f"{t:.4f}" for t in times), f"{growth:.1f}x", f"{base:.5f}", widths=widths)


def _site():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from tests.factories import ArticleFactory

    call_command("migrate", "--no-input", verbosity=0)
    article = ArticleFactory(headline="خبر للقياس")
    get_user_model().objects.create_user("editor", "e@example.com", "a-long-editor-passphrase-2025")
    return article


def part_requests(article, runs: int) -> None:
    from django.test import Client

    client = Client()
    long_language = ",".join(f"x{n};q=0.{n % 10}" for n in range(700))[:5000]
    url = article.get_comment_url()
    search = "/search/?q=خبر"  # not page-cached: every request is rendered
    huge = {"body": "ب" * 1_000_000, "name": "x"}
    small = {"body": "ب" * 3_001, "name": "x"}  # just over the limit: the same 400
    print("\n== requests (T-30): median seconds over", runs, "requests (status)")
    row("request", "hostile", "status", "ordinary", "status", widths=(40, 10, 8, 10, 8))
    for label, hostile, ordinary in (
        (
            "search page, 5,000-char Accept-Language",
            lambda n: client.get(search, HTTP_ACCEPT_LANGUAGE=long_language, REMOTE_ADDR=f"10.0.0.{n % 250}"),
            lambda n: client.get(search, HTTP_ACCEPT_LANGUAGE="ar,en;q=0.8", REMOTE_ADDR=f"10.0.0.{n % 250}"),
        ),
        (
            "comment POST, 1 MB body",
            lambda n: Client().post(url, huge, REMOTE_ADDR=f"10.0.1.{n % 250}"),
            lambda n: Client().post(url, small, REMOTE_ADDR=f"10.0.2.{n % 250}"),
        ),
    ):
        figures = []
        for send in (hostile, ordinary):
            codes = []
            figures += [f"{median_of(lambda n, s=send, c=codes: c.append(s(n).status_code), runs):.4f}"]
            figures += [",".join(map(str, sorted(set(codes))))]
        row(label, *figures, widths=(40, 10, 8, 10, 8))


def part_logins(runs: int) -> None:
    from django.core.cache import cache
    from django.test import Client

    def attempt(username):
        def send(n):
            cache.clear()  # the throttle would refuse from the 6th failure on
            data = {"username": username or f"nobody{n}", "password": f"wrong-{n}"}
            assert Client().post("/admin/login/", data).status_code == 200

        return send

    unknown, wrong = median_of(attempt(""), runs), median_of(attempt("editor"), runs)
    print(f"\n== logins (T-23): median seconds over {runs} attempts, real PBKDF2")
    row("unknown user", f"{unknown:.4f}", widths=(30, 10))
    row("known user, wrong password", f"{wrong:.4f}", widths=(30, 10))
    row("difference", f"{abs(unknown - wrong) / max(unknown, wrong):.1%}", widths=(30, 10))


def part_redis(article, runs: int) -> None:
    from django.core.cache import caches
    from django.test import Client, override_settings

    from tests.security import live

    path = article.get_absolute_url()

    def page(n):
        assert Client().get(path, REMOTE_ADDR=f"10.0.3.{n % 250}").status_code == 200

    print(f"\n== Redis outage (T-76): article page, median seconds over {runs} requests")
    row("local memory cache (baseline)", f"{median_of(page, runs):.4f}", widths=(30, 10))
    with live.redis_server(TMP) as (proc, url):
        redis = {
            "default": {
                "BACKEND": "khabar.security.cache.ResilientRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "bench",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        with override_settings(CACHES=redis):  # Django's test signals reset the cache handler
            assert type(caches["default"]).__name__ == "ResilientRedisCache"
            row("Redis up", f"{median_of(page, runs):.4f}", widths=(30, 10))
            proc.send_signal(signal.SIGSTOP)
            try:
                row("Redis frozen (SIGSTOP)", f"{median_of(page, max(3, runs // 5)):.4f}", widths=(30, 10))
            finally:
                proc.send_signal(signal.SIGCONT)
            proc.kill()
            proc.wait(5)
            row("Redis killed", f"{median_of(page, runs):.4f}", widths=(30, 10))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["text", "requests", "logins", "redis"], action="append")
    parser.add_argument("--big", action="store_true", help="Django filters at 100x the longest input too")
    parser.add_argument("--tries", type=int, default=15, help="requests per figure")
    args = parser.parse_args()
    parts = args.only or ["text", "requests", "logins", "redis"]
    print(f"khabar security timings, Django {django.get_version()}, load average {os.getloadavg()[0]:.1f}")
    if "text" in parts:
        part_text(args.big)
    if set(parts) - {"text"}:
        article = _site()
        if "requests" in parts:
            part_requests(article, args.tries)
        if "logins" in parts:
            part_logins(args.tries)
        if "redis" in parts:
            part_redis(article, args.tries)


if __name__ == "__main__":
    main()
