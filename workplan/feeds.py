"""The events as an iCalendar feed (RFC 5545), built with the icalendar library."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from gmg_portal.dates import day_after
from workplan.models import Event

PRODID = "-//Global Migration Group//GMG Portal//EN"
UID_DOMAIN = "gmg-portal"


def event_uid(event: Event) -> str:
    """Stable across feeds and edits: the event's primary key."""
    return f"event-{event.pk}@{UID_DOMAIN}"


def event_location(event: Event) -> str:
    parts = [event.venue, event.city, event.country.name if event.country else ""]
    return ", ".join(part for part in parts if part)


def event_description(event: Event) -> str:
    lines = []
    if event.forum:
        lines.append(event.forum)
    if event.summary:
        lines.append(event.summary)
    organisers = ", ".join(agency.acronym for agency in event.organisers.all())
    if organisers:
        lines.append(f"Organisers: {organisers}")
    return "\n\n".join(lines)


def events_ical(events: Iterable[Event], *, absolute_url: Callable[[str], str], name: str) -> bytes:
    """A VCALENDAR with one all-day VEVENT per event.

    DTSTART and DTEND are DATE values; DTEND is exclusive, so it is the day
    after the last day. `absolute_url` turns a path into an absolute URL
    (request.build_absolute_uri).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        vevent = VEvent()
        vevent.add("uid", event_uid(event))
        vevent.add("dtstamp", event.updated_at or stamp)
        vevent.add("dtstart", event.start_date)
        vevent.add("dtend", day_after(event.end_date or event.start_date))
        vevent.add("summary", event.title)
        location = event_location(event)
        if location:
            vevent.add("location", location)
        vevent.add("categories", [str(event.get_kind_display())])
        vevent.add("url", absolute_url(event.get_absolute_url()))
        description = event_description(event)
        if description:
            vevent.add("description", description)
        calendar.add_component(vevent)
    return calendar.to_ical()
