from importlib import import_module

from django.urls import path

app_name = "newsroom"


def _view(name: str):
    """The desk's view `name`, imported at its first request: the views
    bring in the admin (see admin_urls.py), which a worker serving only
    readers never needs."""

    def view(request, *args, **kwargs):
        return getattr(import_module("khabar.newsroom.views"), name)(request, *args, **kwargs)

    view.__name__ = view.__qualname__ = name
    return view


urlpatterns = [
    path("newsroom/", _view("dashboard"), name="dashboard"),
    path("newsroom/articles/<int:pk>/revisions/", _view("revisions"), name="revisions"),
    path("newsroom/articles/<int:pk>/revisions/<int:number>/restore/", _view("restore"), name="restore"),
    path("newsroom/articles/<int:pk>/<str:action>/", _view("transition"), name="transition"),
    path("preview/<str:token>/", _view("preview"), name="preview"),
]
