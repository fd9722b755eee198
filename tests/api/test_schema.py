"""/api/schema/ documents every operation, its filters and errors; /api/docs/ works offline."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests.api.support import RESOURCES

LOOKUPS = {"agencies": "acronym", "chairmanships": "slug", "working-groups": "slug"}


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_the_schema_validates_without_warnings(tmp_path, db):
    # --fail-on-warn turns any warning (an untyped field, an unresolvable filter) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3")


def test_json_on_request(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_operation_is_documented_with_its_errors(schema, resource):
    lookup = LOOKUPS.get(resource, "id")
    collection = schema["paths"][f"/api/v1/{resource}/"]
    item = schema["paths"][f"/api/v1/{resource}/{{{lookup}}}/"]
    assert set(collection) >= {"get", "post"}
    assert set(item) >= {"get", "put", "patch", "delete"}
    assert {"400", "401", "404"} <= set(collection["get"]["responses"])
    assert {"201", "400", "401", "403"} <= set(collection["post"]["responses"])
    assert {"200", "401", "404"} <= set(item["get"]["responses"])
    for method in ("put", "patch"):
        assert {"200", "400", "401", "403", "404"} <= set(item[method]["responses"])
    assert {"204", "401", "403", "404", "409"} <= set(item["delete"]["responses"])
    params = {p["name"] for p in collection["get"]["parameters"]}
    assert {"page", "page_size", "ordering"} <= params


@pytest.mark.parametrize(
    ("resource", "filters"),
    [
        ("events", {"chairmanship", "year", "kind", "country", "city", "working_group", "agency", "q"}),
        ("outputs", {"chairmanship", "year", "kind", "working_group", "agency"}),
        ("carry-forward-issues", {"status", "origin", "handed_over_in"}),
        ("recommendations", {"status", "chairmanship"}),
        ("chairmanships", {"agency", "report_status", "year"}),
        ("activities", {"chairmanship", "objective", "status", "agency", "working_group"}),
    ],
)
def test_lists_document_their_filters(schema, resource, filters):
    params = {p["name"] for p in schema["paths"][f"/api/v1/{resource}/"]["get"]["parameters"]}
    assert filters <= params


def test_the_report_is_documented(schema):
    operation = schema["paths"]["/api/v1/chairmanships/{slug}/report/"]["get"]
    # 503: a final report whose first edition a worker is still rendering.
    assert set(operation["responses"]) == {"200", "401", "404", "503"}


def test_natural_keys_are_documented_as_strings(schema):
    event = schema["components"]["schemas"]["EventRequest"]["properties"]
    assert event["chairmanship"]["type"] == "string"
    assert event["organisers"]["items"]["type"] == "string"
    assert event["working_groups"]["items"]["type"] == "string"
    assert "end_date" not in schema["components"]["schemas"]["EventRequest"]["required"]
    term = schema["components"]["schemas"]["ChairmanshipRequest"]
    assert set(term["required"]) == {"agency", "start_date", "end_date"}


def test_the_docs_page_loads_only_local_assets(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page)
    assert any("swagger-ui" in url for url in assets), assets
    for url in assets:
        assert url.startswith("/"), f"remote asset {url}"
        assert not url.startswith("//"), f"remote asset {url}"
        if url.startswith(settings.STATIC_URL):  # shipped with the app (whitenoise serves it after collectstatic)
            assert finders.find(url.split("?")[0].removeprefix(settings.STATIC_URL)), f"missing static file {url}"
    # The initialisation is a separate script (no inline script under the Content-Security-Policy).
    assert "<script>" not in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    init = script.content.decode()
    assert 'url: "/api/schema/"' in init
    # Swagger UI would otherwise fetch a validator badge from the internet.
    assert '"validatorUrl": null' in init


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_schema_says_reads_are_public_and_writes_need_the_secretariat(schema, resource):
    lookup = LOOKUPS.get(resource, "id")
    collection = schema["paths"][f"/api/v1/{resource}/"]
    item = schema["paths"][f"/api/v1/{resource}/{{{lookup}}}/"]

    for read in (collection["get"], item["get"]):
        assert {} in read["security"], "anonymous callers may read"
    for write in (collection["post"], item["put"], item["patch"], item["delete"]):
        assert {} not in write["security"]
        assert {"tokenAuth": []} in write["security"]


@pytest.mark.parametrize(
    ("resource", "rule"),
    [
        ("chairmanships", "overlaps no other term"),
        ("chairmanships", "final only with something to report"),
        ("accomplishments", "unique within a term"),
        ("carry-forward-issues", "carried forward into a term once"),
        ("events", "ends on or after the day it starts"),
        ("working-groups", "web address"),
    ],
)
def test_a_write_documents_the_business_rules_behind_its_400(schema, resource, rule):
    lookup = LOOKUPS.get(resource, "id")
    for operation in (
        schema["paths"][f"/api/v1/{resource}/"]["post"],
        schema["paths"][f"/api/v1/{resource}/{{{lookup}}}/"]["patch"],
    ):
        assert rule in operation["responses"]["400"]["description"]
