from django.urls import path

from . import views
from .feeds import NewsFeed

app_name = "news"
urlpatterns = [
    path("", views.news_index, name="index"),
    path("feed/", NewsFeed(), name="feed"),
    path("<int:year>/", views.news_year, name="year"),
    path("<int:year>/<int:month>/", views.news_month, name="month"),
    path("<slug:slug>/", views.news_item, name="item"),
    path("<slug:slug>/picture/<str:name>", views.news_picture, name="picture"),
]
