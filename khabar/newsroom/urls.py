from django.urls import path

from . import views

app_name = "newsroom"
urlpatterns = [
    path("newsroom/", views.dashboard, name="dashboard"),
    path("newsroom/articles/<int:pk>/revisions/", views.revisions, name="revisions"),
    path("newsroom/articles/<int:pk>/revisions/<int:number>/restore/", views.restore, name="restore"),
    path("newsroom/articles/<int:pk>/<str:action>/", views.transition, name="transition"),
    path("preview/<str:token>/", views.preview, name="preview"),
]
