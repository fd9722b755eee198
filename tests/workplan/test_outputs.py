"""The outputs list (/outputs/, filtered like the events) and an output's page (/outputs/<pk>/)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from tests.factories import AccomplishmentFactory
from tests.factories import AgencyFactory
from tests.factories import ChairmanshipFactory
from tests.factories import OutputFactory
from tests.factories import WorkingGroupFactory
from tests.workplan.bulk import add_events
from workplan.models import Output

URL = reverse("workplan:output-list")
OUTPUTS_2014 = {1, 2, 3, 4, 5, 6}  # fixtures/gmg.json
BY_ILO = {1, 2, 5}
BY_THE_RIGHTS_GROUP = {3}  # the Working Group on Migration, Human Rights and Gender


def listed_pks(response) -> set[int]:
    return {output.pk for output in response.context["page"].object_list}


def output_url(pk: int) -> str:
    return reverse("workplan:output-detail", args=[pk])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, OUTPUTS_2014),
        ({"chairmanship": "2014-ilo"}, OUTPUTS_2014),
        ({"chairmanship": "2015-wb"}, set()),
        ({"year": "2014"}, {4, 6}),  # the dated ones ("May 2014" is a date as worded, not a date)
        ({"kind": "report"}, {1, 2}),
        ({"agency": "ILO"}, BY_ILO),
        ({"working_group": "migration-human-rights-and-gender"}, BY_THE_RIGHTS_GROUP),
        ({"q": "youth"}, {6}),
        ({"q": "post-2015"}, {3, 4}),
        ({"agency": "ILO", "kind": "report"}, {1, 2}),
    ],
)
def test_the_filters_of_the_outputs_list(gmg, client, query, expected):
    response = client.get(URL, query)

    assert response.status_code == 200
    assert listed_pks(response) == expected


def test_the_list_links_each_output_to_its_page(gmg, client):
    html = client.get(URL).content.decode()

    for pk in OUTPUTS_2014:
        assert f'href="{output_url(pk)}"' in html
    assert re.search(r"<strong>\s*6 outputs\s*</strong>", html)


@pytest.mark.parametrize(
    "query",
    [
        {"agency": "UNHCR"},  # a real agency that produced nothing: an empty list, not an error
        {"year": "1999"},
        {"chairmanship": "2006-unhcr"},
    ],
)
def test_a_valid_filter_that_matches_nothing_is_an_empty_list(gmg, client, query):
    response = client.get(URL, query)

    assert response.status_code == 200
    assert listed_pks(response) == set()
    assert "No output matches these filters." in response.content.decode()


@pytest.mark.parametrize("query", [{"agency": "NOPE"}, {"year": "next"}, {"kind": "poem"}])
def test_an_invalid_filter_is_named_on_the_page(gmg, client, query):
    response = client.get(URL, query)

    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Some filters could not be used" in response.content.decode()


def test_the_list_is_paginated(db, client):
    term = ChairmanshipFactory()
    OutputFactory.create_batch(30, chairmanship=term)

    first, second = client.get(URL), client.get(URL, {"page": "2"})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert client.get(URL, {"page": "9"}).context["page_error"]


def test_the_form_offers_only_what_the_outputs_hold(gmg, client):
    AgencyFactory(acronym="IDLE")
    WorkingGroupFactory(slug="idle-group")
    form = client.get(URL).context["filter"].form

    def offered(name: str) -> list[str]:
        return [value for value, _label in form.fields[name].widget.choices if value]

    assert offered("agency") == ["ILO"]
    assert offered("working_group") == ["migration-human-rights-and-gender"]
    assert offered("chairmanship") == ["2014-ilo"]
    assert offered("year") == ["2014"]


def test_the_list_costs_a_fixed_number_of_queries(gmg, client, django_assert_max_num_queries):
    term = ChairmanshipFactory()
    agencies, groups = [AgencyFactory() for _ in range(3)], [WorkingGroupFactory() for _ in range(3)]
    for n in range(200):
        output = OutputFactory(chairmanship=term)
        output.producer_agencies.add(agencies[n % 3])
        output.producer_working_groups.add(groups[n % 3])
    add_events(200)

    # terms for the banner; count; the page of outputs; their producers; their working groups;
    # the options of the selects, one query each: terms, years, working groups, producers
    with django_assert_max_num_queries(9):
        response = client.get(URL, {"page": "3"})
    assert len(response.context["page"].object_list) == 25
    # the same, and the agency asked for, checked once
    with django_assert_max_num_queries(10):
        assert client.get(URL, {"agency": agencies[0].acronym, "q": "Output"}).status_code == 200


# An output's page ---------------------------------------------------------------------------------------


def test_an_outputs_page_shows_what_the_records_hold(gmg, client):
    output = Output.objects.get(pk=1)
    response = client.get(output_url(1))
    html = response.content.decode()

    assert response.status_code == 200
    assert output.title in html
    assert "High-Level Committee on Programmes" in html  # submitted to
    assert f'href="{URL}?agency=ILO"' in html
    assert f'href="{reverse("workplan:workplan-detail", args=["2014-ilo"])}"' in html
    assert "Endorsement trail" in html  # HLCP forwarded it, the CEB endorsed it


def test_an_outputs_key_accomplishments_of_a_draft_are_shown_only_to_its_readers(db, client, principal_client):
    term = ChairmanshipFactory()
    output = OutputFactory(chairmanship=term)
    AccomplishmentFactory(chairmanship=term, number=1, title="A draft accomplishment").outputs.add(output)

    assert "A draft accomplishment" not in client.get(output_url(output.pk)).content.decode()
    assert "A draft accomplishment" in principal_client.get(output_url(output.pk)).content.decode()


def test_an_unknown_output_is_a_404(db, client):
    assert client.get(output_url(999999)).status_code == 404


def test_an_outputs_page_costs_a_fixed_number_of_queries(gmg, client, django_assert_max_num_queries):
    output = Output.objects.get(pk=1)
    output.producer_agencies.add(*Agency.objects.all())
    output.objectives.add(*Chairmanship.objects.get(slug="2014-ilo").objectives.all())

    # the output with its term; producers; groups; objectives; activities; accomplishments; endorsements;
    # the banner's terms
    with django_assert_max_num_queries(8):
        assert client.get(output_url(1)).status_code == 200
