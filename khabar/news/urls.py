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
    path("author/<str:slug>/", views.author, name="author"),
    path("agency/<str:slug>/", views.agency, name="agency"),
    path("archive/<int:year>/", views.archive, name="archive-year"),
    path("archive/<int:year>/<int:month>/", views.archive, name="archive-month"),
    path("archive/<int:year>/<int:month>/<int:day>/", views.archive, name="archive-day"),
]
