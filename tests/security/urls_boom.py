"""The site's URLconf plus one view that crashes (T-04)."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def boom(request):
    return 1 // 0


urlpatterns = [path("boom/", boom), *site_urlpatterns]
