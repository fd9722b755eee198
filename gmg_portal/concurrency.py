"""No lost updates: optimistic locking on every record's `version` (gmg_portal.db.TrackedModel).

A writer says which version it read; the write first moves the stored
version from that number to the next in one statement,

    UPDATE … SET version = N + 1 WHERE id = … AND version = N

and only then saves. When the statement changes no row, someone else saved
first: the write is refused (StaleVersion) and their edit stays. The UPDATE
also locks the row until the transaction ends (PostgreSQL), so of two
writers who both read version N exactly one succeeds.

Used by the admin (VersionedAdminMixin: a hidden `loaded_version` field on
every change form and inline row) and by the API (ETag / If-Match, see
chairmanship.api.RecordViewSet).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db import router
from django.db import transaction
from django.http import HttpRequest
from django.http import HttpResponse
from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework import status

from audit.baseline import history_baseline

STALE_MESSAGE = _(
    "Someone else changed this record while you were editing it; your changes were not saved. "
    "Reload to see their version."
)
VERSION_FIELD = "loaded_version"


class StaleVersion(Exception):
    """The stored record is no longer at the version the writer read."""


def claim_version(*, instance: models.Model, expected: int) -> int:
    """Move the stored version of `instance` from `expected` to expected + 1 in one UPDATE; return the new version.

    Raises StaleVersion when the stored version is not `expected` (someone
    else saved first) or the record is gone. Call it inside the write's
    transaction, before saving: on PostgreSQL the row stays locked until the
    transaction ends, so a concurrent writer's claim waits and then fails.
    The caller saves the instance with the returned version. A record that
    has no history yet (loaded from a fixture) gets its stored state recorded
    first, so the change can be compared with it and reverted.
    """
    updated = (
        type(instance)._base_manager.filter(pk=instance.pk, version=expected).update(version=models.F("version") + 1)
    )
    if updated != 1:
        raise StaleVersion(f"{instance._meta.label} {instance.pk}: not at version {expected}")
    history_baseline(instance=instance, version=expected)  # under the row lock: one writer records it
    return expected + 1


def claim_versions(*, model: type[models.Model], expected: dict[Any, int]) -> list[Any]:
    """`claim_version` for many records of one model at once (an import): all of them move on, or none.

    `expected` maps each primary key to the version the writer read. The rows
    are locked and their versions read (PostgreSQL locks the rows; SQLite's
    write transaction holds the whole database); if any moved on since, or is
    gone, nothing is claimed and their keys are returned; otherwise every
    version moves to the next in one UPDATE and the list is empty. The caller
    records the history baselines (in bulk) and saves at expected + 1.
    """
    keys = list(expected)
    stored = dict(model._base_manager.select_for_update().filter(pk__in=keys).values_list("pk", "version"))
    stale = [key for key in keys if stored.get(key) != expected[key]]
    if not stale:
        model._base_manager.filter(pk__in=keys).update(version=models.F("version") + 1)
    return stale


# The API: ETag and If-Match ---------------------------------------------------------


def etag_for(instance: models.Model) -> str:
    """A record's entity tag: its id and version, `"42-3"` (strong: it changes with every save)."""
    return f'"{instance.pk}-{instance.version}"'


def if_match_allows(header: str | None, instance: models.Model) -> bool:
    """Whether an If-Match header lets a write to `instance` go ahead (no header: yes).

    `*` matches any existing record; a weak tag (`W/"42-3"`, as a proxy that
    compresses may pass it on) counts as its strong form.
    """
    if not header:
        return True
    tags = parse_etags(header)
    if tags == ["*"]:
        return True
    current = etag_for(instance)
    return any(tag.removeprefix("W/") == current for tag in tags)


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The record has changed since you read it (If-Match does not match its ETag); nothing was written. "
        "Read it again, then retry with its new ETag."
    )
    default_code = "precondition_failed"


