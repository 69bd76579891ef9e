"""Who an anonymous reader is, as far as a server can tell: an address for
rate limits and a browser binding for the comment question."""

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac


def client_ip(request) -> str:
    """The reader's address. Behind N trusted proxies (TRUSTED_PROXY_COUNT)
    it is the Nth address from the right of X-Forwarded-For; a client can
    prepend anything it likes, so nothing further left is believed."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def reader_binding(request) -> str:
    """A keyed hash of this browser's CSRF secret (64 hex characters).

    Anonymous readers have no session, but every browser that shows the
    comment form holds a CSRF cookie; a question bound to it cannot be
    answered from another browser. Only the hash is stored, never the secret."""
    if "CSRF_COOKIE" not in request.META:
        # A first visit: make a secret (and send its cookie). A browser that
        # sent one keeps it; get_token() would also mask a token nobody uses.
        get_token(request)
    return salted_hmac(
        "khabar.security.reader-binding", request.META["CSRF_COOKIE"], algorithm="sha256"
    ).hexdigest()
