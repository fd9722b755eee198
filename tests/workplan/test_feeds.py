"""The iCalendar feed and the CSV of the events list, parsed with icalendar and csv."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.factories import AgencyFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from tests.factories import WorkingGroupFactory
from tests.workplan.bulk import add_events
from workplan.exports import EVENT_EXPORT_COLUMNS
from workplan.models import Event

ICS = reverse("workplan:event-ics")
CSV = reverse("workplan:event-csv")


def vevents(response) -> dict[str, object]:
    """The feed's VEVENTs by UID."""
    calendar = Calendar.from_ical(response.content)
    return {str(component["UID"]): component for component in calendar.walk("VEVENT")}


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


# iCalendar ------------------------------------------------------------------


def test_the_feed_is_a_calendar_with_every_event(gmg, client):
    response = client.get(ICS)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert len(vevents(response)) == Event.objects.count() == 13


def test_a_multi_day_event_is_all_day_with_dtend_the_day_after_its_last_day(gmg, client):
    meeting = vevents(client.get(ICS))["event-11@gmg-portal"]  # Technical Working Level Meeting, 16–17 October 2014

    assert meeting["DTSTART"].dt == datetime.date(2014, 10, 16)
    assert meeting["DTEND"].dt == datetime.date(2014, 10, 18)
    # DATE values, not date-times: calendars show an all-day event.
    assert not isinstance(meeting["DTSTART"].dt, datetime.datetime)
    assert not isinstance(meeting["DTEND"].dt, datetime.datetime)
    assert meeting["DTSTART"].params.get("VALUE") == "DATE"


def test_a_one_day_event_ends_the_next_day(gmg, client):
    side_event = vevents(client.get(ICS))["event-4@gmg-portal"]  # 13 May 2014

    assert side_event["DTSTART"].dt == datetime.date(2014, 5, 13)
    assert side_event["DTEND"].dt == datetime.date(2014, 5, 14)


def test_each_event_has_summary_location_categories_url_and_description(gmg, client):
    fair_migration = vevents(client.get(ICS))["event-9@gmg-portal"]

    assert str(fair_migration["SUMMARY"]) == "Fair Migration and the Sustainable Post-2015 Development Agenda"
    assert str(fair_migration["LOCATION"]) == "New York, United States of America"
    assert [str(c) for c in fair_migration["CATEGORIES"].cats] == ["Side event"]
    assert str(fair_migration["URL"]) == "http://testserver" + reverse("workplan:event-detail", args=[9])
    description = str(fair_migration["DESCRIPTION"])
    assert "ECOSOC High-level segment" in description
    assert "Organisers: GFMD, ILO, Permanent Mission of Turkey" in description
    assert "DTSTAMP" in fair_migration


def test_the_location_starts_with_the_venue(db, client):
    event = EventFactory(venue="Palais des Nations", city="Geneva", country="CH")

    located = vevents(client.get(ICS))[f"event-{event.pk}@gmg-portal"]

    assert str(located["LOCATION"]) == "Palais des Nations, Geneva, Switzerland"


def test_uids_are_stable_across_requests_and_filters(gmg, client):
    everything = vevents(client.get(ICS))
    stockholm = vevents(client.get(ICS, {"city": "stockholm"}))

    assert set(stockholm) <= set(everything)
    assert set(stockholm) == {f"event-{pk}@gmg-portal" for pk in (4, 6, 7)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "side_event"}, {4, 6, 9}),
        ({"kind": "side_event", "city": "STOCKHOLM"}, {4, 6}),
        ({"agency": "GFMD", "country": "SE"}, {7}),
        ({"q": "youth"}, {6, 16}),
        ({"chairmanship": "2015-wb"}, set()),
    ],
)
def test_the_feed_honours_the_filters(gmg, client, query, expected):
    events = vevents(client.get(ICS, query))

    assert set(events) == {f"event-{pk}@gmg-portal" for pk in expected}


@pytest.mark.parametrize("year", ["-1", "100000", "99999999999999999999", "1.5"])
@pytest.mark.parametrize("url", [ICS, CSV])
def test_out_of_range_years_are_a_400_not_a_500(db, client, url, year):
    response = client.get(url, {"year": year})

    assert response.status_code == 400
    assert response.content.decode().startswith("year: ")


