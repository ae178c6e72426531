from django.urls import path

from . import staff_views, views

app_name = "appointments"
urlpatterns = [
    path("", views.start, name="start"),
    path("book/", views.choose, name="choose"),
    path("book/details/", views.details, name="details"),
    path("waiting-list/", views.waiting_list, name="waiting_list"),
    path("cancelled/", views.cancelled, name="cancelled"),
    path("b/<str:token>/", views.booking, name="booking"),
    path("b/<str:token>/invite.ics", views.booking_calendar, name="calendar"),
    path("b/<str:token>/cancel/", views.cancel, name="cancel"),
    path("b/<str:token>/move/", views.move, name="move"),
    path("staff/", staff_views.agenda, name="agenda"),
    path("staff/book/", staff_views.book_for_caller, name="staff_book"),
    path("staff/bookings/<int:pk>/", staff_views.booking_detail, name="staff_booking"),
]
