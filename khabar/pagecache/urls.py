from django.urls import path

from . import views

app_name = "pagecache"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
