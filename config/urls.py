from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.urls.resolvers import RoutePattern
from django.views.static import serve

from khabar.distribution.urls import LazyURLResolver

# The public site in both editions: Arabic at the URLs it always had, English
# under /en/ (khabar.news.middleware picks the language from the path alone).
# The admin, the newsroom desk and the API stay language-neutral (Arabic).
# First: Django tries patterns in order, and reaching a story past the 30
# patterns of the desk, API and feeds cost more than its page's own lookup.
# None of them is a catch-all, so nothing below is shadowed.
urlpatterns = i18n_patterns(
    path("", include("khabar.search.urls")),
    # Before the stories: /news/<id>/comment/ would read as a story's slug.
    path("", include("khabar.comments.urls")),
    path("", include("khabar.news.urls")),
    prefix_default_language=False,
)
urlpatterns += [
    # Imported at first use (khabar/newsroom/admin_urls.py).
    LazyURLResolver(
        RoutePattern("admin/"), "khabar.newsroom.admin_urls", app_name="admin", namespace="admin"
    ),
    path("", include("khabar.newsroom.urls")),
    path("", include("khabar.distribution.urls")),
    path("", include("khabar.pagecache.urls")),
    path("", include("khabar.security.urls")),
    path("", include("khabar.intelligence.urls")),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
