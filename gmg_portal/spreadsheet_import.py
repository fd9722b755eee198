"""Importing a spreadsheet in bulk: every row checked first, then all of them written in one short transaction.

The rows are read with the resource's own columns and widgets
(gmg_portal/spreadsheets.py: natural keys, dates, lists, formulas), so a
file means exactly what it meant before; what changed is how many queries it
takes. django-import-export saves each row (and rolls it back in a preview),
about 30 ms a row; here the work is split so that the number of queries does
not grow with the rows:

1. `check_rows()` reads the records the file names by id and their
   many-to-many links in one query each (per 900 ids), looks up natural keys
   through the resource's lookups (one query per kind of record), validates
   each row in Python (`full_clean()` without the per-row database checks),
   then checks the unique constraints for all rows at once (one query per
   constraint). A row whose values equal the stored record is unchanged.
2. `write_rows()` (gmg_portal/spreadsheet_write.py) writes what the check
   planned, in one transaction: the versions of the updated records claimed
   in one UPDATE per 900 records (so a
   record someone saved meanwhile is refused, as in the admin), the records
   and their many-to-many links with bulk inserts and updates, and their
   history (django-simple-history's bulk history, links included). Any failure
   rolls the whole file back: all or nothing.

Nothing here knows a domain app: the resource names the model and the columns.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils.translation import gettext as _
from import_export import widgets

from gmg_portal.db import is_id
from gmg_portal.records import errors_by_field
from gmg_portal.spreadsheets import PortalResource
from gmg_portal.spreadsheets import restore_formula

# SQLite accepts 999 parameters in a statement; PostgreSQL many more. One size keeps both simple.
IDS_PER_QUERY = 900
# Records whose versions are claimed in one statement.
CLAIMS_PER_QUERY = IDS_PER_QUERY
# Rows shown in a preview of a valid file (the counts cover every row); rows with errors are all listed
# up to ERRORS_SHOWN, and every failing row is named.
PREVIEW_ROWS = 100
ERRORS_SHOWN = 1000

Progress = Callable[[int, int], None]


# Import types, as django-import-export names them (and its stylesheet colours them).
IMPORT_NEW, IMPORT_UPDATE, IMPORT_SKIP = "new", "update", "skip"


@dataclass
class RowProblem:
    number: int  # 1 for the first row under the header
    errors: dict[str, list[str]]
    values: list[str]


@dataclass
class PlannedRow:
    number: int
    instance: models.Model
    many: dict[str, set[int]]  # many-to-many field name -> the primary keys the row names
    values: list[str]
    read_version: int | None = None  # the stored version an update (or an unchanged row) was checked against


@dataclass
class Plan:
    """What checking a file found: the rows to write, the rows unchanged, and every row's problems."""

    model: type[models.Model]
    headers: list[str] = field(default_factory=list)
    total_rows: int = 0
    new: list[PlannedRow] = field(default_factory=list)
    updated: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    refusal: str = ""  # the file as a whole cannot be imported (its columns)

    @property
    def writable(self) -> bool:
        return not self.refusal and not self.problems

    def as_json(self, *, written: bool) -> dict[str, Any]:
        """The result a job keeps: counts, every failing row named, the first rows for a preview.

        A NUL a cell held (or an error quoted) is shown as the symbol for null: PostgreSQL's JSON holds none.
        """
        return _without_nul(self._as_dict(written=written))

    def _as_dict(self, *, written: bool) -> dict[str, Any]:
        problems = sorted(self.problems, key=lambda problem: problem.number)
        planned = sorted([*self.new, *self.updated, *self.unchanged], key=lambda row: row.number)
        kinds = {id(row): IMPORT_NEW for row in self.new} | {id(row): IMPORT_UPDATE for row in self.updated}
        return {
            "model": self.model._meta.label_lower,
            "headers": self.headers,
            "rows": self.total_rows,
            "new": len(self.new),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "invalid": len(problems),
            "refusal": self.refusal,
            "written": written,
            "failed_rows": [problem.number for problem in problems],
            "errors": [
                {"row": problem.number, "errors": problem.errors, "values": problem.values}
                for problem in problems[:ERRORS_SHOWN]
            ],
            "preview": [
                {"row": row.number, "type": kinds.get(id(row), IMPORT_SKIP), "values": row.values}
                for row in planned[:PREVIEW_ROWS]
            ],
            # The versions the check saw of the records the file names: confirming refuses any changed since.
            "versions": {str(row.instance.pk): row.read_version for row in [*self.updated, *self.unchanged]},
        }

    def refuse_changed_since(self, versions: dict[str, int | None]) -> None:
        """Refuse the rows whose record was saved since the preview that showed them (`versions`, from as_json).

        The preview said what confirming would change; a record saved meanwhile, by the admin or the API,
        would otherwise be overwritten with the file's values without anyone having seen it.
        """
        for row in [*self.updated, *self.unchanged]:
            seen = versions.get(str(row.instance.pk), row.read_version)
            if seen != row.read_version:
                message = _(
                    "This %(what)s was saved by someone else after the preview: upload the file again to see "
                    "what confirming would change now."
                ) % {"what": self.model._meta.verbose_name}
                self.problems.append(RowProblem(number=row.number, errors={"id": [message]}, values=row.values))


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\u2400")
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


