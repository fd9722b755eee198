"""Bad input is a 400 naming the field, never a 500; defaults make short bodies enough."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from chairmanship.models import Chairmanship
from tests.factories import AgencyFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from workplan.models import Event


@pytest.fixture
def ilo_2101(db) -> Chairmanship:
    agency = AgencyFactory(acronym="ILO", name="International Labour Organization")
    return ChairmanshipFactory(
        agency=agency, start_date=datetime.date(2101, 1, 1), end_date=datetime.date(2101, 12, 31)
    )


def test_an_overlapping_term_is_refused_naming_the_term(api_secretariat, ilo_2101):
    AgencyFactory(acronym="IOM")
    body = {"agency": "IOM", "start_date": "2101-07-01", "end_date": "2102-06-30", "theme": "Overlap"}
    response = api_secretariat.post("/api/v1/chairmanships/", body, format="json")
    assert response.status_code == 400
    [message] = response.json()["start_date"]
    assert "2101-ilo" in message and "1 January – 31 December 2101" in message
    assert Chairmanship.objects.count() == 1


def test_an_edit_that_makes_a_term_overlap_is_refused(api_secretariat, ilo_2101):
    later = ChairmanshipFactory(start_date=datetime.date(2102, 1, 1), end_date=datetime.date(2102, 6, 30))
    response = api_secretariat.patch(
        f"/api/v1/chairmanships/{later.slug}/", {"start_date": "2101-12-01"}, format="json"
    )
    assert response.status_code == 400
    assert "2101-ilo" in response.json()["start_date"][0]
    later.refresh_from_db()
    assert later.start_date == datetime.date(2102, 1, 1)


@pytest.mark.parametrize(
    ("resource", "body", "field"),
    [
        ("chairmanships", {"agency": "ILO", "start_date": "2103-12-31", "end_date": "2103-01-01"}, "end_date"),
        (
            "events",
            {"chairmanship": "2101-ilo", "title": "E", "start_date": "2101-05-02", "end_date": "2101-05-01"},
            "end_date",
        ),
        (
            "endorsements",
            {
                "output": None,
                "body": "CEB",
                "outcome": "endorsed",
                "start_date": "2101-05-02",
                "end_date": "2101-05-01",
            },
            "end_date",
        ),
        ("mawps", {"title": "Backwards", "start_year": 2106, "end_year": 2104}, "end_year"),
    ],
)
def test_inverted_dates_are_a_400_naming_the_field(api_secretariat, ilo_2101, resource, body, field):
    if resource == "endorsements":
        body["output"] = api_secretariat.post(
            "/api/v1/outputs/", {"chairmanship": "2101-ilo", "title": "Paper"}, format="json"
        ).json()["id"]
    response = api_secretariat.post(f"/api/v1/{resource}/", body, format="json")
    assert response.status_code == 400
    assert "must not be before" in response.json()[field][0]


@pytest.mark.parametrize(
    ("resource", "body", "field"),
    [
        ("chairmanships", {"agency": "NOPE", "start_date": "2105-01-01", "end_date": "2105-06-30"}, "agency"),
        ("events", {"chairmanship": "2099-nope", "title": "E", "start_date": "2101-05-01"}, "chairmanship"),
        (
            "events",
            {"chairmanship": "2101-ilo", "title": "E", "start_date": "2101-05-01", "organisers": ["NOPE"]},
            "organisers",
        ),
        (
            "events",
            {"chairmanship": "2101-ilo", "title": "E", "start_date": "2101-05-01", "working_groups": ["no-such-group"]},
            "working_groups",
        ),
        (
            "events",
            {"chairmanship": "2101-ilo", "title": "E", "start_date": "2101-05-01", "objectives": [999999]},
            "objectives",
        ),
        ("carry-forward-issues", {"handed_over_in": "2101-ilo", "origin": "1999-nope", "text": "T"}, "origin"),
        ("activities", {"objective": 999999, "title": "A"}, "objective"),
    ],
)
def test_unknown_natural_keys_are_a_400_naming_the_field(api_secretariat, ilo_2101, resource, body, field):
    response = api_secretariat.post(f"/api/v1/{resource}/", body, format="json")
    assert response.status_code == 400
    assert "does not exist" in str(response.json()[field]) or "Invalid" in str(response.json()[field])


def test_a_number_taken_in_the_term_is_a_400_on_the_number(api_secretariat, ilo_2101):
    body = {"chairmanship": "2101-ilo", "number": 3, "title": "First"}
    assert api_secretariat.post("/api/v1/accomplishments/", body, format="json").status_code == 201
    response = api_secretariat.post("/api/v1/accomplishments/", {**body, "title": "Again"}, format="json")
    assert response.status_code == 400
    assert "already exists" in response.json()["number"][0]


def test_numbers_default_to_the_next_in_the_term(api_secretariat, ilo_2101):
    numbers = [
        api_secretariat.post(
            "/api/v1/recommendations/", {"chairmanship": "2101-ilo", "text": f"R{n}"}, format="json"
        ).json()["number"]
        for n in range(3)
    ]
    assert numbers == [1, 2, 3]


def test_a_one_day_event_needs_no_end_date(api_secretariat, ilo_2101):
    body = {"chairmanship": "2101-ilo", "title": "Briefing", "kind": "briefing", "start_date": "2101-04-01"}
    response = api_secretariat.post("/api/v1/events/", body, format="json")
    assert response.status_code == 201
    event = Event.objects.get(pk=response.json()["id"])
    assert event.end_date == event.start_date == datetime.date(2101, 4, 1)
    assert response.json()["page_url"] == f"http://testserver/events/{event.pk}/"


def test_an_agency_with_a_space_in_its_acronym_is_found_url_encoded(api_secretariat, api_anonymous, db):
    response = api_secretariat.post("/api/v1/agencies/", {"acronym": "UN DESA", "name": "DESA"}, format="json")
    assert response.status_code == 201
    assert api_anonymous.get("/api/v1/agencies/UN%20DESA/").json()["name"] == "DESA"
    response = api_secretariat.patch("/api/v1/agencies/UN%20DESA/", {"website": "not a url"}, format="json")
    assert response.status_code == 400 and "website" in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"chairmanship": "2101-ilo", "title": "E", "start_date": "tomorrow"}, "start_date"),
        ({"chairmanship": "2101-ilo", "title": "E", "start_date": "2101-02-30"}, "start_date"),
        ({"chairmanship": ["2101-ilo"], "title": "E", "start_date": "2101-02-01"}, "chairmanship"),
        ({"chairmanship": "2101-ilo", "title": {"a": 1}, "start_date": "2101-02-01"}, "title"),
        ({"chairmanship": "2101-ilo", "title": "E", "start_date": "2101-02-01", "kind": "party"}, "kind"),
        ({"chairmanship": "2101-ilo", "title": "E", "start_date": "2101-02-01", "country": "XX"}, "country"),
        ({"chairmanship": "2101-ilo", "title": "E", "start_date": "2101-02-01", "organisers": "ILO"}, "organisers"),
        ({"chairmanship": "2101-ilo", "title": "E", "start_date": "2101-02-01", "objectives": [10**30]}, "objectives"),
        ({"chairmanship": "2101-ilo", "title": "x" * 501, "start_date": "2101-02-01"}, "title"),
        ({"chairmanship": "2101-ilo", "start_date": "2101-02-01"}, "title"),
    ],
)
def test_wrong_types_are_a_400_naming_the_field(api_secretariat, ilo_2101, body, field):
    response = api_secretariat.post("/api/v1/events/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_huge_numbers_are_a_400(api_secretariat, ilo_2101):
    for number in (10**30, 32768, -1):
        response = api_secretariat.post(
            "/api/v1/objectives/", {"chairmanship": "2101-ilo", "number": number, "text": "T"}, format="json"
        )
        assert response.status_code == 400
        assert "number" in response.json()


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"a string"', b"null"])
def test_malformed_json_is_a_400(api_secretariat, ilo_2101, body):
    response = api_secretariat.post("/api/v1/events/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()


@pytest.mark.parametrize(
    "query",
    ["year=99999999999999999999", "year=0", "year=abc", "chairmanship=nope", "working_group=nope", "country=XX"],
)
def test_bad_filters_are_a_400_naming_the_filter(api_anonymous, ilo_2101, query):
    response = api_anonymous.get(f"/api/v1/events/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


@pytest.mark.parametrize("path", ["/api/v1/events/99999999999999999999999/", "/api/v1/events/abc/"])
def test_unknown_ids_are_a_json_404(api_anonymous, db, path):
    response = api_anonymous.get(path)
    assert response.status_code == 404
    assert response.json()["detail"]


def test_an_agency_still_chairing_a_term_cannot_be_deleted(api_secretariat, ilo_2101):
    response = api_secretariat.delete("/api/v1/agencies/ILO/")
    assert response.status_code == 409
    assert "2101" in response.json()["detail"]
    assert api_secretariat.get("/api/v1/agencies/ILO/").status_code == 200


def test_an_edit_bumps_the_version(api_secretariat, ilo_2101):
    event = EventFactory(chairmanship=ilo_2101)
    response = api_secretariat.patch(f"/api/v1/events/{event.pk}/", {"city": "Turin"}, format="json")
    assert response.status_code == 200
    assert (response.json()["city"], response.json()["version"]) == ("Turin", 2)


def test_filters_work_like_the_pages(api_anonymous, ilo_2101):
    EventFactory(chairmanship=ilo_2101, title="In Turin", city="Turin", country="IT")
    EventFactory(chairmanship=ilo_2101, title="In Geneva", city="Geneva", country="CH")
    titles = [e["title"] for e in api_anonymous.get("/api/v1/events/?city=turin").json()["results"]]
    assert titles == ["In Turin"]
    titles = [
        e["title"] for e in api_anonymous.get("/api/v1/events/?country=CH&chairmanship=2101-ilo").json()["results"]
    ]
    assert titles == ["In Geneva"]
    titles = [e["title"] for e in api_anonymous.get("/api/v1/events/?ordering=title").json()["results"]]
    assert titles == ["In Geneva", "In Turin"]


class TestSession:
    """A browser session works too; DRF enforces CSRF on its writes."""

    def test_a_write_without_the_csrf_token_is_refused(self, secretariat_user: User, ilo_2101):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(secretariat_user)
        response = client.post("/api/v1/agencies/", {"acronym": "IMO", "name": "IMO"}, format="json")
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]

    def test_a_write_with_the_csrf_token_is_accepted(self, secretariat_user: User, ilo_2101):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(secretariat_user)
        secret = "abcdefghijklmnopqrstuvwxyzABCDEF"  # what a browser holds after any page set the cookie
        client.cookies["csrftoken"] = secret
        response = client.post(
            "/api/v1/agencies/", {"acronym": "IMO", "name": "IMO"}, format="json", HTTP_X_CSRFTOKEN=secret
        )
        assert response.status_code == 201

    def test_a_bad_token_is_a_401(self, ilo_2101):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
        response = client.get("/api/v1/events/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"

    def test_drf_create_token_issues_a_working_token(self, secretariat_user: User, ilo_2101, capsys):
        from django.core.management import call_command

        call_command("drf_create_token", secretariat_user.username)
        key = Token.objects.get(user=secretariat_user).key
        assert key in capsys.readouterr().out
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.post("/api/v1/agencies/", {"acronym": "IMO", "name": "IMO"}, format="json").status_code == 201


def test_q_ranks_by_relevance_on_postgresql(postgres_only, api_anonymous, ilo_2101):
    # The list's default newest-first order must not override the ranking the FilterSet gives `q`.
    EventFactory(chairmanship=ilo_2101, title="Labour migration dialogue", start_date=datetime.date(2101, 2, 1))
    EventFactory(
        chairmanship=ilo_2101,
        title="Regional meeting",
        summary="Touched on migration.",
        start_date=datetime.date(2101, 9, 1),
    )
    EventFactory(chairmanship=ilo_2101, title="Unrelated", start_date=datetime.date(2101, 10, 1))
    titles = [e["title"] for e in api_anonymous.get("/api/v1/events/?q=migration").json()["results"]]
    assert titles == ["Labour migration dialogue", "Regional meeting"]


def test_a_plan_is_written_with_its_overarching_objectives(api_secretariat, db):
    body = {
        "title": "Multi-Annual Work Plan 2104-2106",
        "start_year": 2104,
        "end_year": 2106,
        "overarching_objectives": [{"ordinal": "i", "text": "Coherence."}, {"ordinal": "ii", "text": "Data."}],
    }
    created = api_secretariat.post("/api/v1/mawps/", body, format="json").json()
    kept = created["overarching_objectives"][0]
    objective_of_a_term = {
        "chairmanship": ChairmanshipFactory().slug,
        "text": "T",
        "overarching_objectives": [kept["id"]],
    }
    objective = api_secretariat.post("/api/v1/objectives/", objective_of_a_term, format="json").json()

    # The whole list on update: (i) is matched by ordinal and keeps its links, (ii) goes, (iii) comes.
    new_list = [{"ordinal": "i", "text": "Coherence and cooperation."}, {"ordinal": "iii", "text": "Protection."}]
    response = api_secretariat.patch(
        f"/api/v1/mawps/{created['id']}/", {"overarching_objectives": new_list}, format="json"
    )
    assert response.status_code == 200
    listed = [(o["ordinal"], o["text"]) for o in response.json()["overarching_objectives"]]
    assert listed == [("i", "Coherence and cooperation."), ("iii", "Protection.")]
    assert response.json()["overarching_objectives"][0]["id"] == kept["id"]
    again = api_secretariat.get(f"/api/v1/objectives/{objective['id']}/").json()
    assert again["overarching_objectives"] == [kept["id"]]

    twice = [{"ordinal": "i", "text": "A"}, {"ordinal": "i", "text": "B"}]
    response = api_secretariat.patch(
        f"/api/v1/mawps/{created['id']}/", {"overarching_objectives": twice}, format="json"
    )
    assert response.status_code == 400
    assert "once" in response.json()["overarching_objectives"][0]


def test_an_acronym_holding_a_slash_is_a_400_as_it_could_not_be_addressed(api_secretariat):
    response = api_secretariat.post("/api/v1/agencies/", {"acronym": "A/B", "name": "Agency A and B"}, format="json")

    assert response.status_code == 400
    assert "cannot hold a slash" in response.json()["acronym"][0]
    spaced = api_secretariat.post("/api/v1/agencies/", {"acronym": "UN DESA", "name": "x"}, format="json")
    assert spaced.status_code == 201
