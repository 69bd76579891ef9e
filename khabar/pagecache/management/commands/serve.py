"""`khabar serve`: the production server (gunicorn, sync workers)."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from khabar.checks import insecure_production_errors

# Each sync worker peaks at ~60 MiB RSS (much of it shared with the master);
# past a dozen, more processes only queue on the CPUs.
MAX_DEFAULT_WORKERS = 12

# The server's interpreter drops docstrings (and asserts; khabar's own code has
# none outside its tests). Django's, redis-py's and the standard library's
# docstrings cost each worker ~2.5 MiB of RSS (benchmarks/serve.py, issue 6).
# Nothing the server runs reads a docstring: the API's descriptions are
# spelled out (tests/distribution/test_api.py checks its schema under -OO).
PYTHON_FLAGS = ["-OO"]
# What the master imports before forking (--preload), compiled beforehand.
PRELOAD = "import gunicorn.app.wsgiapp, gunicorn.workers.sync, khabar.security.gunicorn_conf, config.wsgi"


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    # ACCESS_LOG="" turns request logging off (benchmarks); "-" is stdout.
    access_log = os.environ.get("ACCESS_LOG", "-")
    # MAX_REQUESTS=0 never recycles (benchmarks: a recycled worker takes its
    # CPU counters and peak memory with it).
    recycle = int(os.environ.get("MAX_REQUESTS", "20000"))
    return [
        "gunicorn", "config.wsgi:application",
        # Request limits and the Server header (khabar/security); flags below win.
        "--config", "python:khabar.security.gunicorn_conf",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        # Load the app once in the master; workers share its pages.
        "--preload",
        "--timeout", "30",
        # Recycle workers now and then so slow leaks cannot grow without end.
        "--max-requests", str(recycle), "--max-requests-jitter", str(recycle // 10),
        "--error-logfile", "-",
    ] + (["--access-logfile", access_log] if access_log else [])  # fmt: skip


def server_environ() -> dict:
    """The server's environment: its bytecode kept under VAR_DIR, written
    there even where the standard library's or the venv's directories are
    read-only or PYTHONDONTWRITEBYTECODE is set. Without kept bytecode each
    start compiles every module again, and the compiler's leftovers stay in
    the master and every worker forked from it (~4 MiB each, measured)."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(settings.VAR_DIR / "bytecode"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_preload(env: dict) -> bool:
    """Compiles what the master will import, in a throwaway process (half a
    second on this machine once compiled), so the master itself only reads
    bytecode."""
    run = subprocess.run([sys.executable, *PYTHON_FLAGS, "-c", PRELOAD], env=env, capture_output=True)
    return run.returncode == 0


class Command(BaseCommand):
    help = "Serve khabar with gunicorn (WEB_CONCURRENCY workers on HOST:PORT)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY") or 0))
        parser.add_argument("--dry-run", action="store_true", help="print the gunicorn command and stop")

    def handle(self, *args, host, port, workers, dry_run, **options):
        errors = insecure_production_errors()
        if errors:
            raise CommandError("refusing to serve: " + "; ".join(e.msg for e in errors))
        if not (settings.STATIC_ROOT / "staticfiles.json").exists():
            raise CommandError("static files are not collected: run `khabar collectstatic --no-input` first")
        argv = gunicorn_argv(host=host, port=port, workers=workers if workers > 0 else default_workers())
        if dry_run:
            self.stdout.write(" ".join(argv))
            return
        # gunicorn replaces this process (same pid, so signals reach its
        # master directly) in a fresh interpreter: the workers, forked from
        # that master, do not inherit what this command and its system checks
        # imported (the whole URLconf, django-ninja and pydantic: ~12 MiB each).
        env = server_environ()
        if not compile_preload(env):
            self.stderr.write("could not compile the server's modules ahead; it compiles them as it starts")
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, [sys.executable, *PYTHON_FLAGS, "-m", *argv], env)
