"""A web worker loads only what serving pages needs: Pillow, the HTML
sanitizer, Babel's locales, the date extractor and the stemmer are imported
where they are used (uploads, saving a body, the newsroom, a timeline not yet
in the cache, search and indexing), so the processes `khabar serve` forks
stay small (issue 6)."""

import gc
import os
import subprocess
import sys
from pathlib import Path

from khabar.security import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]
# The admin's registrations and the desk's views load at the first request for them.
HEAVY = ["PIL", "babel", "khabar.arabic.date_extract", "nh3", "Stemmer"]
HEAVY += ["khabar.news.admin", "khabar.newsroom.views"]

PROBE = """
import os, sys
from datetime import date
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import khabar.apps
khabar.apps.web_process = True  # as config/wsgi.py sets it
from django.core.wsgi import get_wsgi_application
get_wsgi_application()
from django.template import engines
from django.urls import reverse
reverse("news:front")  # the whole URLconf, every view module
engines["django"].engine.template_libraries  # every template tag library
from khabar.arabic.dates import format_date, format_month
format_date(date(2025, 3, 18), weekday=True)
format_date(date(2025, 3, 18), weekday=True, language="en")
format_month(2025, 3, language="en")
print("loaded:", *[name for name in sys.argv[1:] if name in sys.modules])
from khabar.news.html import clean_body
clean_body("<p>x</p>")
print("after clean_body:", "nh3" in sys.modules)
from khabar.arabic.analyzer import analyze
print("stems:", *analyze("والمدارس"), "Stemmer" in sys.modules)
from django.conf import settings
print("whitenoise:", "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE)
reverse("admin:index")
print("admin registered:", "khabar.news.admin" in sys.modules)
"""


def probe(**env) -> list[str]:
    """PROBE's lines, run in a fresh process with `env` added."""
    return subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.splitlines()


def test_the_wsgi_application_and_its_pages_load_no_heavy_module():
    out = probe()
    assert "loaded:" in out
    assert "after clean_body: True" in out
    assert "stems: مدارس True" in out
    assert "whitenoise: True" in out
    assert "admin registered: True" in out


def test_behind_nginx_the_workers_leave_static_files_to_it():
    """SERVE_STATIC=0 (deploy/): no WhiteNoise index of the static files in each worker."""
    assert "whitenoise: False" in probe(SERVE_STATIC="0")


def test_gunicorn_master_freezes_what_it_loaded_before_forking():
    try:
        gunicorn_conf.when_ready(server=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
