"""Spreadsheet import and export (django-import-export): the pieces every resource shares, and carry-forward issues.

Every resource reads and writes stored values, never labels, so a file means
the same thing in every language, and names related records by natural key:

- an agency by its acronym (`ILO`, `UN DESA`);
- a term by its slug (`2014-ilo`);
- a working group by its slug (`data-and-research`);
- an objective by `<term slug>:<number>` (`2014-ilo:3`);
- a carry-forward issue by `<term slug>:<number>` of the report that lists it
  (`2013-iom:2`);
- events and outputs, which have no natural key, by their `id`.

Lists (organisers, working groups, objectives…) are joined with ";". Dates
are ISO 8601 (`2014-05-08`); XLSX date cells are accepted too. Choices are
snake_case values (`side_event`, `in_progress`), countries ISO 3166-1
alpha-2 codes (`CH`).

A row with an `id` updates that record; a row without one creates a record.
Every row is validated before anything is written (the model's own checks,
its constraints, dates in order, every named record found); errors name the
row and the field. A row whose values equal the stored record is skipped,
so importing a file just exported changes nothing.

An import is all or nothing: confirming it checks every row again and writes
the file in one transaction; if any row fails then, nothing is written and
the import page names the rows. A file none of whose columns is one the
import reads is refused naming the columns it expects; a file larger than
GMG_IMPORT_MAX_BYTES is refused naming both sizes. Text a spreadsheet would
run as a formula is exported with a leading apostrophe, which the import
removes again (gmg_portal.spreadsheets).
"""

from __future__ import annotations

import datetime
import io
import logging
from collections.abc import Callable, Iterable
from typing import Any

import tablib
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from import_export.results import Result, RowResult
from import_export.tmp_storages import CacheStorage

from chairmanship.models import Agency, CarryForwardIssue, Chairmanship
from chairmanship.services import check_date_order, next_number
from gmg_portal.spreadsheets import neutralise_formula, restore_formula

logger = logging.getLogger(__name__)

LIST_SEPARATOR = ";"
KEY_SEPARATOR = ":"
# How often a long import reports progress (rows).
PROGRESS_EVERY = 500

Progress = Callable[[int, int, Result | None], None]


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


class ManyField(fields.Field):
    """A many-to-many column; an unsaved record has no related records yet (and is not asked for them)."""

    def get_value(self, instance: models.Model) -> Any:
        if instance.pk is None:
            return None
        return super().get_value(instance)


def many_field(name: str, model: type[models.Model], lookup: KeyedLookup) -> ManyField:
    return ManyField(attribute=name, column_name=name, widget=KeyManyToManyWidget(model, lookup))


def agency_lookup() -> KeyedLookup:
    return KeyedLookup(label=_("agency with the acronym"), queryset=Agency.objects.all, key=lambda a: a.acronym)


def term_lookup() -> KeyedLookup:
    return KeyedLookup(
        label=_("term with the slug"), queryset=lambda: Chairmanship.objects.order_by(), key=lambda t: t.slug
    )


def term_field(name: str) -> fields.Field:
    return fields.Field(
        attribute=name, column_name=name, widget=KeyForeignKeyWidget(Chairmanship, term_lookup(), field="slug")
    )


def agencies_field(name: str) -> fields.Field:
    return many_field(name, Agency, agency_lookup())


def date_field(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=IsoDateWidget())


def id_field() -> fields.Field:
    return fields.Field(attribute="id", column_name="id", widget=WholeNumberWidget())


# The base resource --------------------------------------------------------------


class ColumnsNotRecognised(ValueError):
    """A file none of whose column names is one the resource reads (its first row is not the header we expect)."""


