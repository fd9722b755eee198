"""Spreadsheet import and export of agencies' and terms' records: natural keys, and carry-forward issues.

The pieces every resource shares are gmg_portal/spreadsheets.py (and the
admin's pages gmg_portal/spreadsheet_admin.py). Here: an agency by its
acronym (`ILO`, `UN DESA`), a term by its slug (`2014-ilo`), a carry-forward
issue by `<term slug>:<number>` of the report that lists it (`2013-iom:2`).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from import_export import fields

from chairmanship.models import Agency
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from gmg_portal.spreadsheets import KEY_SEPARATOR
from gmg_portal.spreadsheets import KeyedLookup
from gmg_portal.spreadsheets import KeyForeignKeyWidget
from gmg_portal.spreadsheets import PortalResource
from gmg_portal.spreadsheets import WholeNumberWidget
from gmg_portal.spreadsheets import date_field
from gmg_portal.spreadsheets import id_field
from gmg_portal.spreadsheets import many_field


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


# Carry-forward issues -------------------------------------------------------------


def issue_key(issue: CarryForwardIssue) -> str:
    return f"{issue.handed_over_in.slug}{KEY_SEPARATOR}{issue.number}"


class IssueKeyWidget(KeyForeignKeyWidget):
    """An issue as `<term slug>:<number>`, the issues read once per import (not the file's own new ones)."""

    def __init__(self, **kwargs):
        lookup = KeyedLookup(
            label="carry-forward issue",
            queryset=lambda: CarryForwardIssue.objects.select_related("handed_over_in").order_by(),
            key=issue_key,
        )
        super().__init__(CarryForwardIssue, lookup, **kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs) -> CarryForwardIssue | None:
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("No carry-forward issue %(value)r (write <term slug>:<number>, e.g. 2013-iom:2).")
                % {"value": str(value).strip()}
            ) from None


CARRY_FORWARD_COLUMNS: tuple[str, ...] = (
    "id",
    "handed_over_in",
    "number",
    "origin",
    *CarryForwardIssue.CONTENT_FIELDS,
    "resolved_in",
    "continues",
)


class CarryForwardIssueResource(PortalResource):
    """Carry-forward issues: terms by slug, `continues` as `<term slug>:<number>`.

    An empty `number` takes the next free number of the term; an empty
    `origin` is the term that hands the issue over.
    """

    example = {"handed_over_in": "2014-ilo", "text": "Follow up the GMG's paper on migration and the post-2015 agenda."}

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

    def get_queryset(self) -> models.QuerySet:
        return CarryForwardIssue.objects.select_related(
            "handed_over_in", "origin", "resolved_in", "continues__handed_over_in"
        ).order_by("handed_over_in__start_date", "number", "pk")

    def fill_defaults(self, instance: CarryForwardIssue) -> None:
        if instance.origin_id is None and instance.handed_over_in_id is not None:
            instance.origin_id = instance.handed_over_in_id
        if instance.number is None and instance.handed_over_in_id is not None:
            instance.number = self.next_number(
                model=CarryForwardIssue, parent_field="handed_over_in", parent_id=instance.handed_over_in_id
            )
