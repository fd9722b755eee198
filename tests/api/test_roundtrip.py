"""A whole new term written through the API by natural keys, then found in its report (JSON, HTML, PDF)."""

from __future__ import annotations

import html
import io

import pytest
from pypdf import PdfReader

from chairmanship.models import Chairmanship
from tests.jobs.support import work_off_the_queue


def plain(text: str) -> str:
    """Text as a reader sees it: entities decoded, typographic apostrophes straight, spaces collapsed."""
    return " ".join(html.unescape(text).replace("\u2019", "'").split())


def post(client, resource: str, body: dict) -> dict:
    response = client.post(f"/api/v1/{resource}/", body, format="json")
    assert response.status_code == 201, (resource, response.json())
    return response.json()


@pytest.mark.slow
def test_a_new_six_month_term_reaches_its_report(api_secretariat, api_anonymous, anonymous_client):
    # A new agency from acronym and name alone, and its six-month term from agency, dates and theme alone.
    agency = post(api_secretariat, "agencies", {"acronym": "UN Habitat", "name": "UN-Habitat"})
    assert agency["kind"] == "un_entity" and agency["membership_status"] == "member"
    term = post(
        api_secretariat,
        "chairmanships",
        {"agency": "UN Habitat", "start_date": "2101-01-01", "end_date": "2101-06-30", "theme": "Cities of arrival"},
    )
    assert term["slug"] == "2101-un-habitat"
    assert term["report_status"] == "draft"
    slug = term["slug"]

    group = post(api_secretariat, "working-groups", {"name": "Working Group on Urban Migration"})
    assert group["slug"] == "urban-migration"
    first = post(api_secretariat, "objectives", {"chairmanship": slug, "text": "Map the arrival neighbourhoods."})
    second = post(api_secretariat, "objectives", {"chairmanship": slug, "text": "Brief the mayors."})
    assert (first["number"], second["number"]) == (1, 2)
    event = post(
        api_secretariat,
        "events",
        {
            "chairmanship": slug,
            "title": "Mayors' forum on arrival cities",
            "kind": "side_event",
            "start_date": "2101-03-15",
            "city": "Nairobi",
            "country": "KE",
            "organisers": ["UN Habitat"],
            "working_groups": [group["slug"]],
            "objectives": [second["id"]],
        },
    )
    assert event["end_date"] == "2101-03-15"  # a one-day event by default
    output = post(
        api_secretariat,
        "outputs",
        {
            "chairmanship": slug,
            "title": "Atlas of arrival neighbourhoods",
            "kind": "publication",
            "date": "2101-05-20",
            "producer_agencies": ["UN Habitat"],
            "producer_working_groups": [group["slug"]],
            "objectives": [first["id"]],
        },
    )
    post(
        api_secretariat,
        "accomplishments",
        {
            "chairmanship": slug,
            "title": "Cities joined the conversation",
            "narrative": "Mayors met the group for the first time.",
            "events": [event["id"]],
            "outputs": [output["id"]],
            "working_groups": [group["slug"]],
        },
    )
    post(
        api_secretariat,
        "carry-forward-issues",
        {"handed_over_in": slug, "text": "Publish the atlas in French and Spanish.", "addressed_to": "Next chair"},
    )
    # Published, so anyone reads the report.
    response = api_secretariat.patch(f"/api/v1/chairmanships/{slug}/", {"report_status": "final"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response.json()["edition_status"] == "queued"  # the answer does not wait for the rendering
    assert api_anonymous.get(f"/api/v1/chairmanships/{slug}/report/").status_code == 503  # being prepared
    work_off_the_queue()  # a worker renders the first edition

    report = api_anonymous.get(f"/api/v1/chairmanships/{slug}/report/").json()
    assert report["slug"] == slug
    assert report["theme"] == "Cities of arrival"
    assert [o["text"] for o in report["objectives"]] == ["Map the arrival neighbourhoods.", "Brief the mayors."]
    [accomplishment] = report["accomplishments"]
    assert accomplishment["title"] == "Cities joined the conversation"
    assert [e["title"] for e in accomplishment["events"]] == ["Mayors' forum on arrival cities"]
    assert [o["title"] for o in accomplishment["outputs"]] == ["Atlas of arrival neighbourhoods"]
    [group_of_issues] = report["issue_groups"]
    assert group_of_issues["origin_slug"] == slug
    assert [i["text"] for i in group_of_issues["issues"]] == ["Publish the atlas in French and Spanish."]
    annex = {entry["title"] for entry in report["annex_b"]}
    assert annex == {"Mayors' forum on arrival cities", "Atlas of arrival neighbourhoods"}
    assert report["links"]["html"].endswith(f"/reports/{slug}/")
    assert report["links"]["pdf"].endswith(f"/reports/{slug}.pdf")

    page = plain(anonymous_client.get(f"/reports/{slug}/").content.decode())
    pdf = anonymous_client.get(f"/reports/{slug}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = plain(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.content)).pages))
    for shown in (
        "Cities of arrival",
        "Map the arrival neighbourhoods.",
        "Brief the mayors.",
        "Cities joined the conversation",
        "Mayors' forum on arrival cities",
        "Atlas of arrival neighbourhoods",
        "Publish the atlas in French and Spanish.",
    ):
        assert shown in page, shown
        assert shown in text, shown
    assert Chairmanship.objects.get(slug=slug).agency.acronym == "UN Habitat"
