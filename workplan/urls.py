from django.urls import path

from workplan import views

app_name = "workplan"

urlpatterns = [
    path("workplan/", views.workplan_current, name="workplan-current"),
    path("workplan/<slug:slug>/", views.workplan_detail, name="workplan-detail"),
    path("events/", views.event_list, name="event-list"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events.ics", views.event_ics, name="event-ics"),
    path("events.csv", views.event_csv, name="event-csv"),
    path("outputs/", views.output_list, name="output-list"),
    path("outputs/<int:pk>/", views.output_detail, name="output-detail"),
    path("working-groups/", views.working_group_list, name="working-group-list"),
    path("working-groups/<slug:slug>/", views.working_group_detail, name="working-group-detail"),
]
