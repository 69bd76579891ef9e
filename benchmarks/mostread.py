"""Most-read counting benchmark: the article page served from nginx's cache
and from the app's page cache, each with read counting on and off, in
alternating rounds of one run. Two reference deployments (deploy/local.py) on
loopback share the database and Redis: "on" counts (READERSHIP=1 in the app,
nginx reports its cache hits to `khabar readership-listen`); "off" has
READERSHIP=0 and an nginx site without the report line.

    .venv/bin/python benchmarks/mostread.py [--duration 5 --rounds 3]

Figures come from benchmarks/serve.py's helpers (wrk; server CPU ms per
request from /proc: the app's master and workers, plus nginx and the
listener for the nginx rows). At the end both deployments are stopped (every
process writes its buffer) and the reads in the store are compared with the
requests the "on" scenarios sent. SQLite file + Redis: a cached hit touches
no database, with counting or without."""

import importlib
import re
import shutil
import sys
import tempfile
from contextlib import ExitStack
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# benchmarks/ is a folder of scripts, not a package: serve.py is found beside this one.
serve = importlib.import_module("serve")

READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


def arguments():
    return serve.wrk_arguments(__doc__).parse_args()


def site_without_reports(where: Path) -> Path:
    """deploy/nginx/khabar.conf less the line that reports cached reads."""
    from deploy import local

    text = re.sub(r"\n\s*access_log \$\{KHABAR_READS_LOG\}[^;]*;", "", local.SITE_CONF.read_text())
    assert "KHABAR_READS_LOG" not in text
    where.write_text(text)
    return where


def hook_cost(path: str, n: int = 200_000) -> tuple[float, float]:
    """In one process: µs per request of the read-count middleware around a
    view that returns at once, against that view alone (no flush inside:
    the flush interval is pushed out of the way)."""
    import timeit

    from django.http import HttpResponse
    from django.test import RequestFactory

    from khabar.readership import counter
    from khabar.readership.middleware import ReadCountMiddleware

    response = HttpResponse(b"x")
    request = RequestFactory().get(path, HTTP_USER_AGENT=READER)

    def bare(request):
        return response

    counted = ReadCountMiddleware(bare)
    counter._flush_at[0] = float("inf")
    try:
        alone = min(timeit.repeat(lambda: bare(request), number=n, repeat=5)) / n
        hooked = min(timeit.repeat(lambda: counted(request), number=n, repeat=5)) / n
    finally:
        counter._buffer.clear()
        counter.start()
    return alone * 1e6, hooked * 1e6


def main() -> None:
    args = arguments()
    from deploy import local

    env = serve.server_env(serve.database_url(False, "bench-mostread"))
    article, _ = serve.measured_story(env)
    import requests

    from khabar.readership import store

    path = article.get_absolute_url()
    headers = {"User-Agent": READER}
    alone, hooked = hook_cost(path)

    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="khabar-bench-") as tmp:
        tmp = Path(tmp)
        on = stack.enter_context(local.running(workdir=tmp / "on", app_servers=1, workers=2, env=env))
        local.SITE_CONF = site_without_reports(tmp / "khabar-off.conf")
        off = stack.enter_context(
            local.running(workdir=tmp / "off", app_servers=1, workers=2, env={**env, "READERSHIP": "0"})
        )
        for deployment in (on, off):  # warm both caches (a robot's user agent: not counted)
            for url in (deployment.nginx + path, deployment.app(0) + path):
                requests.get(url, timeout=10)
            kept = local.settled(partial(requests.get, deployment.nginx + path, timeout=10))
            assert kept.headers["X-Cache-Status"] == "HIT"
            assert requests.get(deployment.app(0) + path, timeout=10).headers["X-Khabar-Cache"] == "hit"

        def pids(deployment, *names):
            return lambda: [p for name in names for p in serve.tree(deployment.processes[name].pid)]

        servers = [
            serve.Server(
                "nginx cache, counting on",
                on.nginx + path,
                pids(on, "nginx", "reads", "app0"),
                headers=headers,
            ),
            serve.Server(
                "nginx cache, counting off",
                off.nginx + path,
                pids(off, "nginx", "reads", "app0"),
                headers=headers,
            ),
            serve.Server("app page cache, counting on", on.app(0) + path, pids(on, "app0"), headers=headers),
            serve.Server(
                "app page cache, counting off", off.app(0) + path, pids(off, "app0"), headers=headers
            ),
        ]
        runs: dict[str, list[dict]] = {s.name: [] for s in servers}
        shared = [serve.redis_pid(env["REDIS_URL"])]
        for round_ in range(args.rounds):
            for server in servers if round_ % 2 == 0 else servers[::-1]:
                runs[server.name].append(server.run(args, shared))
                print(
                    f"round {round_ + 1}: {server.name}: {runs[server.name][-1]['rps']:.0f} req/s", flush=True
                )
        sent = sum(r["requests"] for name, rs in runs.items() if name.endswith("on") for r in rs)
    # Every process has stopped, so every buffer has been written.
    counted = sum(a.reads for a in store.most_read(hours=2, limit=50))

    results = {name: serve.median_of(r) for name, r in runs.items()}
    print(f"\nkhabar article page; {args.rounds} rounds x {args.duration} s per scenario, "
          f"wrk -t{args.threads} -c{args.connections}, medians; SQLite file + Redis")  # fmt: skip
    serve.print_table(results)
    for where in ("nginx cache", "app page cache"):
        with_, without = results[f"{where}, counting on"], results[f"{where}, counting off"]
        print(
            f"{where}: counting costs {with_['cpu_ms'] - without['cpu_ms']:+.3f} ms CPU/request, "
            f"throughput {with_['rps'] / without['rps']:.0%} of uncounted"
        )
    print(
        f"the counting hook in one process: {hooked - alone:.2f} µs per request ({hooked:.2f} vs {alone:.2f})"
    )
    print(
        f"reads sent with counting on: {sent}; counted in the store: {counted} ({counted / max(sent, 1):.1%})"
    )
    serve.cleanup_redis(env)


if __name__ == "__main__":
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    main()
