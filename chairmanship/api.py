"""REST API v1 for agencies, terms and what a chair reports; the base every API view shares.

Related records are named by natural key: an agency by acronym, a term by
slug, a working group by slug, others by id. Writes go through the services
(chairmanship.services), which validate the whole record before saving; a
Django ValidationError becomes a 400 whose keys are the fields.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from typing import Any

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from chairmanship import services
from chairmanship.filters import CarryForwardIssueFilter, RecommendationFilter
from chairmanship.models import (
    Accomplishment,
    Agency,
    CarryForwardIssue,
    Chairmanship,
    Endorsement,
    Recommendation,
)
from chairmanship.selectors import chairmanships_visible_reports
from gmg_portal import concurrency
from gmg_portal.page_cache import PublicReadCacheMixin
from gmg_portal.parsers import JSONParser
from gmg_portal.permissions import can_see_drafts
from workplan.models import WorkingGroup

# The largest number a PositiveSmallIntegerField holds on every database.
SMALL_MAX = 32767
# What a path segment may hold: acronyms have spaces ("UN DESA") and dots.
LOOKUP_REGEX = r"[^/]+"


# Errors and their documentation ------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """An error: `detail` for the request as a whole, or {field: [messages]} for bad input."""

    detail = serializers.CharField(required=False, help_text=_("What went wrong with the request as a whole."))
    non_field_errors = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=_("Problems with the record as a whole.")
    )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record is still in use.")
    default_code = "conflict"


class ApiSchema(AutoSchema):
    """Every operation documents its error responses beside its success, and who may call it.

    Reads are public (anonymous callers included: `{}` among the security
    requirements); writes need the secretariat's token or session. A write's
    400 names the business rules of its records (the viewset's `write_rules`)
    beside "invalid input".
    """

    def get_auth(self) -> list[dict]:
        auth = super().get_auth()
        if self.method in ("GET", "HEAD", "OPTIONS") and {} not in auth:
            auth = [*auth, {}]
        return auth

    def get_response_serializers(self) -> Any:
        responses = super().get_response_serializers()
        if not isinstance(responses, dict):
            if self.method == "DELETE":
                responses = {204: OpenApiResponse(description=_("Deleted; no response body."))}
            elif self._is_create_operation():
                responses = {201: responses}
            else:
                responses = {200: responses}
        else:
            responses = dict(responses)
        errors: dict[int, str] = {401: _("Invalid or expired credentials (a bad token).")}
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        is_list = getattr(self.view, "action", None) == "list"
        if writes and self.method != "DELETE":
            rules = getattr(self.view, "write_rules", ())
            errors[400] = " ".join([str(_("Invalid input: messages by field.")), *(str(rule) for rule in rules)])
        elif is_list:
            errors[400] = _("Invalid filter: messages by field.")
        if writes:
            errors[403] = _("Not signed in, or not in the Secretariat group (no CSRF token with a session).")
        if "{" in self.path or is_list:
            errors[404] = _("No such record (or a page beyond the last).")
        if self.method in ("POST", "PUT", "PATCH"):
            errors[415] = _("The body is not JSON (Content-Type: application/json).")
        if self.method == "DELETE":
            errors[409] = _("Other records still refer to this one.")
        if self.method in ("PUT", "PATCH", "DELETE"):
            errors[412] = _("If-Match is not the record's current ETag: it changed since you read it; nothing written.")
        for code, description in errors.items():
            responses.setdefault(code, OpenApiResponse(response=ErrorSerializer, description=description))
        return responses


# Natural keys and derived values ------------------------------------------------


def agency_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="acronym", queryset=Agency.objects.all(), **kwargs)


def term_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", queryset=Chairmanship.objects.all(), **kwargs)


def small_numbers(*names: str, required: bool = True) -> dict[str, dict[str, Any]]:
    return {name: {"min_value": 0, "max_value": SMALL_MAX, "required": required} for name in names}


NULLABLE_STRING = serializers.CharField(allow_null=True)


class TermIndex:
    """Every term in date order, read once per request, for the derived neighbours of many terms."""

    @cached_property
    def terms(self) -> list[tuple[int, str, datetime.date, datetime.date, str]]:
        rows = Chairmanship.objects.order_by("start_date").values_list(
            "pk", "slug", "start_date", "end_date", "agency__acronym"
        )
        return list(rows)

    def previous(self, term: Chairmanship) -> tuple | None:
        before = [row for row in self.terms if row[3] < term.start_date]
        return before[-1] if before else None

    def next(self, term: Chairmanship) -> tuple | None:
        after = [row for row in self.terms if row[2] > term.end_date]
        return after[0] if after else None


class RecordSerializer(CountryFieldMixin, serializers.ModelSerializer):
    """Countries as ISO codes; whole-record validation happens in the service, not in DRF's validators."""

    def get_unique_together_validators(self) -> list:
        return []


# Base view ----------------------------------------------------------------------


def drf_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    errors = services.errors_by_field(error)
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors


class RecordViewSet(PublicReadCacheMixin, viewsets.ModelViewSet):
    """List, read, create, update and delete one kind of record.

    Subclasses scope and join their queryset in get_queryset() and write
    through a service in save_record(). Token authentication comes first so
    an anonymous write is a 401 with `WWW-Authenticate: Token`. Anonymous
    lists and details are answered from the page cache while the data is
    unchanged (gmg_portal/page_cache.py).
    """

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    parser_classes = [JSONParser]
    schema = ApiSchema()
    lookup_value_regex = LOOKUP_REGEX

    def save_record(self, *, data: Mapping[str, Any], instance: models.Model | None) -> models.Model:
        raise NotImplementedError

    # No lost updates (gmg_portal.concurrency): a record's detail, and the answer to a write, carry
    # its ETag; PUT, PATCH and DELETE with an If-Match that is not the current ETag are a 412 and
    # write nothing. Every write claims the version it read in one UPDATE, so of two concurrent
    # writers only one succeeds (the other gets 412, or 409 when it sent no If-Match).

    def get_object(self) -> models.Model:
        record = super().get_object()
        if self.request.method in ("PUT", "PATCH", "DELETE"):
            if not concurrency.if_match_allows(self.request.headers.get("If-Match"), record):
                raise concurrency.PreconditionFailed()
        self._etag_record = record
        return record

    @contextmanager
    def _claimed(self, instance: models.Model | None) -> Iterator[None]:
        """A transaction in which `instance` (None: a new record) is at the version read, and stays so."""
        with transaction.atomic():
            if instance is not None:
                try:
                    concurrency.claim_version(instance=instance, expected=instance.version)
                except concurrency.StaleVersion as error:
                    if self.request.headers.get("If-Match"):
                        raise concurrency.PreconditionFailed() from error
                    raise concurrency.EditConflict() from error
                # The history names the token's user too (request.user is set inside DRF's view).
                instance._history_user = self.request.user
            yield

    def _save(self, serializer: serializers.BaseSerializer, instance: models.Model | None) -> None:
        try:
            with self._claimed(instance):
                # The service saves the record at the next version (record_save bumps it).
                serializer.instance = self.save_record(data=serializer.validated_data, instance=instance)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(drf_errors(error)) from error
        self._etag_record = serializer.instance

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance: models.Model) -> None:
        try:
            with self._claimed(instance):
                services.record_delete(instance=instance)
        except services.RecordInUse as error:
            raise Conflict(str(error)) from error

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_etag_record", None)
        writes = ("create", "update", "partial_update")
        if record is not None and response.status_code in (200, 201) and self.action in ("retrieve", *writes):
            response["ETag"] = concurrency.etag_for(record)
        return response