class PortalResource(resources.ModelResource):
    """What every spreadsheet resource of the portal does (see the module docstring).

    `import_data(..., progress=callback)` calls `callback(done, total, None)`
    every `progress_every` rows and `callback(total, total, result)` at the end.
    """

    progress_every = PROGRESS_EVERY

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
        """A file without any of the expected columns is one error naming them, not a row of errors per line."""
        expected = [field.column_name for field in self.get_import_fields()]
        found = {str(header) for header in dataset.headers or () if header is not None}
        if not found.intersection(expected):
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            refusal = ColumnsNotRecognised(
                _(
                    "None of the file's columns is one this import reads. "
                    "Its first row must name the columns, as in: %(columns)s."
                )
                % {"columns": ", ".join(expected)}
            )
            self.handle_import_error(result, refusal, raise_errors)
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
        self._total_rows = len(dataset)

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
        for model_field in instance._meta.concrete_fields:
            # A spreadsheet's empty cell is None; a text column stores "" for "nothing".
            text = isinstance(model_field, models.CharField | models.TextField)
            if text and not model_field.null and getattr(instance, model_field.attname) is None:
                setattr(instance, model_field.attname, "")
        self.fill_defaults(instance)
        if errors:
            raise ValidationError(errors)

    def fill_defaults(self, instance: models.Model) -> None:
        """Values a row may leave empty (a one-day event's end date, an issue's number); rows with errors too."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        errors = dict(import_validation_errors or {})
        try:
            check_date_order(instance=instance)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        super().validate_instance(instance, errors, validate_unique)

    def before_save_instance(self, instance: models.Model, row: dict, **kwargs) -> None:
        if not instance._state.adding and hasattr(instance, "version"):
            instance.version += 1  # an update through a file is an edit like any other

    def after_import_row(self, row, row_result, **kwargs) -> None:
        super().after_import_row(row, row_result, **kwargs)
        progress: Progress | None = kwargs.get("progress")
        number = kwargs.get("row_number", 0)
        if progress is not None and number % self.progress_every == 0:
            progress(number, getattr(self, "_total_rows", number), None)

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        progress: Progress | None = kwargs.get("progress")
        if progress is not None:
            progress(len(dataset), len(dataset), result)


def import_summary(result: Result, *, dry_run: bool) -> str:
    """'3,000 rows: 2,990 new, 0 updated, 10 unchanged, 0 with errors.' plus what happens next."""
    totals = result.totals
    invalid = len(result.invalid_rows) + len(result.row_errors())
    counts = _("%(rows)s: %(new)d new, %(update)d updated, %(skip)d unchanged, %(invalid)d with errors.") % {
        "rows": ngettext("%(n)d row", "%(n)d rows", result.total_rows) % {"n": result.total_rows},
        "new": totals[RowResult.IMPORT_TYPE_NEW],
        "update": totals[RowResult.IMPORT_TYPE_UPDATE],
        "skip": totals[RowResult.IMPORT_TYPE_SKIP],
        "invalid": invalid,
    }
    if not dry_run:
        return counts
    if invalid or result.has_errors():
        return counts + " " + _("Nothing has been written. Correct the rows listed below and upload the file again.")
    return counts + " " + _("Nothing has been written yet: check the preview, then confirm the import.")


# The admin ----------------------------------------------------------------------


class WholeSheetXLSX(XLSX):
    """XLSX read to the sheet's last row, whatever its <dimension> tag says.

    openpyxl's read-only mode stops at the last row the sheet's <dimension>
    claims, and programs that write XLSX files do leave a stale one: rows
    after it were silently dropped. The dimensions are reset, so every row
    the sheet holds is read; short rows are padded to the widest one.
    """

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        from openpyxl import load_workbook

        # data_only: a formula cell gives the value it last showed, never the formula.
        book = load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            sheet = book.active
            sheet.reset_dimensions()
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
        dataset = tablib.Dataset()
        if not rows:
            return dataset
        width = max(len(row) for row in rows)
        header, *body = (row + [None] * (width - len(row)) for row in rows)
        dataset.headers = header
        ignore_blank = getattr(settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False)
        for row in body:
            if not (ignore_blank and all(value is None for value in row)):
                dataset.append(row)
        return dataset


class CappedImportForm(ImportForm):
    """The admin's upload form, refusing a file larger than GMG_IMPORT_MAX_BYTES and naming both sizes."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        cap = settings.GMG_IMPORT_MAX_BYTES
        if upload is not None and upload.size > cap:
            raise ValidationError(
                _("The file is %(size)s; files up to %(cap)s can be imported. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "cap": filesizeformat(cap)},
                code="too_large",
            )
        return upload


class UploadNotKept(Exception):
    """The cache did not take the uploaded file, so it cannot wait for the confirmation."""


class UploadGone(Exception):
    """The uploaded file is no longer in the cache (expired, evicted, the cache restarted or down)."""


class WaitingUploadStorage(CacheStorage):
    """The uploaded file, waiting in the cache between the preview and the confirmation.

    The cache may lose it (eviction, a Redis restart) or not answer at all:
    that is said with UploadNotKept and UploadGone, never an error page.
    """

    def save(self, data: bytes | str) -> None:
        try:
            super().save(data)
        except Exception as exc:  # whatever the cache backend raises when its server is down
            raise UploadNotKept from exc

    def read(self) -> bytes | str:
        try:
            data = super().read()
        except Exception as exc:  # whatever the cache backend raises when its server is down
            raise UploadGone from exc
        if data is None:
            raise UploadGone
        return data

    def remove(self) -> None:
        try:
            super().remove()
        except Exception:  # the file expires with the cache entry anyway
            logger.warning("Could not remove an imported file from the cache", exc_info=True)


def _row_numbers(numbers: list[int], *, shown: int = 10) -> str:
    """'row 2', 'rows 2, 5', 'rows 1, 2, … and 40 more'."""
    listed = ", ".join(str(number) for number in numbers[:shown])
    if len(numbers) > shown:
        listed = _("%(listed)s and %(more)d more") % {"listed": listed, "more": len(numbers) - shown}
    return ngettext("row %(numbers)s", "rows %(numbers)s", len(numbers)) % {"numbers": listed}


def refused_import_message(result: Result) -> str:
    """What the page says when rows fail at the confirmation (the transaction is rolled back)."""
    failed = sorted({row.number for row in [*result.invalid_rows, *result.error_rows]})
    if not failed:
        return _("The import failed, so nothing has been written. The errors are listed below.")
    return _(
        "Nothing has been written: %(rows)s failed when the import was checked again on confirmation "
        "(the data may have changed since the preview). Correct the rows listed below and upload the file again."
    ) % {"rows": _row_numbers(failed)}


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import and export in the admin: CSV and XLSX, a preview before anything is written, a summary.

    The uploaded file waits for confirmation in the cache (not on one app
    server's disk), so the confirm step may reach another server; if the
    cache has lost it, the import page says so. Confirming checks every row
    again and writes the file in one transaction, all or nothing. Importing
    needs the add and change permissions; exporting the view permission.
    """

    formats = [CSV, WholeSheetXLSX]
    tmp_storage_class = WaitingUploadStorage
    import_form_class = CappedImportForm
    import_template_name = "admin/import_export/portal_import.html"
    import_error_display = ("message", "row")

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def import_action(self, request: HttpRequest, **kwargs) -> HttpResponse:
        try:
            response = super().import_action(request, **kwargs)
        except UploadNotKept:
            logger.warning("The cache did not keep an uploaded file for its import", exc_info=True)
            messages.error(
                request,
                _(
                    "The file could not be kept for confirmation: the portal's cache is not answering. "
                    "Nothing has been written; try again in a few minutes."
                ),
            )
            return self.import_page(request)
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if result is not None:
            refusal = next((e.error for e in result.base_errors if isinstance(e.error, ColumnsNotRecognised)), None)
            if refusal is not None:
                context["form"].add_error("import_file", str(refusal))
                del context["result"]
                return response
            level = messages.WARNING if (result.has_errors() or result.has_validation_errors()) else messages.INFO
            messages.add_message(request, level, import_summary(result, dry_run=True))
        return response

    def process_import(self, request: HttpRequest, **kwargs) -> HttpResponse:
        try:
            return super().process_import(request, **kwargs)
        except UploadGone:
            logger.info("An import was confirmed after its file left the cache", exc_info=True)
            messages.error(
                request,
                _(
                    "The uploaded file is no longer available: it waits for confirmation only for a while, "
                    "and the server may have been restarted since. Nothing has been written; upload it again."
                ),
            )
            return self.import_page(request)

    def process_dataset(self, dataset, form, request: HttpRequest, **kwargs) -> Result:
        """Every row checked again and written in one transaction, rolled back if any row fails."""
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return super().process_dataset(dataset, form, request, **kwargs)

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, refused_import_message(result))
            return self.import_page(request, result=result)
        return super().process_result(result, request)

    def import_page(self, request: HttpRequest, *, result: Result | None = None) -> TemplateResponse:
        """The import page with an empty upload form (and the failed rows of a refused confirmation)."""
        form = self.get_import_form_class(request)(
            self.get_import_formats(),
            self.get_import_resource_classes(request),
            initial=self.get_import_form_initial(request),
        )
        resource_kwargs = self.get_import_resource_kwargs(request=request, form=form)
        resources = [resource_class(**resource_kwargs) for resource_class in self.get_import_resource_classes(request)]
        context = {
            **self.get_import_context_data(),
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "fields_list": [
                (resource.get_display_name(), [field.column_name for field in resource.get_user_visible_fields()])
                for resource in resources
            ],
            "import_error_display": self.import_error_display,
        }
        if result is not None:
            context["result"] = result
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def add_success_message(self, result: Result, request: HttpRequest) -> None:
        messages.success(
            request,
            _("Import finished (%(what)s). %(summary)s")
            % {"what": self.model._meta.verbose_name_plural, "summary": import_summary(result, dry_run=False)},
        )


# Carry-forward issues -------------------------------------------------------------


def issue_key(issue: CarryForwardIssue) -> str:
    return f"{issue.handed_over_in.slug}{KEY_SEPARATOR}{issue.number}"


class IssueKeyWidget(widgets.ForeignKeyWidget):
    """An issue as `<term slug>:<number>`, looked up per row (issues of the same file may be new)."""

    def __init__(self, **kwargs):
        super().__init__(CarryForwardIssue, **kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs) -> CarryForwardIssue | None:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        slug, _sep, number = text.rpartition(KEY_SEPARATOR)
        issue = None
        if slug and number.isdigit():
            issue = (
                CarryForwardIssue.objects.select_related("handed_over_in")
                .filter(handed_over_in__slug=slug, number=int(number))
                .first()
            )
        if issue is None:
            raise ValueError(
                _("No carry-forward issue %(value)r (write <term slug>:<number>, e.g. 2013-iom:2).") % {"value": text}
            )
        return issue

    def render(self, value: Any, obj: Any = None, **kwargs) -> str:
        return issue_key(value) if value is not None else ""


CARRY_FORWARD_COLUMNS: tuple[str, ...] = (
    "id",
    "handed_over_in",
    "number",
    "origin",
    "text",
    "addressed_to",
    "due_date",
    "due_note",
    "status",
    "resolution",
    "resolved_in",
    "continues",
)


class CarryForwardIssueResource(PortalResource):
    """Carry-forward issues: terms by slug, `continues` as `<term slug>:<number>`.

    An empty `number` takes the next free number of the term; an empty
    `origin` is the term that hands the issue over.
    """

    id = id_field()
    handed_over_in = term_field("handed_over_in")
    number = fields.Field(attribute="number", column_name="number", widget=WholeNumberWidget())
    origin = term_field("origin")
    due_date = date_field("due_date")
    resolved_in = term_field("resolved_in")
    continues = fields.Field(attribute="continues", column_name="continues", widget=IssueKeyWidget())

    class Meta:
        model = CarryForwardIssue
        fields = CARRY_FORWARD_COLUMNS
        export_order = CARRY_FORWARD_COLUMNS
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self) -> models.QuerySet:
        return CarryForwardIssue.objects.select_related(
            "handed_over_in", "origin", "resolved_in", "continues__handed_over_in"
        ).order_by("handed_over_in__start_date", "number", "pk")

    def fill_defaults(self, instance: CarryForwardIssue) -> None:
        if instance.origin_id is None and instance.handed_over_in_id is not None:
            instance.origin_id = instance.handed_over_in_id
        if instance.number is None and instance.handed_over_in_id is not None:
            instance.number = next_number(
                model=CarryForwardIssue, parent_field="handed_over_in", parent=instance.handed_over_in
            )


def export_rows(resource: resources.ModelResource, queryset: Iterable | None = None) -> list[dict[str, str]]:
    """The resource's export as dicts keyed by column (for tests and scripts)."""
    dataset = resource.export(queryset)
    return [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
