from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_list, name="report-list"),
    path("reports/<slug:slug>.pdf", views.report_pdf, name="report-pdf"),
    path("reports/<slug:slug>/", views.report_detail, name="report-detail"),
]
