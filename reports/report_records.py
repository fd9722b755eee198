"""The events and outputs the annual report shows, read once for all its sections (reports.assembly).

The term's own events and outputs, and those its accomplishments, activities
and recommendations name, each turned into an item once; a section picks
the items of a relation it has read as ids (`Records.events_of()`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.utils import translation

from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from chairmanship.models import Endorsement
from gmg_portal.dates import dates_label
from gmg_portal.dates import day_label
from reports.labels import month_of_note
from reports.labels import place_label
from reports.report_data import EndorsementItem
from reports.report_data import EventItem
from reports.report_data import OutputItem
from workplan.models import Event
from workplan.models import Objective
from workplan.models import Output
from workplan.models import WorkingGroup


def agency_acronyms() -> QuerySet[Agency]:
    """Agencies as the report names them, by acronym: the queryset of a Prefetch."""
    return Agency.objects.only("pk", "acronym").order_by("acronym")


def agency_labels() -> QuerySet[Agency]:
    """Agencies with what partner_label() reads: the queryset of a Prefetch."""
    return Agency.objects.only("pk", "acronym", "name", "membership_status").order_by("acronym")


def partner_label(agency: Agency) -> str:
    """A member by its acronym (ILO); a partner that is not a member by its name, which is how the sources
    name it ("the Permanent Mission of Turkey to the UN") and which readers may not know by an acronym."""
    return agency.acronym if agency.membership_status == Agency.MembershipStatus.MEMBER else agency.name


def group_names() -> QuerySet[WorkingGroup]:
    """Working groups as the report names them, by name: the queryset of a Prefetch."""
    return WorkingGroup.objects.only("pk", "name").order_by("name")


@dataclass(frozen=True)
class Records:
    """The events and outputs the report shows anywhere, as items by id; the sections pick theirs."""

    event_rows: list[Event]
    output_rows: list[Output]
    events: dict[int, EventItem]
    outputs: dict[int, OutputItem]

    def events_of(self, rows: Iterable[Event]) -> list[EventItem]:
        """The items of `rows` (a relation's prefetched ids), in date order."""
        return sorted((self.events[row.pk] for row in rows if row.pk in self.events), key=event_sort_key)

    def outputs_of(self, rows: Iterable[Output]) -> list[OutputItem]:
        """The items of `rows` (a relation's prefetched ids), in date order, undated last."""
        return sorted((self.outputs[row.pk] for row in rows if row.pk in self.outputs), key=output_sort_key)

    @property
    def rows(self) -> tuple[Model, ...]:
        endorsements = (endorsement for row in self.output_rows for endorsement in row.endorsements.all())
        return (*self.event_rows, *self.output_rows, *endorsements)


def read_records(term: Chairmanship) -> Records:
    """The term's own events and outputs, and those of its accomplishments, activities and recommendations.

    Queries: 3 events with organisers and objectives (ids), 5 outputs with
    producing agencies, producing groups, endorsements and objectives (ids).
    """
    event_rows = list(
        Event.objects.filter(
            Q(chairmanship=term) | Q(accomplishments__chairmanship=term) | Q(activities__objective__chairmanship=term)
        )
        .distinct()
        .prefetch_related(
            Prefetch("organisers", queryset=agency_labels()),
            Prefetch("objectives", queryset=Objective.objects.only("pk").order_by()),
        )
        .order_by("start_date", "end_date", "title", "pk")
    )
    output_rows = list(
        Output.objects.filter(
            Q(chairmanship=term)
            | Q(accomplishments__chairmanship=term)
            | Q(activities__objective__chairmanship=term)
            | Q(recommendations__chairmanship=term)
        )
        .distinct()
        .prefetch_related(
            Prefetch("producer_agencies", queryset=agency_acronyms()),
            Prefetch("producer_working_groups", queryset=group_names()),
            Prefetch("endorsements", queryset=Endorsement.objects.order_by("start_date", "pk")),
            Prefetch("objectives", queryset=Objective.objects.only("pk").order_by()),
        )
    )
    return Records(
        event_rows=event_rows,
        output_rows=output_rows,
        events={row.pk: _event_item(row, term) for row in event_rows},
        outputs={row.pk: _output_item(row, term) for row in output_rows},
    )


def agency_names(agencies: Iterable[Agency]) -> list[str]:
    return [agency.acronym for agency in agencies]


def _endorsement_item(endorsement: Endorsement) -> EndorsementItem:
    return EndorsementItem(
        body=endorsement.body,
        session=endorsement.session,
        place=place_label(endorsement.city, endorsement.country),
        start_date=endorsement.start_date,
        end_date=endorsement.end_date,
        dates=dates_label(endorsement.start_date, endorsement.end_date),
        outcome=endorsement.outcome,
        outcome_label=endorsement.get_outcome_display(),
        note=endorsement.note,
    )


def _shared_item_fields(record: Event | Output, term: Chairmanship) -> dict[str, Any]:
    """The fields an EventItem and an OutputItem share, read alike from an event or an output."""
    return {
        "id": record.pk,
        "title": record.title,
        "descriptive_title": record.descriptive_title,
        "kind": record.kind,
        "kind_label": record.get_kind_display(),
        "url": record.url,
        "summary": record.summary,
        "in_term": record.chairmanship_id == term.pk,
    }


def _event_item(event: Event, term: Chairmanship) -> EventItem:
    return EventItem(
        **_shared_item_fields(event, term),
        start_date=event.start_date,
        end_date=event.end_date,
        dates=dates_label(event.start_date, event.end_date),
        city=event.city,
        country=str(event.country.code) if event.country else "",
        place=place_label(event.city, event.country),
        venue=event.venue,
        forum=event.forum,
        chair_role=event.chair_role,
        # "Not stated" is not a role: the report says nothing rather than something the records do not hold.
        chair_role_label="" if event.chair_role == Event.ChairRole.UNSPECIFIED else event.get_chair_role_display(),
        organisers=[partner_label(agency) for agency in event.organisers.all()],
        participants=event.participants,
        show_kind=not _title_names_kind(event),
    )


def _title_names_kind(event: Event) -> bool:
    """Whether the title starts with the event's kind ("Launch of…"), so the report need not say it again.

    Titles are entered in English, so the kind is looked for in English whatever the report's language (a French
    report would otherwise print "Lancement: Launch of…"), and in the report's language too.
    """
    title = event.title.lower()
    with translation.override("en"):
        english = event.get_kind_display().lower()
    return title.startswith(english) or title.startswith(event.get_kind_display().lower())


def _output_item(output: Output, term: Chairmanship) -> OutputItem:
    return OutputItem(
        **_shared_item_fields(output, term),
        date=output.date,
        when=output.date_note or day_label(output.date),
        sort_date=output.date or month_of_note(output.date_note),
        symbol=output.symbol,
        producers=agency_names(output.producer_agencies.all())
        + [group.name for group in output.producer_working_groups.all()],
        submitted_to=output.submitted_to,
        endorsements=[_endorsement_item(e) for e in output.endorsements.all()],
    )


def event_sort_key(item: EventItem) -> tuple:
    return (item.start_date, item.end_date, item.title, item.id)


def output_sort_key(item: OutputItem) -> tuple:
    return (item.sort_date is None, item.sort_date or datetime.date.min, item.title, item.id)
