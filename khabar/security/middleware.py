from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.urls import NoReverseMatch, reverse

from khabar.news.reversing import per_urlconf

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