# Agencies ---------------------------------------------------------------------------


class AgencySerializer(RecordSerializer):
    class Meta:
        model = Agency
        fields = ["acronym", "name", "kind", "membership_status", "website", "version", "created_at", "updated_at"]
        read_only_fields = ["version", "created_at", "updated_at"]


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

    def get_queryset(self) -> models.QuerySet[Agency]:
        return Agency.objects.order_by("acronym")

    def save_record(self, *, data: Mapping[str, Any], instance: Agency | None) -> Agency:
        return services.agency_save(data=data, agency=instance)


# Chairmanships -------------------------------------------------------------------


class ChairmanshipSerializer(RecordSerializer):
    agency = agency_field(help_text=_("The chair agency's acronym."))
    display_name = serializers.CharField(read_only=True)
    term_label = serializers.CharField(read_only=True)
    previous = serializers.SerializerMethodField(help_text=_("Slug of the term before this one."))
    next = serializers.SerializerMethodField(help_text=_("Slug of the term after this one."))
    incoming_chair = serializers.SerializerMethodField(help_text=_("Acronym of the next term's agency."))
    troika = serializers.SerializerMethodField(help_text=_("Slugs of the previous, this and the next term."))

    class Meta:
        model = Chairmanship
        fields = [
            "slug",
            "agency",
            "chair_label",
            "start_date",
            "end_date",
            "theme",
            "introduction",
            "accomplishments_intro",
            "workplan_narrative",
            "handover_narrative",
            "handover_date",
            "report_status",
            "display_name",
            "term_label",
            "previous",
            "next",
            "incoming_chair",
            "troika",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["slug", "version", "created_at", "updated_at"]

    def to_representation(self, term: Chairmanship) -> dict:
        data = super().to_representation(term)
        request = self.context.get("request")
        # The narratives are a draft report's prose: hidden, like the report itself, from those who may not see drafts.
        if not term.is_final and not (request is not None and can_see_drafts(request.user)):
            for name in Chairmanship.REPORT_NARRATIVES:
                data[name] = ""
        return data

    @cached_property
    def _index(self) -> TermIndex:
        return self.context.get("terms") or TermIndex()

    @extend_schema_field(NULLABLE_STRING)
    def get_previous(self, term: Chairmanship) -> str | None:
        row = self._index.previous(term)
        return row[1] if row else None

    @extend_schema_field(NULLABLE_STRING)
    def get_next(self, term: Chairmanship) -> str | None:
        row = self._index.next(term)
        return row[1] if row else None

    @extend_schema_field(NULLABLE_STRING)
    def get_incoming_chair(self, term: Chairmanship) -> str | None:
        row = self._index.next(term)
        return row[4] if row else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_troika(self, term: Chairmanship) -> list[str]:
        before, after = self._index.previous(term), self._index.next(term)
        return [row[1] for row in (before,) if row] + [term.slug] + [row[1] for row in (after,) if row]


class ChairmanshipFilter(django_filters.FilterSet):
    agency = django_filters.ModelChoiceFilter(
        label=_("Chair agency"), queryset=Agency.objects.all(), to_field_name="acronym"
    )
    year = django_filters.NumberFilter(
        label=_("A term running in this year"), method="filter_year", min_value=1, max_value=9999, decimal_places=0
    )

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
    )
    ordering_fields = ["start_date", "end_date", "slug"]
    lookup_field = "slug"

    def get_queryset(self) -> models.QuerySet[Chairmanship]:
        if self.action == "report":
            return chairmanships_visible_reports(user=self.request.user)
        return Chairmanship.objects.select_related("agency").order_by("-start_date")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "terms": TermIndex()}

    def save_record(self, *, data: Mapping[str, Any], instance: Chairmanship | None) -> Chairmanship:
        from reports.editions import publish_edition  # the reports app stores editions; imported when asked

        term = services.chairmanship_save(data=data, chairmanship=instance)
        # Marked final: the report as it is now is stored as edition 1 and served from then on.
        publish_edition(chairmanship=term, user=self.request.user)
        return term

    @extend_schema(
        responses={
            200: REPORT_RESPONSE,
            401: OpenApiResponse(response=ErrorSerializer, description=_("Invalid or expired credentials.")),
            404: OpenApiResponse(
                response=ErrorSerializer, description=_("No such term, or a draft report asked for anonymously.")
            ),
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def report(self, request: Request, slug: str | None = None, format: str | None = None) -> Response:  # noqa: A002
        # `format` is DRF's name for a suffix such as `report.json` (the router adds the suffix routes).
        """The term's annual report as JSON: a final report's latest edition, a draft's live data."""
        from reports.editions import report_data  # the reports app builds it; imported when asked

        term = self.get_object()
        payload = dict(report_data(chairmanship=term))
        payload["links"] = {
            "html": request.build_absolute_uri(reverse("reports:report-detail", kwargs={"slug": term.slug})),
            "pdf": request.build_absolute_uri(reverse("reports:report-pdf", kwargs={"slug": term.slug})),
        }
        return Response(payload)


# What a chair reports ------------------------------------------------------------


class AccomplishmentSerializer(RecordSerializer):
    chairmanship = term_field()
    working_groups = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        required=False,
        queryset=WorkingGroup.objects.all(),
        help_text=_("Working group slugs."),
    )

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
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]
        extra_kwargs = {**small_numbers("number", required=False), "events": {"required": False}}


