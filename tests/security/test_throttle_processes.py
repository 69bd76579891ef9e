"""T-22: login throttling holds across worker processes, because its counters
live in Redis (a private redis-server here). Two separate gunicorn servers
on one database and one Redis: five failures on the first lock the account
on the second; and a 2-worker server locks after the same five."""

import re

import pytest
import requests
from django.contrib.auth import get_user_model

from . import live
from .conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def login(base: str, username: str, password: str) -> int:
    http = requests.Session()
    token = CSRF.search(http.get(base + "/admin/login/", timeout=30).text).group(1)
    data = {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
    return http.post(base + "/admin/login/", data=data, allow_redirects=False, timeout=30).status_code


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("editor", "e@example.com", STAFF_PASSWORD, is_staff=True)


def test_five_failures_on_one_process_lock_the_account_on_another(tmp_path, editor):
    with live.redis_server(tmp_path) as (_, url):
        env = {"REDIS_URL": url}
        with (
            live.gunicorn(tmp_path, workers=1, env=env) as a,
            live.gunicorn(tmp_path, workers=1, env=env) as b,
        ):
            assert [login(a.url, "editor", f"wrong-{n}") for n in range(5)] == [200] * 5
            assert login(b.url, "editor", STAFF_PASSWORD) == 429
            assert login(a.url, "editor", STAFF_PASSWORD) == 429
            assert login(b.url, "someone-else", "whatever") == 200  # other accounts are not locked


def test_two_workers_lock_after_the_same_five_failures(tmp_path, editor):
    with (
        live.redis_server(tmp_path) as (_, url),
        live.gunicorn(tmp_path, workers=2, env={"REDIS_URL": url}) as s,
    ):
        statuses = [login(s.url, "editor", f"wrong-{n}") for n in range(12)]
        assert statuses == [200] * 5 + [429] * 7
        assert login(s.url, "editor", STAFF_PASSWORD) == 429
