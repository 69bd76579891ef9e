"""Logins (T-20, T-21, T-23..T-26, T-31, T-32) through the admin login form,
the one login the site has (the newsroom uses it too). Throttling across
worker processes (T-22) is in test_throttle_processes.py."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model, hashers
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from . import surfaces
from .conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db, settings):
    # The throttle does not depend on the hash; a fast one keeps 100 tries quick.
    settings.PASSWORD_HASHERS = FAST_HASHER
    return get_user_model().objects.create_user("editor", "e@example.com", STAFF_PASSWORD, is_staff=True)


def attempt(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra)


def test_sixth_attempt_on_one_account_is_refused_even_with_the_right_password(client, editor):
    """T-20: 5 failures in 15 minutes lock the account (429, Retry-After), for
    the right password too; the lock ends with the window."""
    statuses = [attempt(client, "editor", f"wrong-{n}").status_code for n in range(5)]
    assert statuses == [200] * 5
    locked = attempt(client, "editor", STAFF_PASSWORD)
    assert locked.status_code == 429 and 0 < int(locked["Retry-After"]) <= 900
    assert "_auth_user_id" not in client.session
    # From another address too: the account itself is locked.
    assert attempt(Client(REMOTE_ADDR="10.1.1.1"), "EDITOR ", STAFF_PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(seconds=901)):
        assert attempt(client, "editor", STAFF_PASSWORD).status_code == 302


def test_one_account_gets_at_most_25_guesses_an_hour_from_many_addresses(editor):
    """T-20 ceiling (ASVS 2.2.1: at most 100 failures per hour per account):
    a distributed attacker guessing every 30 seconds for an hour. Windows are
    fixed 15-minute slots, so an hour touches at most 5 of them: 5 x 5 = 25."""
    tried = 0
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(120):
            response = attempt(Client(REMOTE_ADDR=f"10.2.0.{n}"), "editor", f"guess-{n}")
            tried += response.status_code == 200
            clock.shift(30)
    assert 20 <= tried <= 25


def test_one_address_guessing_many_accounts_is_stopped_after_20(editor):
    """T-21: credential stuffing, 50 usernames x 2 passwords from one IP."""
    client = Client()
    statuses = [attempt(client, f"user{n}", f"pw-{k}").status_code for n in range(50) for k in range(2)]
    assert statuses[:20] == [200] * 20
    assert set(statuses[20:]) == {429}


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_unknown_user_and_wrong_password_get_the_same_answer(editor):
    """T-23: same status and body (but for the CSRF token)."""
    unknown = attempt(Client(), "nobody-here", "whatever-password")
    wrong = attempt(Client(), "editor", "whatever-password")
    assert unknown.status_code == wrong.status_code == 200
    assert _without_csrf(unknown.content.decode()).replace("nobody-here", "X") == _without_csrf(
        wrong.content.decode()
    ).replace("editor", "X")


def test_unknown_user_and_wrong_password_do_the_same_hashing_work(db, monkeypatch):
    """T-23 without a clock: with the real (default) hasher, an unknown name
    and a wrong password each run PBKDF2 exactly once with the same iteration
    count, the only costly step, so neither answers faster.
    benchmarks/security.py times both side by side."""
    assert type(get_hasher()) is PBKDF2PasswordHasher
    get_user_model().objects.create_user("editor", "e@example.com", STAFF_PASSWORD, is_staff=True)
    work, original = [], hashers.pbkdf2

    def counting(password, salt, iterations, *args, **kwargs):
        work.append(iterations)
        return original(password, salt, iterations, *args, **kwargs)

    monkeypatch.setattr(hashers, "pbkdf2", counting)
    done = {}
    for kind, username in (("unknown", "nobody"), ("wrong", "editor")):
        cache.clear()
        work.clear()
        assert attempt(Client(), username, "not-the-password").status_code == 200
        done[kind] = list(work)
    assert done["unknown"] == done["wrong"] == [PBKDF2PasswordHasher.iterations], done


@pytest.mark.parametrize(
    "password, ok",
    [
        ("short-pass1", False),  # 11 characters
        ("q1w2e3r4t5y6", False),  # 12, but on the common-password list
        ("123456789012", False),  # 12, all digits
        ("ظلال-النخيل-22", True),  # 14, Arabic
        ("river-lamp-quiet", True),
    ],
)
def test_password_policy_is_12_characters_and_not_common(password, ok):
    """T-24."""
    try:
        validate_password(password)
    except ValidationError:
        assert not ok
    else:
        assert ok


def test_session_is_new_at_login_and_dead_after_logout(editor):
    """T-25: login cycles the session key; the old cookie is worthless after logout."""
    client = Client()
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    assert attempt(client, "editor", STAFF_PASSWORD).status_code == 302
    session_cookie = client.cookies["sessionid"].value
    assert session_cookie != before
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")
    stale = Client()
    stale.cookies["sessionid"] = session_cookie
    response = stale.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_cookies_carry_secure_httponly_samesite_and_host_prefix(editor, settings):
    """T-25 on the wire, with the production cookie settings."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-sessionid", "__Host-csrftoken"
    client = Client()
    client.get(LOGIN, secure=True)
    response = attempt(client, "editor", STAFF_PASSWORD, secure=True)
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["path"] == "/" and not session["domain"]
    csrf = client.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]


