from django.contrib import admin

from chairmanship.models import Endorsement
from gmg_portal.admin import RecordAdmin
from gmg_portal.admin import ShortTextMixin
from gmg_portal.concurrency import VersionedInlineMixin
from gmg_portal.spreadsheet_admin import SpreadsheetAdminMixin
from workplan.models import Activity
from workplan.models import Event
from workplan.models import FocusArea
from workplan.models import MultiAnnualWorkPlan
from workplan.models import Objective
from workplan.models import Output
from workplan.models import OverarchingObjective
from workplan.models import WorkingGroup
from workplan.resources import ActivityResource
from workplan.resources import EventResource
from workplan.resources import OutputResource


class OverarchingObjectiveInline(VersionedInlineMixin, admin.TabularInline):
    model = OverarchingObjective
    extra = 0


@admin.register(MultiAnnualWorkPlan)
class MultiAnnualWorkPlanAdmin(RecordAdmin):
    list_display = ["title", "start_year", "end_year"]
    search_fields = ["title"]
    inlines = [OverarchingObjectiveInline]


@admin.register(OverarchingObjective)
class OverarchingObjectiveAdmin(RecordAdmin):
    list_display = ["ordinal", "text", "mawp"]
    list_select_related = ["mawp"]
    list_filter = ["mawp"]
    search_fields = ["text", "mawp__title"]


@admin.register(FocusArea)
class FocusAreaAdmin(RecordAdmin):
    list_display = ["letter", "title", "chairmanship"]
    list_filter = ["chairmanship"]
    list_select_related = ["chairmanship__agency"]
    search_fields = ["title"]
    autocomplete_fields = ["chairmanship"]


class ActivityInline(VersionedInlineMixin, admin.StackedInline):
    """An activity's own fields; its leads, events and outputs are edited on its page (fixed queries per page)."""

    model = Activity
    extra = 0
    fields = ["title", "description", "timeline", "status"]
    show_change_link = True


@admin.register(Objective)
class ObjectiveAdmin(ShortTextMixin, RecordAdmin):
    list_display = ["number", "short_text", "chairmanship"]
    list_display_links = ["number", "short_text"]
    list_filter = ["chairmanship"]
    list_select_related = ["chairmanship__agency"]
    search_fields = ["text", "chairmanship__slug"]
    autocomplete_fields = ["chairmanship"]
    filter_horizontal = ["overarching_objectives"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(SpreadsheetAdminMixin, RecordAdmin):
    resource_classes = [ActivityResource]
    list_display = ["title", "objective", "status", "timeline"]
    list_filter = ["status", "objective__chairmanship"]
    list_select_related = ["objective"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["objective", "lead_agencies", "lead_working_groups", "events", "outputs"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(RecordAdmin):
    list_display = ["name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "slug", "mandate"]
    readonly_fields = ["slug"]
    autocomplete_fields = ["chair_agencies", "member_agencies"]


@admin.register(Event)
class EventAdmin(SpreadsheetAdminMixin, RecordAdmin):
    resource_classes = [EventResource]
    list_display = ["title", "kind", "start_date", "end_date", "city", "country", "chairmanship", "chair_role"]
    list_filter = ["kind", "chair_role", "chairmanship", "country"]
    list_select_related = ["chairmanship__agency"]
    search_fields = ["title", "summary", "city", "venue", "forum", "participants"]
    autocomplete_fields = ["chairmanship", "organisers", "working_groups", "objectives"]
    date_hierarchy = "start_date"


class EndorsementInline(VersionedInlineMixin, admin.TabularInline):
    model = Endorsement
    extra = 0
    fields = ["body", "session", "city", "country", "start_date", "end_date", "outcome", "note"]


@admin.register(Output)
class OutputAdmin(SpreadsheetAdminMixin, RecordAdmin):
    resource_classes = [OutputResource]
    list_display = ["title", "kind", "date", "symbol", "chairmanship"]
    list_filter = ["kind", "chairmanship"]
    list_select_related = ["chairmanship__agency"]
    search_fields = ["title", "symbol", "summary"]
    autocomplete_fields = ["chairmanship", "producer_agencies", "producer_working_groups", "objectives"]
    date_hierarchy = "date"
    inlines = [EndorsementInline]
