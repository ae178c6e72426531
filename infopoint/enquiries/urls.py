from django.urls import include, path

from . import views

app_name = "enquiries"
urlpatterns = [
    path("new/", views.enquiry_new, name="new"),
    path("new/suggestions/", views.enquiry_suggestions, name="suggestions"),
    path("new/suggestions/<slug:slug>/", views.suggestion_open, name="suggestion"),
    path("t/<str:token>/", views.enquiry_track, name="track"),
    path("staff/", include("infopoint.enquiries.staff.urls")),
]
