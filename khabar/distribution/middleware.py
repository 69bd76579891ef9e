"""Headers for every response under /api/v1/ (ASVS 14.4.2): a browser tricked
into opening an API URL downloads the data instead of rendering it. The docs
page and its assets are exempt: they are meant to be rendered."""

from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/v1/"
RENDERED = ("/api/v1/docs",)


class ApiHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX) and not request.path.startswith(RENDERED):
            kind = response.get("Content-Type", "")
            name = "api.xml" if "xml" in kind else "api.json"
            response.headers.setdefault("Content-Disposition", f'attachment; filename="{name}"')
            response["X-Content-Type-Options"] = "nosniff"
            # Keyed answers: clients may keep them but must ask again; no shared cache may.
            response.headers.setdefault("Cache-Control", "private, no-cache")
            patch_vary_headers(response, ["Authorization", "X-Api-Key"])
            if response.status_code == 405:
                # The site-wide method filter names the site's methods; this API reads only.
                response["Allow"] = "GET"
        return response
