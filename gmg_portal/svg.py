"""Every chart and timeline the portal draws, as inline SVG made on the server.

Two families share one set of primitives (the <svg> element with its
accessible title and description, lines, rectangles, text, tooltip groups):

- the dashboard's charts, `bar_chart`, `stacked_bar_chart` and
  `timeline_chart` (labelled periods on a yearly axis), each followed by a
  table of the same figures;
- `events_timeline`, a period's events by month, followed by the same events
  listed by month, on the workplan page (workplan/timeline.py turns a term's
  events into `TimelineEvent`s).

Every drawing is a <figure> holding an SVG with role="img", a <title> and a
<desc>, and a text alternative, so the data reads without the picture. No
script, no stylesheet, no style attribute, no font file: colours and sizes are
presentation attributes, so the same markup works in a page and in the PDF
(WeasyPrint). The output is well-formed XML. Functions are pure: they draw
what they are given, run no query and know no domain model.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gmg_portal.dates import dates_label
from gmg_portal.dates import day_after

TEXT_COLOUR = "#1a1a1a"
GRID_COLOUR = "#c9d1d9"
FONT = "DejaVu Sans, Arial, sans-serif"
# Okabe–Ito: told apart by people with the common colour-vision deficiencies.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")

# The charts: a column of labels, then the bars. Narrow and in a larger type than the timeline, so that a
# chart scaled down to a phone's width stays legible (portal.css caps its width on a wide screen).
CHART_WIDTH = 560
CHART_FONT_SIZE = 14
CHAR_WIDTH = 9  # a generous average width of a character at CHART_FONT_SIZE, to lay out labels and the legend
LABEL_WIDTH = 160
LABEL_CHARS = (LABEL_WIDTH - 8) // CHAR_WIDTH
ROW_HEIGHT = 22
ROW_GAP = 6
LEGEND_ROW = 20
TOP = 10
AXIS = 26

# The events timeline: month bands, marks stacked in lanes.
TIMELINE_WIDTH = 960
MARGIN = 12
AXIS_HEIGHT = 44
LANE_HEIGHT = 18
LANE_GAP = 6
MIN_MARK_WIDTH = 5
BAND_COLOURS = ("#f2f5f8", "#e3e9ef")
MARK_COLOUR = "#1d4f7a"


@dataclass(frozen=True)
class Series:
    key: str
    label: str


@dataclass(frozen=True)
class Span:
    """A bar of the timeline chart: a labelled period."""

    label: str
    start: datetime.date
    end: datetime.date
    detail: str = ""


@dataclass(frozen=True)
class TimelineEvent:
    """An event as the events timeline draws it."""

    title: str
    start: datetime.date
    end: datetime.date
    place: str = ""
    url: str = ""  # its page, linked from the text alternative; empty for no link
    key: str = ""  # written as the mark's data-event attribute (the record's id)


# Primitives ---------------------------------------------------------------------


def svg_open(*, ident: str, width: int, height: float, title: str, description: str, font_size: int = 12) -> list[str]:
    """The <svg> element, named by its <title> and <desc> for assistive technology."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="{FONT}" font-size="{font_size}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]


def line(x1: float, y1: float, x2: float, y2: float, *, colour: str = GRID_COLOUR) -> str:
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="1"/>'


def rect(
    x: float, y: float, width: float, height: float, fill: str, *, rounded: bool = False, outlined: bool = False
) -> str:
    corners = ' rx="3"' if rounded else ""
    outline = ' stroke="#ffffff" stroke-width="1"' if outlined else ""
    return f'<rect x="{x}" y="{y}" width="{width}" height="{height}"{corners} fill="{fill}"{outline}/>'


def text(x: float, y: float, content: object, *, anchor: str = "", bold: bool = False) -> str:
    text_anchor = f' text-anchor="{anchor}"' if anchor else ""
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x}" y="{y}"{text_anchor} fill="{TEXT_COLOUR}"{weight}>{escape(content)}</text>'


def group(css_class: str, *children: str, tooltip: str | None = None, data: dict[str, str] | None = None) -> str:
    """A <g> of one mark; its <title> is the tooltip a pointer shows."""
    attributes = "".join(f' data-{name}="{escape(value)}"' for name, value in (data or {}).items())
    title = f"<title>{escape(tooltip)}</title>" if tooltip is not None else ""
    return f'<g class="{css_class}"{attributes}>{title}{"".join(children)}</g>'


