"""The fields the annual report reads (an event's participants, descriptive titles, the chair's role, an
accomplishment's list of linked records) through the API and the events CSV; bad values are a 400 naming them."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from tablib import Dataset

from tests.factories import AccomplishmentFactory
from tests.factories import AgencyFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from workplan.exports import EVENT_CSV_COLUMNS
from workplan.models import Event
from workplan.resources import EventResource


@pytest.fixture
def term(db):
    return ChairmanshipFactory(
        agency=AgencyFactory(acronym="ILO"), start_date=datetime.date(2101, 1, 1), end_date=datetime.date(2101, 12, 31)
    )


def test_an_event_is_written_and_read_with_its_participants_and_a_descriptive_title(api_secretariat, term):
    body = {
        "chairmanship": term.slug,
        "title": "Initial teleconference on cooperation",
        "descriptive_title": True,
        "start_date": "2101-04-14",
        "participants": "the GMG and GFMD Troikas and the SRSG",
    }

    response = api_secretariat.post("/api/v1/events/", body, format="json")

    assert response.status_code == 201, response.json()
    data = api_secretariat.get(f"/api/v1/events/{response.json()['id']}/").json()
    assert data["participants"] == "the GMG and GFMD Troikas and the SRSG"
    assert data["descriptive_title"] is True
    assert data["chair_role"] == "unspecified"  # the default: the report prints no role


def test_an_output_carries_descriptive_title_and_an_accomplishment_list_linked_records(api_secretariat, term):
    output = api_secretariat.post(
        "/api/v1/outputs/", {"chairmanship": term.slug, "title": "Read-out", "descriptive_title": True}, format="json"
    )
    accomplishment = AccomplishmentFactory(chairmanship=term)

    hidden = api_secretariat.patch(
        f"/api/v1/accomplishments/{accomplishment.pk}/", {"list_linked_records": False}, format="json"
    )

    assert output.status_code == 201 and output.json()["descriptive_title"] is True
    assert hidden.status_code == 200 and hidden.json()["list_linked_records"] is False
    created = api_secretariat.post(
        "/api/v1/accomplishments/", {"chairmanship": term.slug, "title": "Another"}, format="json"
    )
    assert created.json()["list_linked_records"] is True  # by default the report lists them


@pytest.mark.parametrize(
    ("field", "value"),
    [("chair_role", "presided"), ("descriptive_title", "perhaps"), ("participants", ["not", "text"])],
)
def test_bad_values_are_a_400_naming_the_field(api_secretariat, term, field, value):
    body = {"chairmanship": term.slug, "title": "E", "start_date": "2101-05-02", field: value}

    response = api_secretariat.post("/api/v1/events/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Event.objects.exists()


def test_the_events_csv_carries_the_new_columns(term, client):
    EventFactory(chairmanship=term, title="Special Session", participants="the SRSG", descriptive_title=True)

    response = client.get(reverse("workplan:event-csv"))
    [row] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))

    assert (row["participants"], row["descriptive_title"], row["chair_role"]) == ("the SRSG", "true", "unspecified")


def test_an_import_names_a_descriptive_title_that_is_not_true_or_false(term):
    row = dict.fromkeys(EVENT_CSV_COLUMNS, "")
    row.update(title="Briefing", kind="briefing", start_date="2101-11-24", chairmanship=term.slug)
    dataset = Dataset(headers=list(EVENT_CSV_COLUMNS))
    dataset.append([row[column] for column in EVENT_CSV_COLUMNS])
    dataset.append([{**row, "descriptive_title": "perhaps"}[column] for column in EVENT_CSV_COLUMNS])

    result = EventResource().import_data(dataset, dry_run=True)

    [invalid] = result.invalid_rows
    assert list(invalid.field_specific_errors) == ["descriptive_title"]
    assert "Write true or false" in invalid.field_specific_errors["descriptive_title"][0]
    assert not Event.objects.exists()  # a dry run; the first row, its cell empty ("no"), is valid