class EditConflict(exceptions.APIException):
    """A write without If-Match that lost a race with another write to the same record."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Someone else changed this record while you were writing it; nothing was written. Retry.")
    default_code = "edit_conflict"


# The admin ---------------------------------------------------------------------------


class VersionedModelForm(forms.ModelForm):
    """A change form that carries the version it was loaded with and refuses to save over a newer one.

    `stored_version` is set (by VersionedAdminMixin) when the form edits a
    copy of the record that is not the stored one, such as an earlier
    version about to be reverted to: the stored version is what counts.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    stored_version: int | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self._is_stored():
            self.fields[VERSION_FIELD].initial = self.current_version()

    def _is_stored(self) -> bool:
        return self.instance.pk is not None and not self.instance._state.adding

    def current_version(self) -> int:
        return self.stored_version if self.stored_version is not None else self.instance.version

    def expected_version(self) -> int:
        """The version this form was loaded with; without one (a hand-made POST), the one read now."""
        loaded = self.cleaned_data.get(VERSION_FIELD) if hasattr(self, "cleaned_data") else None
        return loaded if loaded is not None else self.current_version()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        loaded = cleaned.get(VERSION_FIELD)
        if self._is_stored() and loaded is not None and loaded != self.current_version():
            raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return cleaned


def _expected(form: forms.ModelForm) -> int:
    return form.expected_version() if isinstance(form, VersionedModelForm) else form.instance.version


def _with_version_field(fieldsets: list) -> list:
    if VERSION_FIELD in flatten_fieldsets(fieldsets):
        return fieldsets
    # A fieldset of its own: the admin hides a row whose only field is hidden.
    return [*fieldsets, (None, {"fields": [VERSION_FIELD]})]


class VersionedInlineMixin:
    """For admin inlines: each row carries its record's version, and a stale row is refused."""

    form = VersionedModelForm

    def get_fieldsets(self, request: HttpRequest, obj: models.Model | None = None) -> list:
        return _with_version_field(super().get_fieldsets(request, obj))


class VersionedAdminMixin:
    """For ModelAdmins (before SimpleHistoryAdmin in the bases): optimistic locking on change and revert.

    - The change form and every inline row carry the version they were
      loaded with; a save whose version is no longer the stored one is
      refused on the page with STALE_MESSAGE and nothing is written.
    - The save itself claims the version (claim_version), so two people who
      pass that check at the same moment cannot both write: the second one
      is shown the same refusal.
    - Reverting to an earlier version (django-simple-history's form) counts
      as a new version of the stored record, never a step back.
    """

    form = VersionedModelForm

    def get_fieldsets(self, request: HttpRequest, obj: models.Model | None = None) -> list:
        return _with_version_field(super().get_fieldsets(request, obj))

    def get_form(self, request: HttpRequest, obj: models.Model | None = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)
        stored = getattr(request, "_gmg_stored_version", None)
        if stored is not None:
            form = type(form.__name__, (form,), {"stored_version": stored})
        return form

    def save_model(self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool) -> None:
        if change and getattr(request, "_gmg_stored_version", 0) is not None:
            obj.version = claim_version(instance=obj, expected=_expected(form))
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        for row in formset.initial_forms:
            if row in formset.deleted_forms or not row.has_changed() or row.instance.pk is None:
                continue
            row.instance.version = claim_version(instance=row.instance, expected=_expected(row))
        super().save_formset(request, form, formset, change)

    def changeform_view(self, request: HttpRequest, object_id: str | None = None, *args: Any, **kwargs: Any):
        try:
            return super().changeform_view(request, object_id, *args, **kwargs)
        except StaleVersion:
            # Someone saved between this form's check and its write; the
            # view's transaction rolled everything back. Run it once more: the
            # check now sees their version and refuses on the page.
            return super().changeform_view(request, object_id, *args, **kwargs)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        # django-simple-history lets anyone who may view a record post its revert form: reverting is an
        # edit (or, for a deleted record, an addition), so it needs the permission that edit needs.
        stored = self.model._base_manager.filter(pk=unquote(object_id)).exists()
        if request.method == "POST" and not (
            self.has_change_permission(request) if stored else self.has_add_permission(request)
        ):
            raise PermissionDenied

        def run() -> HttpResponse:
            # The form shows the earlier version; the version that counts is the stored one
            # (None when the record was deleted: reverting restores it).
            request._gmg_stored_version = (
                self.model._base_manager.filter(pk=unquote(object_id)).values_list("version", flat=True).first()
            )
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super(VersionedAdminMixin, self).history_form_view(request, object_id, version_id, extra_context)

        try:
            return run()
        except StaleVersion:
            return run()
