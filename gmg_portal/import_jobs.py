"""Imports run by workers: the preview of an uploaded file, then, once confirmed, its import.

No request reads or writes a file's rows: the admin's import page stores the
upload with a job (jobs.engine.enqueue: the file lives in the Job row, so a
worker on any machine reads it) and shows the job's progress. A worker runs
`preview_import` (every row checked, nothing written) and, after the
confirmation, `run_import` (every row checked again, then all written in one
transaction: gmg_portal/spreadsheet_import.py). Both keep their outcome as the
job's result (`Plan.as_json`), shown by the admin in the requester's language.

An import whose worker died after its transaction committed is not written
twice: the result is stored in the same transaction as the rows, and a job
taken again that finds it returns it.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import tablib
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from import_export.formats.base_formats import Format

from gmg_portal.spreadsheet_import import Plan
from gmg_portal.spreadsheet_import import RowsRefused
from gmg_portal.spreadsheet_import import check_rows
from gmg_portal.spreadsheet_write import write_rows
from gmg_portal.spreadsheets import PortalResource
from jobs.engine import enqueue
from jobs.engine import progress
from jobs.models import Job

PREVIEW = "import-preview"
IMPORT = "import"
HANDLERS = {PREVIEW: "gmg_portal.import_jobs.preview_import", IMPORT: "gmg_portal.import_jobs.run_import"}
# The encoding a CSV file is read in (a byte-order mark, as spreadsheet programs write, is skipped).
CSV_ENCODING = "utf-8-sig"


def _dotted(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def queue_import_job(
    *,
    kind: str,
    resource: type[PortalResource],
    file_format: type[Format],
    upload: bytes,
    upload_name: str,
    user: AbstractBaseUser | None,
    language: str,
    preview: Job | None = None,
) -> Job:
    """Queue the preview (kind PREVIEW) or the import (kind IMPORT, after `preview`) of an uploaded file."""
    model = resource._meta.model
    return enqueue(
        handler=HANDLERS[kind],
        kind=kind,
        subject=f"{model._meta.label_lower}: {upload_name}"[:200],
        params={
            "model": model._meta.label_lower,
            "resource": _dotted(resource),
            "format": _dotted(file_format),
            "language": language,
            "preview": preview.pk if preview is not None else None,
        },
        user=user,
        upload=upload,
        upload_name=upload_name,
    )


def preview_import(*, job: Job) -> dict[str, Any]:
    """What a worker does with a preview: every row checked, nothing written."""
    return _import(job, write=False)


def run_import(*, job: Job) -> dict[str, Any]:
    """What a worker does with a confirmed import: every row checked again, then all of them written, or none."""
    if job.result and job.result.get("written"):
        return job.result  # written by an earlier attempt whose worker died before the engine heard of it
    return _import(job, write=True)


class UnreadableFile(ValueError):
    """The upload is not a file of the format chosen (not UTF-8 text, not an XLSX workbook, not even a header)."""


def read_dataset(format_path: str, data: bytes) -> tablib.Dataset:
    file_format = import_string(format_path)()
    try:
        content = data if file_format.is_binary() else data.decode(CSV_ENCODING)
        dataset = file_format.create_dataset(content)
    except UnicodeDecodeError:
        raise UnreadableFile(_("The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.")) from None
    except tablib.InvalidDimensions:
        raise UnreadableFile(_ragged_row(content if isinstance(content, str) else "")) from None
    except Exception as exc:  # whatever the format's reader raises on a file that is not of its kind
        raise UnreadableFile(
            _("The file could not be read as %(format)s (%(error)s). Check the format chosen.")
            % {"format": file_format.get_title(), "error": exc}
        ) from exc
    if not dataset.headers:
        raise UnreadableFile(
            _("The file holds no rows to import: its first row names the columns, then one per record.")
        )
    return dataset  # a file of column names only (the import template, untouched) is an empty import


def _ragged_row(text: str) -> str:
    """Why a CSV file with a row longer than its first is refused, naming that row (tablib names none)."""
    rows = list(csv.reader(io.StringIO(text)))
    columns = len(rows[0]) if rows else 0
    for number, cells in enumerate(rows[1:], 1):
        if len(cells) > columns:
            return _(
                "Row %(row)d has %(cells)d cells, more than the %(columns)d columns the first row names: remove "
                "the cells after the last column (a comma at the end of the line makes one)."
            ) % {"row": number, "cells": len(cells), "columns": columns}
    return _("A row has more cells than the first row names columns: remove the cells after the last column.")


def _import(job: Job, *, write: bool) -> dict[str, Any]:
    resource_class: type[PortalResource] = import_string(job.params["resource"])
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            dataset = read_dataset(job.params["format"], bytes(job.upload or b""))
        except UnreadableFile as refusal:
            return Plan(model=resource_class._meta.model, refusal=str(refusal)).as_json(written=False)
        progress(job, done=0, total=len(dataset))
        plan = check_rows(resource_class(), dataset, progress=lambda done, total: progress(job, done=done, total=total))
        if write:
            preview = Job.objects.filter(pk=job.params.get("preview")).values_list("result", flat=True).first()
            plan.refuse_changed_since((preview or {}).get("versions", {}))
        if not write or not plan.writable:
            return plan.as_json(written=False) | {"confirmed": write}
        try:
            with transaction.atomic():
                write_rows(plan, user=job.requested_by)
                result = plan.as_json(written=True) | {"confirmed": True}
                # Kept with the rows, in their transaction: a second attempt finds it and writes nothing.
                Job.objects.filter(pk=job.pk).update(result=result)
        except RowsRefused as refused:
            plan.problems = refused.problems
            return plan.as_json(written=False) | {"confirmed": True}
        return result
