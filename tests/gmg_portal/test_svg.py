"""The core's SVG drawings (gmg_portal/svg.py), parsed as XML: what they draw of what they are given."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from gmg_portal.svg import CHAR_WIDTH
from gmg_portal.svg import Series
from gmg_portal.svg import Span
from gmg_portal.svg import TimelineEvent
from gmg_portal.svg import bar_chart
from gmg_portal.svg import events_timeline
from gmg_portal.svg import group
from gmg_portal.svg import rect
from gmg_portal.svg import stacked_bar_chart
from gmg_portal.svg import svg_open
from gmg_portal.svg import text
from gmg_portal.svg import timeline_chart

SVG = "{http://www.w3.org/2000/svg}"
D = datetime.date


@pytest.fixture(autouse=True)
def in_english():
    """Labels are localised; these tests read the English ones."""
    with translation.override("en"):
        yield


def svgs(html: str) -> list[ET.Element]:
    # The portal's own output, parsed to check it is well-formed.
    return [ET.fromstring(match) for match in re.findall(r"<svg .*?</svg>", html, flags=re.S)]  # noqa: S314


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own markup


def test_the_charts_draw_what_they_are_given():
    bars = bar_chart(ident="b", title="Bars", description="Two bars.", bars=[("A", 3), ("B <x>", 0)], value_label="n")
    svg = svgs(bars)[0]
    assert [rect.get("width") for rect in svg.iter(f"{SVG}rect")][1] == "0.0"
    assert "B &lt;x&gt;" in bars
    stacked = stacked_bar_chart(
        ident="s",
        title="Stacked",
        description="One bar.",
        categories=["Row"],
        series=[Series("a", "A"), Series("b", "B")],
        values={("Row", "a"): 2, ("Row", "b"): 5},
    )
    assert '<td class="number">2</td><td class="number">5</td><td class="number">7</td>' in stacked
    timeline = timeline_chart(
        ident="t",
        title="Terms",
        description="Two terms.",
        spans=[
            Span("X", datetime.date(2006, 7, 1), datetime.date(2006, 12, 31)),
            Span("Y", datetime.date(2008, 1, 1), datetime.date(2008, 6, 30)),
        ],
    )
    drawing = svgs(timeline)[0]
    spans = [g.find(f"{SVG}rect") for g in drawing.iter(f"{SVG}g")]
    assert float(spans[0].get("x")) < float(spans[1].get("x"))
    assert {t.text for t in drawing.iter(f"{SVG}text")} >= {"2006", "2007", "2008"}


def test_the_legend_names_every_series_it_colours_inside_the_drawing():
    """Eight long names: the legend wraps onto more rows instead of running past the right edge."""
    series = [Series(f"k{n}", f"A rather long kind number {n}") for n in range(8)]
    chart = stacked_bar_chart(
        ident="legend",
        title="Kinds",
        description="Every kind.",
        categories=["Row"],
        series=series,
        values={("Row", s.key): 1 for s in series},
        category_label="Month",
    )
    drawing = svgs(chart)[0]
    width = float(drawing.get("viewBox").split()[2])
    items = [g for g in drawing.iter(f"{SVG}g") if g.get("class") == "chart-legend-item"]
    assert [item.find(f"{SVG}text").text for item in items] == [s.label for s in series]
    for item in items:
        label = item.find(f"{SVG}text")
        assert float(label.get("x")) + CHAR_WIDTH * len(label.text) <= width
    assert len({item.find(f"{SVG}rect").get("y") for item in items}) > 1  # more than one row
    swatches = {item.find(f"{SVG}rect").get("fill") for item in items}
    segments = [g.find(f"{SVG}rect") for g in drawing.iter(f"{SVG}g") if g.get("class") == "chart-segment"]
    assert {segment.get("fill") for segment in segments} <= swatches
    # The bars start below the legend's last row.
    assert min(float(segment.get("y")) for segment in segments) > max(
        float(item.find(f"{SVG}rect").get("y")) + 12 for item in items
    )
    # The table's first column is named (an empty header cell is an accessibility fault) and scrolls in a region.
    assert '<th scope="col">Month</th>' in chart
    assert '<div class="table-wrap" role="region" tabindex="0" aria-label="Kinds">' in chart


def test_every_drawing_opens_an_image_named_by_its_title_and_description():
    opened = "".join(svg_open(ident="x", width=100, height=50, title="A & B", description="<d>")) + "</svg>"
    svg = parse(opened)

    assert svg.get("role") == "img"
    assert svg.get("viewBox") == "0 0 100 50"
    assert svg.get("aria-labelledby") == "x-title x-desc"
    assert svg.find(f"{SVG}title").text == "A & B"
    assert svg.find(f"{SVG}desc").text == "<d>"


def test_the_primitives_escape_what_they_write():
    mark = group("bar", rect(1, 2, 3, 4, "#000000"), text(5, 6, "<b>"), tooltip='"x" & y', data={"event": "<1>"})
    element = parse(f'<svg xmlns="http://www.w3.org/2000/svg">{mark}</svg>').find(f"{SVG}g")

    assert element.get("data-event") == "<1>"
    assert element.find(f"{SVG}title").text == '"x" & y'
    assert element.find(f"{SVG}text").text == "<b>"


def test_the_events_timeline_draws_plain_values_in_date_order_and_lists_them_by_month():
    given = [
        TimelineEvent(title="Later", start=D(2014, 5, 14), end=D(2014, 5, 16), key="2"),
        TimelineEvent(title="Sooner", start=D(2014, 5, 13), end=D(2014, 5, 13), place="Geneva", url="/e/1/", key="1"),
        TimelineEvent(title="Before", start=D(2013, 12, 1), end=D(2013, 12, 1)),
    ]

    figure = parse(events_timeline(start=D(2014, 1, 1), end=D(2014, 6, 30), events=given, title="t"))

    drawn = [g for g in figure.iter(f"{SVG}g") if g.get("class") == "timeline-event"]
    assert [g.get("data-event") for g in drawn] == ["1", "2"]
    may = ["".join(li.itertext()) for li in figure.find("ol/li/ul").findall("li")]
    assert may == ["13 May 2014: Sooner — Geneva", "14–16 May 2014: Later"]
    assert figure.find("ol/li/ul/li/a").get("href") == "/e/1/"
    assert "1 event falls outside this period" in "".join(figure.itertext())


def test_the_events_timeline_refuses_an_end_before_the_start():
    with pytest.raises(ValueError, match="must not end before it starts"):
        events_timeline(start=D(2014, 2, 1), end=D(2014, 1, 1), events=[], title="t")
