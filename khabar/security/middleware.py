import hashlib

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.urls import NoReverseMatch, reverse

from khabar.news.reversing import per_settings, per_urlconf

from .logins import login_failed, login_refused, login_succeeded, login_wait
from .ratelimit import too_many_requests
from .readers import client_ip


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response
    (Django's SecurityMiddleware sets the others). CSP_ENABLED=False turns
    the policy off so tests can show that escaping holds on its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CSP_ENABLED:
            policy = settings.CSP
            if settings.CSP_ADMIN and request.path.startswith(settings.CSP_ADMIN_PREFIX):
                policy = settings.CSP_ADMIN
            response.headers.setdefault("Content-Security-Policy", policy)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def edge_headers() -> dict[str, str]:
    """The security headers every public page carries, as this app sends them."""
    headers = {
        "Content-Security-Policy": settings.CSP if settings.CSP_ENABLED else "",
        "Permissions-Policy": settings.PERMISSIONS_POLICY,
        "X-Content-Type-Options": "nosniff" if settings.SECURE_CONTENT_TYPE_NOSNIFF else "",
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY or "",
        "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY or "",
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
    }
    return {name: value for name, value in headers.items() if value}


def edge_digest(headers: dict[str, str]) -> str:
    """What nginx sends in X-Khabar-Edge-Headers for the set it adds itself."""
    text = "".join(f"{name.lower()}: {value}\n" for name, value in sorted(headers.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@per_settings
def _edge_set() -> tuple[dict[str, str], str]:
    # Asked on every response nginx proxies from a public location; the
    # values are settings, so they are worked out once (again after a test
    # overrides a setting).
    headers = edge_headers()
    return headers, edge_digest(headers)


class EdgeHeadersMiddleware:
    """Leaves the site-wide security headers to nginx where nginx adds them.

    deploy/nginx/khabar.conf adds the six headers of edge_headers() to every
    public response itself and says so in X-Khabar-Edge-Headers, with the
    digest of the exact set it adds. The app then drops each of its own that
    has that same value, so a page is stored in nginx's cache without them:
    nginx parses a stored page's headers on every cache hit, and these were
    400 of its 760 bytes (7,100 of 58,700 instructions a hit, valgrind).
    A value of the app's own (a view's stricter policy) is kept; if the
    digest differs (the app's settings changed, nginx's copy did not), the
    app keeps all of its headers. Outermost, after Django's own have been set."""

    HEADER = "HTTP_X_KHABAR_EDGE_HEADERS"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in edge_added(request).items():
            if response.headers.get(name) == value:
                del response.headers[name]
        return response


def edge_added(request) -> dict[str, str]:
    """The headers nginx adds in front of this request itself (it says so
    with their digest, EdgeHeadersMiddleware), or none."""
    told = request.META.get(EdgeHeadersMiddleware.HEADER)
    if told:
        headers, digest = _edge_set()
        if told == digest:
            return headers
    return {}


class AllowedMethodsMiddleware:
    """405 for every method the site does not use (PUT, DELETE, TRACE,
    PROPFIND...), before any view runs: Django's function views would
    otherwise answer them like a GET (ASVS 14.5.1). ALLOWED_METHODS_ONLY
    narrows the list under a path prefix (the read-only API: its schema and
    docs views would answer a POST like a GET); ALLOWED_METHODS_EXTRA adds
    methods under a prefix (e.g. OPTIONS for the API's CORS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        allowed = set(settings.ALLOWED_METHODS)
        for prefix, only in settings.ALLOWED_METHODS_ONLY.items():
            if request.path.startswith(prefix):
                allowed &= set(only)
        for prefix, extra in settings.ALLOWED_METHODS_EXTRA.items():
            if request.path.startswith(prefix):
                allowed.update(extra)
        if request.method not in allowed:
            return HttpResponseNotAllowed(sorted(allowed))
        return self.get_response(request)


@per_urlconf(maxsize=8)
def _login_paths() -> frozenset[str]:
    # Remembered: asked on every POST, and a name that does not reverse
    # raises each time it is tried (a measurable share of a comment POST).
    paths = set()
    for name in settings.LOGIN_THROTTLE_URLS:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:  # a login another app has not built yet
            continue
    return frozenset(paths)


class LoginThrottleMiddleware:
    """Around every login form named in LOGIN_THROTTLE_URLS: refuse with 429
    while the account or the address is locked (even a right password), and
    count each failed POST. Works for any view built on Django's login(),
    which is how success is told from failure."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or request.path not in _login_paths():
            return self.get_response(request)
        username, ip = request.POST.get("username", ""), client_ip(request)
        wait = login_wait(username=username, ip=ip)
        if wait:
            login_refused(username=username, ip=ip, wait=wait)
            return too_many_requests(request, wait)
        was_authenticated = request.user.is_authenticated
        response = self.get_response(request)
        if request.user.is_authenticated and not was_authenticated:
            login_succeeded(username=username, ip=ip)
        elif response.status_code == 200:  # the form came back with an error
            login_failed(username=username, ip=ip)
        return response
