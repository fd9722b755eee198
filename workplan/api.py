"""REST API v1 for the workplan: plans, focus areas, objectives, activities, groups, events, outputs.

Lists filter with the same FilterSets as the pages (workplan/filters.py)
and join or prefetch every related record, so a list costs the same
number of queries at any page size.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chairmanship.api import agency_field
from chairmanship.api import term_field
from chairmanship.filters import agency_filter
from chairmanship.filters import term_filter
from chairmanship.filters import term_records_filter
from gmg_portal.api import RECORD_META
from gmg_portal.api import RecordSerializer
from gmg_portal.api import RecordViewSet
from gmg_portal.api import saved_by
from gmg_portal.api import small_numbers
from workplan import services
from workplan.exports import EVENT_DETAILS
from workplan.filters import EventFilter
from workplan.filters import OutputFilter
from workplan.filters import group_filter
from workplan.models import Activity
from workplan.models import Event
from workplan.models import FocusArea
from workplan.models import MultiAnnualWorkPlan
from workplan.models import Objective
from workplan.models import Output
from workplan.models import OverarchingObjective
from workplan.models import WorkingGroup
from workplan.resources import ACTIVITY_FIELDS
from workplan.resources import OUTPUT_CONTEXT
from workplan.resources import OUTPUT_DESCRIPTION


def group_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", queryset=WorkingGroup.objects.all(), **kwargs)


# Multi-annual work plans ------------------------------------------------------------


class OverarchingObjectiveSerializer(RecordSerializer):
    class Meta:
        model = OverarchingObjective
        fields = ["id", "ordinal", "text"]


class MultiAnnualWorkPlanSerializer(RecordSerializer):
    overarching_objectives = OverarchingObjectiveSerializer(
        many=True,
        required=False,
        help_text=_("The whole list; matched by ordinal on update, ordinals left out are removed."),
    )

    class Meta:
        model = MultiAnnualWorkPlan
        fields = ["id", "title", "start_year", "end_year", "overarching_objectives", *RECORD_META]
        read_only_fields = RECORD_META
        extra_kwargs = small_numbers("start_year", "end_year")


class MultiAnnualWorkPlanViewSet(RecordViewSet):
    """Multi-annual work plans with their overarching objectives (i, ii, …)."""

    serializer_class = MultiAnnualWorkPlanSerializer
    write_rules = (_("A plan ends in or after the year it starts; its overarching objectives' ordinals are unique."),)
    filterset_fields = ["start_year", "end_year"]
    ordering_fields = ["start_year", "end_year", "title", "id"]

    def get_queryset(self) -> models.QuerySet[MultiAnnualWorkPlan]:
        return MultiAnnualWorkPlan.objects.prefetch_related(
            models.Prefetch("overarching_objectives", queryset=OverarchingObjective.objects.order_by("pk"))
        ).order_by("-start_year", "pk")

    def save_record(self, *, data: Mapping[str, Any], instance: MultiAnnualWorkPlan | None) -> MultiAnnualWorkPlan:
        fields = dict(data)
        overarching = fields.pop("overarching_objectives", None)
        return services.mawp_save(data=fields, overarching_objectives=overarching, mawp=instance)


# A term's focus areas and objectives -----------------------------------------------


class FocusAreaSerializer(RecordSerializer):
    chairmanship = term_field()

    class Meta:
        model = FocusArea
        fields = ["id", "chairmanship", "letter", "title", *RECORD_META]
        read_only_fields = RECORD_META


class FocusAreaViewSet(RecordViewSet):
    """A term's thematic focus areas, lettered a, b, …"""

    serializer_class = FocusAreaSerializer
    filterset_class = term_records_filter(FocusArea, "letter")
    write_rules = (_("Letters are unique within a term."),)
    ordering_fields = ["letter", "id"]
    save_record = saved_by(services.focus_area_save, "focus_area")

    def get_queryset(self) -> models.QuerySet[FocusArea]:
        return FocusArea.objects.select_related("chairmanship").order_by("chairmanship__start_date", "letter")


class ObjectiveSerializer(RecordSerializer):
    chairmanship = term_field()

    class Meta:
        model = Objective
        fields = ["id", "chairmanship", "number", "text", "overarching_objectives", *RECORD_META]
        read_only_fields = RECORD_META
        extra_kwargs = small_numbers("number", required=False)


class ObjectiveViewSet(RecordViewSet):
    """A term's numbered objectives (the next number when none is given), linked to the MAWP's objectives."""

    serializer_class = ObjectiveSerializer
    filterset_class = term_records_filter(Objective, "number")
    write_rules = (_("Numbers are unique within a term."),)
    ordering_fields = ["number", "id"]
    save_record = saved_by(services.objective_save, "objective")

    def get_queryset(self) -> models.QuerySet[Objective]:
        return (
            Objective.objects.select_related("chairmanship")
            .prefetch_related("overarching_objectives")
            .order_by("chairmanship__start_date", "number")
        )