class AccomplishmentFilter(django_filters.FilterSet):
    chairmanship = django_filters.ModelChoiceFilter(
        label=_("Chairmanship"), queryset=Chairmanship.objects.all(), to_field_name="slug"
    )

    class Meta:
        model = Accomplishment
        fields = ["chairmanship"]


class AccomplishmentViewSet(RecordViewSet):
    """A term's key accomplishments, numbered within the term (the next number when none is given).

    A draft term's accomplishments are listed and shown to signed-in callers only.
    """

    serializer_class = AccomplishmentSerializer
    filterset_class = AccomplishmentFilter
    write_rules = (_("Numbers are unique within a term."),)
    ordering_fields = ["number", "id"]

    def get_queryset(self) -> models.QuerySet[Accomplishment]:
        # A draft term's accomplishments are section II of its unpublished report: a 404 for anonymous callers.
        return (
            Accomplishment.objects.visible_to(self.request.user)
            .select_related("chairmanship")
            .prefetch_related("events", "outputs", "working_groups")
            .order_by("chairmanship__start_date", "number", "pk")
        )

    def save_record(self, *, data: Mapping[str, Any], instance: Accomplishment | None) -> Accomplishment:
        return services.accomplishment_save(data=data, accomplishment=instance)


class RecommendationSerializer(RecordSerializer):
    chairmanship = term_field()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "chairmanship",
            "source_output",
            "number",
            "text",
            "status",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]
        extra_kwargs = small_numbers("number", required=False)


