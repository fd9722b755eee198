"""Writing a record: checked whole, saved at its next version, all or nothing — the path every service takes.

The domain services (chairmanship/services.py, workplan/services.py) set the
fields they are given and derive the rest through `record_save`, which
validates the whole record (`full_clean()`: field checks, the model's
`clean()` — dates in order, terms that do not overlap —, unique fields and
the named constraints) and only then saves, in one transaction, so bad input
is a `ValidationError` naming the field and never an `IntegrityError`. An
update claims the version it was read at (gmg_portal/concurrency.py), so an
edit made from a stale copy is refused instead of overwriting someone else's.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from typing import Any
from typing import TypeVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import models
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from gmg_portal.concurrency import claim_version

M = TypeVar("M", bound=models.Model)


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
    """The next free number in a numbered list of a parent (1 for the first)."""
    if parent is None or parent.pk is None:
        return 1
    highest = model.objects.filter(**{parent_field: parent}).aggregate(n=Max("number"))["n"]
    return (highest or 0) + 1


def numbered(model: type[models.Model], parent_field: str) -> Callable[[models.Model], None]:
    """A `prepare` for record_save: a record given no number takes the next one of its parent."""

    def prepare(instance: models.Model) -> None:
        if getattr(instance, "number", None) is None:
            parent = getattr(instance, parent_field, None)
            instance.number = next_number(model=model, parent_field=parent_field, parent=parent)

    return prepare


@transaction.atomic
def record_save(*, instance: M, data: Mapping[str, Any], prepare: Callable[[M], None] | None = None) -> M:
    """Set `data` on the record (plain fields, then many-to-many sets), validate it all, save it.

    `prepare` runs after the fields are set and before validation: it fills
    in derived values (a slug, a default end date, the next number). An
    update claims the version the record was read at (StaleVersion if
    someone saved since) and is saved at the next one.
    """
    many_to_many = {field.name for field in instance._meta.many_to_many}
    for name, value in data.items():
        if name not in many_to_many:
            setattr(instance, name, value)
    if prepare is not None:
        prepare(instance)
    instance.full_clean()
    if not instance._state.adding:
        instance.version = claim_version(instance=instance, expected=instance.version)
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


class RecordInUse(Exception):
    """A record other records still refer to (a protected reference) cannot be deleted."""


@transaction.atomic
def record_delete(*, instance: models.Model) -> None:
    """Delete a record read at its current version; refused with RecordInUse while other records still need it."""
    claim_version(instance=instance, expected=instance.version)
    try:
        with transaction.atomic():
            instance.delete()
    except (models.ProtectedError, models.RestrictedError) as exc:
        blocking = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or []
        names = sorted({str(obj) for obj in blocking})
        raise RecordInUse(
            _("%(record)s is still referred to by: %(names)s.") % {"record": instance, "names": "; ".join(names[:10])}
        ) from exc
