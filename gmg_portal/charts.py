"""Small charts drawn on the server as inline SVG: bars, stacked bars and a timeline.

Each function returns a <figure> holding the SVG (role="img", with <title>
and <desc> naming what it shows) and the same figures as a table, so the
data is readable without the picture. No script, no stylesheet, no style
attribute: colours and sizes are presentation attributes, and the SVG is
well-formed XML. Functions are pure: they draw what they are given.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 760
LABEL_WIDTH = 210
ROW_HEIGHT = 22
ROW_GAP = 6
TOP = 10
AXIS = 26
TEXT_COLOUR = "#1a1a1a"
GRID_COLOUR = "#c9d1d9"
FONT = "DejaVu Sans, Arial, sans-serif"
# Okabe–Ito: told apart by people with the common colour-vision deficiencies.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")


@dataclass(frozen=True)
class Series:
    key: str
    label: str


@dataclass(frozen=True)
class Span:
    """A bar of the timeline: a labelled period."""

    label: str
    start: datetime.date
    end: datetime.date
    detail: str = ""


def _svg_open(ident: str, height: float, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {WIDTH} {height}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="{FONT}" font-size="12">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]


def _label(y: float, text: str) -> str:
    short = text if len(text) <= 30 else text[:29] + "…"
    return (
        f'<text x="{LABEL_WIDTH - 8}" y="{round(y + ROW_HEIGHT * 0.7, 2)}" text-anchor="end" '
        f'fill="{TEXT_COLOUR}">{escape(short)}</text>'
    )


def _scale(maximum: int) -> tuple[int, float]:
    """A round top value for the axis and the pixels per unit."""
    top = max(maximum, 1)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top <= step * 5:
            top = -(-top // step) * step
            break
    return top, (WIDTH - LABEL_WIDTH - 40) / top


def _axis(y: float, top: int, per_unit: float) -> list[str]:
    parts = []
    for tick in range(0, top + 1, max(top // 5, 1)):
        x = round(LABEL_WIDTH + tick * per_unit, 2)
        parts.append(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{y}" stroke="{GRID_COLOUR}" stroke-width="1"/>')
        parts.append(f'<text x="{x}" y="{y + 16}" text-anchor="middle" fill="{TEXT_COLOUR}">{tick}</text>')
    return parts


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{escape(row[0])}</th>'
        + "".join(f'<td class="number">{escape(value)}</td>' for value in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="chart-data"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"
    )


def bar_chart(
    *, ident: str, title: str, description: str, bars: Sequence[tuple[str, int]], value_label: str
) -> SafeString:
    """Horizontal bars, one per (label, value), and the same values as a table."""
    top, per_unit = _scale(max((value for _, value in bars), default=0))
    bottom = TOP + max(len(bars), 1) * (ROW_HEIGHT + ROW_GAP)
    parts = [f'<figure class="chart" id="{ident}">', *_svg_open(ident, bottom + AXIS, title, description)]
    parts += _axis(bottom, top, per_unit)
    for index, (label, value) in enumerate(bars):
        y = TOP + index * (ROW_HEIGHT + ROW_GAP)
        width = round(value * per_unit, 2)
        parts.append(_label(y, label))
        parts.append(
            f'<g class="chart-bar"><title>{escape(label)}: {value}</title>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{ROW_HEIGHT}" fill="{PALETTE[0]}"/>'
            f'<text x="{round(LABEL_WIDTH + width + 4, 2)}" y="{round(y + ROW_HEIGHT * 0.7, 2)}" '
            f'fill="{TEXT_COLOUR}">{value}</text></g>'
        )
    parts.append("</svg>")
    parts.append(_table(title, ["", value_label], [(label, value) for label, value in bars]))
    parts.append("</figure>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


def stacked_bar_chart(
    *,
    ident: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    values: dict[tuple[str, str], int],
) -> SafeString:
    """One horizontal bar per category, split by series; a legend; a table with a total column."""
    totals = [sum(values.get((category, s.key), 0) for s in series) for category in categories]
    top, per_unit = _scale(max(totals, default=0))
    legend_height = 24
    bottom = TOP + legend_height + max(len(categories), 1) * (ROW_HEIGHT + ROW_GAP)
    parts = [f'<figure class="chart" id="{ident}">', *_svg_open(ident, bottom + AXIS, title, description)]
    x = LABEL_WIDTH
    for index, s in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="{TOP}" width="12" height="12" fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="{TOP + 10}" fill="{TEXT_COLOUR}">{escape(s.label)}</text>'
        )
        x += 24 + 8 * len(s.label)
    parts += _axis(bottom, top, per_unit)
    for row, category in enumerate(categories):
        y = TOP + legend_height + row * (ROW_HEIGHT + ROW_GAP)
        parts.append(_label(y, category))
        x = float(LABEL_WIDTH)
        for index, s in enumerate(series):
            value = values.get((category, s.key), 0)
            if not value:
                continue
            width = round(value * per_unit, 2)
            parts.append(
                f'<g class="chart-segment"><title>{escape(category)} — {escape(s.label)}: {value}</title>'
                f'<rect x="{round(x, 2)}" y="{y}" width="{width}" height="{ROW_HEIGHT}" '
                f'fill="{PALETTE[index % len(PALETTE)]}" stroke="#ffffff" stroke-width="1"/></g>'
            )
            x += width
    parts.append("</svg>")
    head = ["", *(s.label for s in series), _("Total")]
    rows = [
        (category, *(values.get((category, s.key), 0) for s in series), total)
        for category, total in zip(categories, totals, strict=True)
    ]
    parts.append(_table(title, head, rows))
    parts.append("</figure>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


def timeline_chart(*, ident: str, title: str, description: str, spans: Sequence[Span]) -> SafeString:
    """One row per span, placed on a time axis with a tick every year; a table of the same periods."""
    if spans:
        first = min(span.start for span in spans).replace(month=1, day=1)
        last = max(span.end for span in spans).replace(month=12, day=31)
    else:
        first = last = datetime.date.today()
    days = (last - first).days + 1
    inner = WIDTH - LABEL_WIDTH - 20

    def x_of(day: datetime.date) -> float:
        return round(LABEL_WIDTH + inner * (day - first).days / days, 2)

    bottom = TOP + max(len(spans), 1) * (ROW_HEIGHT + ROW_GAP)
    parts = [
        f'<figure class="chart chart--timeline" id="{ident}">',
        *_svg_open(ident, bottom + AXIS, title, description),
    ]
    years = list(range(first.year, last.year + 1))
    label_every = max(1, len(years) // 12)
    for index, year in enumerate(years):
        x = x_of(datetime.date(year, 1, 1))
        parts.append(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{bottom}" stroke="{GRID_COLOUR}" stroke-width="1"/>')
        if index % label_every == 0:
            parts.append(f'<text x="{x + 2}" y="{bottom + 16}" fill="{TEXT_COLOUR}">{year}</text>')
    for row, span in enumerate(spans):
        y = TOP + row * (ROW_HEIGHT + ROW_GAP)
        x = x_of(span.start)
        width = max(round(x_of(span.end + datetime.timedelta(days=1)) - x, 2), 3)
        parts.append(_label(y, span.label))
        tooltip = f"{span.label}: {span.detail}" if span.detail else span.label
        parts.append(
            f'<g class="chart-span"><title>{escape(tooltip)}</title>'
            f'<rect x="{x}" y="{y}" width="{width}" height="{ROW_HEIGHT}" rx="3" '
            f'fill="{PALETTE[row % 2]}"/></g>'
        )
    parts.append("</svg>")
    rows = [(span.label, span.start.isoformat(), span.end.isoformat(), span.detail) for span in spans]
    parts.append(_table(title, ["", _("Start"), _("End"), _("Term")], rows))
    parts.append("</figure>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number
