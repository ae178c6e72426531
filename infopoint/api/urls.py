from django.urls import path

from .views import booking, docs, intake

app_name = "api"
urlpatterns = [
    path("enquiries", intake.EnquiryCreateView.as_view(), name="enquiry-create"),
    path("slots", booking.SlotListView.as_view(), name="slot-list"),
    path("bookings", booking.BookingCreateView.as_view(), name="booking-create"),
    path("schema", docs.SchemaView.as_view(), name="schema"),
    path("docs", docs.docs, name="docs"),
]
