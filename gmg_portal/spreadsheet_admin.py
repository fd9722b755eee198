"""Import and export in the admin: CSV and XLSX, a preview before anything is written, all or nothing.

The uploaded file waits for confirmation in the cache (not on one app
server's disk), so the confirm step may reach another server; if the cache
has lost it, the import page says so. Confirming checks every row again and
writes the file in one transaction; if any row fails then, nothing is written
and the import page names the rows. A file larger than GMG_IMPORT_MAX_BYTES
is refused naming both sizes. Importing needs the add and change
permissions; exporting the view permission.
"""

from __future__ import annotations

import io
import logging

import tablib
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.formats.base_formats import XLSX
from import_export.forms import ImportForm
from import_export.results import Result
from import_export.tmp_storages import CacheStorage

from gmg_portal.spreadsheets import ColumnsNotRecognised
from gmg_portal.spreadsheets import import_summary

logger = logging.getLogger(__name__)


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


class UploadNotKept(Exception):
    """The cache did not take the uploaded file, so it cannot wait for the confirmation."""

    message = gettext_lazy(
        "The file could not be kept for confirmation: the portal's cache is not answering. "
        "Nothing has been written; try again in a few minutes."
    )


class UploadGone(Exception):
    """The uploaded file is no longer in the cache (expired, evicted, the cache restarted or down)."""

    message = gettext_lazy(
        "The uploaded file is no longer available: it waits for confirmation only for a while, "
        "and the server may have been restarted since. Nothing has been written; upload it again."
    )


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
        except UploadNotKept as lost:
            logger.warning("The cache did not keep an uploaded file for its import", exc_info=True)
            return self.upload_lost_page(request, lost)
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
        except UploadGone as lost:
            logger.info("An import was confirmed after its file left the cache", exc_info=True)
            return self.upload_lost_page(request, lost)

    def process_dataset(self, dataset, form, request: HttpRequest, **kwargs) -> Result:
        """Every row checked again and written in one transaction, rolled back if any row fails."""
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return super().process_dataset(dataset, form, request, **kwargs)

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, refused_import_message(result))
            return self.import_page(request, result=result)
        return super().process_result(result, request)

    def upload_lost_page(self, request: HttpRequest, lost: UploadNotKept | UploadGone) -> TemplateResponse:
        """The import page, its form empty, saying why the uploaded file cannot be imported (nothing was written)."""
        messages.error(request, str(lost.message))
        return self.import_page(request)

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
