"""A term's events by month: the timeline of the workplan page.

The drawing is the core's (`gmg_portal.svg.events_timeline`); this module
only says what of an event it shows: title, dates, place and page.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils.safestring import SafeString

from gmg_portal.svg import TimelineEvent
from gmg_portal.svg import events_timeline
from workplan.models import Event


def _place(event: Event) -> str:
    parts = [event.city, event.country.name if event.country else ""]
    return ", ".join(part for part in parts if part)


def timeline_event(event: Event, *, link: bool = True) -> TimelineEvent:
    """What the timeline draws of an event; a one-day event may leave its end date empty."""
    return TimelineEvent(
        title=event.title,
        start=event.start_date,
        end=event.end_date or event.start_date,
        place=_place(event),
        url=event.get_absolute_url() if link and event.pk else "",
        key=str(event.pk or ""),
    )


def events_timeline_svg(
    *, start: datetime.date, end: datetime.date, events: Sequence[Event], title: str, link_events: bool = True
) -> SafeString:
    """A figure: the events of [start, end] by month as inline SVG, followed by a text alternative.

    Pure: it runs no query (events are read as given; their country names come
    from django-countries' built-in list). `link_events` links each event of the
    text alternative to its page.
    """
    ordered = sorted(events, key=lambda e: (e.start_date, e.end_date or e.start_date, e.pk or 0))
    return events_timeline(
        start=start, end=end, events=[timeline_event(event, link=link_events) for event in ordered], title=title
    )
