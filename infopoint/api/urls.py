from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("enquiries", views.EnquiryCreateView.as_view(), name="enquiry-create"),
    path("schema", views.SchemaView.as_view(), name="schema"),
    path("docs", views.docs, name="docs"),
]
