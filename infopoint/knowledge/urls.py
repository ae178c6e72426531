from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.search_view, name="index"),
    path("search/", views.search_view, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("<slug:slug>/", views.article_detail, name="article"),
    path("<slug:slug>/feedback/", views.article_feedback, name="feedback"),
]
