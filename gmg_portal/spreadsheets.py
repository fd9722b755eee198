"""Spreadsheets the secretariat imports and exports: the pieces every resource shares, in one place.

Every resource (chairmanship/resources.py, workplan/resources.py) reads and
writes stored values, never labels, so a file means the same thing in every
language, and names related records by natural key (an agency by acronym, a
term by slug, an objective as `<term slug>:<number>`…; events and outputs by
`id`). Lists are joined with ";". Dates are ISO 8601 (`2014-05-08`); XLSX
date cells are accepted too. Choices are written as their snake_case values
and read as those or as the labels the admin shows, in any of the portal's
languages ("side_event", "Side event", "Manifestation parallèle"); countries
are written as ISO 3166-1 alpha-2 codes and read as those or as their names
("CH", "Switzerland", "Suisse", "Suiza").

A row with an `id` updates that record at its next version (an id that
names no record is an error); a row without one creates a record. Every row
is validated before anything is written (the model's own checks, its
constraints, every named record found); errors name the row and the field.
The admin checks and writes files in bulk (gmg_portal/spreadsheet_import.py,
run by workers: gmg_portal/import_jobs.py). A row whose values equal the stored record is
skipped, so importing a file just exported changes nothing. A file none of
whose columns is one the import reads is refused naming the columns.

Cells that cannot run as formulas (the OWASP "CSV injection" rule): a
spreadsheet program opening a CSV or XLSX file runs a cell whose text starts
with `=`, `+`, `-` or `@` as a formula (and one starting with a tab or a
carriage return, which it skips before looking): a title such as
`=HYPERLINK("http://evil.example","Click")` typed into the portal would
become a live link on the computer of whoever opens an export. Every export
writes such text with a leading apostrophe, which spreadsheets read as "this
cell is text"; every import removes it again. The rule is exact both ways:
`restore_formula(neutralise_formula(text)) == text` for every text. Text that
already starts with apostrophes followed by one of those characters (`'=x`)
gets one apostrophe more on export; text with an apostrophe before anything
else (`'quoted`) is left alone both ways.

The admin's import and export pages are gmg_portal/spreadsheet_admin.py.
This module is part of the core: it imports nothing from the domain apps.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from collections.abc import Iterable
from typing import Any
from typing import TypeVar

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import fields
from import_export import resources
from import_export import widgets
from import_export.results import Result

from gmg_portal.concurrency import claim_version

LIST_SEPARATOR = ";"
KEY_SEPARATOR = ":"

# The characters a spreadsheet program treats as the start of a formula.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE = "'"

Value = TypeVar("Value")


def _starts_a_formula(text: str) -> bool:
    """True when the text, after any apostrophes it starts with, starts with a formula character."""
    return text.lstrip(APOSTROPHE).startswith(FORMULA_PREFIXES)


def neutralise_formula(value: Value) -> Value | str:
    """The value as an export writes it: text a spreadsheet would run as a formula gets a leading apostrophe.

    Anything that is not text (numbers, dates, None) is returned unchanged:
    a spreadsheet shows those as values, never runs them.
    """
    if isinstance(value, str) and _starts_a_formula(value):
        return APOSTROPHE + value
    return value


def restore_formula(value: Value) -> Value | str:
    """The value as an import reads it: the apostrophe `neutralise_formula` added is removed.

    Only an apostrophe standing before a formula character is removed, so
    `'=SUM(A1)` reads as `=SUM(A1)` (the text, stored as text: the portal never
    evaluates it) while `'quoted` stays `'quoted`.
    """
    if isinstance(value, str) and value.startswith(APOSTROPHE) and _starts_a_formula(value):
        return value[len(APOSTROPHE) :]
    return value


# Widgets ----------------------------------------------------------------------


class IsoDateWidget(widgets.Widget):
    """A date as YYYY-MM-DD (or a spreadsheet's date cell); anything else is an error naming the value."""

    def clean(self, value: Any, row: dict | None = None, **kwargs) -> datetime.date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        try:
            if len(text) != 10:
                raise ValueError(text)
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                _("Enter the date as YYYY-MM-DD (for example 2014-05-08), not %(value)r.") % {"value": text}
            ) from None

    def render(self, value: Any, obj: Any = None, **kwargs) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else ""

    def describe(self) -> str:
        return _("A date as YYYY-MM-DD, e.g. 2014-05-08.")


