"""API key writes and the one read that needs care (authentication)."""

import hashlib
import hmac
import logging
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiKey

logger = logging.getLogger("khabar.distribution")
KEY_PREFIX = "khb_"


class ApiKeyError(ValueError):
    pass


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def apikey_create(*, name: str) -> tuple[ApiKey, str]:
    """Returns the key and its secret; the secret is not stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ApiKeyError("اسم المشترك مطلوب.")
    if ApiKey.objects.active().filter(name=name).exists():
        raise ApiKeyError(f"للمشترك «{name}» مفتاح سارٍ؛ ألغِه أولاً.")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(name=name, key_hash=hash_key(secret))
    logger.info("api key created for %s", name)
    return api_key, secret


@transaction.atomic
def apikey_revoke(*, name: str) -> ApiKey:
    api_key = ApiKey.objects.active().select_for_update().filter(name=name).first()
    if api_key is None:
        raise ApiKeyError(f"لا يوجد مفتاح سارٍ باسم «{name}».")
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at"])
    logger.info("api key revoked for %s", name)
    return api_key


def apikey_authenticate(secret: str | None) -> ApiKey | None:
    if not secret or len(secret) > 200:
        return None
    digest = hash_key(secret)
    api_key = ApiKey.objects.active().filter(key_hash=digest).first()
    # The lookup is by a hash an attacker cannot steer, so its timing reveals
    # nothing; the constant-time comparison keeps it that way if it changes.
    if api_key is not None and hmac.compare_digest(api_key.key_hash, digest):
        return api_key
    return None
