"""schemathesis against the live API: the app runs on 127.0.0.1 in a thread,
`st run` fuzzes every operation of /api/v1/openapi.json with all checks."""

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.test.testcases import LiveServerThread

from khabar.distribution.services import apikey_create
from khabar.news.models import Article
from tests.factories import ArticleFactory, TagFactory

ST = Path(sys.executable).with_name("st")
EXAMPLES = 20  # per operation and phase: the whole run stays under a minute


@pytest.fixture
def api_server(transactional_db, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    # schemathesis sends a few hundred requests with one key; 429s are tested elsewhere.
    settings.API_RATE_LIMIT = 1_000_000
    thread = LiveServerThread("127.0.0.1", static_handler=lambda app: app, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def test_live_api_keeps_its_openapi_contract(api_server, sample_article, tmp_path):
    _, key = apikey_create(name="schemathesis")
    tag = TagFactory(name="تجربة")
    sample_article.tags.add(tag)
    ArticleFactory.create_batch(3, last_update=sample_article.published_at)
    ArticleFactory(status=Article.Status.UNPUBLISHED)
    command = [
        str(ST), "run", f"{api_server}/api/v1/openapi.json",
        "--checks", "all",
        "--max-examples", str(EXAMPLES),
        "--header", f"X-Api-Key: {key}",
        "--request-timeout", "10",
        "--generation-database", "none",
        "--no-color",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False)
    report = result.stdout[-8000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
    with urllib.request.urlopen(f"{api_server}/api/v1/openapi.json") as answer:
        operations = sum(len(item) for item in json.load(answer)["paths"].values())
    assert re.search(r"Tested: (\d+)", result.stdout)[1] == str(operations), report
