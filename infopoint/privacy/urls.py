from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/export/", views.request_export, name="request_export"),
    path("requests/<int:pk>/erase/", views.request_erase, name="request_erase"),
    path("requests/<int:pk>/identity/", views.request_identity, name="request_identity"),
    path("requests/<int:pk>/refuse/", views.request_refuse, name="request_refuse"),
]
