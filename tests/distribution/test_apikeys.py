"""API keys: created and revoked from the command line and the admin,
shown once, stored as a SHA-256 only."""

import hashlib
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from khabar.distribution.models import ApiKey

pytestmark = pytest.mark.django_db
KEY = re.compile(r"khb_[A-Za-z0-9_-]{43}")


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()


def khabar(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("apikey", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def status(client, key) -> int:
    return client.get("/api/v1/articles", HTTP_AUTHORIZATION=f"Bearer {key}").status_code


def test_create_prints_only_the_key_and_stores_only_its_hash(client):
    out, err = khabar("create", "صحيفة الغد")
    key = out.strip()
    assert KEY.fullmatch(key) and "صحيفة الغد" in err
    stored = ApiKey.objects.get(name="صحيفة الغد")
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(list(ApiKey.objects.values_list()))
    assert status(client, key) == 200


def test_two_keys_are_never_alike():
    assert khabar("create", "أ")[0] != khabar("create", "ب")[0]


def test_revoke_stops_the_key_and_the_name_can_be_issued_again(client):
    old = khabar("create", "صحيفة الغد")[0].strip()
    with pytest.raises(CommandError):
        khabar("create", "صحيفة الغد")
    khabar("revoke", "صحيفة الغد")
    assert status(client, old) == 401
    new = khabar("create", "صحيفة الغد")[0].strip()
    assert status(client, new) == 200 and status(client, old) == 401
    with pytest.raises(CommandError):
        khabar("revoke", "لا أحد")


def test_admin_creates_a_key_shows_it_once_and_revokes_it(admin_client, client):
    response = admin_client.post("/admin/distribution/apikey/add/", {"name": "وكالة شريكة"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    (key,) = KEY.findall(response.content.decode())
    assert status(client, key) == 200
    stored = ApiKey.objects.get(name="وكالة شريكة")
    change_page = admin_client.get(f"/admin/distribution/apikey/{stored.pk}/change/").content.decode()
    assert key not in change_page and stored.key_hash not in KEY.findall(change_page)
    admin_client.post(
        "/admin/distribution/apikey/", {"action": "revoke", "_selected_action": [stored.pk]}, follow=True
    )
    assert status(client, key) == 401


def test_admin_refuses_a_second_live_key_for_one_name(admin_client):
    khabar("create", "وكالة شريكة")
    response = admin_client.post("/admin/distribution/apikey/add/", {"name": "وكالة شريكة"})
    assert response.status_code == 200 and ApiKey.objects.filter(name="وكالة شريكة").count() == 1
    assert not KEY.findall(response.content.decode())
