"""The admin of agencies and what a chair hands on; a term's own page (with its report) is in reports/admin.py."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from chairmanship.models import Accomplishment
from chairmanship.models import Agency
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Endorsement
from chairmanship.models import Recommendation
from chairmanship.resources import CarryForwardIssueResource
from gmg_portal.admin import RecordAdmin
from gmg_portal.admin import ShortTextMixin
from gmg_portal.admin import term_column
from gmg_portal.spreadsheet_admin import SpreadsheetAdminMixin


@admin.register(Agency)
class AgencyAdmin(RecordAdmin):
    list_display = ["acronym", "name", "kind", "membership_status"]
    list_filter = ["kind", "membership_status"]
    search_fields = ["acronym", "name"]


@admin.register(Accomplishment)
class AccomplishmentAdmin(RecordAdmin):
    list_display = ["number", "title", term_column("chairmanship", _("chairmanship")), "list_linked_records"]
    list_display_links = ["number", "title"]
    list_filter = ["chairmanship"]
    list_select_related = ["chairmanship__agency"]
    search_fields = ["title", "narrative"]
    autocomplete_fields = ["chairmanship", "events", "outputs", "working_groups"]
    markdown_fields = ("narrative",)


@admin.register(Recommendation)
class RecommendationAdmin(ShortTextMixin, RecordAdmin):
    list_display = ["number", "short_text", term_column("chairmanship", _("chairmanship")), "source_output", "status"]
    list_display_links = ["number", "short_text"]
    list_filter = ["status", "chairmanship"]
    list_select_related = ["chairmanship__agency", "source_output"]
    search_fields = ["text"]
    autocomplete_fields = ["chairmanship", "source_output"]


@admin.register(Endorsement)
class EndorsementAdmin(RecordAdmin):
    list_display = ["body", "session", "outcome", "start_date", "output"]
    list_filter = ["outcome", "body"]
    list_select_related = ["output"]
    search_fields = ["body", "session", "output__title"]
    autocomplete_fields = ["output"]
    date_hierarchy = "start_date"


@admin.register(CarryForwardIssue)
class CarryForwardIssueAdmin(ShortTextMixin, SpreadsheetAdminMixin, RecordAdmin):
    resource_classes = [CarryForwardIssueResource]
    list_display = [
        "number",
        "short_text",
        term_column("handed_over_in", _("handed over in")),
        term_column("origin", _("origin")),
        "status",
        "due_date",
    ]
    list_display_links = ["number", "short_text"]
    list_filter = ["status", "handed_over_in", "origin"]
    list_select_related = ["handed_over_in__agency", "origin__agency"]
    search_fields = ["text", "addressed_to", "resolution"]
    autocomplete_fields = ["handed_over_in", "origin", "resolved_in", "continues"]


# The accounts' admin (users, focal points) registers itself; imported so that autodiscovery finds it.
from chairmanship import account_admin  # noqa: E402, F401
