"""The import template: an XLSX file the secretariat downloads from an import page, fills in and imports.

Its first sheet (the one the import reads) holds only the column names, so
the file imports as it is, empty, without an error; an example row stands on
a sheet of its own, so it is never imported by mistake; a third sheet says
what each column holds and what to write in it, from each widget's own
`describe()` (gmg_portal/spreadsheets.py).
"""

from __future__ import annotations

import io
from typing import Any

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import fields
from import_export import widgets
from openpyxl import Workbook
from openpyxl.styles import Font

from gmg_portal.spreadsheets import PortalResource

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_template(resource: PortalResource) -> bytes:
    """An XLSX file to fill in and import: the columns, an example row, and what each column may hold.

    The first sheet (the one the import reads) holds only the column names,
    so the file imports as it is, empty, without an error; the example is on
    a sheet of its own, so it is never imported by mistake.
    """
    model = resource._meta.model
    import_fields = list(resource.get_import_fields())
    columns = [field.column_name for field in import_fields]
    book = Workbook()
    records = book.active
    records.title = _sheet_title(capfirst(model._meta.verbose_name_plural))
    records.append(columns)
    example = book.create_sheet(_sheet_title(_("Example")))
    example.append(columns)
    example.append([resource.example.get(column, "") for column in columns])
    explained = book.create_sheet(_sheet_title(_("Columns")))
    explained.append([_("Column"), _("What it holds"), _("What to write")])
    for field in import_fields:
        explained.append([field.column_name, _meaning(model, field), _values(field.widget)])
    for sheet in (records, example, explained):
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    for letter, width in zip("ABC", (22, 60, 80), strict=True):
        explained.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(text: Any) -> str:
    # A sheet's name: at most 31 characters, none of those a workbook forbids.
    return "".join(c for c in str(text) if c not in "[]:*?/\\")[:31]


def _meaning(model: type[models.Model], field: fields.Field) -> str:
    if field.attribute == "id":
        return _("Empty for a new record; a record's id to update that record.")
    try:
        model_field = model._meta.get_field(field.attribute)
    except Exception:  # a column that is not a model field (a resource's own)
        return ""
    meaning = str(capfirst(model_field.verbose_name))
    return f"{meaning}. {model_field.help_text}" if model_field.help_text else meaning


def _values(widget: widgets.Widget) -> str:
    describe = getattr(widget, "describe", None)
    return describe() if describe is not None else _("Text.")
