"""The events CSV: one definition of its columns, shared by the export and a later spreadsheet import.

Values are stored values, not labels, so a file read back means the same
thing in every language: kinds and roles in snake_case, countries as ISO
3166-1 alpha-2 codes, dates as ISO 8601, the term by slug, organisers by
acronym and working groups by slug (lists joined with ";"). Text a
spreadsheet would run as a formula starts with an apostrophe
(gmg_portal.spreadsheets), which the events import removes again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator

from gmg_portal.spreadsheets import neutralise_formula
from workplan.models import Event

LIST_SEPARATOR = ";"

# An event's own details, in the order the CSV, the spreadsheet import and the API list them.
EVENT_DETAILS: tuple[str, ...] = (
    "title",
    "descriptive_title",
    "kind",
    "start_date",
    "end_date",
    "city",
    "country",
    "venue",
    "forum",
    "chair_role",
    "participants",
)

EVENT_CSV_COLUMNS: tuple[str, ...] = (
    "id",
    *EVENT_DETAILS,
    "chairmanship",
    "organisers",
    "working_groups",
    "url",
    "summary",
)


# Words for people, after the codes scripts read: the choices and the country as the reader's language names
# them (each label column and how it reads an event). The import ignores these columns, so a file downloaded
# and uploaded again changes nothing.
EVENT_LABELS: dict[str, Callable[[Event], str]] = {
    "kind_label": lambda event: str(event.get_kind_display()),
    "chair_role_label": lambda event: str(event.get_chair_role_display()),
    "country_name": lambda event: str(event.country.name) if event.country else "",
}
EVENT_LABEL_COLUMNS: tuple[str, ...] = tuple(EVENT_LABELS)
EVENT_EXPORT_COLUMNS: tuple[str, ...] = (*EVENT_CSV_COLUMNS, *EVENT_LABEL_COLUMNS)


def event_labels(event: Event) -> dict[str, str]:
    """The label columns of one event, in the active language."""
    return {column: label(event) for column, label in EVENT_LABELS.items()}


FLAG_TRUE = "true"
FLAG_FALSE = "false"


def flag_cell(value: bool) -> str:
    """A yes/no field as a spreadsheet cell: the words `true` and `false`, which the import reads back."""
    return FLAG_TRUE if value else FLAG_FALSE


def event_row(event: Event) -> dict[str, str]:
    """One event as a CSV row keyed by EVENT_EXPORT_COLUMNS; reads prefetched organisers and working groups.

    No cell can run as a formula in a spreadsheet (see gmg_portal.spreadsheets).
    """
    row = {
        "id": str(event.pk),
        "title": event.title,
        "descriptive_title": flag_cell(event.descriptive_title),
        "kind": event.kind,
        "start_date": event.start_date.isoformat(),
        "end_date": (event.end_date or event.start_date).isoformat(),
        "city": event.city,
        "country": event.country.code or "",
        "venue": event.venue,
        "forum": event.forum,
        "chair_role": event.chair_role,
        "participants": event.participants,
        "chairmanship": event.chairmanship.slug,
        "organisers": LIST_SEPARATOR.join(agency.acronym for agency in event.organisers.all()),
        "working_groups": LIST_SEPARATOR.join(group.slug for group in event.working_groups.all()),
        "url": event.url,
        "summary": event.summary,
        **event_labels(event),
    }
    return {column: neutralise_formula(value) for column, value in row.items()}


def event_rows(queryset: Iterable[Event]) -> Iterator[dict[str, str]]:
    """Rows for every event of the queryset (pass workplan.selectors.events_for_list() for a fixed query count)."""
    for event in queryset:
        yield event_row(event)


def events_csv(queryset: Iterable[Event]) -> str:
    """The events as CSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EVENT_EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(event_rows(queryset))
    return buffer.getvalue()
