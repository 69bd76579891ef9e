from django.urls import LocalePrefixPattern, URLResolver, path, re_path
from django.urls.resolvers import RoutePattern
from django.views.decorators.http import require_safe

from . import views
from .feeds import FEEDS, atom
from .freshness import conditional

app_name = "distribution"


class LazyURLResolver(URLResolver):
    """A namespaced URLconf imported at first use: a request under its prefix
    or a reverse() of one of its names. Django fills every resolver's tables
    at the first reverse() of any URL, which would import the API (django-ninja
    and pydantic, about 16 MiB per web process) for an article page."""

    def _loaded(self) -> bool:
        return "urlconf_module" in self.__dict__

    def _populate(self):
        if self._loaded():
            super()._populate()

    @property
    def reverse_dict(self):
        self.url_patterns  # noqa: B018 (imports the URLconf)
        return super().reverse_dict

    @property
    def namespace_dict(self):
        self.url_patterns  # noqa: B018
        return super().namespace_dict

    @property
    def app_dict(self):
        self.url_patterns  # noqa: B018
        return super().app_dict


def _feed_view(feed_class):
    return require_safe(conditional(feed_class()))


_SCOPES = {"site": "feeds/", "section": "feeds/section/<str:slug>/", "tag": "feeds/tag/<str:slug>/"}

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-<str:section>.xml", views.sitemap, name="sitemap"),
    path("api/v1/", views.api_index, name="api-index"),
    # The subscribers' API, imported at first use (see LazyURLResolver).
    LazyURLResolver(
        RoutePattern("api/v1/"), "khabar.distribution.api_urls", app_name="ninja", namespace="api"
    ),
    # Anything else under the API answers 404 as JSON, not with the HTML page.
    # [\s\S]: a decoded %0A in the path must not slip past to the HTML 404.
    re_path(r"^api/v1/(?P<rest>[\s\S]*)$", views.api_not_found),
]
_feeds = []
for scope, prefix in _SCOPES.items():
    # URL names contain "feed": khabar.pagecache caches the views named distribution:*feed*.
    _feeds += [
        path(f"{prefix}rss/", _feed_view(FEEDS[scope]), name=f"feed-{scope}-rss"),
        path(f"{prefix}atom/", _feed_view(atom(FEEDS[scope])), name=f"feed-{scope}-atom"),
        path(f"{prefix}json/", views.json_feed, {"scope": scope}, name=f"feed-{scope}-json"),
    ]
# Each edition has its feeds: /feeds/... (Arabic stories, as before) and
# /en/feeds/... (English ones). What i18n_patterns() builds, written out
# because Django allows i18n_patterns() only in the root URLconf, and the
# API, sitemaps and robots.txt (language-neutral) share this namespace; the
# empty route around it keeps include()'s root-only check from refusing it.
_editions = URLResolver(LocalePrefixPattern(prefix_default_language=False), _feeds)
urlpatterns.append(URLResolver(RoutePattern(""), [_editions]))
