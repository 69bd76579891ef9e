"""The subscribers' API as a URLconf of its own, so khabar/distribution/urls.py
can mount it lazily: django-ninja and pydantic (about 16 MiB per process) are
imported by the first request under /api/v1/, not by every web worker."""

from .api import api

urlpatterns, app_name, _namespace = api.urls
