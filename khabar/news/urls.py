from django.urls import path

from . import views

app_name = "news"
urlpatterns = [
    path("", views.front, name="front"),
    # <str:> not <slug:>: the slug converter is ASCII-only and ours keep Arabic.
    path("news/<int:pk>/<str:slug>/", views.article, name="article"),
    path(
        "news/<int:pk>/<str:slug>/print/",
        views.article,
        {"template": "news/article_print.html"},
        name="article-print",
    ),
    path("section/<str:slug>/", views.section, name="section"),
    path("tag/<str:slug>/", views.tag, name="tag"),
]
