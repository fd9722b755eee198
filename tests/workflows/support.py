"""Helpers for the workflow tests: spreadsheets as a secretariat member would upload them."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile

import redis.exceptions
from django.core.cache.backends.base import BaseCache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook
from openpyxl import load_workbook

from gmg_portal.spreadsheet_template import XLSX_CONTENT_TYPE
from tests.jobs.support import work_off_the_queue

CSV_FORMAT, XLSX_FORMAT = "0", "1"  # the admin's format choices, in SpreadsheetAdminMixin.formats order


def csv_file(rows: list[dict[str, object]], *, name: str = "events.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(
    rows: list[dict[str, object]], *, name: str = "events.xlsx", claimed_dimension: str | None = None
) -> SimpleUploadedFile:
    """An XLSX file of the rows; `claimed_dimension` ("A1:O2") rewrites the sheet's <dimension> tag.

    Spreadsheet programs and scripts do write a <dimension> that does not
    match the rows (a stale one after rows were added): the sheet holds every
    row all the same.
    """
    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    if claimed_dimension is not None:
        content = _with_dimension(content, claimed_dimension)
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)


def _with_dimension(content: bytes, ref: str) -> bytes:
    """The same workbook with the first sheet's <dimension ref="..."/> replaced."""
    sheet_path = "xl/worksheets/sheet1.xml"
    rewritten = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == sheet_path:
                data, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data)
                assert count == 1, "the sheet has no <dimension> tag to rewrite"
            out.writestr(item, data)
    return rewritten.getvalue()


def xlsx_rows(content: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def preview(client: Client, model: str, upload: SimpleUploadedFile, *, file_format: str = CSV_FORMAT):
    """Upload a file to the admin's import page, let a worker check it: the job's page with the preview.

    A file the upload form refuses (too large) is answered by the form itself, with no job.
    """
    app = "workplan" if model in ("event", "output", "activity") else "chairmanship"
    queued = client.post(reverse(f"admin:{app}_{model}_import"), {"import_file": upload, "format": file_format})
    if queued.status_code != 302:
        return queued
    work_off_the_queue()
    return client.get(queued["Location"])


def confirm(client: Client, model: str, preview_response):
    """Press "Confirm import" on a preview page and let a worker import the file: the import job's page."""
    queued = client.post(preview_response.context["confirm_url"])
    if queued.status_code != 302:
        return queued
    work_off_the_queue()
    return client.get(queued["Location"])


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def export_file(client: Client, model: str, resource: type, *, file_format: str = CSV_FORMAT):
    """Press "Export" on the admin's export page with every column ticked."""
    app = "workplan" if model in ("event", "output", "activity") else "chairmanship"
    columns = [field.column_name for field in resource().get_export_fields()]
    return client.post(
        reverse(f"admin:{app}_{model}_export"),
        {"format": file_format, **{f"{resource.__name__.lower()}_{column}": "on" for column in columns}},
    )


class UnreachableCache(BaseCache):
    """A cache server that does not answer (Redis restarted or down): every call raises, as Django's RedisCache does."""

    def __init__(self, location: str = "", params: dict | None = None):
        super().__init__(params or {})

    def _unreachable(self, *args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = touch = delete = has_key = clear = get_many = set_many = delete_many = _unreachable


def many_events(count: int, *, term: str = "2014-ilo") -> list[dict[str, object]]:
    """`count` new events of a term of the real data, as rows of an events file: what a large import holds.

    Each names two organisers and a working group by key, as the secretariat's files do.
    """
    first = datetime.date(2014, 1, 1)
    rows = []
    for n in range(count):
        day = (first + datetime.timedelta(days=n % 365)).isoformat()
        rows.append(
            {
                "title": f"Technical meeting {n + 1}",
                "kind": "meeting",
                "start_date": day,
                "end_date": day,
                "city": "Geneva",
                "country": "CH",
                "chairmanship": term,
                "organisers": "ILO;IOM",
                "working_groups": "data-and-research",
                "summary": f"The {n + 1}th meeting of the year on migration data.",
            }
        )
    return rows
