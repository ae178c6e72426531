from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("summary/", views.summary, name="summary"),
    path("export/<slug:slug>.csv", views.export, {"extension": "csv"}, name="export_csv"),
    path("export/<slug:slug>.xlsx", views.export, {"extension": "xlsx"}, name="export_xlsx"),
]
