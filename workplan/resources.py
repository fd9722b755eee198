"""Spreadsheet import and export of events, outputs and activities (django-import-export).

Natural keys, lists, dates and the validation of every row are described in
gmg_portal/spreadsheets.py. In short: agencies by acronym, terms and working
groups by slug, objectives as `<term slug>:<number>` (`2014-ilo:3`), events
and outputs by id; lists joined with ";"; dates as YYYY-MM-DD.

The events resource has exactly the columns of /events.csv
(workplan.exports.EVENT_CSV_COLUMNS), so a file downloaded from the events
list can be edited and imported back. An event's objectives are not among
those columns: they are edited on the event's admin page.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import fields
from import_export import widgets

from chairmanship.resources import agencies_field
from chairmanship.resources import term_field
from gmg_portal.spreadsheets import KEY_SEPARATOR
from gmg_portal.spreadsheets import ChoiceWidget
from gmg_portal.spreadsheets import KeyedLookup
from gmg_portal.spreadsheets import KeyForeignKeyWidget
from gmg_portal.spreadsheets import PortalResource
from gmg_portal.spreadsheets import date_field
from gmg_portal.spreadsheets import id_field
from gmg_portal.spreadsheets import many_field
from workplan.exports import EVENT_EXPORT_COLUMNS
from workplan.exports import EVENT_LABELS
from workplan.exports import FLAG_FALSE
from workplan.exports import FLAG_TRUE
from workplan.exports import flag_cell
from workplan.models import Activity
from workplan.models import Event
from workplan.models import Objective
from workplan.models import Output
from workplan.models import WorkingGroup
from workplan.selectors import events_for_list


class CountryWidget(ChoiceWidget):
    """A country as its ISO 3166-1 alpha-2 code (`CH`) or its name in any language of the portal ("Suisse").

    Written as the code; the model checks that what is read is a known code.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(lambda: countries, **kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs) -> str:
        return super().clean(value, row, **kwargs).upper()

    def describe(self) -> str:
        return _(
            "A country's ISO 3166-1 alpha-2 code or its name in English, French or Spanish, e.g. CH or Switzerland."
        )


class FlagWidget(widgets.Widget):
    """A yes/no cell: `true`/`false` (also `1`/`0`, `yes`/`no`); an empty cell is no, so older files still import."""

    TRUE = {FLAG_TRUE, "1", "yes"}
    FALSE = {FLAG_FALSE, "0", "no", ""}

    def clean(self, value: Any, row: dict | None = None, **kwargs) -> bool:
        word = "" if value is None else str(value).strip().lower()
        if word in self.TRUE:
            return True
        if word in self.FALSE:
            return False
        raise ValueError(_("Write true or false, not “%(value)s”.") % {"value": value})

    def render(self, value: Any, obj: Any = None, **kwargs) -> str:
        return flag_cell(bool(value))

    def describe(self) -> str:
        return _("true or false; an empty cell means false.")


def flag_field(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=FlagWidget())


def objective_key(objective: Objective) -> str:
    return f"{objective.chairmanship.slug}{KEY_SEPARATOR}{objective.number}"


def objective_lookup() -> KeyedLookup:
    return KeyedLookup(
        label=_("objective (write <term slug>:<number>, e.g. 2014-ilo:3)"),
        queryset=lambda: Objective.objects.select_related("chairmanship").order_by(),
        key=objective_key,
    )


def group_lookup() -> KeyedLookup:
    return KeyedLookup(
        label=_("working group with the slug"), queryset=lambda: WorkingGroup.objects.order_by(), key=lambda g: g.slug
    )


def id_lookup(model: type[models.Model], label: str) -> KeyedLookup:
    return KeyedLookup(label=label, queryset=lambda: model.objects.only("pk").order_by(), key=lambda r: str(r.pk))


def groups_field(name: str) -> fields.Field:
    return many_field(name, WorkingGroup, group_lookup())


def objectives_field(name: str) -> fields.Field:
    return many_field(name, Objective, objective_lookup())


