from django.urls import path

from pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("my-agency/", views.my_agency, name="my-agency"),
    path("my-agency/<slug:name>.csv", views.my_agency_csv, name="my-agency-csv"),
]
