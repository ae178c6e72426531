"""Addresses of version 1, under /api/v1/ (config/urls.py), without a language prefix.

Public first, then staff (token), then the schema and docs. Apps that serve their own
endpoints (news, reports) add their line here. The last pattern answers every other address
with a JSON 404: keep it last.
"""

from django.urls import include, path, re_path

from infopoint.reports import api as reports_api

from .views import booking, docs, intake, public, staff

# Slugs as the models allow; ids small enough for every database.
SLUG = r"(?P<slug>[-a-zA-Z0-9_]{1,50})"
REFERENCE = r"(?P<reference>[-a-zA-Z0-9]{1,40})"
ID = r"(?P<pk>[0-9]{1,9})"

app_name = "api"
urlpatterns = [
    path("status", public.StatusView.as_view(), name="status"),
    path("topics", public.TopicListView.as_view(), name="topic-list"),
    re_path(rf"^topics/{SLUG}\Z", public.TopicDetailView.as_view(), name="topic-detail"),
    path("institutions", public.InstitutionListView.as_view(), name="institution-list"),
    re_path(
        rf"^institutions/{SLUG}\Z",
        public.InstitutionDetailView.as_view(),
        name="institution-detail",
    ),
    path("articles", public.ArticleListView.as_view(), name="article-list"),
    re_path(rf"^articles/{SLUG}\Z", public.ArticleDetailView.as_view(), name="article-detail"),
    path("search", public.SearchView.as_view(), name="search"),
    path("", include("infopoint.news.api")),
    path("enquiries", intake.EnquiryCreateView.as_view(), name="enquiry-create"),
    path("slots", booking.SlotListView.as_view(), name="slot-list"),
    path("bookings", booking.BookingCreateView.as_view(), name="booking-create"),
    path("staff/enquiries", staff.EnquiryListView.as_view(), name="staff-enquiry-list"),
    re_path(
        rf"^staff/enquiries/{REFERENCE}\Z",
        staff.EnquiryDetailView.as_view(),
        name="staff-enquiry",
    ),
    re_path(
        rf"^staff/enquiries/{REFERENCE}/reply\Z",
        staff.EnquiryReplyView.as_view(),
        name="staff-enquiry-reply",
    ),
    re_path(
        rf"^staff/enquiries/{REFERENCE}/assign\Z",
        staff.EnquiryAssignView.as_view(),
        name="staff-enquiry-assign",
    ),
    re_path(
        rf"^staff/enquiries/{REFERENCE}/status\Z",
        staff.EnquiryStatusView.as_view(),
        name="staff-enquiry-status",
    ),
    path("staff/appointments", staff.AppointmentListView.as_view(), name="staff-appointment-list"),
    re_path(
        rf"^staff/appointments/{ID}\Z",
        staff.AppointmentDetailView.as_view(),
        name="staff-appointment",
    ),
    re_path(
        rf"^staff/appointments/{ID}/outcome\Z",
        staff.AppointmentOutcomeView.as_view(),
        name="staff-appointment-outcome",
    ),
    re_path(
        rf"^staff/appointments/{ID}/cancel\Z",
        staff.AppointmentCancelView.as_view(),
        name="staff-appointment-cancel",
    ),
    path("staff/reports", reports_api.ReportView.as_view(), name="report"),
    path("schema", docs.SchemaView.as_view(), name="schema"),
    path("docs", docs.docs, name="docs"),
]

urlpatterns += [re_path(r"^(?P<path>[\s\S]*)\Z", docs.not_found, name="not-found")]