def codes_by_word(choices: Callable[[], Iterable[tuple[Any, Any]]]) -> dict[str, str]:
    """Each choice's code under the code itself and under its label in every language of the portal (casefolded).

    People type what the admin shows them ("Side event", "Convened",
    "Switzerland"), in their own language; files keep working whichever
    language they were written in. `choices` is read once per language (a
    list of countries is named in the language active when it is read). A
    label shared by two choices keeps the first, and a code always wins over
    a label.
    """
    words: dict[str, str] = {}
    codes: set[str] = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices():
                codes.add(str(code))
                words.setdefault(str(label).strip().casefold(), str(code))
    words.update({code.casefold(): code for code in codes})
    return words


class ChoiceWidget(widgets.Widget):
    """A choice: its stored code, or its label in any language of the portal; written as the code.

    A word that names no choice is passed on as typed: the model's own check
    then refuses it, naming the field and the allowed values.
    """

    def __init__(self, choices: Callable[[], Iterable[tuple[Any, Any]]], **kwargs) -> None:
        super().__init__(**kwargs)
        self._choices = choices
        self._words: dict[str, str] | None = None

    def clean(self, value: Any, row: dict | None = None, **kwargs) -> str:
        if value is None:
            return ""
        text = str(value).strip()
        if self._words is None:  # the labels of every language, read once per process
            self._words = codes_by_word(self._choices)
        return self._words.get(text.casefold(), text)

    def render(self, value: Any, obj: Any = None, **kwargs) -> str:
        return "" if value is None else str(getattr(value, "code", value))

    def describe(self) -> str:
        return _("One of: %(choices)s (the code, or the label in English, French or Spanish).") % {
            "choices": "; ".join(f"{code} ({label})" for code, label in self._choices())
        }


class WholeNumberWidget(widgets.Widget):
    """An id or a number: a whole number, or empty."""

    def clean(self, value: Any, row: dict | None = None, **kwargs) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not text.isdigit():
            raise ValueError(_("Enter a whole number, not %(value)r.") % {"value": text})
        return int(text)

    def render(self, value: Any, obj: Any = None, **kwargs) -> str:
        return "" if value is None else str(value)

    def describe(self) -> str:
        return _("A whole number.")


class KeyedLookup:
    """Records of one kind by a text key, read in one query on first use (per import: widgets are per resource).

    `queryset` is called once; `key` gives a record's key as it appears in a file.
    """

    def __init__(self, *, label: str, queryset: Callable[[], models.QuerySet], key: Callable[[Any], str]):
        self.label = label
        self.queryset = queryset
        self.key = key
        self._records: dict[str, Any] | None = None

    def __deepcopy__(self, memo: dict) -> KeyedLookup:
        # Each resource instance (each import) starts with an empty cache.
        return KeyedLookup(label=self.label, queryset=self.queryset, key=self.key)

    def get(self, text: str) -> Any:
        if self._records is None:
            self._records = {self.key(record): record for record in self.queryset()}
        try:
            return self._records[text]
        except KeyError:
            raise ValueError(_("No %(what)s %(value)r.") % {"what": self.label, "value": text}) from None


class KeyForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key named by its natural key; an unknown key is an error naming it."""

    def __init__(self, model: type[models.Model], lookup: KeyedLookup, **kwargs):
        self.lookup = lookup
        super().__init__(model, **kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs) -> Any:
        text = "" if value is None else str(value).strip()
        return self.lookup.get(text) if text else None

    def render(self, value: Any, obj: Any = None, **kwargs) -> str:
        return self.lookup.key(value) if value is not None else ""

    def describe(self) -> str:
        return _("Written as: %(what)s …") % {"what": self.lookup.label}


class KeyManyToManyWidget(widgets.ManyToManyWidget):
    """Related records as natural keys joined with ";"; every unknown key is named in one error."""

    def __init__(self, model: type[models.Model], lookup: KeyedLookup, **kwargs):
        self.lookup = lookup
        super().__init__(model, separator=LIST_SEPARATOR, **kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs) -> list:
        if value is None:
            return []
        texts = [part.strip() for part in str(value).split(self.separator)]
        found, unknown = [], []
        for text in texts:
            if not text:
                continue
            try:
                found.append(self.lookup.get(text))
            except ValueError:
                unknown.append(text)
        if unknown:
            raise ValueError(
                _("No %(what)s %(values)s.") % {"what": self.lookup.label, "values": ", ".join(map(repr, unknown))}
            )
        return found

    def render(self, value: Any, obj: Any = None, **kwargs) -> str:
        if value is None:
            return ""
        return self.separator.join(self.lookup.key(record) for record in value.all())

    def describe(self) -> str:
        return _("Any number, separated by “;”, each written as: %(what)s …") % {"what": self.lookup.label}


class ManyField(fields.Field):
    """A many-to-many column; an unsaved record has no related records yet (and is not asked for them)."""

    def get_value(self, instance: models.Model) -> Any:
        if instance.pk is None:
            return None
        return super().get_value(instance)


def many_field(name: str, model: type[models.Model], lookup: KeyedLookup) -> ManyField:
    return ManyField(attribute=name, column_name=name, widget=KeyManyToManyWidget(model, lookup))


def date_field(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=IsoDateWidget())


def id_field() -> fields.Field:
    return fields.Field(attribute="id", column_name="id", widget=WholeNumberWidget())


# The base resource --------------------------------------------------------------


class ColumnsNotRecognised(ValueError):
    """A file none of whose column names is one the resource reads (its first row is not the header we expect)."""


class PortalResource(resources.ModelResource):
    """What every spreadsheet resource of the portal does (see the module docstring)."""

    # One row of the import template's example sheet, by column (see import_template).
    example: dict[str, str] = {}

    class Meta:
        # Every resource's rows: matched by `id`, skipped (and reported) when unchanged, validated by the
        # model, written in one transaction. A subclass's Meta adds its model and columns (`fields`, in order).
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    @classmethod
    def field_from_django_field(cls, field_name: str, django_field: models.Field, readonly: bool) -> fields.Field:
        """A column of a field with choices reads codes and labels alike (ChoiceWidget)."""
        field = super().field_from_django_field(field_name, django_field, readonly)
        if django_field.choices and not django_field.is_relation:
            field.widget = ChoiceWidget(lambda: django_field.choices)
        return field

    def get_import_fields(self) -> list[fields.Field]:
        """The columns an import reads: not those exported only for people to read (`readonly`)."""
        return [field for field in super().get_import_fields() if not field.readonly]

    def unrecognised_columns(self, dataset: tablib.Dataset) -> str:
        """Why a file none of whose columns is one this resource reads is refused, naming the columns; else ""."""
        expected = [field.column_name for field in self.get_import_fields()]
        found = {str(header) for header in dataset.headers or () if header is not None}
        if found.intersection(expected):
            return ""
        return _(
            "None of the file's columns is one this import reads. Its first row must name the columns, as in: "
            "%(columns)s."
        ) % {"columns": ", ".join(expected)}

    def import_data(
        self,
        dataset: tablib.Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = False,
        **kwargs,
    ) -> Result:
        """A file without any of the expected columns is one error naming them, not a row of errors per line.

        (django-import-export's own import, row by row, for scripts; the admin imports in bulk with
        gmg_portal/spreadsheet_import.py.)
        """
        refusal = self.unrecognised_columns(dataset)
        if refusal:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            self.handle_import_error(result, ColumnsNotRecognised(refusal), raise_errors)
            return result
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=rollback_on_validation_errors,
            **kwargs,
        )

    def before_import(self, dataset, **kwargs) -> None:
        """A file without an `id` column holds new records only."""
        super().before_import(dataset, **kwargs)
        if dataset.headers and "id" not in dataset.headers:
            dataset.insert_col(0, col=[""] * len(dataset), header="id")

    def before_import_row(self, row: dict, **kwargs) -> None:
        """Every cell as it was before the export neutralised it (`'=SUM(A1)` reads as `=SUM(A1)`)."""
        super().before_import_row(row, **kwargs)
        for column, value in row.items():
            row[column] = restore_formula(value)

    def export_field(self, field: fields.Field, instance: models.Model, **kwargs) -> Any:
        """Every cell of every export: text a spreadsheet would run as a formula starts with an apostrophe."""
        return neutralise_formula(super().export_field(field, instance, **kwargs))

    def import_instance(self, instance: models.Model, row: dict, **kwargs) -> None:
        """Plain fields, then the many-to-many columns checked too (import-export sets those only after saving)."""
        errors: dict[str, list] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors.setdefault(field.attribute, []).append(ValidationError(str(exc), code="invalid"))
        self.complete_instance(instance)
        if errors:
            raise ValidationError(errors)

    def complete_instance(self, instance: models.Model) -> None:
        """What a row's cells leave to the portal: "" for an empty text cell, then `fill_defaults`."""
        for model_field in instance._meta.concrete_fields:
            # A spreadsheet's empty cell is None; a text column stores "" for "nothing".
            text = isinstance(model_field, models.CharField | models.TextField)
            if text and not model_field.null and getattr(instance, model_field.attname) is None:
                setattr(instance, model_field.attname, "")
        self.fill_defaults(instance)

    def fill_defaults(self, instance: models.Model) -> None:
        """Values a row may leave empty (a one-day event's end date, an issue's number); rows with errors too."""

    def next_number(self, *, model: type[models.Model], parent_field: str, parent_id: int) -> int:
        """The next free number of a parent's numbered list, counting the rows of this file already numbered.

        The highest stored number is read once per parent (not per row), and each
        row left without a number takes the one after the last given out.
        """
        numbers = self.__dict__.setdefault("_numbers", {})
        if parent_id not in numbers:
            highest = model._base_manager.filter(**{f"{parent_field}_id": parent_id}).aggregate(n=Max("number"))["n"]
            numbers[parent_id] = highest or 0
        numbers[parent_id] += 1
        return numbers[parent_id]

    def before_save_instance(self, instance: models.Model, row: dict, **kwargs) -> None:
        if not instance._state.adding and hasattr(instance, "version"):
            # An update through a file is an edit like any other: at the next version of the record it read.
            instance.version = claim_version(instance=instance, expected=instance.version)


