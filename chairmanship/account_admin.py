"""The secretariat's accounts: who signs in, in which role, and which agency a focal point speaks for."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from chairmanship.models import FocalPoint


@admin.register(FocalPoint)
class FocalPointAdmin(SimpleHistoryAdmin):
    list_display = ["user", "agency"]
    list_filter = ["agency"]
    list_select_related = ["user", "agency"]

    def get_queryset(self, request):
        # The change page's title names the user and the agency (__str__): joined, not read again.
        return super().get_queryset(request).select_related("user", "agency")

    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name", "agency__acronym"]
    autocomplete_fields = ["user", "agency"]
