"""Helpers for the workflow tests: spreadsheets as a secretariat member would upload them."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

CSV_FORMAT, XLSX_FORMAT = "0", "1"  # the admin's format choices, in SpreadsheetAdminMixin.formats order


def csv_file(rows: list[dict[str, object]], *, name: str = "events.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[dict[str, object]], *, name: str = "events.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def xlsx_rows(content: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def preview(client: Client, model: str, upload: SimpleUploadedFile, *, file_format: str = CSV_FORMAT):
    """Upload a file to the admin's import page: the dry run with its preview."""
    app = "workplan" if model in ("event", "output", "activity") else "chairmanship"
    return client.post(
        reverse(f"admin:{app}_{model}_import"), {"import_file": upload, "format": file_format}, follow=False
    )


def confirm(client: Client, model: str, preview_response):
    """Press "Confirm import" on a preview page."""
    app = "workplan" if model in ("event", "output", "activity") else "chairmanship"
    form = preview_response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(reverse(f"admin:{app}_{model}_process_import"), data)


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
