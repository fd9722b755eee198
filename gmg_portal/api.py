"""The base of every API resource: serializers, the viewset, errors and their documentation.

A resource's viewset (chairmanship/api.py, workplan/api.py, reports/api.py)
subclasses `RecordViewSet`: it scopes and joins its queryset in
get_queryset() and writes through a domain service in save_record()
(`saved_by`). What every resource shares is decided here once:

- reads are public and answered from the page cache for anonymous callers
  while the data is unchanged (gmg_portal/page_cache.py); writes need the
  secretariat (gmg_portal/permissions.py), by token or session;
- a Django ValidationError from a service is a 400 whose keys are the fields;
- no lost updates (gmg_portal/concurrency.py): a record's detail and the
  answer to a write carry its ETag; PUT, PATCH and DELETE with an If-Match
  that is not the current ETag are a 412 and write nothing; a write that loses
  a race without If-Match is a 409;
- the OpenAPI schema documents every error response and who may call what.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Any
from typing import TypeVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import serializer_fields
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework import serializers
from rest_framework import status
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from gmg_portal import concurrency
from gmg_portal.page_cache import PublicReadCacheMixin
from gmg_portal.parsers import JSONParser
from gmg_portal.records import RecordInUse
from gmg_portal.records import errors_by_field
from gmg_portal.records import record_delete

RecordT = TypeVar("RecordT", bound=models.Model)

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


def small_numbers(*names: str, required: bool = True) -> dict[str, dict[str, Any]]:
    return {name: {"min_value": 0, "max_value": SMALL_MAX, "required": required} for name in names}


NULLABLE_STRING = serializers.CharField(allow_null=True)

# The fields every record has, read-only, last in each serializer's fields.
RECORD_META = ["version", "created_at", "updated_at"]


class CountryCodeField(serializer_fields.CountryField):
    """A country as its ISO code (or name), "" for none: django-countries also reads {}, [], 0 or false as none,
    which erased a stored country without a word."""

    def to_internal_value(self, data):
        if not isinstance(data, str | dict) or (isinstance(data, dict) and not isinstance(data.get("code"), str)):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class RecordSerializer(CountryFieldMixin, serializers.ModelSerializer):
    """Countries as ISO codes; whole-record validation happens in the service, not in DRF's validators."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializer_fields.CountryField:
            field_class = CountryCodeField
        return field_class, field_kwargs

    def get_unique_together_validators(self) -> list:
        return []


def drf_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    errors = errors_by_field(error)
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
        raise NotImplementedError  # see saved_by()

    # No lost updates (gmg_portal.concurrency): the service claims the version this request read (the one
    # If-Match was checked against) in one UPDATE, so of two concurrent writers only one succeeds.

    def get_object(self) -> models.Model:
        record = super().get_object()
        if self.request.method in ("PUT", "PATCH", "DELETE"):
            if not concurrency.if_match_allows(self.request.headers.get("If-Match"), record):
                raise concurrency.PreconditionFailed()
        self._etag_record = record
        return record

    @contextmanager
    def _writing(self, instance: models.Model | None) -> Iterator[None]:
        """A write of `instance` (None: a new record): a stale version is a 412 (If-Match) or a 409."""
        if instance is not None:
            # The history names the token's user too (request.user is set inside DRF's view).
            instance._history_user = self.request.user
        try:
            yield
        except concurrency.StaleVersion as error:
            if self.request.headers.get("If-Match"):
                raise concurrency.PreconditionFailed() from error
            raise concurrency.EditConflict() from error

    def _save(self, serializer: serializers.BaseSerializer, instance: models.Model | None) -> None:
        try:
            with self._writing(instance):
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
            with self._writing(instance):
                record_delete(instance=instance)
        except RecordInUse as error:
            raise Conflict(str(error)) from error

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_etag_record", None)
        writes = ("create", "update", "partial_update")
        if record is not None and response.status_code in (200, 201) and self.action in ("retrieve", *writes):
            response["ETag"] = concurrency.etag_for(record)
        return response


def saved_by(service: Callable[..., RecordT], record: str) -> Callable[..., RecordT]:
    """A viewset's save_record() writing through a domain service: `service(data=…, <record>=instance)`.

    `save_record = saved_by(services.event_save, "event")`; instance is None for a new record.
    """

    def save_record(self: RecordViewSet, *, data: Mapping[str, Any], instance: RecordT | None) -> RecordT:
        return service(data=data, **{record: instance})

    return save_record
