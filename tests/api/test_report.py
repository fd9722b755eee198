"""/api/v1/chairmanships/<slug>/report/: the assembled report as JSON, with the visibility of drafts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chairmanship.models import Chairmanship
from reports.selectors import assemble_report


@pytest.mark.parametrize(
    ("client", "slug", "expected"),
    [
        ("api_anonymous", "2014-ilo", 200),
        ("api_anonymous", "2015-wb", 404),  # a draft is not there for anonymous callers
        ("api_agency", "2015-wb", 404),  # an Agency account that speaks for no agency: what the public sees
        ("api_chair_focal_point", "2015-wb", 200),  # the World Bank's focal point: its own term's draft
        ("api_principal", "2015-wb", 200),
        ("api_secretariat", "2015-wb", 200),
        ("api_anonymous", "1999-nope", 404),
    ],
)
def test_report_visibility(request, gmg_published, client, slug, expected):
    response = request.getfixturevalue(client).get(f"/api/v1/chairmanships/{slug}/report/")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["slug"] == slug


def test_the_2014_report_is_the_one_the_html_and_pdf_show(gmg_published, api_anonymous):
    data = api_anonymous.get("/api/v1/chairmanships/2014-ilo/report/").json()
    links = data.pop("links")
    assert links == {
        "html": "http://testserver/reports/2014-ilo/",
        "pdf": "http://testserver/reports/2014-ilo.pdf",
    }
    # The same selector as the HTML and PDF views: the same data, field for field.
    assert data == assemble_report(chairmanship=Chairmanship.objects.get(slug="2014-ilo")).as_dict()
    assert data["status"] == "final"
    assert len(data["accomplishments"]) == 6
    assert len(data["objectives"]) == 5
    assert [group["origin_slug"] for group in data["issue_groups"]] == ["2013-escap", "2013-iom", "2014-ilo"]
    assert sum(len(group["issues"]) for group in data["issue_groups"]) == 14
    assert data["incoming_chair_acronym"] == "WB"


def test_a_term_shows_its_neighbours(gmg, api_anonymous):
    term = api_anonymous.get("/api/v1/chairmanships/2014-ilo/").json()
    assert (term["previous"], term["next"], term["incoming_chair"]) == ("2013-iom", "2015-wb", "WB")
    assert term["troika"] == ["2013-iom", "2014-ilo", "2015-wb"]
    first = api_anonymous.get("/api/v1/chairmanships/?ordering=start_date&page_size=1").json()["results"][0]
    assert first["previous"] is None
    assert first["troika"][0] == first["slug"]


def test_a_draft_report_costs_the_selector_and_three_lookups(gmg, api_principal, django_assert_num_queries):
    term = Chairmanship.objects.get(slug="2015-wb")  # a draft: assembled from the live data on every request
    with CaptureQueriesContext(connection) as selector:
        assemble_report(chairmanship=term)
    # 1 the token with its user · 1 the caller's roles · 1 the term (among the reports this caller may see) ·
    # the selector's own queries, whose number does not grow with the records (tests/reports/test_selectors.py).
    with django_assert_num_queries(3 + len(selector.captured_queries)):
        response = api_principal.get("/api/v1/chairmanships/2015-wb/report/")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_a_draft_terms_narratives_are_hidden_like_its_report(
    gmg, api_anonymous, api_agency, api_chair_focal_point, api_principal
):
    draft = Chairmanship.objects.get(slug="2015-wb")
    draft.introduction = "Draft prose, not yet for the public."
    draft.save()

    public = api_anonymous.get("/api/v1/chairmanships/2015-wb/").json()
    assert public["introduction"] == ""
    assert public["theme"] == draft.theme  # the term itself stays a public record
    assert api_agency.get("/api/v1/chairmanships/2015-wb/").json()["introduction"] == ""
    for reader in (api_chair_focal_point, api_principal):
        assert reader.get("/api/v1/chairmanships/2015-wb/").json()["introduction"] == draft.introduction
    final = api_anonymous.get("/api/v1/chairmanships/2014-ilo/").json()
    assert final["introduction"].startswith("The International Labour Organization (ILO) held the Chair")
