from pathlib import Path

import pytest
from django.core.management import call_command

from khabar.ingest.services import import_text_pages

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "sample-article.txt"


@pytest.fixture(scope="session", autouse=True)
def _static_manifest(django_db_blocker):
    # Pages use hashed static names (whitenoise's manifest), so collect once.
    call_command("collectstatic", interactive=False, verbosity=0)


def _clear_caches():
    # Only this run's keys: in Redis, clear() deletes its own prefix
    # (khabar/security/cache.py), and the run has one (tools/pytest_env.py).
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


@pytest.fixture(scope="session", autouse=True)
def _no_keys_left_behind():
    yield
    _clear_caches()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test starts on an empty database, so cached pages (and version
    # numbers) from the previous test must not survive it.
    _clear_caches()
    # Nor may reads counted in one test be written in the next (or at exit,
    # after the test database is gone).
    from khabar.readership import counter

    counter._buffer.clear()
    counter.start()
    yield
    counter._buffer.clear()


@pytest.fixture
def sample_article(db):
    (article,) = import_text_pages([SAMPLE], section_name="سياسة")
    return article
