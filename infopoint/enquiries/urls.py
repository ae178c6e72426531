from django.urls import include, path

from . import views

app_name = "enquiries"
urlpatterns = [
    path("new/", views.enquiry_new, name="new"),
    path("t/<str:token>/", views.enquiry_track, name="track"),
    path("staff/", include("infopoint.enquiries.staff.urls")),
]
