"""Writes of agencies, terms and what a chair reports, shared by the API and scripts.

Every write sets the fields, validates the whole record (`full_clean()`:
field checks, the model's `clean()`, unique fields and the named
constraints) and only then saves, in one transaction, so bad input is a
`ValidationError` naming the field and never an `IntegrityError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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


# Carrying issues forward -------------------------------------------------------


@dataclass(frozen=True)
class CarryForwardResult:
    """What carry_forward_issues() did: the copies it made and how many were there already."""

    source: Chairmanship
    target: Chairmanship
    carried: list[CarryForwardIssue]
    already_there: int

    @property
    def message(self) -> str:
        """'Carried 14 issues from 2014-ilo to 2015-wb; 0 already there.'"""
        return ngettext(
            "Carried %(n)d issue from %(source)s to %(target)s; %(there)d already there.",
            "Carried %(n)d issues from %(source)s to %(target)s; %(there)d already there.",
            len(self.carried),
        ) % {
            "n": len(self.carried),
            "source": self.source.slug,
            "target": self.target.slug,
            "there": self.already_there,
        }


@transaction.atomic
def carry_forward_issues(*, source: Chairmanship, target: Chairmanship) -> CarryForwardResult:
    """Copy every open or in-progress issue handed over in `source` into the list of `target`.

    Each copy is handed over in `target`, continues the original (its
    lineage), and keeps its origin, text, addressee, deadline and status;
    copies are numbered after the target's existing issues, in the source's
    order. An issue already continued into `target` is left alone, so
    running this twice changes nothing. `target` must start after `source`
    ends (a ValidationError on "target" otherwise).
    """
    if target.pk == source.pk or target.start_date <= source.end_date:
        raise ValidationError(
            {
                "target": _("%(target)s does not start after %(source)s ends (%(end)s).")
                % {"target": target.slug, "source": source.slug, "end": source.end_date.isoformat()}
            }
        )
    # Lock the target term so two secretariat members carrying forward at
    # once queue up instead of racing for the same numbers (no-op on SQLite).
    Chairmanship.objects.select_for_update().filter(pk=target.pk).exists()
    originals = list(CarryForwardIssue.objects.filter(handed_over_in=source).unresolved().order_by("number", "pk"))
    continued = set(
        CarryForwardIssue.objects.filter(handed_over_in=target, continues__in=originals).values_list(
            "continues_id", flat=True
        )
    )
    number = next_number(model=CarryForwardIssue, parent_field="handed_over_in", parent=target) - 1
    carried = []
    for original in originals:
        if original.pk in continued:
            continue
        number += 1
        copy = CarryForwardIssue(
            handed_over_in=target,
            origin_id=original.origin_id,
            number=number,
            text=original.text,
            addressed_to=original.addressed_to,
            due_date=original.due_date,
            due_note=original.due_note,
            status=original.status,
            resolution=original.resolution,
            continues=original,
        )
        copy.full_clean()
        copy.save()
        carried.append(copy)
    return CarryForwardResult(source=source, target=target, carried=carried, already_there=len(continued))
