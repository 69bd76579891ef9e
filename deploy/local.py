"""The reference deployment on one machine, on loopback: nginx (with
deploy/nginx/khabar.conf) in front of N `khabar serve` instances.

Used by tests/pagecache/test_nginx_deployment.py, benchmarks/serve.py and
benchmarks/load.py, and runnable by hand:

    .venv/bin/python -m deploy.local --app-servers 2 --port 8080

The caller provides DATABASE_URL and REDIS_URL (the instances must share both;
Redis is required: a local-memory cache is not shared between processes)."""

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
SITE_CONF = Path(__file__).resolve().parent / "nginx" / "khabar.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render_site(
    *,
    listen: str,
    purge_listen: str,
    app_servers: list[str],
    cache_dir: Path,
    static_root: Path,
    media_root: Path,
    reads_log: Path = Path("/var/log/nginx/khabar-reads.log"),
) -> str:
    return Template(SITE_CONF.read_text()).safe_substitute(
        KHABAR_LISTEN=listen,
        KHABAR_PURGE_LISTEN=purge_listen,
        KHABAR_SERVER_NAME="_",
        KHABAR_APP_SERVERS=" ".join(f"server {a};" for a in app_servers),
        KHABAR_CACHE_DIR=str(cache_dir),
        KHABAR_STATIC_ROOT=str(static_root),
        KHABAR_MEDIA_ROOT=str(media_root),
        KHABAR_PURGE_FROM="127.0.0.1",
        KHABAR_READS_LOG=str(reads_log),
    )


def main_conf(workdir: Path, site: Path, *, workers: str = "auto") -> str:
    """A main nginx.conf that needs no root: everything under workdir. One
    worker per core, as Debian's own nginx.conf has it."""
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must read workdir (0700)
    temp = "".join(
        f"{k}_temp_path {workdir / k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes {workers};\npid {workdir / 'nginx.pid'};\n"
        f"error_log {workdir / 'nginx-error.log'} warn;\nevents {{ worker_connections 4096; }}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\ndefault_type application/octet-stream;\n"
        f"access_log off;\n{temp}include {site};\n}}\n"
    )


@dataclass
class Deployment:
    workdir: Path
    nginx_port: int
    purge_port: int
    app_ports: list[int]
    env: dict
    processes: dict = field(default_factory=dict)

    @property
    def nginx(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    @property
    def purge(self) -> str:
        """Where the app servers send their purges (PAGECACHE_PURGE_URLS)."""
        return f"http://127.0.0.1:{self.purge_port}"

    def app(self, n: int) -> str:
        return f"http://127.0.0.1:{self.app_ports[n]}"


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing answered {url} within {timeout} s")


def settled(fetch, cache_status=lambda answer: answer.headers["X-Cache-Status"], timeout: float = 2.5):
    """`fetch()`'s answer once nginx gives it from its cache (HIT), or the last
    one after `timeout`. nginx hands a fetched page to its reader before it
    files the copy: a request right behind can still miss it (MISS) or find
    the purged one (EXPIRED)."""
    deadline = time.monotonic() + timeout
    while cache_status(answer := fetch()) != "HIT" and time.monotonic() < deadline:
        time.sleep(0.05)
    return answer


def wait_for_line(log: Path, text: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """For a process with no HTTP to probe: wait until its log says `text`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}: see {log}")
        if log.exists() and text in log.read_text(errors="replace"):
            return
        time.sleep(0.1)
    raise TimeoutError(f"{log} did not say {text!r} within {timeout} s")


@contextmanager
def process(argv: list[str], *, env: dict, log: Path):
    """A child in its own process group, stopped (group and all) on exit."""
    with open(log, "ab") as out:
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def app_env(*, port: int, workers: int, purge_url: str, extra: dict) -> dict:
    # Not the test runner's variables (DJANGO_ALLOW_ASYNC_UNSAFE from the browser tests, ...).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="0",
        DEBUG="0",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY=str(workers),
        PAGECACHE_PURGE_URLS=purge_url,
        SERVE_MEDIA="0",
        SERVE_STATIC="0",
        ACCESS_LOG="",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(extra)
    return env


@contextmanager
def running(*, workdir: Path, app_servers: int = 2, workers: int = 2, env: dict | None = None, port: int = 0):
    """Start nginx and the app servers; yield a Deployment; stop them all."""
    workdir.mkdir(parents=True, exist_ok=True)
    nginx_port, purge_port = port or free_port(), free_port()
    app_ports = [free_port() for _ in range(app_servers)]
    extra = dict(env or {})
    extra.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # one key for all instances
    from django.conf import settings

    site = workdir / "khabar.conf"
    site.write_text(
        render_site(
            listen=f"127.0.0.1:{nginx_port}",
            purge_listen=f"127.0.0.1:{purge_port}",
            app_servers=[f"127.0.0.1:{p}" for p in app_ports],
            cache_dir=workdir / "cache",
            static_root=Path(settings.STATIC_ROOT),
            media_root=Path(settings.MEDIA_ROOT),
            reads_log=workdir / "reads-nginx.log",
        )
    )
    conf = workdir / "nginx.conf"
    conf.write_text(main_conf(workdir, site))
    deployment = Deployment(workdir, nginx_port, purge_port, app_ports, extra)
    khabar = str(Path(sys.executable).with_name("khabar"))
    with ExitStack() as stack:
        for n, app_port in enumerate(app_ports):
            penv = app_env(port=app_port, workers=workers, purge_url=deployment.purge, extra=extra)
            proc = stack.enter_context(process([khabar, "serve"], env=penv, log=workdir / f"app{n}.log"))
            deployment.processes[f"app{n}"] = proc
        # Counts the reads nginx serves from its cache (khabar/readership/nginx.py).
        listen = [khabar, "readership-listen", "--log", str(workdir / "reads-nginx.log")]
        penv = app_env(port=0, workers=1, purge_url=deployment.purge, extra=extra)
        deployment.processes["reads"] = stack.enter_context(
            process(listen, env=penv, log=workdir / "reads.log")
        )
        wait_for_line(workdir / "reads.log", "counting", deployment.processes["reads"])
        test = subprocess.run([NGINX, "-t", "-q", "-c", str(conf)], capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx -t failed: {test.stderr}")
        argv = [NGINX, "-c", str(conf), "-g", "daemon off;"]
        deployment.processes["nginx"] = stack.enter_context(
            process(argv, env=dict(os.environ), log=workdir / "nginx.log")
        )
        for n in range(app_servers):
            wait_for(deployment.app(n) + "/healthz", deployment.processes[f"app{n}"])
        wait_for(deployment.nginx + "/healthz", deployment.processes["nginx"])
        yield deployment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app-servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "deploy-local")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    # Stopped with SIGTERM too (not only Ctrl-C), the children are stopped as well.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with running(
        workdir=args.workdir, app_servers=args.app_servers, workers=args.workers, port=args.port
    ) as d:
        apps = ", ".join(d.app(n) for n in range(len(d.app_ports)))
        print(f"khabar through nginx: {d.nginx}/  (app servers: {apps})", flush=True)
        with suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
