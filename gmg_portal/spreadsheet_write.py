"""Writing a checked spreadsheet (gmg_portal/spreadsheet_import.py `check_rows`): every row, or none.

One short transaction: the versions of the updated records claimed together
(gmg_portal.concurrency.claim_versions), the records and their many-to-many
links with bulk inserts and updates, and their history (django-simple-history's
bulk history, links included). A refusal names the rows, found by checking
them again once the transaction is rolled back.
"""

from __future__ import annotations

import copy

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import models
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.baseline import history_baselines
from gmg_portal.cache import data_generation_bump
from gmg_portal.concurrency import STALE_MESSAGE
from gmg_portal.concurrency import claim_versions
from gmg_portal.spreadsheet_import import CLAIMS_PER_QUERY
from gmg_portal.spreadsheet_import import IDS_PER_QUERY
from gmg_portal.spreadsheet_import import Plan
from gmg_portal.spreadsheet_import import PlannedRow
from gmg_portal.spreadsheet_import import RowProblem
from gmg_portal.spreadsheet_import import RowsRefused
from gmg_portal.spreadsheet_import import check_unique
from gmg_portal.spreadsheet_import import chunks
from gmg_portal.spreadsheet_import import field_errors
from gmg_portal.spreadsheet_import import link_table


def write_rows(plan: Plan, *, user: AbstractBaseUser | None = None) -> None:
    """Write what `check_rows` planned, in one transaction: every row, or none (RowsRefused names the rows).

    A record saved by someone else since it was checked is refused (its
    version moved); a clash with a record written meanwhile is named by
    checking the rows again once the transaction is rolled back.
    """
    if not plan.writable:
        raise RowsRefused(plan.problems)
    try:
        with transaction.atomic():
            _claim_versions(plan.model, plan.updated)
            _write(plan, user=user)
    except IntegrityError as exc:
        raise RowsRefused(_why_refused(plan, exc)) from exc


def _claim_versions(model: type[models.Model], updated: list[PlannedRow]) -> None:
    """Each updated record moved from the version it was checked at to the next (gmg_portal.concurrency):
    a record someone saved since the check is refused, naming its row."""
    if not updated or not hasattr(model, "version"):
        return
    for chunk in chunks(updated, CLAIMS_PER_QUERY):
        stale = set(
            claim_versions(model=model, expected={planned.instance.pk: planned.read_version for planned in chunk})
        )
        if stale:
            raise RowsRefused(
                [
                    RowProblem(number=p.number, errors={NON_FIELD_ERRORS: [str(STALE_MESSAGE)]}, values=p.values)
                    for p in chunk
                    if p.instance.pk in stale
                ]
            )


def _write(plan: Plan, *, user: AbstractBaseUser | None) -> None:
    model = plan.model
    now = timezone.now()
    updated = [planned.instance for planned in plan.updated]
    if updated:
        # The stored state first, for records that came without history (loaded from a fixture).
        stored = model._base_manager.in_bulk([instance.pk for instance in updated])
        for planned in plan.updated:
            stored[planned.instance.pk].version = planned.read_version
        history_baselines(stored.values())
        for instance in updated:
            instance.version += 1
            if hasattr(instance, "updated_at"):
                instance.updated_at = now
        names = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in ("created_at",)]
        model._base_manager.bulk_update(updated, names, batch_size=500)
    created = model._base_manager.bulk_create([planned.instance for planned in plan.new], batch_size=500)
    for planned, instance in zip(plan.new, created, strict=True):
        planned.instance = instance
    _write_links(model, new=plan.new, updated=plan.updated)
    _write_history(model, created, updated, user=user, when=now)
    data_generation_bump()  # bulk writes send no save signal: what was remembered of the old data is forgotten


def _write_links(model: type[models.Model], *, new: list[PlannedRow], updated: list[PlannedRow]) -> None:
    """The links each row names replace the record's links of that column (columns not in the file are kept)."""
    names = {name for planned in [*new, *updated] for name in planned.many}
    for name in sorted(names):
        through, source, target = link_table(model, name)
        owners = [planned for planned in [*new, *updated] if name in planned.many]
        for chunk in chunks([planned.instance.pk for planned in updated if name in planned.many], IDS_PER_QUERY):
            through.objects.filter(**{f"{source}__in": chunk}).delete()
        links = [
            through(**{source: planned.instance.pk, target: other})
            for planned in owners
            for other in sorted(planned.many[name])
        ]
        through.objects.bulk_create(links, batch_size=500)


def _write_history(model, created, updated, *, user, when) -> None:
    """One history entry per record written ("+" new, "~" changed), with its links, as a save would record."""
    history = getattr(model, "history", None)
    if history is None:
        return
    for instance in [*created, *updated]:
        instance._history_date = when
    entries = history.bulk_history_create(created, default_user=user, batch_size=500) or []
    entries += history.bulk_history_create(updated, update=True, default_user=user, batch_size=500) or []
    link_fields = getattr(history.model, "_history_m2m_fields", [])
    if not entries or not link_fields:
        return
    entry_of = {getattr(entry, model._meta.pk.attname): entry for entry in entries}
    for m2m in link_fields:
        link_history = getattr(history.model, m2m.name).model
        through, source, target = link_table(model, m2m.name)
        rows = []
        for chunk in chunks(sorted(entry_of), IDS_PER_QUERY):
            for link_id, owner, other in through.objects.filter(**{f"{source}__in": chunk}).values_list(
                "pk", source, target
            ):
                rows.append(link_history(id=link_id, history=entry_of[owner], **{source: owner, target: other}))
        link_history.objects.bulk_create(rows, batch_size=500)


def _why_refused(plan: Plan, error: IntegrityError) -> list[RowProblem]:
    """The rows the database refused, found by checking them again now that the transaction is rolled back."""
    again = Plan(model=plan.model, headers=plan.headers, total_rows=plan.total_rows)
    again.new = [PlannedRow(p.number, _fresh(p.instance), p.many, p.values) for p in plan.new]
    again.updated = list(plan.updated)
    check_unique(again)
    if again.problems:
        return again.problems
    # Something other than a unique rule: each row's constraints, checked as a form would (only on this failure).
    problems = []
    for planned in [*again.new, *again.updated]:
        try:
            planned.instance.validate_constraints()
        except ValidationError as exc:
            problems.append(RowProblem(planned.number, field_errors(exc), planned.values))
    if problems:
        return problems
    message = _("The database refused the file: %(error)s") % {"error": error}
    return [RowProblem(number=0, errors={NON_FIELD_ERRORS: [message]}, values=[])]


def _fresh(instance: models.Model) -> models.Model:
    """The record as it was before the rolled-back insert gave it a primary key."""
    copied = copy.copy(instance)
    copied.pk = None
    copied._state.adding = True
    return copied