class EventResource(PortalResource):
    """Events with the columns of /events.csv; an empty end date makes a one-day event."""

    id = id_field()
    start_date = date_field("start_date")
    end_date = date_field("end_date")
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    descriptive_title = flag_field("descriptive_title")
    chairmanship = term_field("chairmanship")
    organisers = agencies_field("organisers")
    working_groups = groups_field("working_groups")
    # Exported for people to read, never imported (workplan.exports.EVENT_LABEL_COLUMNS).
    kind_label = fields.Field(column_name="kind_label", readonly=True)
    chair_role_label = fields.Field(column_name="chair_role_label", readonly=True)
    country_name = fields.Field(column_name="country_name", readonly=True)

    # An event of the 2014 record, as the import template shows it.
    example = {
        "title": "Good Practices in Migrant Labour and Skills",
        "kind": "side_event",
        "start_date": "2014-05-13",
        "end_date": "2014-05-13",
        "city": "Stockholm",
        "country": "SE",
        "forum": "GFMD Civil Society Days",
        "chair_role": "unspecified",
        "chairmanship": "2014-ilo",
        "organisers": "ILO",
    }

    class Meta:
        model = Event
        fields = EVENT_EXPORT_COLUMNS

    def get_queryset(self) -> models.QuerySet:
        return events_for_list()

    def fill_defaults(self, instance: Event) -> None:
        if instance.end_date is None:
            instance.end_date = instance.start_date

    def dehydrate_kind_label(self, event: Event) -> str:
        return EVENT_LABELS["kind_label"](event)

    def dehydrate_chair_role_label(self, event: Event) -> str:
        return EVENT_LABELS["chair_role_label"](event)

    def dehydrate_country_name(self, event: Event) -> str:
        return EVENT_LABELS["country_name"](event)


# An output's fields, in the order the spreadsheet and the API list them: what it is, then who produced it, for
# which objectives and bodies, and where to read it. The spreadsheet names the term between the two, the API
# right after the id.
OUTPUT_DESCRIPTION: tuple[str, ...] = ("title", "descriptive_title", "kind", "date", "date_note", "symbol")
OUTPUT_CONTEXT: tuple[str, ...] = (
    "producer_agencies",
    "producer_working_groups",
    "objectives",
    "submitted_to",
    "url",
    "summary",
)
OUTPUT_COLUMNS: tuple[str, ...] = ("id", *OUTPUT_DESCRIPTION, "chairmanship", *OUTPUT_CONTEXT)


class OutputResource(PortalResource):
    example = {
        "title": "Exploiting the Potential of Migration for Development",
        "kind": "report",
        "date": "2014-05-13",
        "chairmanship": "2014-ilo",
        "producer_agencies": "ILO",
    }

    id = id_field()
    date = date_field("date")
    descriptive_title = flag_field("descriptive_title")
    chairmanship = term_field("chairmanship")
    producer_agencies = agencies_field("producer_agencies")
    producer_working_groups = groups_field("producer_working_groups")
    objectives = objectives_field("objectives")

    class Meta:
        model = Output
        fields = OUTPUT_COLUMNS

    def get_queryset(self) -> models.QuerySet:
        return (
            Output.objects.select_related("chairmanship")
            .prefetch_related(
                "producer_agencies", "producer_working_groups", models.Prefetch("objectives", queryset=_objectives())
            )
            .order_by("chairmanship__start_date", "date", "title", "pk")
        )


# An activity's own fields and links, in the order the spreadsheet and the API list them after its objective.
ACTIVITY_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "lead_agencies",
    "lead_working_groups",
    "timeline",
    "status",
    "events",
    "outputs",
)

ACTIVITY_COLUMNS: tuple[str, ...] = ("id", "objective", *ACTIVITY_FIELDS)


def _objectives() -> models.QuerySet:
    return Objective.objects.select_related("chairmanship")


class ActivityResource(PortalResource):
    """Activities: the objective as `<term slug>:<number>`, events and outputs by id."""

    example = {"objective": "2014-ilo:1", "title": "A side event at the GFMD Summit", "lead_agencies": "ILO"}

    id = id_field()
    objective = fields.Field(
        attribute="objective", column_name="objective", widget=KeyForeignKeyWidget(Objective, objective_lookup())
    )
    lead_agencies = agencies_field("lead_agencies")
    lead_working_groups = groups_field("lead_working_groups")
    events = many_field("events", Event, id_lookup(Event, _("event id")))
    outputs = many_field("outputs", Output, id_lookup(Output, _("output id")))

    class Meta:
        model = Activity
        fields = ACTIVITY_COLUMNS

    def get_queryset(self) -> models.QuerySet:
        return (
            Activity.objects.select_related("objective__chairmanship")
            .prefetch_related(
                "lead_agencies",
                "lead_working_groups",
                models.Prefetch("events", queryset=Event.objects.only("pk").order_by("pk")),
                models.Prefetch("outputs", queryset=Output.objects.only("pk").order_by("pk")),
            )
            .order_by("objective__chairmanship__start_date", "objective__number", "pk")
        )
