"""Schemathesis drives every documented operation with generated input, as the secretariat and anonymously.

Each operation gets a bounded number of examples (derandomised, so a run is
repeatable) against the test database holding the real dataset. No example
may cause a server error, and every response must match the schema: a
documented status code and content type, and a body of the documented shape.
An anonymous caller reads like anyone and is refused every write (401): the
schema says both. The two callers are two tests, so pytest-xdist runs them side
by side; the anonymous one needs fewer examples (its writes all stop at the
authentication).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings
from rest_framework.authtoken.models import Token
from schemathesis import checks

from gmg_portal.wsgi import application


@pytest.fixture
def keep_test_connection():
    """Requests reach the WSGI app directly, not through Django's test client, so do what it does:
    keep Django from closing the database connection (and the test's transaction) after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, keep_test_connection):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


schema = schemathesis.pytest.from_fixture("api_schema")

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def secretariat_token(secretariat_user) -> str:
    return Token.objects.create(user=secretariat_user).key


HEALTH_CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much]


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=HEALTH_CHECKS)
def test_api_conforms_to_its_schema(case, gmg, secretariat_token):
    case.call_and_validate(headers={"Authorization": f"Token {secretariat_token}"}, checks=CHECKS)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=HEALTH_CHECKS)
def test_api_conforms_to_its_schema_for_anonymous_callers(case, gmg):
    case.call_and_validate(checks=CHECKS)
