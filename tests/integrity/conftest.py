"""Shared by the integrity tests: personas by role name, page and API clients alike."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

# The API's personas and its one-record-of-every-kind world (tokens, natural keys).
from tests.api.conftest import api_anonymous  # noqa: F401
from tests.api.conftest import api_secretariat  # noqa: F401
from tests.api.conftest import token_client  # noqa: F401
from tests.api.conftest import world  # noqa: F401

# "agency": an Agency account linked to no agency; the focal points speak for the chair of the latest draft
# term (2015-wb in the real data) or for an agency that chairs no term (tests/conftest.py).
ROLES = ["anonymous", "agency", "other_focal_point", "chair_focal_point", "principal", "secretariat"]
READERS = [role for role in ROLES if role != "secretariat"]
DRAFT_READERS = {"chair_focal_point", "principal", "secretariat"}


@pytest.fixture
def page_client(request):
    """The browser of a role: a session signed in as the persona (none for anonymous)."""

    def pick(role: str) -> Client:
        return request.getfixturevalue(f"{role}_client")

    return pick


@pytest.fixture
def api_client(request):
    """An API caller of a role, authenticated by token (none for anonymous)."""

    def pick(role: str) -> APIClient:
        user = None if role == "anonymous" else request.getfixturevalue(f"{role}_user")
        return token_client(user)

    return pick
