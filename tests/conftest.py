"""Shared fixtures: personas, the real dataset, and honest skips for missing services."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import translation

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(name: str, available: bool, hint: str = "") -> None:
    """Skip when a service is missing on a developer's machine; fail under CI=true."""
    if available:
        return
    message = f"needs {name}{': ' + hint if hint else ''}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: a missing service is a failure)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request with Accept-Language activates its language for the thread; don't let it leak."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test leaves pages and PDFs cached otherwise."""
    cache.clear()
    yield


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def postgres_only(on_postgres: bool, db) -> None:
    """Behaviour only PostgreSQL has; the PostgreSQL leg of CI runs it."""
    if not on_postgres:
        pytest.skip("PostgreSQL-only behaviour; runs in the PostgreSQL leg (DATABASE_URL=postgres://…)")


@pytest.fixture
def gmg(db) -> None:
    """The complete real dataset of fixtures/gmg.json."""
    call_command("loaddata", "gmg", verbosity=0)


def _user_in(group: str, username: str) -> User:
    user = User.objects.create_user(username=username, password="correct horse battery staple")  # noqa: S106
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def secretariat_user(db) -> User:
    user = _user_in("Secretariat", "secretariat")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def agency_user(db) -> User:
    return _user_in("Agency", "agency")


@pytest.fixture
def principal_user(db) -> User:
    return _user_in("Principal", "principal")


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def secretariat_client(secretariat_user: User) -> Client:
    client = Client()
    client.force_login(secretariat_user)
    return client


@pytest.fixture
def agency_client(agency_user: User) -> Client:
    client = Client()
    client.force_login(agency_user)
    return client


@pytest.fixture
def principal_client(principal_user: User) -> Client:
    client = Client()
    client.force_login(principal_user)
    return client