class RecommendationViewSet(RecordViewSet):
    """Recommendations of a term, filtered like the /recommendations/ tracker."""

    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    write_rules = (_("Numbers are unique within a term."),)
    ordering_fields = ["number", "id", "status"]

    def get_queryset(self) -> models.QuerySet[Recommendation]:
        return Recommendation.objects.select_related("chairmanship").order_by("-chairmanship__start_date", "number")

    def save_record(self, *, data: Mapping[str, Any], instance: Recommendation | None) -> Recommendation:
        return services.recommendation_save(data=data, recommendation=instance)


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
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]


class EndorsementFilter(django_filters.FilterSet):
    chairmanship = django_filters.ModelChoiceFilter(
        label=_("Chairmanship of the output"),
        queryset=Chairmanship.objects.all(),
        to_field_name="slug",
        field_name="output__chairmanship",
    )

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
        return services.record_save(instance=instance or Endorsement(), data=data)


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
            "text",
            "addressed_to",
            "due_date",
            "due_note",
            "status",
            "resolution",
            "resolved_in",
            "continues",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]
        extra_kwargs = small_numbers("number", required=False)


class CarryForwardIssueViewSet(RecordViewSet):
    """Issues a chair hands to the next, filtered like the /carry-forward/ tracker."""

    serializer_class = CarryForwardIssueSerializer
    filterset_class = CarryForwardIssueFilter
    write_rules = (
        _("Numbers are unique within the term that hands the issues over."),
        _("An issue is carried forward into a term once, and never continues itself."),
    )
    ordering_fields = ["number", "id", "due_date", "status"]

    def get_queryset(self) -> models.QuerySet[CarryForwardIssue]:
        return CarryForwardIssue.objects.select_related("handed_over_in", "origin", "resolved_in").order_by(
            "handed_over_in__start_date", "number", "pk"
        )

    def save_record(self, *, data: Mapping[str, Any], instance: CarryForwardIssue | None) -> CarryForwardIssue:
        return services.carry_forward_issue_save(data=data, issue=instance)
