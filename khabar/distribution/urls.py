from django.urls import LocalePrefixPattern, URLResolver, path, re_path
from django.urls.resolvers import RoutePattern
from django.views.decorators.http import require_safe

from . import views
from .api import api
from .feeds import FEEDS, atom
from .freshness import conditional

app_name = "distribution"


def _feed_view(feed_class):
    return require_safe(conditional(feed_class()))


_SCOPES = {"site": "feeds/", "section": "feeds/section/<str:slug>/", "tag": "feeds/tag/<str:slug>/"}

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-<str:section>.xml", views.sitemap, name="sitemap"),
    path("api/v1/", views.api_index, name="api-index"),
    path("api/v1/", api.urls),
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
