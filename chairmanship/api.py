"""REST API v1 for agencies and what a chair hands on: recommendations, their endorsements, carry-forward issues.

Related records are named by natural key: an agency by acronym, a term by
slug, others by id (`agency_field`, `term_field`, used by every app's API).
The base every resource shares is gmg_portal/api.py; terms and their key
accomplishments are in reports/api.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chairmanship import services
from chairmanship.filters import CarryForwardIssueFilter
from chairmanship.filters import RecommendationFilter
from chairmanship.filters import term_filter
from chairmanship.models import Agency
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Endorsement
from chairmanship.models import Recommendation
from gmg_portal.api import RECORD_META
from gmg_portal.api import RecordSerializer
from gmg_portal.api import RecordViewSet
from gmg_portal.api import saved_by
from gmg_portal.api import small_numbers
from gmg_portal.records import record_save

# Natural keys ------------------------------------------------------------------------


def agency_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="acronym", queryset=Agency.objects.all(), **kwargs)


def term_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", queryset=Chairmanship.objects.all(), **kwargs)


# Agencies ---------------------------------------------------------------------------


class AgencySerializer(RecordSerializer):
    class Meta:
        model = Agency
        fields = ["acronym", "name", "kind", "membership_status", "website", *RECORD_META]
        read_only_fields = RECORD_META


class AgencyFilter(django_filters.FilterSet):
    class Meta:
        model = Agency
        fields = ["kind", "membership_status"]


class AgencyViewSet(RecordViewSet):
    """UN entities, commissions and partners, by acronym (URL-encoded: `UN%20DESA`)."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    write_rules = (_("An acronym names one agency only."),)
    ordering_fields = ["acronym", "name", "kind", "membership_status"]
    lookup_field = "acronym"
    save_record = saved_by(services.agency_save, "agency")

    def get_queryset(self) -> models.QuerySet[Agency]:
        return Agency.objects.order_by("acronym")


# What a chair reports ------------------------------------------------------------


class RecommendationSerializer(RecordSerializer):
    chairmanship = term_field()

    class Meta:
        model = Recommendation
        fields = ["id", "chairmanship", "source_output", "number", "text", "status", *RECORD_META]
        read_only_fields = RECORD_META
        extra_kwargs = small_numbers("number", required=False)


class RecommendationViewSet(RecordViewSet):
    """Recommendations of a term, filtered like the /recommendations/ tracker."""

    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    write_rules = (_("Numbers are unique within a term."),)
    ordering_fields = ["number", "id", "status"]
    save_record = saved_by(services.recommendation_save, "recommendation")

    def get_queryset(self) -> models.QuerySet[Recommendation]:
        return Recommendation.objects.select_related("chairmanship").order_by("-chairmanship__start_date", "number")


class EndorsementSerializer(RecordSerializer):
    class Meta:
        model = Endorsement
        fields = [
            "id",
            "output",
            "body",
            "session",
            "city",
            "country",
            "start_date",
            "end_date",
            "outcome",
            "note",
            *RECORD_META,
        ]
        read_only_fields = RECORD_META


class EndorsementFilter(django_filters.FilterSet):
    chairmanship = term_filter(_("Chairmanship of the output"), field_name="output__chairmanship")

    class Meta:
        model = Endorsement
        fields = ["output", "outcome", "body", "chairmanship"]


class EndorsementViewSet(RecordViewSet):
    """The endorsement trail of outputs: which body considered, forwarded, adopted or endorsed them."""

    serializer_class = EndorsementSerializer
    filterset_class = EndorsementFilter
    write_rules = (_("An endorsement ends on or after the day it starts."),)
    ordering_fields = ["start_date", "id", "body"]

    def get_queryset(self) -> models.QuerySet[Endorsement]:
        return Endorsement.objects.order_by("start_date", "pk")

    def save_record(self, *, data: Mapping[str, Any], instance: Endorsement | None) -> Endorsement:
        return record_save(instance=instance or Endorsement(), data=data)


class CarryForwardIssueSerializer(RecordSerializer):
    handed_over_in = term_field(help_text=_("Slug of the term whose report lists the issue."))
    origin = term_field(required=False, help_text=_("Slug of the term that raised it; defaults to handed_over_in."))
    resolved_in = term_field(required=False, allow_null=True)

    class Meta:
        model = CarryForwardIssue
        fields = [
            "id",
            "handed_over_in",
            "origin",
            "number",
            *CarryForwardIssue.CONTENT_FIELDS,
            "resolved_in",
            "continues",
            *RECORD_META,
        ]
        read_only_fields = RECORD_META
        extra_kwargs = small_numbers("number", required=False)


class CarryForwardIssueViewSet(RecordViewSet):
    """Issues a chair hands to the next, filtered like the /carry-forward/ tracker."""

    serializer_class = CarryForwardIssueSerializer
    filterset_class = CarryForwardIssueFilter
    write_rules = (
        _("Numbers are unique within the term that hands the issues over."),
        _("An issue is carried forward into a term once, and never continues itself."),
        _(
            "Its terms follow the calendar: origin no later than handed_over_in, continues an issue of an earlier "
            "report, resolved_in no earlier than origin (each names its field)."
        ),
    )
    ordering_fields = ["number", "id", "due_date", "status"]
    save_record = saved_by(services.carry_forward_issue_save, "issue")

    def get_queryset(self) -> models.QuerySet[CarryForwardIssue]:
        return CarryForwardIssue.objects.select_related("handed_over_in", "origin", "resolved_in").order_by(
            "handed_over_in__start_date", "number", "pk"
        )
