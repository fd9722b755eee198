"""REST API v1 for terms and their reports: chairmanships (with the report as JSON) and key accomplishments.

A term's record is where its report is written and published (its narratives
and report status), and its key accomplishments are section II of that report,
hidden with it while it is a draft; both live here, above the chairmanship and
workplan apps they join. Marking a term final queues its first edition for
a worker (reports/jobs.py), as in the admin; the answer does not wait for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters
from django.db import models
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chairmanship.api import agency_field
from chairmanship.api import term_field
from chairmanship.filters import agency_filter
from chairmanship.filters import term_records_filter
from chairmanship.filters import year_filter
from chairmanship.models import Accomplishment
from chairmanship.models import Chairmanship
from chairmanship.rotation import Rotation
from chairmanship.services import accomplishment_save
from chairmanship.services import chairmanship_save
from gmg_portal.api import NULLABLE_STRING
from gmg_portal.api import RECORD_META
from gmg_portal.api import ErrorSerializer
from gmg_portal.api import RecordSerializer
from gmg_portal.api import RecordViewSet
from gmg_portal.api import saved_by
from gmg_portal.api import small_numbers
from gmg_portal.permissions import can_see_report
from reports.editions import PREPARING
from reports.editions import PREPARING_RETRY_SECONDS
from reports.editions import EditionNotReady
from reports.editions import report_data
from reports.jobs import EditionStatus
from reports.jobs import edition_statuses
from reports.jobs import queue_missing_editions
from workplan.api import group_field

# Chairmanships -------------------------------------------------------------------


class ChairmanshipSerializer(RecordSerializer):
    agency = agency_field(help_text=_("The chair agency's acronym."))
    display_name = serializers.CharField(read_only=True)
    term_label = serializers.CharField(read_only=True)
    previous = serializers.SerializerMethodField(help_text=_("Slug of the term before this one."))
    next = serializers.SerializerMethodField(help_text=_("Slug of the term after this one."))
    incoming_chair = serializers.SerializerMethodField(help_text=_("Acronym of the next term's agency."))
    troika = serializers.SerializerMethodField(help_text=_("Slugs of the previous, this and the next term."))
    edition_status = serializers.SerializerMethodField(
        help_text=_("The report's stored edition: none, queued (a worker will render it), running, stored or failed.")
    )

    class Meta:
        model = Chairmanship
        fields = [
            "slug",
            "agency",
            "chair_label",
            "start_date",
            "end_date",
            "theme",
            *Chairmanship.REPORT_NARRATIVES,
            "handover_date",
            "report_status",
            "display_name",
            "term_label",
            "previous",
            "next",
            "incoming_chair",
            "troika",
            "edition_status",
            *RECORD_META,
        ]
        read_only_fields = ["slug", *RECORD_META]

    def to_representation(self, term: Chairmanship) -> dict:
        data = super().to_representation(term)
        request = self.context.get("request")
        # The narratives are a draft report's prose: hidden, like the report itself, from those who may not see drafts.
        if not term.is_final and (request is None or not can_see_report(request.user, term)):
            for name in Chairmanship.REPORT_NARRATIVES:
                data[name] = ""
        return data

    @property
    def _rotation(self) -> Rotation:
        # One read of every term per request, shared by the list's items (ChairmanshipViewSet's context).
        return self.context.get("rotation") or Rotation.read()

    @extend_schema_field(NULLABLE_STRING)
    def get_previous(self, term: Chairmanship) -> str | None:
        previous = self._rotation.previous(term)
        return previous.slug if previous else None

    @extend_schema_field(NULLABLE_STRING)
    def get_next(self, term: Chairmanship) -> str | None:
        following = self._rotation.next(term)
        return following.slug if following else None

    @extend_schema_field(NULLABLE_STRING)
    def get_incoming_chair(self, term: Chairmanship) -> str | None:
        following = self._rotation.next(term)
        return following.agency.acronym if following else None

    @extend_schema_field(
        serializers.ChoiceField(
            choices=[
                EditionStatus.NONE,
                EditionStatus.QUEUED,
                EditionStatus.RUNNING,
                EditionStatus.STORED,
                EditionStatus.FAILED,
            ]
        )
    )
    def get_edition_status(self, term: Chairmanship) -> str:
        # Computed once for every term of the answer (a list's page, or the one term): two queries.
        statuses = self.context.setdefault("edition_statuses", {})
        if term.pk not in statuses:
            shown = getattr(self.parent, "instance", None) or [term]
            statuses.update(edition_statuses(shown))
        return statuses[term.pk]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_troika(self, term: Chairmanship) -> list[str]:
        return [member.slug for member in self._rotation.around(term).troika]


class ChairmanshipFilter(django_filters.FilterSet):
    agency = agency_filter(_("Chair agency"))
    year = year_filter(_("A term running in this year"), method="filter_year")

    class Meta:
        model = Chairmanship
        fields = ["agency", "report_status", "year"]

    def filter_year(self, queryset: models.QuerySet, name: str, value: Any) -> models.QuerySet:
        return queryset.filter(start_date__year__lte=int(value), end_date__year__gte=int(value))


REPORT_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_(
        "The assembled report (reports.selectors.assemble_report(...).as_dict()) "
        'and `links` {"html": …, "pdf": …}. A draft report is a 404 for anonymous callers.'
    ),
)


class ChairmanshipViewSet(RecordViewSet):
    """The chairs' terms by slug (`2014-ilo`); neighbours, incoming chair and troika are derived from dates."""

    serializer_class = ChairmanshipSerializer
    filterset_class = ChairmanshipFilter
    write_rules = (
        _("A term ends on or after the day it starts and overlaps no other term (the message names it)."),
        _(
            "A report can be final only with something to report: a narrative or a key accomplishment "
            "(report_status names what is missing)."
        ),
        _("A final report stays final: report_status cannot go back to draft (a correction is a corrected edition)."),
    )
    ordering_fields = ["start_date", "end_date", "slug"]
    lookup_field = "slug"

    def get_queryset(self) -> models.QuerySet[Chairmanship]:
        if self.action == "report":
            return Chairmanship.objects.readable_by(self.request.user)
        return Chairmanship.objects.select_related("agency").order_by("-start_date")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "rotation": SimpleLazyObject(Rotation.read)}

    def save_record(self, *, data: Mapping[str, Any], instance: Chairmanship | None) -> Chairmanship:
        term = chairmanship_save(data=data, chairmanship=instance)
        # Marked final: edition 1 is queued for a worker (reports/jobs.py); the answer does not wait for it.
        queue_missing_editions(user=self.request.user, terms=[term])
        return term

    @extend_schema(
        responses={
            200: REPORT_RESPONSE,
            401: OpenApiResponse(response=ErrorSerializer, description=_("Invalid or expired credentials.")),
            404: OpenApiResponse(
                response=ErrorSerializer, description=_("No such term, or a draft report asked for anonymously.")
            ),
            503: OpenApiResponse(
                response=ErrorSerializer,
                description=_("A final report whose first edition is still being rendered: retry after Retry-After."),
            ),
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def report(self, request: Request, slug: str | None = None, format: str | None = None) -> Response:  # noqa: A002
        """The term's annual report as JSON: a final report's latest edition, a draft's live data."""
        # `format` is DRF's name for a suffix such as `report.json` (the router adds the suffix routes).
        term = self.get_object()
        try:
            payload = dict(report_data(chairmanship=term))
        except EditionNotReady:
            return Response(
                {"detail": str(PREPARING)}, status=503, headers={"Retry-After": str(PREPARING_RETRY_SECONDS)}
            )
        payload["links"] = {
            "html": request.build_absolute_uri(reverse("reports:report-detail", kwargs={"slug": term.slug})),
            "pdf": request.build_absolute_uri(reverse("reports:report-pdf", kwargs={"slug": term.slug})),
        }
        return Response(payload)


# Key accomplishments ---------------------------------------------------------


class AccomplishmentSerializer(RecordSerializer):
    chairmanship = term_field()
    working_groups = group_field(many=True, required=False, help_text=_("Working group slugs."))

    class Meta:
        model = Accomplishment
        fields = [
            "id",
            "chairmanship",
            "number",
            "title",
            "narrative",
            "events",
            "outputs",
            "working_groups",
            "list_linked_records",
            *RECORD_META,
        ]
        read_only_fields = RECORD_META
        extra_kwargs = {**small_numbers("number", required=False), "events": {"required": False}}


class AccomplishmentViewSet(RecordViewSet):
    """A term's key accomplishments, numbered within the term (the next number when none is given).

    A draft term's accomplishments are listed and shown to signed-in callers only.
    """

    serializer_class = AccomplishmentSerializer
    filterset_class = term_records_filter(Accomplishment)
    write_rules = (_("Numbers are unique within a term."),)
    ordering_fields = ["number", "id"]
    save_record = saved_by(accomplishment_save, "accomplishment")

    def get_queryset(self) -> models.QuerySet[Accomplishment]:
        # A draft term's accomplishments are section II of its unpublished report: a 404 for anonymous callers.
        return (
            Accomplishment.objects.visible_to(self.request.user)
            .select_related("chairmanship")
            .prefetch_related("events", "outputs", "working_groups")
            .order_by("chairmanship__start_date", "number", "pk")
        )
