from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from chairmanship.models import Endorsement
from gmg_portal.admin import RecordAdmin
from gmg_portal.admin import ShortTextMixin
from gmg_portal.admin import term_column
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


class CountryPresentFilter(admin.SimpleListFilter):
    """Events by country, offering only the countries where events took place (not the world's 249).

    One query for the codes in use; names as django-countries gives them in the active language (the
    UN's short names, gmg_portal/countries.py), in alphabetical order.
    """

    title = _("country")
    parameter_name = "country"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        codes = Event.objects.exclude(country="").order_by().values_list("country", flat=True).distinct()
        names = {str(code): countries.name(code) for code in codes}
        return sorted(((code, name or code) for code, name in names.items()), key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Event]) -> QuerySet[Event]:
        value = self.value()
        if not value:
            return queryset
        # A code no event has (typed into the address) matches nothing; it never reaches the database as
        # typed (a NUL byte would make PostgreSQL refuse the query).
        if value not in dict(self.lookup_choices):
            return queryset.none()
        return queryset.filter(country=value)


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
    list_display = ["letter", "title", term_column("chairmanship", _("chairmanship"))]
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
    list_display = ["number", "short_text", term_column("chairmanship", _("chairmanship"))]
    list_display_links = ["number", "short_text"]
    list_filter = ["chairmanship"]
    list_select_related = ["chairmanship__agency"]
    search_fields = ["text", "chairmanship__slug"]
    autocomplete_fields = ["chairmanship"]
    filter_horizontal = ["overarching_objectives"]
    inlines = [ActivityInline]
    picker_select_related = ("chairmanship",)  # an objective's name says its term


@admin.register(Activity)
class ActivityAdmin(SpreadsheetAdminMixin, RecordAdmin):
    resource_classes = [ActivityResource]
    list_display = ["title", "objective", "status", "timeline"]
    list_filter = ["status", "objective__chairmanship"]
    list_select_related = ["objective__chairmanship"]
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
    # Columns that fit beside the filters at 1280 px: one for the dates, one for the place, the term by its
    # slug; the title keeps the width (static/css/admin.css).
    list_display = ["title", "kind", "dates", "place", term_column("chairmanship", _("chairmanship")), "chair_role"]
    list_filter = ["kind", "chair_role", "chairmanship", CountryPresentFilter]
    list_select_related = ["chairmanship__agency"]
    search_fields = ["title", "summary", "city", "venue", "forum", "participants"]
    autocomplete_fields = ["chairmanship", "organisers", "working_groups", "objectives"]
    date_hierarchy = "start_date"
    # "16 results (Show all)" rather than a second count of the whole table: the country filter's one query
    # (the countries in use) takes its place, so the page costs what it did.
    show_full_result_count = False

    @admin.display(description=_("Dates"), ordering="start_date")
    def dates(self, event: Event) -> str:
        if event.end_date in (None, event.start_date):
            return date_format(event.start_date)
        return format_html("{} –<br>{}", date_format(event.start_date), date_format(event.end_date))

    @admin.display(description=_("Place"), ordering="city")
    def place(self, event: Event) -> str:
        return event.place or "-"


class EndorsementInline(VersionedInlineMixin, admin.TabularInline):
    model = Endorsement
    extra = 0
    fields = ["body", "session", "city", "country", "start_date", "end_date", "outcome", "note"]


@admin.register(Output)
class OutputAdmin(SpreadsheetAdminMixin, RecordAdmin):
    resource_classes = [OutputResource]
    list_display = ["title", "kind", "date", "symbol", term_column("chairmanship", _("chairmanship"))]
    list_filter = ["kind", "chairmanship"]
    list_select_related = ["chairmanship__agency"]
    search_fields = ["title", "symbol", "summary"]
    autocomplete_fields = ["chairmanship", "producer_agencies", "producer_working_groups", "objectives"]
    date_hierarchy = "date"
    inlines = [EndorsementInline]
