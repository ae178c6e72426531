from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("topics/", views.topic_list_view, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("contact/", views.contact, name="contact"),
    path("directory/", views.institution_list, name="institution_list"),
    path("directory/<slug:slug>/", views.institution_detail, name="institution_detail"),
    path("info/<slug:slug>/", views.page, name="page"),
]
