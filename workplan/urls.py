app_name = "workplan"

urlpatterns: list = []
