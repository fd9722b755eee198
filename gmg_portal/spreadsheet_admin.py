"""Import and export in the admin: CSV and XLSX, a preview before anything is written, all or nothing.

No request reads a file's rows. Uploading stores the file with a job
(gmg_portal/import_jobs.py) and opens the job's page, whose progress bar
(rows checked of all rows) follows the job without reloading the page
(static/admin/js/import-progress.js polls the job's progress as JSON); then
the page shows the result: each failing row with the field and the reason,
or a preview with the button that confirms the import. Confirming queues the
import job, which checks every row again and writes the file in one
transaction; if any row fails then, nothing is written and the page names
the rows. A file larger than GMG_IMPORT_MAX_BYTES is refused naming both
sizes. Importing (and confirming) needs the add and change permissions;
following a job, those permissions or being the one who asked for it;
exporting the view permission.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import tablib
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import HttpResponseNotAllowed
from django.http import HttpResponseRedirect
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.formats.base_formats import XLSX
from import_export.forms import ImportForm

from gmg_portal.import_jobs import IMPORT
from gmg_portal.import_jobs import PREVIEW
from gmg_portal.import_jobs import queue_import_job
from gmg_portal.spreadsheet_template import XLSX_CONTENT_TYPE
from gmg_portal.spreadsheet_template import import_template
from gmg_portal.spreadsheets import import_summary
from jobs.models import Job


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


def _row_numbers(numbers: list[int], *, shown: int = 10) -> str:
    """'row 2', 'rows 2, 5', 'rows 1, 2, … and 40 more'."""
    listed = ", ".join(str(number) for number in numbers[:shown])
    if len(numbers) > shown:
        listed = _("%(listed)s and %(more)d more") % {"listed": listed, "more": len(numbers) - shown}
    return ngettext("row %(numbers)s", "rows %(numbers)s", len(numbers)) % {"numbers": listed}


# A preview whose file was removed (jobs of the past may be cleared) cannot be confirmed.
UPLOAD_GONE = gettext_lazy(
    "The uploaded file is no longer kept with its preview. Nothing has been written; upload it again."
)


def refused_import_message(result: dict) -> str:
    """What the page says when rows fail at the confirmation (the transaction is rolled back)."""
    failed = [number for number in result["failed_rows"] if number]
    if not failed:
        return _("The import failed, so nothing has been written. The errors are listed below.")
    return _(
        "Nothing has been written: %(rows)s failed when the import was checked again on confirmation "
        "(the data may have changed since the preview). Correct the rows listed below and upload the file again."
    ) % {"rows": _row_numbers(failed)}


def progress_text(job: Job) -> str:
    """The words beside the progress bar, in the reader's language."""
    if job.status == Job.Status.QUEUED and not job.progress_total:
        return _("Waiting for a worker to take the file…")
    if job.is_finished:
        return _("Finished.")
    if not job.progress_total:
        return _("Reading the file…")
    counts = {
        "done": number_format(job.progress_done, force_grouping=True),
        "total": number_format(job.progress_total, force_grouping=True),
    }
    if job.progress_done >= job.progress_total and job.kind == IMPORT:
        return _("All %(total)s rows checked; writing them…") % counts
    return _("%(done)s of %(total)s rows checked…") % counts


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import and export in the admin: CSV and XLSX, a preview before anything is written, a summary.

    See the module docstring: the preview and the import are jobs, followed on
    the job's page; the admin's own import views (`import/`) only store the
    upload and queue its preview.
    """

    formats = [CSV, WholeSheetXLSX]
    import_form_class = CappedImportForm
    import_template_name = "admin/import_export/portal_import.html"
    import_job_template_name = "admin/import_export/portal_import_job.html"
    import_error_display = ("message", "row")

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        own = [
            path("import/template.xlsx", wrap(self.import_template_view), name=f"{prefix}_import_template"),
            path("import/<int:job_id>/", wrap(self.import_job_view), name=f"{prefix}_import_job"),
            path("import/<int:job_id>/progress/", wrap(self.import_job_progress), name=f"{prefix}_import_progress"),
            path("import/<int:job_id>/confirm/", wrap(self.import_job_confirm), name=f"{prefix}_import_confirm"),
        ]
        # django-import-export's confirmation reads the file from a temporary storage: here it is a job's.
        library = [url for url in super().get_urls() if url.name != f"{prefix}_process_import"]
        return own + library

    # Uploading ----------------------------------------------------------------------------

    def import_action(self, request: HttpRequest, **kwargs) -> HttpResponse:
        """The upload form; a valid upload is stored with its preview job, whose page follows it."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            job = queue_import_job(
                kind=PREVIEW,
                resource=self.choose_import_resource_class(form, request),
                file_format=self.get_import_formats()[int(form.cleaned_data["format"])],
                upload=b"".join(upload.chunks()),
                upload_name=upload.name,
                user=request.user,
                language=get_language(),
            )
            return HttpResponseRedirect(self.import_job_url(job))
        return self.import_page(request, form=form)

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        """An XLSX file to fill in: the columns, an example row, and what each column may hold (a read)."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0]()
        response = HttpResponse(import_template(resource), content_type=XLSX_CONTENT_TYPE)
        name = f"{self.opts.model_name}-import-template.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def admin_url(self, view: str, *args) -> str:
        """The address of one of this list's admin views (`import_job`, `changelist`…)."""
        return reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}", args=args)

    def import_job_url(self, job: Job) -> str:
        return self.admin_url("import_job", job.pk)

    # Following a job ----------------------------------------------------------------------

    def import_job_for(self, request: HttpRequest, job_id: int) -> Job:
        """An import job of this list that the user may follow: importers see all of them, others their own."""
        job = (
            Job.objects.defer("upload")
            .filter(pk=job_id, kind__in=[PREVIEW, IMPORT], params__model=self.opts.label_lower)
            .first()
        )
        if job is None or not (self.has_import_permission(request) or job.requested_by_id == request.user.pk):
            raise Http404
        return job

    def import_job_progress(self, request: HttpRequest, job_id: int) -> JsonResponse:
        """How far a job has come, for the page's progress bar (a read: GET only)."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        job = self.import_job_for(request, job_id)
        return JsonResponse(
            {
                "status": job.status,
                "finished": job.is_finished,
                "done": job.progress_done,
                "total": job.progress_total,
                "text": progress_text(job),
            }
        )

    def import_job_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        """The job's page: its progress while it runs, then its result (a GET never changes data)."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        job = self.import_job_for(request, job_id)
        context = {"job": job}
        if not job.is_finished:
            context["progress_text"] = progress_text(job)
            return self.render_import_job(request, job, context)
        if job.status == Job.Status.FAILED or not isinstance(job.result, dict):
            messages.error(
                request,
                _("The file could not be imported: %(error)s. Nothing has been written; upload it again.")
                % {"error": job.error.splitlines()[-1] if job.error else "?"},
            )
            return self.import_page(request)
        result = job.result
        if result["refusal"]:
            form = self.create_import_form(request)
            # An empty form (the file is with the job, not in this request) showing why the file was refused.
            form.full_clean()
            form.cleaned_data = {}
            form.add_error("import_file", result["refusal"])
            return self.import_page(request, form=form)
        context["result"] = ImportReport(result)
        if job.kind == PREVIEW:
            level = messages.WARNING if result["invalid"] else messages.INFO
            messages.add_message(request, level, import_summary(result, dry_run=True))
            if not result["invalid"] and result["rows"]:  # an empty file has nothing to confirm
                context["confirm_url"] = self.admin_url("import_confirm", job.pk)
                confirmed = self.confirmation_of(job)
                if confirmed is not None:
                    context["confirmed_url"] = self.import_job_url(confirmed)
        elif result["written"]:
            messages.success(
                request,
                _("Import finished (%(what)s). %(summary)s")
                % {"what": self.opts.verbose_name_plural, "summary": import_summary(result, dry_run=False)},
            )
            context["finished"] = True
        else:
            messages.error(request, refused_import_message(result))
        if "confirm_url" not in context and "finished" not in context:
            context["form"] = self.create_import_form(request)
        return self.render_import_job(request, job, context)

    def confirmation_of(self, preview: Job) -> Job | None:
        """The import job that confirmed this preview, if it was confirmed."""
        return Job.objects.defer("upload").filter(kind=IMPORT, params__preview=preview.pk).first()

    def render_import_job(self, request: HttpRequest, job: Job, context: dict) -> TemplateResponse:
        form = context.get("form")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.model._meta,
            "media": self.media + form.media if form is not None else self.media,
            "progress_url": self.admin_url("import_progress", job.pk),
            "import_url": self.admin_url("import"),
            "changelist_url": self.admin_url("changelist"),
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_job_template_name], context)

    # Confirming ---------------------------------------------------------------------------

    def import_job_confirm(self, request: HttpRequest, job_id: int) -> HttpResponse:
        """Queue the import of a previewed file (once: a second press opens the same import)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_import_permission(request):
            raise PermissionDenied
        self.import_job_for(request, job_id)
        with transaction.atomic():
            # The preview's row locked, so two presses of the button queue one import.
            preview = Job.objects.select_for_update().get(pk=job_id)
            confirmable = (
                preview.kind == PREVIEW
                and preview.status == Job.Status.DONE
                and isinstance(preview.result, dict)
                and not preview.result["invalid"]
                and not preview.result["refusal"]
            )
            if not confirmable:
                return redirect(self.import_job_url(preview))
            confirmed = self.confirmation_of(preview)
            if confirmed is not None:
                return redirect(self.import_job_url(confirmed))
            if preview.upload is None:
                messages.error(request, str(UPLOAD_GONE))
                return self.import_page(request)
            job = queue_import_job(
                kind=IMPORT,
                resource=import_string(preview.params["resource"]),
                file_format=import_string(preview.params["format"]),
                upload=bytes(preview.upload),
                upload_name=preview.upload_name,
                user=request.user,
                language=get_language(),
                preview=preview,
            )
        return redirect(self.import_job_url(job))

    # The upload page -------------------------------------------------------------------------

    def import_page(self, request: HttpRequest, *, form: ImportForm | None = None) -> TemplateResponse:
        """The import page with its upload form (empty, or as posted with its errors)."""
        if form is None:
            form = self.create_import_form(request) if request.method == "GET" else self.empty_import_form(request)
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
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def empty_import_form(self, request: HttpRequest) -> ImportForm:
        return self.get_import_form_class(request)(
            self.get_import_formats(),
            self.get_import_resource_classes(request),
            initial=self.get_import_form_initial(request),
        )

    def create_import_form(self, request: HttpRequest) -> ImportForm:
        if request.method != "POST":
            return self.empty_import_form(request)
        return super().create_import_form(request)


class ImportReport:
    """A job's result as the import page shows it: counts, failing rows by field, the first rows."""

    def __init__(self, result: dict):
        self.data = result
        self.total_rows = result["rows"]
        self.totals = {"new": result["new"], "update": result["updated"], "skip": result["unchanged"]}
        self.headers = result["headers"]
        self.invalid_rows = [RowReport(entry, headers=self.headers) for entry in result["errors"]]
        self.failed_rows = result["failed_rows"]
        self.not_listed = len(result["failed_rows"]) - len(result["errors"])
        self.preview_rows = result["preview"]
        self.preview_not_listed = result["rows"] - len(result["preview"])

    def has_validation_errors(self) -> bool:
        return bool(self.failed_rows)

    def has_errors(self) -> bool:
        return bool(self.data["refusal"])


class RowReport:
    """One failing row: its number, each field's errors, the row's other errors, its cells.

    The page shows a column's errors in the cell they are about (`cells`); only
    errors about the whole row, or about a field the file has no column for,
    stand in the row's Errors column (`other_errors`).
    """

    def __init__(self, entry: dict, *, headers: list[str]):
        self.number = entry["row"]
        errors = dict(entry["errors"])
        self.non_field_specific_errors = errors.pop("__all__", [])
        self.field_specific_errors = errors
        self.values = entry["values"]
        self.error_count = sum(len(messages) for messages in entry["errors"].values())
        self.cells = [
            RowCell(column=column, value=value, errors=errors.get(column, []))
            for column, value in zip(headers, self.values, strict=False)
        ]
        self.other_errors = {field: messages for field, messages in errors.items() if field not in headers}


@dataclass(frozen=True)
class RowCell:
    column: str
    value: Any
    errors: list[str]