def _finish(parts: list[str]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - every value drawn is escaped (above) or a number


# The charts ---------------------------------------------------------------------


def _label(y: float, content: str) -> str:
    short = content if len(content) <= LABEL_CHARS else content[: LABEL_CHARS - 1] + "…"
    return text(LABEL_WIDTH - 8, round(y + ROW_HEIGHT * 0.7, 2), short, anchor="end")


def _scale(maximum: int) -> tuple[int, float]:
    """A round top value for the axis and the pixels per unit."""
    top = max(maximum, 1)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top <= step * 5:
            top = -(-top // step) * step
            break
    return top, (CHART_WIDTH - LABEL_WIDTH - 40) / top


def _axis(y: float, top: int, per_unit: float, *, start: float = TOP) -> list[str]:
    """Grid lines from `start` (below any legend) down to `y`, and their values under them."""
    parts = []
    for tick in range(0, top + 1, max(top // 5, 1)):
        x = round(LABEL_WIDTH + tick * per_unit, 2)
        parts.append(line(x, start, x, y))
        parts.append(text(x, y + 16, tick, anchor="middle"))
    return parts


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """The figures as a table, in a box of its own that scrolls sideways on a narrow screen.

    The box is a named, focusable region so that a keyboard can scroll it.
    """
    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{escape(row[0])}</th>'
        + "".join(f'<td class="number">{escape(value)}</td>' for value in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="{escape(caption)}">'
        f'<table class="chart-data"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _chart_open(css_class: str, ident: str, height: float, title: str, description: str) -> list[str]:
    return [
        f'<figure class="{css_class}" id="{ident}">',
        *svg_open(
            ident=ident,
            width=CHART_WIDTH,
            height=height,
            title=title,
            description=description,
            font_size=CHART_FONT_SIZE,
        ),
    ]


def bar_chart(
    *,
    ident: str,
    title: str,
    description: str,
    bars: Sequence[tuple[str, int]],
    value_label: str,
    category_label: str = "",
) -> SafeString:
    """Horizontal bars, one per (label, value), and the same values as a table."""
    top, per_unit = _scale(max((value for _, value in bars), default=0))
    bottom = TOP + max(len(bars), 1) * (ROW_HEIGHT + ROW_GAP)
    parts = _chart_open("chart", ident, bottom + AXIS, title, description)
    parts += _axis(bottom, top, per_unit)
    for index, (label, value) in enumerate(bars):
        y = TOP + index * (ROW_HEIGHT + ROW_GAP)
        width = round(value * per_unit, 2)
        parts.append(_label(y, label))
        parts.append(
            group(
                "chart-bar",
                rect(LABEL_WIDTH, y, width, ROW_HEIGHT, PALETTE[0]),
                text(round(LABEL_WIDTH + width + 4, 2), round(y + ROW_HEIGHT * 0.7, 2), value),
                tooltip=f"{label}: {value}",
            )
        )
    parts.append("</svg>")
    parts.append(_table(title, [category_label, value_label], [(label, value) for label, value in bars]))
    parts.append("</figure>")
    return _finish(parts)


def _legend(series: Sequence[Series]) -> tuple[list[str], float]:
    """A swatch and a name for every series, in as many rows as the width needs; and their height.

    (One row ran past the chart's right edge, and the kinds beyond it were coloured but never named.)
    """
    parts, x, y = [], 0.0, float(TOP)
    for index, s in enumerate(series):
        width = 24 + CHAR_WIDTH * len(s.label)
        if x and x + width > CHART_WIDTH:
            x, y = 0.0, y + LEGEND_ROW
        swatch = rect(x, y, 12, 12, PALETTE[index % len(PALETTE)])
        parts.append(group("chart-legend-item", swatch, text(x + 16, y + 11, s.label)))
        x += width
    return parts, y + LEGEND_ROW - TOP + 4


def stacked_bar_chart(
    *,
    ident: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    values: dict[tuple[str, str], int],
    category_label: str = "",
) -> SafeString:
    """One horizontal bar per category, split by series; a legend; a table with a total column."""
    totals = [sum(values.get((category, s.key), 0) for s in series) for category in categories]
    top, per_unit = _scale(max(totals, default=0))
    legend, legend_height = _legend(series)
    bottom = TOP + legend_height + max(len(categories), 1) * (ROW_HEIGHT + ROW_GAP)
    parts = _chart_open("chart", ident, bottom + AXIS, title, description)
    parts += legend
    parts += _axis(bottom, top, per_unit, start=TOP + legend_height)
    for row, category in enumerate(categories):
        y = TOP + legend_height + row * (ROW_HEIGHT + ROW_GAP)
        parts.append(_label(y, category))
        x = float(LABEL_WIDTH)
        for index, s in enumerate(series):
            value = values.get((category, s.key), 0)
            if not value:
                continue
            width = round(value * per_unit, 2)
            colour = PALETTE[index % len(PALETTE)]
            segment = rect(round(x, 2), y, width, ROW_HEIGHT, colour, outlined=True)
            parts.append(group("chart-segment", segment, tooltip=f"{category} — {s.label}: {value}"))
            x += width
    parts.append("</svg>")
    head = [category_label, *(s.label for s in series), _("Total")]
    rows = [
        (category, *(values.get((category, s.key), 0) for s in series), total)
        for category, total in zip(categories, totals, strict=True)
    ]
    parts.append(_table(title, head, rows))
    parts.append("</figure>")
    return _finish(parts)


def timeline_chart(*, ident: str, title: str, description: str, spans: Sequence[Span]) -> SafeString:
    """One row per span, placed on a time axis with a tick every year; a table of the same periods."""
    if spans:
        first = min(span.start for span in spans).replace(month=1, day=1)
        last = max(span.end for span in spans).replace(month=12, day=31)
    else:
        first = last = datetime.date.today()
    days = (last - first).days + 1
    inner = CHART_WIDTH - LABEL_WIDTH - 20

    def x_of(day: datetime.date) -> float:
        return round(LABEL_WIDTH + inner * (day - first).days / days, 2)

    bottom = TOP + max(len(spans), 1) * (ROW_HEIGHT + ROW_GAP)
    parts = _chart_open("chart chart--timeline", ident, bottom + AXIS, title, description)
    years = list(range(first.year, last.year + 1))
    label_every = max(1, len(years) // 12)
    for index, year in enumerate(years):
        x = x_of(datetime.date(year, 1, 1))
        parts.append(line(x, TOP, x, bottom))
        if index % label_every == 0:
            parts.append(text(x + 2, bottom + 16, year))
    for row, span in enumerate(spans):
        y = TOP + row * (ROW_HEIGHT + ROW_GAP)
        x = x_of(span.start)
        width = max(round(x_of(day_after(span.end)) - x, 2), 3)
        parts.append(_label(y, span.label))
        tooltip = f"{span.label}: {span.detail}" if span.detail else span.label
        parts.append(
            group("chart-span", rect(x, y, width, ROW_HEIGHT, PALETTE[row % 2], rounded=True), tooltip=tooltip)
        )
    parts.append("</svg>")
    rows = [(span.label, span.start.isoformat(), span.end.isoformat(), span.detail) for span in spans]
    parts.append(_table(title, [_("Chair"), _("Start"), _("End"), _("Term")], rows))
    parts.append("</figure>")
    return _finish(parts)


# The events timeline ------------------------------------------------------------


@dataclass(frozen=True)
class _Mark:
    event: TimelineEvent
    x: float
    width: float
    lane: int


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month from start's month to end's month."""
    months = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        current = _next_month(current)
    return months


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _dates(event: TimelineEvent) -> str:
    return dates_label(event.start, event.end)


def _layout(
    *, start: datetime.date, end: datetime.date, events: Sequence[TimelineEvent], x_of: Callable[[datetime.date], float]
) -> tuple[list[_Mark], list[TimelineEvent]]:
    """Marks for the events inside the period, stacked in lanes so none hides another.

    Events are placed in date order; events on the same dates keep the order given.
    """
    lanes_end: list[float] = []
    marks: list[_Mark] = []
    outside: list[TimelineEvent] = []
    for event in sorted(events, key=lambda e: (e.start, e.end)):
        if event.end < start or event.start > end:
            outside.append(event)
            continue
        x = x_of(max(event.start, start))
        width = max(x_of(day_after(min(event.end, end))) - x, MIN_MARK_WIDTH)
        for lane, lane_end in enumerate(lanes_end):
            if x >= lane_end + 2:
                lanes_end[lane] = x + width
                break
        else:
            lane = len(lanes_end)
            lanes_end.append(x + width)
        marks.append(_Mark(event=event, x=x, width=width, lane=lane))
    return marks, outside


def _month_bands(
    months: list[datetime.date],
    *,
    start: datetime.date,
    end: datetime.date,
    height: float,
    x_of: Callable[[datetime.date], float],
) -> list[str]:
    """A band per month with its label; the year is added on the first month and every January."""
    parts = []
    for index, month in enumerate(months):
        x = x_of(max(month, start))
        x_end = x_of(min(_next_month(month), day_after(end)))
        label = date_format(month, "M")
        if index == 0 or month.month == 1:
            label = f"{label} {month:%Y}"
        band = rect(x, 0, round(x_end - x, 2), height, BAND_COLOURS[index % 2])
        parts.append(group("timeline-month", band, text(round(x + 4, 2), 18, label, bold=True)))
    return parts


def _events_by_month(marks: list[_Mark], months: list[datetime.date], start: datetime.date) -> list[str]:
    """The text alternative: the events drawn, listed under the month they start in."""
    # Strings marked outside the f-strings: xgettext does not look inside one.
    heading = escape(_("Events by month"))
    month_format = _("F Y")
    parts = [f'<ol class="timeline-months" aria-label="{heading}">']
    by_month: dict[datetime.date, list[_Mark]] = {}
    for mark in marks:
        by_month.setdefault(max(mark.event.start, start).replace(day=1), []).append(mark)
    for month in months:
        if month not in by_month:
            continue
        parts.append(f'<li><span class="timeline-month-name">{escape(date_format(month, month_format))}</span><ul>')
        for mark in by_month[month]:
            event = mark.event
            name = escape(event.title)
            if event.url:
                name = f'<a href="{escape(event.url)}">{name}</a>'
            place_text = f" — {escape(event.place)}" if event.place else ""
            parts.append(f"<li>{escape(_dates(event))}: {name}{place_text}</li>")
        parts.append("</ul></li>")
    parts.append("</ol>")
    return parts


def _timeline_notes(marks: list[_Mark], outside: list[TimelineEvent]) -> list[str]:
    parts = []
    if not marks:
        nothing = escape(_("No events in this period."))
        parts.append(f'<p class="timeline-empty">{nothing}</p>')
    if outside:
        count = len(outside)
        note = ngettext(
            "%(count)d event falls outside this period and is not drawn.",
            "%(count)d events fall outside this period and are not drawn.",
            count,
        ) % {"count": count}
        parts.append(f'<p class="timeline-outside">{escape(note)}</p>')
    return parts


def events_timeline(
    *, start: datetime.date, end: datetime.date, events: Sequence[TimelineEvent], title: str
) -> SafeString:
    """A figure: the events of [start, end] by month as inline SVG, followed by a text alternative."""
    if end < start:
        raise ValueError("The timeline must not end before it starts.")
    months = _months(start, end)
    period_days = (end - start).days + 1
    inner = TIMELINE_WIDTH - 2 * MARGIN

    def x_of(day: datetime.date) -> float:
        return round(MARGIN + inner * (day - start).days / period_days, 2)

    marks, outside = _layout(start=start, end=end, events=events, x_of=x_of)
    lanes = max((mark.lane for mark in marks), default=-1) + 1
    height = AXIS_HEIGHT + max(lanes, 1) * (LANE_HEIGHT + LANE_GAP) + LANE_GAP
    ident = f"timeline-{slugify(title)[:40] or 'events'}-{start:%Y%m%d}"
    description = ngettext(
        "%(count)d event from %(start)s to %(end)s, one mark per event, placed by date. "
        "The same events are listed by month below.",
        "%(count)d events from %(start)s to %(end)s, one mark per event, placed by date. "
        "The same events are listed by month below.",
        len(marks),
    ) % {"count": len(marks), "start": date_format(start, _("j F Y")), "end": date_format(end, _("j F Y"))}

    parts = [
        f'<figure class="timeline" id="{ident}">',
        *svg_open(ident=ident, width=TIMELINE_WIDTH, height=height, title=title, description=description),
        *_month_bands(months, start=start, end=end, height=height, x_of=x_of),
        line(MARGIN, AXIS_HEIGHT - 12, TIMELINE_WIDTH - MARGIN, AXIS_HEIGHT - 12, colour=TEXT_COLOUR),
    ]
    for mark in marks:
        y = AXIS_HEIGHT + mark.lane * (LANE_HEIGHT + LANE_GAP)
        drawn = rect(mark.x, y, round(mark.width, 2), LANE_HEIGHT, MARK_COLOUR, rounded=True, outlined=True)
        tooltip = f"{mark.event.title} ({_dates(mark.event)})"
        parts.append(group("timeline-event", drawn, tooltip=tooltip, data={"event": mark.event.key}))
    parts.append("</svg>")
    parts.append(f'<figcaption id="{ident}-caption">{escape(title)}</figcaption>')
    parts += _events_by_month(marks, months, start)
    parts += _timeline_notes(marks, outside)
    parts.append("</figure>")
    return _finish(parts)
