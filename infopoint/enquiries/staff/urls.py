from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("log/", views.log_contact, name="log_contact"),
    path("suggestions/", views.deflection, name="deflection"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status_change, name="status"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/note/", views.note_add, name="note"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/phone-answer/", views.phone_answer, name="phone_answer"),
    path("<int:pk>/refer/", views.refer, name="refer"),
    path("<int:pk>/triage/", views.triage_review, name="triage"),
    path("<int:pk>/triage/run/", views.triage_run, name="triage_run"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/link/", views.link_renew, name="link"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
]
