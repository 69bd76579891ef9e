from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [path("news/<int:pk>/comment/", views.comment_form, name="form")]
