from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_list, name="report-list"),
    path("reports/<slug:slug>.pdf", views.report_pdf, name="report-pdf"),
    path("reports/<slug:slug>/", views.report_detail, name="report-detail"),
    path("reports/<slug:slug>/handover/", views.handover_detail, name="handover-detail"),
    path("reports/<slug:slug>/handover.pdf", views.handover_pdf, name="handover-pdf"),
]
