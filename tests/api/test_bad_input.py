"""Input no client should send is still answered: a 400 that says what is wrong, never a 500."""

from __future__ import annotations

import datetime
from wsgiref.util import is_hop_by_hop

import pytest
from django.conf import settings

from workplan.models import Event


def test_a_report_asked_for_with_a_format_suffix_is_answered(gmg_published, api_anonymous):
    response = api_anonymous.get("/api/v1/chairmanships/2014-ilo/report.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["slug"] == "2014-ilo"


@pytest.mark.parametrize("path", ["/api/v1/events.json", "/api/v1/chairmanships/2014-ilo.json"])
def test_lists_and_details_with_a_format_suffix_are_answered(gmg, api_anonymous, path):
    assert api_anonymous.get(path).status_code == 200


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_a_body_nested_100000_deep_is_a_400(db, api_secretariat, opening):
    body = opening * 100_000

    response = api_secretariat.post("/api/v1/agencies/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_a_lone_surrogate_is_a_400_naming_its_field_and_writes_nothing(world, api_secretariat):
    # JSON may escape half of a UTF-16 pair; the choice field's own error, quoting it, could not be encoded (500).
    body = '{"kind": "\\ud800"}'

    response = api_secretariat.patch(f"/api/v1/agencies/{world.agency.acronym}/", body, content_type="application/json")

    assert response.status_code == 400
    assert "lone surrogate" in response.json()["kind"][0]
    world.agency.refresh_from_db()
    assert world.agency.kind != "\ud800"


@pytest.mark.parametrize("country", [{}, [], 0, False, {"code": 7}])
def test_a_country_that_is_not_a_code_is_a_400_and_the_stored_one_stays(world, api_secretariat, country):
    world.event.country = "CH"
    world.event.save()

    response = api_secretariat.patch(f"/api/v1/events/{world.event.pk}/", {"country": country}, format="json")

    assert response.status_code == 400
    assert "country" in response.json()
    world.event.refresh_from_db()
    assert world.event.country == "CH"


def test_a_country_may_still_be_emptied_or_given_by_code_or_name(world, api_secretariat):
    url = f"/api/v1/events/{world.event.pk}/"
    assert api_secretariat.patch(url, {"country": "Switzerland"}, format="json").json()["country"] == "CH"
    assert api_secretariat.patch(url, {"country": {"code": "FR"}}, format="json").json()["country"] == "FR"
    assert api_secretariat.patch(url, {"country": ""}, format="json").json()["country"] == ""


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"])
def test_a_date_no_record_of_the_gmg_can_hold_is_a_400_naming_the_field(world, api_secretariat, day):
    response = api_secretariat.patch(
        f"/api/v1/events/{world.event.pk}/",
        {"start_date": world.event.start_date.isoformat(), "end_date": day},
        format="json",
    )

    assert response.status_code == 400
    assert "Give a date between 1900-01-01 and 2999-12-31" in response.json()["end_date"][0]


def test_an_event_on_the_last_day_a_date_can_hold_still_leaves_the_calendar_answering(world, client):
    # Stored past the rules (a fixture, the shell): the feed's end is the day after, which no date can hold.
    Event.objects.filter(pk=world.event.pk).update(end_date=datetime.date.max)

    response = client.get("/events.ics")

    assert response.status_code == 200
    assert "DTEND;VALUE=DATE:99991231" in response.content.decode()


def test_a_body_over_the_limit_is_a_413_without_a_hop_by_hop_header(db, client):
    # WSGI forbids an application's hop-by-hop headers: runserver answered such a response with a 500.
    response = client.post(
        "/api/v1/events/", b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), content_type="application/json"
    )

    assert response.status_code == 413
    assert not [name for name in response.headers if is_hop_by_hop(name)]
