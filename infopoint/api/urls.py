from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("enquiries", views.EnquiryCreateView.as_view(), name="enquiry-create"),
    path("slots", views.SlotListView.as_view(), name="slot-list"),
    path("bookings", views.BookingCreateView.as_view(), name="booking-create"),
    path("schema", views.SchemaView.as_view(), name="schema"),
    path("docs", views.docs, name="docs"),
]
