from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

admin.site.site_header = f"{settings.SITE_NAME}: غرفة الأخبار"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "إدارة الموقع"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("khabar.newsroom.urls")),
    path("", include("khabar.distribution.urls")),
    path("", include("khabar.pagecache.urls")),
    path("", include("khabar.security.urls")),
    path("", include("khabar.intelligence.urls")),
]
# The public site in both editions: Arabic at the URLs it always had, English
# under /en/ (khabar.news.middleware picks the language from the path alone).
# The admin, the newsroom desk and the API stay language-neutral (Arabic).
urlpatterns += i18n_patterns(
    path("", include("khabar.search.urls")),
    path("", include("khabar.comments.urls")),
    path("", include("khabar.news.urls")),
    prefix_default_language=False,
)

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
