"""A term's events by month, drawn on the server as inline SVG.

The same drawing appears on the workplan page and in the annual report (HTML
and PDF, made by WeasyPrint), so it depends on nothing outside itself: no
stylesheet, no script, no font file; every colour and size is a presentation
attribute. The output is well-formed XML (an XHTML fragment), so it can be
parsed and embedded anywhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workplan.models import Event

WIDTH = 960
MARGIN = 12
AXIS_HEIGHT = 44
LANE_HEIGHT = 18
LANE_GAP = 6
MIN_MARK_WIDTH = 5
BAND_COLOURS = ("#f2f5f8", "#e3e9ef")
MARK_COLOUR = "#1d4f7a"
TEXT_COLOUR = "#1a1a1a"
FONT = "DejaVu Sans, Arial, sans-serif"


@dataclass(frozen=True)
class _Mark:
    event: Event
    x: float
    width: float
    lane: int


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month from start's month to end's month."""
    months = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _event_dates(event: Event) -> str:
    start, end = event.start_date, event.end_date or event.start_date
    if start == end:
        return date_format(start, _("j F Y"))
    return f"{date_format(start, _('j F Y'))} – {date_format(end, _('j F Y'))}"


def _place(event: Event) -> str:
    parts = [event.city, event.country.name if event.country else ""]
    return ", ".join(part for part in parts if part)


def _layout(
    *, start: datetime.date, end: datetime.date, events: Sequence[Event], x_of
) -> tuple[list[_Mark], list[Event]]:
    """Marks for the events inside the period, stacked in lanes so none hides another."""
    lanes_end: list[float] = []
    marks: list[_Mark] = []
    outside: list[Event] = []
    for event in sorted(events, key=lambda e: (e.start_date, e.end_date or e.start_date, e.pk or 0)):
        last = event.end_date or event.start_date
        if last < start or event.start_date > end:
            outside.append(event)
            continue
        first_day = max(event.start_date, start)
        after_last = min(last, end) + datetime.timedelta(days=1)
        x = x_of(first_day)
        width = max(x_of(after_last) - x, MIN_MARK_WIDTH)
        for lane, lane_end in enumerate(lanes_end):
            if x >= lane_end + 2:
                lanes_end[lane] = x + width
                break
        else:
            lane = len(lanes_end)
            lanes_end.append(x + width)
        marks.append(_Mark(event=event, x=x, width=width, lane=lane))
    return marks, outside


def events_timeline_svg(
    *, start: datetime.date, end: datetime.date, events: Sequence[Event], title: str, link_events: bool = True
) -> SafeString:
    """A figure: the events of [start, end] by month as inline SVG, followed by a text alternative.

    Pure: it runs no query (events are read as given; their country names come
    from django-countries' built-in list). `link_events` links each event of the
    text alternative to its page.
    """
    if end < start:
        raise ValueError("The timeline must not end before it starts.")
    months = _months(start, end)
    period_days = (end - start).days + 1
    inner = WIDTH - 2 * MARGIN

    def x_of(day: datetime.date) -> float:
        return round(MARGIN + inner * (day - start).days / period_days, 2)

    marks, outside = _layout(start=start, end=end, events=events, x_of=x_of)
    lanes = max((mark.lane for mark in marks), default=-1) + 1
    height = AXIS_HEIGHT + max(lanes, 1) * (LANE_HEIGHT + LANE_GAP) + LANE_GAP
    ident = f"timeline-{slugify(title)[:40] or 'events'}-{start:%Y%m%d}"
    shown = len(marks)
    description = ngettext(
        "%(count)d event from %(start)s to %(end)s, one mark per event, placed by date. "
        "The same events are listed by month below.",
        "%(count)d events from %(start)s to %(end)s, one mark per event, placed by date. "
        "The same events are listed by month below.",
        shown,
    ) % {"count": shown, "start": date_format(start, _("j F Y")), "end": date_format(end, _("j F Y"))}

    parts: list[str] = [
        f'<figure class="timeline" id="{ident}">',
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {WIDTH} {height}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="{FONT}" font-size="12">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    # Month bands with their labels; the year is added on the first month and every January.
    for index, month in enumerate(months):
        x = x_of(max(month, start))
        x_end = x_of(min(_next_month(month), end + datetime.timedelta(days=1)))
        label = date_format(month, "M")
        if index == 0 or month.month == 1:
            label = f"{label} {month:%Y}"
        parts.append(
            f'<g class="timeline-month"><rect x="{x}" y="0" width="{round(x_end - x, 2)}" height="{height}" '
            f'fill="{BAND_COLOURS[index % 2]}"/>'
            f'<text x="{round(x + 4, 2)}" y="18" fill="{TEXT_COLOUR}" font-weight="bold">{escape(label)}</text></g>'
        )
    parts.append(
        f'<line x1="{MARGIN}" y1="{AXIS_HEIGHT - 12}" x2="{WIDTH - MARGIN}" y2="{AXIS_HEIGHT - 12}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/>'
    )
    for mark in marks:
        y = AXIS_HEIGHT + mark.lane * (LANE_HEIGHT + LANE_GAP)
        tooltip = f"{mark.event.title} ({_event_dates(mark.event)})"
        parts.append(
            f'<g class="timeline-event" data-event="{mark.event.pk or ""}"><title>{escape(tooltip)}</title>'
            f'<rect x="{mark.x}" y="{y}" width="{round(mark.width, 2)}" height="{LANE_HEIGHT}" rx="3" '
            f'fill="{MARK_COLOUR}" stroke="#ffffff" stroke-width="1"/></g>'
        )
    parts.append("</svg>")

    # The text alternative: the same events, grouped by month.
    parts.append(f'<figcaption id="{ident}-caption">{escape(title)}</figcaption>')
    parts.append(f'<ol class="timeline-months" aria-label="{escape(_("Events by month"))}">')
    by_month: dict[datetime.date, list[_Mark]] = {}
    for mark in marks:
        by_month.setdefault(max(mark.event.start_date, start).replace(day=1), []).append(mark)
    for month in months:
        month_marks = by_month.get(month, [])
        if not month_marks:
            continue
        parts.append(f'<li><span class="timeline-month-name">{escape(date_format(month, _("F Y")))}</span><ul>')
        for mark in month_marks:
            event = mark.event
            name = escape(event.title)
            if link_events and event.pk:
                name = f'<a href="{escape(event.get_absolute_url())}">{name}</a>'
            place = _place(event)
            place_text = f" — {escape(place)}" if place else ""
            parts.append(f"<li>{escape(_event_dates(event))}: {name}{place_text}</li>")
        parts.append("</ul></li>")
    parts.append("</ol>")
    if not marks:
        parts.append(f'<p class="timeline-empty">{escape(_("No events in this period."))}</p>')
    if outside:
        count = len(outside)
        parts.append(
            '<p class="timeline-outside">'
            + escape(
                ngettext(
                    "%(count)d event falls outside this period and is not drawn.",
                    "%(count)d events fall outside this period and are not drawn.",
                    count,
                )
                % {"count": count}
            )
            + "</p>"
        )
    parts.append("</figure>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