class ActivitySerializer(RecordSerializer):
    chairmanship = serializers.SlugRelatedField(
        source="objective.chairmanship", slug_field="slug", read_only=True, help_text=_("The objective's term.")
    )
    lead_agencies = agency_field(many=True, required=False)
    lead_working_groups = group_field(many=True, required=False)

    class Meta:
        model = Activity
        fields = ["id", "objective", "chairmanship", *ACTIVITY_FIELDS, *RECORD_META]
        read_only_fields = RECORD_META


class ActivityFilter(django_filters.FilterSet):
    chairmanship = term_filter(field_name="objective__chairmanship")
    agency = agency_filter(_("Lead agency"), field_name="lead_agencies")
    working_group = group_filter(_("Lead working group"), field_name="lead_working_groups")

    class Meta:
        model = Activity
        fields = ["chairmanship", "objective", "status", "agency", "working_group"]


class ActivityViewSet(RecordViewSet):
    """Activities of the workplan under an objective, with their leads, events and outputs."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering_fields = ["id", "title", "status"]
    save_record = saved_by(services.activity_save, "activity")

    def get_queryset(self) -> models.QuerySet[Activity]:
        return (
            Activity.objects.select_related("objective__chairmanship")
            .prefetch_related("lead_agencies", "lead_working_groups", "events", "outputs")
            .order_by("objective__chairmanship__start_date", "objective__number", "pk")
        )


# Working groups ----------------------------------------------------------------------


class WorkingGroupSerializer(RecordSerializer):
    chair_agencies = agency_field(many=True, required=False)
    member_agencies = agency_field(many=True, required=False)

    class Meta:
        model = WorkingGroup
        fields = ["slug", "name", "kind", "chair_agencies", "member_agencies", "mandate", "active", *RECORD_META]
        read_only_fields = RECORD_META
        extra_kwargs = {"slug": {"required": False, "help_text": _("Derived from the name when left out.")}}


class WorkingGroupFilter(django_filters.FilterSet):
    agency = agency_filter(_("Member agency"), field_name="member_agencies")

    class Meta:
        model = WorkingGroup
        fields = ["kind", "active", "agency"]


class WorkingGroupViewSet(RecordViewSet):
    """Working groups and task forces by slug (`data-and-research`)."""

    serializer_class = WorkingGroupSerializer
    filterset_class = WorkingGroupFilter
    write_rules = (_("A group's name gives its web address (slug), which no other group may have."),)
    ordering_fields = ["name", "slug", "kind"]
    lookup_field = "slug"
    save_record = saved_by(services.working_group_save, "group")

    def get_queryset(self) -> models.QuerySet[WorkingGroup]:
        return WorkingGroup.objects.prefetch_related("chair_agencies", "member_agencies").order_by("name")


# Events and outputs ---------------------------------------------------------------


class EventSerializer(RecordSerializer):
    chairmanship = term_field()
    organisers = agency_field(many=True, required=False, help_text=_("Acronyms of the organising agencies."))
    working_groups = group_field(many=True, required=False, help_text=_("Working group slugs."))
    page_url = serializers.SerializerMethodField(help_text=_("The event's page on the portal."))

    class Meta:
        model = Event
        fields = [
            "id",
            "chairmanship",
            *EVENT_DETAILS,
            "organisers",
            "working_groups",
            "objectives",
            "url",
            "summary",
            "page_url",
            *RECORD_META,
        ]
        read_only_fields = RECORD_META
        extra_kwargs = {"end_date": {"required": False, "help_text": _("Defaults to the start date (one day).")}}

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, event: Event) -> str:
        request = self.context.get("request")
        path = event.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class EventViewSet(RecordViewSet):
    """Events, filtered like /events/ (`q` ranks by relevance on PostgreSQL); newest first."""

    serializer_class = EventSerializer
    filterset_class = EventFilter
    write_rules = (_("An event ends on or after the day it starts (no end date: a one-day event)."),)
    ordering_fields = ["start_date", "end_date", "title", "id"]
    save_record = saved_by(services.event_save, "event")

    def get_queryset(self) -> models.QuerySet[Event]:
        return (
            Event.objects.select_related("chairmanship")
            .prefetch_related("organisers", "working_groups", "objectives")
            .order_by("-start_date", "title", "pk")
        )


class OutputSerializer(RecordSerializer):
    chairmanship = term_field()
    producer_agencies = agency_field(many=True, required=False)
    producer_working_groups = group_field(many=True, required=False)

    class Meta:
        model = Output
        fields = ["id", "chairmanship", *OUTPUT_DESCRIPTION, *OUTPUT_CONTEXT, *RECORD_META]
        read_only_fields = RECORD_META


class OutputViewSet(RecordViewSet):
    """Communiqués, reports, papers and statements of a term; newest first."""

    serializer_class = OutputSerializer
    filterset_class = OutputFilter
    ordering_fields = ["date", "title", "id"]
    save_record = saved_by(services.output_save, "output")

    def get_queryset(self) -> models.QuerySet[Output]:
        return (
            Output.objects.select_related("chairmanship")
            .prefetch_related("producer_agencies", "producer_working_groups", "objectives")
            .order_by("-chairmanship__start_date", "-date", "title", "pk")
        )
