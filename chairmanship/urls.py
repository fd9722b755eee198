from django.urls import path

from chairmanship import views

app_name = "chairmanship"

urlpatterns = [
    path("carry-forward/", views.carry_forward, name="carry-forward"),
    path("recommendations/", views.recommendation_list, name="recommendation-list"),
]
