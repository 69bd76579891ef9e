"""The subscribers' API is imported at its first use, so web processes that
serve pages only never carry django-ninja and pydantic."""

import subprocess
import sys
from pathlib import Path

from django.urls import resolve, reverse

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from django.urls import resolve, reverse
resolve(reverse("news:article", kwargs={"pk": 1, "slug": "x"}))
resolve("/feeds/rss/")
print("before", "ninja" in sys.modules, "pydantic" in sys.modules)
reverse("distribution:api:article", kwargs={"article_id": 1})
print("after", "ninja" in sys.modules)
"""


def test_pages_do_not_import_the_api_until_it_is_used():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    ).stdout.split("\n")
    assert "before False False" in out
    assert "after True" in out


def test_api_urls_resolve_and_reverse_through_the_lazy_resolver():
    url = reverse("distribution:api:article", kwargs={"article_id": 7})
    assert url == "/api/v1/articles/7"
    assert resolve(url).url_name == "article"
    assert resolve("/api/v1/docs").url_name == "openapi-view"
