"""The events filter offers what the records hold; any valid value still filters, and an empty result is no error."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import AgencyFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from tests.factories import WorkingGroupFactory
from tests.workplan.bulk import add_events
from workplan.filter_options import event_filter_options

URL = reverse("workplan:event-list")


def offered(response, name: str) -> list[str]:
    """The values a select of the filter form offers, "Any" left out."""
    return [value for value, _label in response.context["filter"].form.fields[name].widget.choices if value]


def test_the_form_offers_only_the_values_the_events_hold(gmg, client):
    AgencyFactory(acronym="IDLE")  # records that no event names are not offered
    WorkingGroupFactory(slug="idle-group")
    ChairmanshipFactory()

    response = client.get(URL)

    assert offered(response, "country") == ["SE", "CH", "US"]  # by name: Sweden, Switzerland, United States
    assert offered(response, "city") == ["Geneva", "New York", "Stockholm"]
    assert offered(response, "year") == ["2014"]
    assert offered(response, "chairmanship") == ["2014-ilo"]
    assert offered(response, "working_group") == []  # the seed ties no event to a group
    assert {"ILO", "GFMD"} <= set(offered(response, "agency"))
    assert "IDLE" not in offered(response, "agency")
    assert "idle-group" not in offered(response, "working_group")
    html = response.content.decode()
    assert '<select name="country" id="id_country">' in html and '<select name="city" id="id_city">' in html
    assert '<select name="year" id="id_year">' in html  # without a number input's min, max and step
    assert html.count("<option") < 100  # not some 250 countries


def test_the_options_follow_the_records(db, client):
    group = WorkingGroupFactory(slug="data")
    agency = AgencyFactory(acronym="XYZ")
    term = ChairmanshipFactory()
    event = EventFactory(chairmanship=term, city="Bangkok", country="TH")
    event.working_groups.add(group)
    event.organisers.add(agency)
    # The city filter ignores case: one option, spelt as most events spell it.
    EventFactory(chairmanship=term, city="BANGKOK", country="TH")

    response = client.get(URL)

    assert offered(response, "city") == ["Bangkok"]
    assert offered(response, "country") == ["TH"]
    assert offered(response, "working_group") == ["data"]
    assert offered(response, "agency") == ["XYZ"]
    assert offered(response, "year") == [str(event.start_date.year)]


def test_country_names_are_in_the_readers_language(gmg):
    with translation.override("fr"):
        assert ("SE", "Suède") in event_filter_options()["country"]


@pytest.mark.parametrize(
    "query",
    [
        {"country": "FR"},  # a valid code no event has: an empty list, not an error
        {"city": "Paris"},
        {"year": "1999"},
        {"agency": "UNHCR"},
        {"chairmanship": "2006-unhcr"},
    ],
)
def test_a_valid_value_that_matches_nothing_is_an_empty_list(gmg, client, query):
    response = client.get(URL, query)

    assert response.status_code == 200
    assert response.context["filter"].is_valid()
    assert list(response.context["page"].object_list) == []
    assert "No event matches these filters." in response.content.decode()


def test_a_value_asked_for_is_kept_in_the_form_though_no_event_has_it(gmg, client):
    html = client.get(URL, {"country": "FR", "year": "1999"}).content.decode()

    assert '<option value="FR" selected>France</option>' in html
    assert '<option value="1999" selected>1999</option>' in html


def test_the_feeds_and_the_api_accept_any_valid_code(gmg, client):
    ics = client.get(reverse("workplan:event-ics"), {"country": "FR"})
    assert ics.status_code == 200
    assert "BEGIN:VEVENT" not in ics.content.decode()

    response = client.get(reverse("workplan:event-csv"), {"country": "FR"})
    assert response.status_code == 200
    assert list(csv.DictReader(io.StringIO(response.content.decode()))) == []

    api = client.get("/api/v1/events/", {"country": "FR"})
    assert api.status_code == 200
    assert api.json()["count"] == 0
    assert client.get("/api/v1/outputs/", {"agency": "UNHCR"}).json()["count"] == 0


def test_an_unknown_code_is_still_refused(gmg, client):
    assert client.get(reverse("workplan:event-csv"), {"country": "XX"}).status_code == 400
    assert client.get("/api/v1/events/", {"country": "XX"}).status_code == 400
    assert "Some filters could not be used" in client.get(URL, {"country": "XX"}).content.decode()


def test_the_options_cost_one_query_each_whatever_the_records(gmg, django_assert_max_num_queries):
    add_events(300)

    # terms, years, countries, cities, working groups, organisers
    with django_assert_max_num_queries(6):
        options = event_filter_options()
    assert {"Geneva", "New York", "Bangkok", "Stockholm"} <= {value for value, _label in options["city"]}