def test_the_feed_refuses_bad_filters_naming_the_field(gmg, client):
    response = client.get(ICS, {"year": "abc", "kind": "nope"})

    assert response.status_code == 400
    body = response.content.decode()
    assert "year: Enter a number." in body
    assert "kind: Select a valid choice." in body


# CSV ------------------------------------------------------------------------


def test_the_csv_has_the_documented_columns_and_one_row_per_event(gmg, client):
    response = client.get(CSV)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="gmg-events.csv"' in response["Content-Disposition"]
    reader = csv.reader(io.StringIO(response.content.decode("utf-8")))
    assert tuple(next(reader)) == EVENT_EXPORT_COLUMNS
    assert len(list(reader)) == 13


@pytest.mark.parametrize(
    ("language", "kind", "country"), [("en", "Side event", "Sweden"), ("fr", "Manifestation parallèle", "Suède")]
)
def test_the_csv_keeps_its_codes_and_adds_labels_in_the_readers_language(gmg, client, language, kind, country):
    rows = csv_rows(client.get(CSV, {"kind": "side_event"}, HTTP_ACCEPT_LANGUAGE=language))

    stockholm = next(row for row in rows if row["city"] == "Stockholm")
    assert (stockholm["kind"], stockholm["country"]) == ("side_event", "SE")  # what scripts read
    assert (stockholm["kind_label"], stockholm["country_name"]) == (kind, country)


def test_a_csv_row_holds_stored_values(gmg, client):
    rows = {row["id"]: row for row in csv_rows(client.get(CSV, {"kind": "side_event"}))}

    assert set(rows) == {"4", "6", "9"}
    fair = rows["9"]
    assert fair["title"] == "Fair Migration and the Sustainable Post-2015 Development Agenda"
    assert fair["kind"] == "side_event"
    assert (fair["start_date"], fair["end_date"]) == ("2014-07-09", "2014-07-09")
    assert (fair["city"], fair["country"]) == ("New York", "US")
    assert fair["forum"] == "ECOSOC High-level segment"
    assert fair["chairmanship"] == "2014-ilo"
    assert fair["organisers"] == "GFMD;ILO;Permanent Mission of Turkey"


def test_csv_lists_working_groups_by_slug_and_keeps_commas_and_quotes(db, client):
    group_a, group_b = (
        WorkingGroupFactory(name="Working Group on Alpha"),
        WorkingGroupFactory(name="Task Force on Beta"),
    )
    event = EventFactory(title='Meeting "on", remittances', summary="Line one\nline two", url="https://example.org/e")
    event.working_groups.add(group_a, group_b)
    event.organisers.add(AgencyFactory(acronym="UN DESA"))

    (row,) = csv_rows(client.get(CSV))

    assert row["title"] == 'Meeting "on", remittances'
    assert row["summary"] == "Line one\nline two"
    assert row["working_groups"] == "beta;alpha"  # in the order of their names: Task Force…, Working Group…
    assert row["organisers"] == "UN DESA"
    assert row["url"] == "https://example.org/e"


def test_csv_honours_the_filters(gmg, client):
    rows = csv_rows(client.get(CSV, {"city": "stockholm", "agency": "GFMD"}))

    assert sorted(row["id"] for row in rows) == ["7"]


def test_csv_refuses_bad_filters_naming_the_field(gmg, client):
    response = client.get(CSV, {"chairmanship": "1999-nobody"})

    assert response.status_code == 400
    assert "chairmanship: Select a valid choice." in response.content.decode()


# Query counts ---------------------------------------------------------------


def test_feed_and_csv_query_counts_do_not_grow_with_3000_events(gmg, client, django_assert_max_num_queries):
    term = ChairmanshipFactory()
    add_events(3000, term=term)

    # the events; their organisers; their working groups
    with django_assert_max_num_queries(3):
        response = client.get(ICS)
    assert len(vevents(response)) == 3013

    # the chairmanship named by the filter; the events; their organisers; their working groups
    with django_assert_max_num_queries(4):
        response = client.get(CSV, {"chairmanship": term.slug})
    assert len(csv_rows(response)) == 3000