def _row_counts() -> dict:
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.managed}


def test_every_post_form_refuses_a_missing_or_foreign_csrf_token(world, staff_client, client):
    """T-26: every POST form of every page (public and newsroom/admin, found
    by walking the URLconf and the admin's registered models) answers 403
    without a token, with another session's token, and nothing changes."""
    from django.contrib import admin
    from django.urls import reverse

    pages = {s.url for s in surfaces.discover(staff_client, world.pool)[0] if s.status == 200}
    pages.add("/admin/")
    for model in admin.site._registry:
        opts = model._meta
        pages.add(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        pages.add(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    forms = []
    for url in sorted(pages):
        response = staff_client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            forms += surfaces.forms_on(response.content.decode(), "http://testserver" + url)
    assert len(forms) >= 5
    foreign = Client()
    foreign.get(world.article.get_comment_url())
    foreign_token = foreign.cookies["csrftoken"].value
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.admin)
    strict.get(world.article.get_comment_url())
    own_token = strict.cookies["csrftoken"].value
    before = _row_counts()
    refused = 0
    for form in forms:
        action = form.action.replace("http://testserver", "")
        data = {k: v for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
        for extra in ({}, {"csrfmiddlewaretoken": foreign_token}):
            status = strict.post(action, {**data, **extra}).status_code
            assert status == 403, (action, extra, status)
            refused += 1
        # A foreign Origin with this session's own valid token is refused too.
        status = strict.post(
            action, {**data, "csrfmiddlewaretoken": own_token}, HTTP_ORIGIN="https://evil.example"
        ).status_code
        assert status == 403, (action, "origin", status)
    assert _row_counts() == before


def test_failed_logins_are_logged_with_user_and_ip_but_no_secret(editor, caplog):
    """T-31: one record per failure with user and IP; no password, no session id;
    a username with CR/LF cannot forge a second log line."""
    client = Client(REMOTE_ADDR="10.3.3.3")
    for n in range(3):
        attempt(client, "editor", f"Secret-Guess-{n}")
    attempt(client, "x\r\nlogin succeeded: user='admin'", "Secret-Guess-9")
    assert attempt(Client(REMOTE_ADDR="10.3.3.4"), "editor", STAFF_PASSWORD).status_code == 302
    lines = [r.getMessage() for r in caplog.records if r.name == "khabar.security"]
    failures = [line for line in lines if line.startswith("login failed")]
    assert len(failures) == 4
    assert all("ip=10.3.3.3" in line for line in failures)
    assert "user='editor'" in failures[0]
    assert sum(line.startswith("login succeeded") for line in lines) == 1
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Secret-Guess" not in text and STAFF_PASSWORD not in text
    assert all("\n" not in line and "\r" not in line for line in lines)


def test_throttled_attempts_are_logged(editor, caplog):
    client = Client()
    for n in range(6):
        attempt(client, "editor", f"bad-{n}")
    assert any(r.getMessage().startswith("login throttled: user='editor'") for r in caplog.records)


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "https:evil.example", "\\\\evil.example"],
)
def test_login_never_redirects_off_site(editor, target):
    """T-32."""
    response = Client().post(LOGIN, {"username": "editor", "password": STAFF_PASSWORD, "next": target})
    assert response.status_code == 302
    assert not re.match(r"^(https?:)?[/\\]{2}|^https?:", response["Location"]), response["Location"]
    assert "evil.example" not in response["Location"]


def test_no_page_redirects_to_a_next_parameter_off_site(world, staff_client, client):
    """T-32 over every URL: ?next= pointing away never becomes a Location."""
    for who in (client, staff_client):
        for surface in surfaces.discover(who, world.pool)[0]:
            for target in ("https://evil.example/", "//evil.example"):
                location = urlsplit(who.get(surface.url, {"next": target}).get("Location", ""))
                assert location.netloc in {"", "testserver"}, (surface, location)
                assert not location.path.startswith(("//", "/\\")), (surface, location)
