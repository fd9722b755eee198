"""Who may do what: every endpoint × every role × read and write, in pretix's matrix style.

Anyone reads the GMG's records; only the Secretariat writes. Signed-in
agency and principal users get 403 on a write; an anonymous write is a
401 that says how to authenticate (`WWW-Authenticate: Token`).
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.support import RESOURCES
from tests.api.support import create_payload

ROLES = ["anonymous", "agency", "principal", "secretariat"]
WRITE_STATUS = {"anonymous": 401, "agency": 403, "principal": 403, "secretariat": 201}


# The world's term is a draft: its key accomplishments are section II of an unpublished report, which
# neither anonymous callers nor an Agency account that speaks for no agency see
# (tests/integrity/test_draft_visibility.py). Every other record is public.
DRAFT_REPORT_CONTENT = {("accomplishments", "anonymous"), ("accomplishments", "agency")}


def read_status(resource: str, role: str) -> int:
    return 404 if (resource, role) in DRAFT_REPORT_CONTENT else 200


@pytest.fixture
def client_for(request):
    def pick(role: str) -> APIClient:
        return request.getfixturevalue(f"api_{role}")

    return pick


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_list(client_for, world, resource, role):
    response = client_for(role).get(f"/api/v1/{resource}/")
    assert response.status_code == 200
    assert (response.json()["count"] >= 1) is (read_status(resource, role) == 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_detail(client_for, world, resource, role):
    response = client_for(role).get(f"/api/v1/{resource}/{world.ids[resource]}/")
    assert response.status_code == read_status(resource, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_create(client_for, world, resource, role):
    response = client_for(role).post(f"/api/v1/{resource}/", create_payload(resource, world), format="json")
    assert response.status_code == WRITE_STATUS[role], response.content
    if role == "anonymous":
        assert response["WWW-Authenticate"] == "Token"
    if role != "secretariat":
        assert "detail" in response.json()


@pytest.mark.parametrize("role", ["anonymous", "agency", "principal"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_update_and_delete_need_the_secretariat(client_for, world, resource, role):
    client = client_for(role)
    url = f"/api/v1/{resource}/{world.ids[resource]}/"
    assert client.patch(url, {}, format="json").status_code == WRITE_STATUS[role]
    assert client.delete(url).status_code == WRITE_STATUS[role]
    assert client.get(url).status_code == read_status(resource, role)  # still there (shown to those who may read it)
