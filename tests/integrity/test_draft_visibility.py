"""A draft report stays unseen: its key accomplishments are hidden from anonymous readers, wherever they show.

A term's key accomplishments are section II of its report. While the
report is a draft they are shown only to those who may see drafts
(gmg_portal.permissions: the Secretariat, Principals and the focal points
of the agency chairing the term), in the API
(`/api/v1/accomplishments/`), on the event page ("Key accomplishments"),
and in the event page's related outputs, which are related through them.
The term's records stay public: its workplan, events and outputs.

The real data: `2014-ilo` is final (six accomplishments), `2015-wb` a draft;
each test gives the draft an accomplishment linking one of its events and
one of its outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from chairmanship.models import Accomplishment
from chairmanship.models import Chairmanship
from chairmanship.services import chairmanship_save
from tests.factories import AccomplishmentFactory
from tests.factories import EventFactory
from tests.factories import OutputFactory
from tests.integrity.conftest import DRAFT_READERS
from tests.integrity.conftest import ROLES
from workplan.models import Event
from workplan.models import Output

DRAFT_ACCOMPLISHMENT = "Remittance corridors mapped"


@dataclass
class Draft:
    term: Chairmanship
    accomplishment: Accomplishment
    event: Event
    output: Output  # related to the event only through the draft's accomplishment


@pytest.fixture
def draft(gmg) -> Draft:
    term = Chairmanship.objects.get(slug="2015-wb")
    assert not term.is_final
    event = EventFactory(chairmanship=term, title="Corridor workshop")
    output = OutputFactory(chairmanship=term, title="Atlas of remittance corridors")
    accomplishment = AccomplishmentFactory(chairmanship=term, number=1, title=DRAFT_ACCOMPLISHMENT)
    accomplishment.events.add(event)
    accomplishment.outputs.add(output)
    return Draft(term=term, accomplishment=accomplishment, event=event, output=output)


def final_accomplishment() -> Accomplishment:
    return Accomplishment.objects.get(chairmanship__slug="2014-ilo", number=1)


def titles(response) -> set[str]:
    return {item["title"] for item in response.json()["results"]}


# The API ----------------------------------------------------------------------------------


def test_anonymous_api_callers_see_only_final_terms_accomplishments(draft, api_client):
    listing = api_client("anonymous").get("/api/v1/accomplishments/?page_size=200")

    assert listing.status_code == 200
    assert DRAFT_ACCOMPLISHMENT not in titles(listing)
    assert final_accomplishment().title in titles(listing)
    assert listing.json()["count"] == 6  # the six of 2014
    assert api_client("anonymous").get("/api/v1/accomplishments/?chairmanship=2015-wb").json()["count"] == 0


def test_a_draft_terms_accomplishment_is_a_404_for_anonymous_api_callers(draft, api_client):
    client = api_client("anonymous")

    assert client.get(f"/api/v1/accomplishments/{draft.accomplishment.pk}/").status_code == 404
    assert client.get(f"/api/v1/accomplishments/{final_accomplishment().pk}/").status_code == 200


# Signed in, but neither reading every draft nor speaking for the agency chairing the draft's term.
OTHER_READERS = [role for role in ROLES if role not in DRAFT_READERS | {"anonymous"}]


@pytest.mark.parametrize("role", sorted(DRAFT_READERS))
def test_draft_readers_see_draft_and_final_accomplishments_in_the_api(draft, api_client, role):
    client = api_client(role)

    listing = client.get("/api/v1/accomplishments/?page_size=200")

    assert {DRAFT_ACCOMPLISHMENT, final_accomplishment().title} <= titles(listing)
    assert listing.json()["count"] == 7
    assert client.get(f"/api/v1/accomplishments/{draft.accomplishment.pk}/").status_code == 200


# The event page -----------------------------------------------------------------------------


def event_page(client, event: Event):
    response = client.get(reverse("workplan:event-detail", args=[event.pk]))
    assert response.status_code == 200
    return response


def test_anonymous_readers_see_no_draft_accomplishment_on_an_event_page(draft, anonymous_client):
    response = event_page(anonymous_client, draft.event)

    html = response.content.decode()
    assert "Corridor workshop" in html  # the event itself is a public record
    assert DRAFT_ACCOMPLISHMENT not in html
    assert "Key accomplishments" not in html
    # Nor is the draft's accomplishment used to relate outputs to the event.
    assert response.context["related_outputs"] == []
    assert "Atlas of remittance corridors" not in html


def test_anonymous_readers_see_a_final_terms_accomplishments_on_an_event_page(gmg, anonymous_client):
    accomplishment = final_accomplishment()
    event = accomplishment.events.order_by("pk").first()

    response = event_page(anonymous_client, event)

    html = response.content.decode()
    assert "Key accomplishments" in html and accomplishment.title in html
    assert set(accomplishment.outputs.all()) <= set(response.context["related_outputs"])


@pytest.mark.parametrize("role", OTHER_READERS)
def test_other_signed_in_api_callers_see_what_the_public_sees(draft, api_client, role):
    client = api_client(role)

    listing = client.get("/api/v1/accomplishments/?page_size=200")

    assert DRAFT_ACCOMPLISHMENT not in titles(listing)
    assert listing.json()["count"] == 6
    assert client.get(f"/api/v1/accomplishments/{draft.accomplishment.pk}/").status_code == 404


@pytest.mark.parametrize("role", sorted(DRAFT_READERS))
def test_draft_readers_see_a_draft_accomplishment_on_an_event_page(draft, page_client, role):
    response = event_page(page_client(role), draft.event)

    html = response.content.decode()
    assert "Key accomplishments" in html and DRAFT_ACCOMPLISHMENT in html
    assert [output.title for output in response.context["related_outputs"]] == ["Atlas of remittance corridors"]


@pytest.mark.parametrize("role", OTHER_READERS)
def test_other_signed_in_readers_see_no_draft_accomplishment_on_an_event_page(draft, page_client, role):
    html = event_page(page_client(role), draft.event).content.decode()

    assert "Corridor workshop" in html
    assert DRAFT_ACCOMPLISHMENT not in html


def test_the_page_cache_gives_nobody_the_others_copy(draft, anonymous_client, principal_client):
    # Anonymous pages are answered from the cache; signed-in readers are never given that copy, nor the reverse.
    for _ in range(2):
        assert DRAFT_ACCOMPLISHMENT in event_page(principal_client, draft.event).content.decode()
        assert DRAFT_ACCOMPLISHMENT not in event_page(anonymous_client, draft.event).content.decode()


def test_once_the_report_is_final_anonymous_readers_see_its_accomplishments(draft, anonymous_client, api_client):
    assert DRAFT_ACCOMPLISHMENT not in event_page(anonymous_client, draft.event).content.decode()  # now cached

    chairmanship_save(data={"report_status": Chairmanship.ReportStatus.FINAL}, chairmanship=draft.term)

    assert DRAFT_ACCOMPLISHMENT in event_page(anonymous_client, draft.event).content.decode()
    assert api_client("anonymous").get(f"/api/v1/accomplishments/{draft.accomplishment.pk}/").status_code == 200


# What stays public -------------------------------------------------------------------------


def test_a_draft_terms_events_outputs_and_workplan_stay_public(draft, anonymous_client, api_client):
    api = api_client("anonymous")

    assert api.get(f"/api/v1/events/{draft.event.pk}/").status_code == 200
    assert api.get(f"/api/v1/outputs/{draft.output.pk}/").status_code == 200
    assert api.get("/api/v1/events/?chairmanship=2015-wb").json()["count"] == 1
    assert api.get("/api/v1/outputs/?chairmanship=2015-wb").json()["count"] == 1
    assert "Corridor workshop" in anonymous_client.get("/events/?chairmanship=2015-wb").content.decode()
    assert "Corridor workshop" in anonymous_client.get("/workplan/2015-wb/").content.decode()
