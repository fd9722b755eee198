"""Writes of agencies, terms and what a chair reports, shared by the API and scripts.

Every write sets the fields, validates the whole record (`full_clean()`:
field checks, the model's `clean()`, unique fields and the named
constraints) and only then saves, in one transaction, so bad input is a
`ValidationError` naming the field and never an `IntegrityError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from chairmanship.models import Accomplishment, Agency, CarryForwardIssue, Chairmanship, Recommendation

M = TypeVar("M", bound=models.Model)

# (start, end) field pairs that must be in order, checked before the database's
# CheckConstraint so the error names the field instead of the constraint.
DATE_PAIRS = (("start_date", "end_date"), ("start_year", "end_year"))


def check_date_order(*, instance: models.Model) -> None:
    """Raise a ValidationError on the end field when a record ends before it starts."""
    for start_name, end_name in DATE_PAIRS:
        start = getattr(instance, start_name, None)
        end = getattr(instance, end_name, None)
        if start is not None and end is not None and start > end:
            label = _("date") if start_name.endswith("date") else _("year")
            raise ValidationError(
                {end_name: _("The end %(what)s must not be before the start %(what)s.") % {"what": label}}
            )


def errors_by_field(error: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field: [messages]}; a broken "unique within a term" names its own field.

    Django reports a violated UniqueConstraint over (term, number) as a
    non-field error; the caller wants to know it is the number that clashes.
    """
    if not hasattr(error, "error_dict"):
        return {NON_FIELD_ERRORS: list(error.messages)}
    result: dict[str, list[str]] = {}
    for field, errors in error.error_dict.items():
        for item in errors:
            key = field
            params = item.params or {}
            if field == NON_FIELD_ERRORS and item.code == "unique_together" and params.get("unique_check"):
                key = params["unique_check"][-1]
            result.setdefault(key, []).extend(item.messages)
    return result


def next_number(*, model: type[models.Model], parent_field: str, parent: models.Model | None) -> int:
    """The next free number in a term's numbered list (1 for the first)."""
    if parent is None or parent.pk is None:
        return 1
    highest = model.objects.filter(**{parent_field: parent}).aggregate(n=Max("number"))["n"]
    return (highest or 0) + 1


@transaction.atomic
def record_save(
    *,
    instance: M,
    data: Mapping[str, Any],
    prepare: Callable[[M], None] | None = None,
) -> M:
    """Set `data` on the record (plain fields, then many-to-many sets), validate it all, save it.

    `prepare` runs after the fields are set and before validation: it fills
    in derived values (a slug, a default end date, the next number).
    A record updated through here gets its `version` bumped.
    """
    many_to_many = {field.name for field in instance._meta.many_to_many}
    for name, value in data.items():
        if name not in many_to_many:
            setattr(instance, name, value)
    if prepare is not None:
        prepare(instance)
    check_date_order(instance=instance)
    instance.full_clean()
    if not instance._state.adding:
        instance.version += 1
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        # A concurrent write won the race the validation above checked for.
        raise ValidationError(_("This record conflicts with another one: %(error)s") % {"error": exc}) from exc
    for name, value in data.items():
        if name in many_to_many:
            getattr(instance, name).set(value)
    return instance


def _numbered(model: type[models.Model], parent_field: str) -> Callable[[models.Model], None]:
    def prepare(instance: models.Model) -> None:
        if getattr(instance, "number", None) is None:
            parent = getattr(instance, parent_field, None)
            instance.number = next_number(model=model, parent_field=parent_field, parent=parent)

    return prepare


# Agencies and terms -----------------------------------------------------------


def agency_save(*, data: Mapping[str, Any], agency: Agency | None = None) -> Agency:
    """Create an agency (acronym and name are enough) or update one."""
    return record_save(instance=agency or Agency(), data=data)


def _derive_term_slug(term: Chairmanship) -> None:
    if not term.slug and term.agency_id and term.start_date:
        term.slug = term.derive_slug()


def chairmanship_save(*, data: Mapping[str, Any], chairmanship: Chairmanship | None = None) -> Chairmanship:
    """Create a term (agency, dates and theme are enough; the slug is derived) or update one.

    An overlapping term is refused with a message naming the term it
    overlaps (Chairmanship.clean()).
    """
    return record_save(instance=chairmanship or Chairmanship(), data=data, prepare=_derive_term_slug)


# What a chair reports ---------------------------------------------------------


def accomplishment_save(*, data: Mapping[str, Any], accomplishment: Accomplishment | None = None) -> Accomplishment:
    """Create (numbered next in its term when no number is given) or update a key accomplishment."""
    return record_save(
        instance=accomplishment or Accomplishment(),
        data=data,
        prepare=_numbered(Accomplishment, "chairmanship"),
    )


def recommendation_save(*, data: Mapping[str, Any], recommendation: Recommendation | None = None) -> Recommendation:
    return record_save(
        instance=recommendation or Recommendation(),
        data=data,
        prepare=_numbered(Recommendation, "chairmanship"),
    )


def _prepare_issue(issue: CarryForwardIssue) -> None:
    # An issue raised in the term that hands it over needs no separate origin.
    if issue.origin_id is None and issue.handed_over_in_id is not None:
        issue.origin_id = issue.handed_over_in_id
    _numbered(CarryForwardIssue, "handed_over_in")(issue)
    if issue.continues_id is not None and issue.handed_over_in_id is not None:
        if issue.continues_id == issue.pk:
            raise ValidationError({"continues": _("An issue cannot continue itself.")})
        twice = (
            CarryForwardIssue.objects.filter(handed_over_in_id=issue.handed_over_in_id, continues_id=issue.continues_id)
            .exclude(pk=issue.pk)
            .exists()
        )
        if twice:
            raise ValidationError({"continues": _("This issue is already carried forward into that term.")})


def carry_forward_issue_save(*, data: Mapping[str, Any], issue: CarryForwardIssue | None = None) -> CarryForwardIssue:
    """Create or update a carry-forward issue; its origin defaults to the term that hands it over."""
    return record_save(instance=issue or CarryForwardIssue(), data=data, prepare=_prepare_issue)


class RecordInUse(Exception):
    """A record other records still refer to (a protected reference) cannot be deleted."""


def record_delete(*, instance: models.Model) -> None:
    """Delete a record; refused with RecordInUse while other records still need it."""
    try:
        with transaction.atomic():
            instance.delete()
    except (models.ProtectedError, models.RestrictedError) as exc:
        blocking = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or []
        names = sorted({str(obj) for obj in blocking})
        raise RecordInUse(
            _("%(record)s is still referred to by: %(names)s.") % {"record": instance, "names": "; ".join(names[:10])}
        ) from exc