def import_summary(result: dict[str, Any], *, dry_run: bool) -> str:
    """'3,000 rows: 2,990 new, 0 updated, 10 unchanged, 0 with errors.' plus what happens next.

    `result` is what an import job keeps (gmg_portal/spreadsheet_import.py `Plan.as_json`).
    """
    counts = _("%(rows)s: %(new)d new, %(update)d updated, %(skip)d unchanged, %(invalid)d with errors.") % {
        "rows": ngettext("%(n)d row", "%(n)d rows", result["rows"]) % {"n": result["rows"]},
        "new": result["new"],
        "update": result["updated"],
        "skip": result["unchanged"],
        "invalid": result["invalid"],
    }
    if not dry_run:
        return counts
    if result["invalid"] or result["refusal"]:
        return counts + " " + _("Nothing has been written. Correct the rows listed below and upload the file again.")
    if not result["rows"]:
        return counts + " " + _("The file names its columns but holds no rows: there is nothing to import.")
    return counts + " " + _("Nothing has been written yet: check the preview, then confirm the import.")


def export_rows(resource: resources.ModelResource, queryset: Iterable | None = None) -> list[dict[str, str]]:
    """The resource's export as dicts keyed by column (for tests and scripts)."""
    dataset = resource.export(queryset)
    return [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
