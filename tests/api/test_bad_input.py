"""Input no client should send is still answered: a 400 that says what is wrong, never a 500."""

from __future__ import annotations

import pytest


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
