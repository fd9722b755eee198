"""/healthz tells a load balancer whether this app server can reach its database."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_with_json_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]  # a stale cached "ok" would hide an outage


def test_healthz_is_named_and_needs_no_sign_in(client):
    assert reverse("healthz") == "/healthz"
    assert client.get(reverse("healthz")).status_code == 200


def test_healthz_answers_head_and_refuses_writes(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
