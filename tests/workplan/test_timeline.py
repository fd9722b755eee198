"""The server-drawn SVG timeline, parsed as XML."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from workplan.models import Event
from workplan.timeline import events_timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
D = datetime.date


@pytest.fixture(autouse=True)
def in_english():
    """Labels are localised; these tests read the English ones."""
    with translation.override("en"):
        yield


def parse(markup: str) -> ET.Element:
    """The whole figure: the output is well-formed XML, so it embeds in HTML and in the PDF alike."""
    return ET.fromstring(str(markup))  # noqa: S314 - our own markup


def svg_of(figure: ET.Element) -> ET.Element:
    return figure.find(f"{SVG}svg")


def marks(svg: ET.Element) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if g.get("class") == "timeline-event"]


def month_labels(svg: ET.Element) -> list[str]:
    return [g.find(f"{SVG}text").text for g in svg.iter(f"{SVG}g") if g.get("class") == "timeline-month"]


def events(*spans: tuple[datetime.date, datetime.date]) -> list[Event]:
    """Unsaved events: the drawing needs no database."""
    return [
        Event(pk=n + 1, title=f"Event {n + 1}", start_date=start, end_date=end, city="Geneva", country="CH")
        for n, (start, end) in enumerate(spans)
    ]


def test_one_mark_per_event_and_every_month_labelled():
    given = events(
        (D(2014, 3, 17), D(2014, 3, 24)),
        (D(2014, 5, 13), D(2014, 5, 13)),
        (D(2014, 5, 14), D(2014, 5, 16)),
        (D(2014, 12, 18), D(2014, 12, 18)),
    )

    figure = parse(events_timeline_svg(start=D(2014, 1, 1), end=D(2014, 12, 31), events=given, title="ILO 2014"))
    svg = svg_of(figure)

    assert len(marks(svg)) == 4
    assert {g.get("data-event") for g in marks(svg)} == {"1", "2", "3", "4"}
    assert month_labels(svg) == [
        "Jan 2014", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]  # fmt: skip


def test_the_svg_is_an_image_with_title_and_description():
    figure = parse(
        events_timeline_svg(
            start=D(2014, 1, 1), end=D(2014, 12, 31), events=events((D(2014, 5, 13), D(2014, 5, 13))), title="ILO 2014"
        )
    )
    svg = svg_of(figure)

    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "ILO 2014"
    assert "1 event from 1 January 2014 to 31 December 2014" in desc.text
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_the_text_alternative_lists_the_events_by_month():
    given = events(
        (D(2014, 5, 13), D(2014, 5, 13)), (D(2014, 5, 14), D(2014, 5, 16)), (D(2014, 12, 18), D(2014, 12, 18))
    )

    figure = parse(events_timeline_svg(start=D(2014, 1, 1), end=D(2014, 12, 31), events=given, title="ILO 2014"))
    months = figure.find("ol")

    assert [li.find("span").text for li in months.findall("li")] == ["May 2014", "December 2014"]
    may = ["".join(li.itertext()) for li in months.findall("li")[0].find("ul").findall("li")]
    assert may == [
        "13 May 2014: Event 1 — Geneva, Switzerland",
        "14–16 May 2014: Event 2 — Geneva, Switzerland",
    ]
    assert months.findall("li")[0].find("ul").find("li").find("a").get("href") == "/events/1/"


def test_a_longer_event_draws_a_wider_mark_and_overlapping_events_do_not_hide_each_other():
    given = events((D(2014, 5, 14), D(2014, 5, 16)), (D(2014, 5, 15), D(2014, 5, 15)), (D(2014, 9, 1), D(2014, 9, 1)))

    svg = svg_of(parse(events_timeline_svg(start=D(2014, 1, 1), end=D(2014, 12, 31), events=given, title="t")))
    rects = [g.find(f"{SVG}rect") for g in marks(svg)]
    summit, side, september = rects

    assert float(summit.get("width")) > float(side.get("width"))
    assert summit.get("y") != side.get("y")  # stacked: the side event falls within the summit
    assert september.get("y") == summit.get("y")  # room again in the first lane
    assert float(summit.get("x")) < float(side.get("x")) < float(september.get("x"))


def test_no_script_style_or_remote_reference():
    markup = str(
        events_timeline_svg(
            start=D(2014, 1, 1), end=D(2014, 6, 30), events=events((D(2014, 2, 1), D(2014, 2, 1))), title="t"
        )
    )

    for forbidden in ("<script", "<style", "<link", "@import", "http://", "https://", "url("):
        assert forbidden not in markup.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_titles_are_escaped():
    given = [Event(pk=1, title='<script>alert("x")</script> & co', start_date=D(2014, 2, 1), end_date=D(2014, 2, 1))]

    figure = parse(events_timeline_svg(start=D(2014, 1, 1), end=D(2014, 3, 31), events=given, title="A & B"))

    assert svg_of(figure).find(f"{SVG}title").text == "A & B"
    assert figure.find("ol/li/ul/li/a").text == '<script>alert("x")</script> & co'


def test_events_outside_the_period_are_counted_not_drawn():
    given = events((D(2013, 12, 1), D(2013, 12, 2)), (D(2014, 2, 1), D(2014, 2, 1)))

    figure = parse(events_timeline_svg(start=D(2014, 1, 1), end=D(2014, 6, 30), events=given, title="t"))

    assert len(marks(svg_of(figure))) == 1
    assert "1 event falls outside this period" in "".join(figure.itertext())


def test_an_empty_period_still_draws_its_months():
    figure = parse(events_timeline_svg(start=D(2013, 7, 1), end=D(2013, 12, 31), events=[], title="IOM 2013"))

    assert month_labels(svg_of(figure)) == ["Jul 2013", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert "No events in this period." in "".join(figure.itertext())


def test_a_period_across_years_labels_each_january_with_its_year():
    figure = parse(events_timeline_svg(start=D(2013, 11, 1), end=D(2014, 2, 28), events=[], title="t"))

    assert month_labels(svg_of(figure)) == ["Nov 2013", "Dec", "Jan 2014", "Feb"]


def test_an_end_before_the_start_is_refused():
    with pytest.raises(ValueError, match="must not end before it starts"):
        events_timeline_svg(start=D(2014, 2, 1), end=D(2014, 1, 1), events=[], title="t")


def test_the_drawing_runs_no_query(db, django_assert_num_queries):
    term = ChairmanshipFactory()
    saved = list(Event.objects.filter(pk__in=[EventFactory(chairmanship=term).pk for _ in range(3)]))

    with django_assert_num_queries(0):
        events_timeline_svg(start=term.start_date, end=term.end_date, events=saved, title="t")