class RowsRefused(Exception):
    """Rows that failed while the file was being written (the transaction was rolled back)."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} rows refused")
        self.problems = problems


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def is_many(import_field) -> bool:
    return isinstance(import_field.widget, widgets.ManyToManyWidget)


def link_table(model: type[models.Model], name: str) -> tuple[type[models.Model], str, str]:
    """A many-to-many field's link table and the attnames of its two columns (this side, the other side)."""
    m2m = model._meta.get_field(name)
    through = m2m.remote_field.through
    return through, f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"


def _links(model: type[models.Model], name: str, pks: Iterable[int]) -> dict[int, set[int]]:
    """The linked primary keys of each record, one query per IDS_PER_QUERY records."""
    through, source, target = link_table(model, name)
    linked: dict[int, set[int]] = defaultdict(set)
    for chunk in chunks(sorted(pks), IDS_PER_QUERY):
        for owner, other in through.objects.filter(**{f"{source}__in": chunk}).values_list(source, target):
            linked[owner].add(other)
    return linked


def check_rows(resource: PortalResource, dataset: tablib.Dataset, *, progress: Progress | None = None) -> Plan:
    """Every row of `dataset` read and checked as `resource` imports it; nothing written.

    Queries: the records named by id, their links for each many-to-many column,
    one per kind of record named by natural key, one per unique constraint
    (and per IDS_PER_QUERY rows); none per row.
    """
    model = resource._meta.model
    plan = Plan(model=model, total_rows=len(dataset))
    refusal = resource.unrecognised_columns(dataset) or _repeated_columns(dataset)
    if refusal:
        plan.refusal = refusal
        return plan
    resource.before_import(dataset)  # a file without an `id` column holds new records only
    headers = [_cell(header) for header in dataset.headers]
    plan.headers = headers
    columns = set(headers)
    fields = [f for f in resource.get_import_fields() if f.column_name in columns]
    id_field = next(f for f in fields if f.column_name == "id")
    many = [f for f in fields if is_many(f)]
    plain = [f for f in fields if f is not id_field and not is_many(f)]
    rows = [
        {header: restore_formula(value) for header, value in zip(headers, values, strict=False)} for values in dataset
    ]
    total = len(rows)
    every = max(1, total // 50)  # about fifty steps of the progress bar, whatever the size

    ids: dict[int, int | None] = {}
    id_errors: dict[int, str] = {}
    for number, row in enumerate(rows, 1):
        try:
            ids[number] = id_field.clean(row)
        except ValueError as exc:
            id_errors[number] = str(exc)
        else:
            if ids[number] is not None and not is_id(model._meta.pk, ids[number]):
                id_errors[number] = _("No %(what)s has an id that large.") % {"what": model._meta.verbose_name}
                ids[number] = None
    named = {pk for pk in ids.values() if pk is not None}
    stored = model._base_manager.in_bulk(sorted(named)) if named else {}
    stored_links = {f.attribute: _links(model, f.attribute, stored) for f in many}
    choices = Choices()

    for number, row in enumerate(rows, 1):
        values = [_cell(row.get(header)) for header in headers]
        errors: dict[str, list[str]] = _null_characters(row)
        if number in id_errors:
            errors["id"] = [id_errors[number]]
        pk = ids.get(number)
        original = stored.get(pk) if pk is not None else None
        if pk is not None and original is None:
            errors["id"] = [
                _("No %(what)s with the id %(id)s: leave the id empty to add a new one.")
                % {"what": model._meta.verbose_name, "id": pk}
            ]
        instance = copy.copy(original) if original is not None else model()
        for import_field in plain:
            try:
                setattr(instance, import_field.attribute, import_field.clean(row))
            except (ValueError, ValidationError) as exc:
                errors.setdefault(import_field.attribute, []).extend(_messages(exc))
        linked: dict[str, set[int]] = {}
        for import_field in many:
            try:
                linked[import_field.attribute] = {record.pk for record in import_field.clean(row)}
            except (ValueError, ValidationError) as exc:
                errors.setdefault(import_field.attribute, []).extend(_messages(exc))
        resource.complete_instance(instance)
        exclude = {f.attribute for f in many} | set(errors)
        for name, messages in _validate(instance, exclude=exclude, choices=choices).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            plan.problems.append(RowProblem(number=number, errors=errors, values=values))
        else:
            _plan_row(
                plan,
                PlannedRow(number=number, instance=instance, many=linked, values=values),
                original,
                unchanged=original is not None and _unchanged(original, instance, linked, stored_links, plain),
            )
        if progress is not None and (number % every == 0 or number == total):
            progress(number, total)
    check_unique(plan)
    return plan


def _repeated_columns(dataset: tablib.Dataset) -> str:
    """Why a file naming a column twice is refused (which of the two would count?), else ""."""
    headers = [_cell(header) for header in dataset.headers]
    repeated = sorted({header for header in headers if headers.count(header) > 1})
    if not repeated:
        return ""
    return _("The first row names these columns more than once: %(columns)s. Keep one of each.") % {
        "columns": ", ".join(repeated)
    }


def _null_characters(row: dict[str, Any]) -> dict[str, list[str]]:
    """The cells holding a NUL character, which the admin and the API refuse too (PostgreSQL cannot store it)."""
    errors: dict[str, list[str]] = {}
    for column, value in row.items():
        try:
            ProhibitNullCharactersValidator()(value)
        except ValidationError as exc:
            errors[column] = list(exc.messages)
    return errors


def _plan_row(plan: Plan, planned: PlannedRow, original: models.Model | None, *, unchanged: bool) -> None:
    """A valid row: a new record, an unchanged one, or an update from the version it was checked at."""
    if original is None:
        plan.new.append(planned)
    else:
        planned.read_version = getattr(original, "version", None)
        (plan.unchanged if unchanged else plan.updated).append(planned)


def _messages(exc: ValueError | ValidationError) -> list[str]:
    return list(exc.messages) if isinstance(exc, ValidationError) else [str(exc)]


class Choices:
    """The values each choice field allows, read once per file.

    Django checks a choice by walking its choices, and django-countries
    translates all 250 country names for each walk: 15 ms a row, most of what
    a row's check cost. The allowed values do not change during an import.
    """

    def __init__(self) -> None:
        self._allowed: dict[models.Field, set[str]] = {}

    def allowed(self, model_field: models.Field) -> set[str]:
        if model_field not in self._allowed:
            self._allowed[model_field] = {str(key) for key, _label in model_field.flatchoices}
        return self._allowed[model_field]

    def check(self, instance: models.Model, model_field: models.Field) -> list[str]:
        """What Django's own check of a choice field says (blank, not a choice, its validators), quickly."""
        value = getattr(instance, model_field.attname)
        if value in model_field.empty_values:
            if not model_field.blank:
                return [str(model_field.error_messages["blank" if value == "" else "null"])]
            return []
        if str(value) not in self.allowed(model_field):
            return [str(model_field.error_messages["invalid_choice"] % {"value": value})]
        try:
            model_field.run_validators(value)
        except ValidationError as exc:
            return list(exc.messages)
        return []


def _validate(instance: models.Model, *, exclude: set[str], choices: Choices) -> dict[str, list[str]]:
    """The model's own checks of one record, without a query.

    Left out: the many-to-many columns (checked by their widgets), the
    columns that already failed, and a foreign key the row set, which came
    from a lookup of existing records: Django's check would ask the database
    again, once per row. Choice fields are checked against their values read
    once (`Choices`). Unique constraints are checked for all rows at once
    (`check_unique`); the database enforces the other constraints, which the
    models' `clean()` already states in words (dates in order).
    """
    skip = set(exclude)
    errors: dict[str, list[str]] = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in skip:
            continue
        if model_field.is_relation and getattr(instance, model_field.attname) is not None:
            skip.add(model_field.name)
        elif model_field.choices:
            skip.add(model_field.name)
            messages = choices.check(instance, model_field)
            if messages:
                errors[model_field.name] = messages
    try:
        instance.full_clean(exclude=skip, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        _merge(errors, errors_by_field(exc))
    return errors


def _unchanged(original, instance, linked, stored_links, plain) -> bool:
    for import_field in plain:
        model_field = instance._meta.get_field(import_field.attribute)
        if getattr(original, model_field.attname) != getattr(instance, model_field.attname):
            return False
    return all(linked[name] == stored_links[name].get(original.pk, set()) for name in linked)


def _unique_checks(model: type[models.Model]) -> list[tuple[tuple[str, ...], models.UniqueConstraint | None]]:
    """Each set of fields that must be unique together: unique fields and unique constraints on fields."""
    checks: list[tuple[tuple[str, ...], models.UniqueConstraint | None]] = [
        ((f.name,), None) for f in model._meta.concrete_fields if f.unique and not f.primary_key
    ]
    checks += [
        (tuple(constraint.fields), constraint)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and not constraint.expressions
    ]
    return checks


def check_unique(plan: Plan) -> None:
    """Rows that would break a unique rule, against the stored records or an earlier row of the file.

    One query per rule finds the candidates; Django's own validation of each
    candidate (a handful at most) gives the message a form would give.
    """
    model = plan.model
    writing = [*plan.new, *plan.updated]
    failed: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for names, constraint in _unique_checks(model):
        attnames = [model._meta.get_field(name).attname for name in names]
        first_row: dict[tuple, PlannedRow] = {}
        duplicates: list[PlannedRow] = []
        for planned in writing:
            key = tuple(getattr(planned.instance, attname) for attname in attnames)
            if any(part is None for part in key):
                continue  # a unique rule never compares empty values (and the conditional one here needs them)
            if key in first_row:
                duplicates.append(planned)
            else:
                first_row[key] = planned
        clashing: list[PlannedRow] = []
        leading = sorted({key[0] for key in first_row}, key=str)
        for chunk in chunks(leading, IDS_PER_QUERY):
            stored = model._base_manager.filter(**{f"{attnames[0]}__in": chunk}).values_list("pk", *attnames)
            for pk, *key in stored:
                planned = first_row.get(tuple(key))
                if planned is not None and planned.instance.pk != pk:
                    clashing.append(planned)
        for planned in clashing:
            try:
                if constraint is not None:
                    constraint.validate(model, planned.instance)
                else:
                    planned.instance.validate_unique()
            except ValidationError as exc:
                _merge(failed[planned.number], field_errors(exc))
        for planned in duplicates:
            message = (
                planned.instance.unique_error_message(model, names)
                if constraint is None
                or constraint.violation_error_message == constraint.default_violation_error_message
                else ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
            )
            _merge(failed[planned.number], field_errors(message))
    if not failed:
        return
    for rows in (plan.new, plan.updated):
        for planned in [row for row in rows if row.number in failed]:
            rows.remove(planned)
            plan.problems.append(
                RowProblem(number=planned.number, errors=failed[planned.number], values=planned.values)
            )


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    """A unique rule's error under the field it names last (the number within a term), as the admin shows it."""
    if hasattr(error, "error_dict"):
        return errors_by_field(error)
    return errors_by_field(ValidationError({NON_FIELD_ERRORS: error.error_list}))


def _merge(errors: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    for name, messages in more.items():
        errors.setdefault(name, []).extend(message for message in messages if message not in errors.get(name, []))
