"""Primary and read replicas (DATABASE_REPLICA_URLS).

Public reads go to a replica. Writes go to the primary, and so do all reads
of a browser that wrote in the last PIN_TO_PRIMARY_SECONDS (a short cookie set
after any POST) so an editor sees their own change, not a lagging replica.
Pages rendered for the page cache just after a change are read from the
primary as well, so a lagging replica's old text is never stored under the
new content generation."""

import random
import time
from contextvars import ContextVar

from django.conf import settings

from . import versions

PIN_COOKIE = "khabar_primary"
_pinned: ContextVar[bool] = ContextVar("khabar_pinned_to_primary", default=False)


def replicas() -> list[str]:
    # The aliases config/settings.py makes from DATABASE_REPLICA_URLS.
    return [f"replica{n}" for n in range(len(settings.DATABASE_REPLICA_URLS))]


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if _pinned.get() or not replicas():
            return "default"
        return random.choice(replicas())

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


def pin_to_primary(pinned: bool = True):
    """Context for reads that must see the latest commit; returns a reset token."""
    return _pinned.set(pinned)


class PinToPrimaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wrote = request.method not in ("GET", "HEAD", "OPTIONS")
        token = _pinned.set(wrote or PIN_COOKIE in request.COOKIES or recently_changed())
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.PIN_TO_PRIMARY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def recently_changed() -> bool:
    # One more cache read per request, made only when replicas are configured.
    changed = versions.cache().get(versions.CHANGED_AT) or 0.0
    return time.time() - changed < settings.PIN_TO_PRIMARY_SECONDS
