import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

log = logging.getLogger("khabar.pagecache")


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        log.exception("healthz: database check failed")
        return False


def _cache() -> bool:
    probe = secrets.token_hex(8)
    try:
        cache.set("healthz", probe, timeout=10)
        return cache.get("healthz") == probe
    except Exception:  # any backend error means "not healthy", never a 500
        log.exception("healthz: cache check failed")
        return False


@never_cache
def healthz(request):
    """For load balancers: 200 when the database and the cache answer, 503 if not."""
    checks = {"database": _database(), "cache": _cache()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "fail", **{k: "ok" if v else "fail" for k, v in checks.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
