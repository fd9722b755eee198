"""Shared fixtures: personas, the real dataset, and honest skips for missing services."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.db import connections
from django.test import Client
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from chairmanship.models import Chairmanship
from chairmanship.models import FocalPoint
from gmg_portal import cache as shared_cache
from tests import real_data
from tests.factories import AgencyFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# The hasher of every password a test sets. Django's default (PBKDF2, a million rounds) costs a third of a
# second per user, and the personas make hundreds of users; how passwords are hashed is not what is tested.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config) -> None:
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
    # Each test process serves and writes alone (jobs run in it), so it counts the changes in its memory and a
    # page's query budget is what the page itself reads. Where the database counts them (every deployment, and
    # the servers tests start) is tested in tests/gmg_portal/test_generations.py and tests/jobs/test_worker.py.
    settings.PORTAL_ONE_PROCESS = True


# Tests that commit (transactional_db, live_server) -------------------------------
#
# pytest-django empties the database after such a test (flush). Without more, the rows the migrations
# made (the Secretariat, Agency and Principal groups with their permissions) would be gone for every test
# that runs after it, and the outcome would depend on the order. So each of them asks for a serialized
# rollback (the migrations' rows are restored before it runs), and once it is torn down they are
# restored again, below.


def _commits(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    marked = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    names = getattr(item, "fixturenames", ())
    return bool(marked) or "transactional_db" in names or "live_server" in names


def _restores(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return "django_db_serialized_rollback" in getattr(item, "fixturenames", ()) or bool(
        marker is not None and marker.kwargs.get("serialized_rollback")
    )


def pytest_collection_modifyitems(config, items) -> None:
    careless = [item.nodeid for item in items if _commits(item) and not _restores(item)]
    if careless:
        raise pytest.UsageError(
            "These tests commit to the database without restoring what its flush removes; "
            "add serialized_rollback=True to their django_db mark or ask for django_db_serialized_rollback:\n  "
            + "\n  ".join(careless)
        )


def restore_migrated_rows() -> None:
    """Put back the rows the test database held once migrated (kept by pytest-django's serialized rollback)."""
    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            connections[alias].creation.deserialize_db_from_string(contents)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem):
    yield
    # Without a next test, the test database itself has just been torn down.
    if _commits(item) and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            restore_migrated_rows()


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


def empty_cache() -> None:
    """Nothing remembered, in the shared cache or this process's copies: the next request reads the database."""
    shared_cache.resume()
    cache.clear()
    shared_cache.forget_nearby()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts and ends with an empty cache, reached afresh: a rolled-back test leaves pages and PDFs
    cached otherwise, and a test of an outage leaves the cache paused (gmg_portal.cache). No module defines a
    fixture of this name: it would hide this one, and a paused cache would reach the tests after it."""
    empty_cache()
    yield
    empty_cache()


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def postgres_only(on_postgres: bool, db) -> None:
    """Behaviour only PostgreSQL has; the PostgreSQL leg of CI runs it."""
    if not on_postgres:
        pytest.skip("PostgreSQL-only behaviour; runs in the PostgreSQL leg (DATABASE_URL=postgres://…)")


@pytest.fixture(scope="session")
def real_dataset(django_db_setup, django_db_blocker) -> real_data.Snapshot:
    """fixtures/gmg.json as `loaddata` writes it, read once per test process (tests/real_data.py)."""
    with django_db_blocker.unblock():
        return real_data.capture()


@pytest.fixture
def gmg(db, real_dataset) -> None:
    """The complete real dataset of fixtures/gmg.json, in this test's transaction (as loaddata leaves it: the
    final 2014 report's first edition not rendered yet)."""
    real_data.install(real_dataset)


@pytest.fixture(scope="session")
def published_dataset(django_db_setup, django_db_blocker) -> real_data.Snapshot:
    """The real dataset with the 2014 report's first edition as a worker stores it, rendered once per process."""
    with django_db_blocker.unblock():
        return real_data.capture(published=True)


@pytest.fixture
def gmg_published(db, published_dataset) -> None:
    """The real dataset after a worker has rendered the final 2014 report's first edition."""
    real_data.install(published_dataset)


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


def _focal_point(username: str, agency) -> User:
    user = _user_in("Agency", username)
    FocalPoint.objects.create(user=user, agency=agency)
    return user


@pytest.fixture
def chair_focal_point_user(db) -> User:
    """A focal point of the agency chairing the latest term whose report is a draft (2015-wb in the real data)."""
    draft = Chairmanship.objects.filter(report_status=Chairmanship.ReportStatus.DRAFT).order_by("-start_date").first()
    return _focal_point("chair-focal-point", draft.agency)


@pytest.fixture
def other_focal_point_user(db) -> User:
    """A focal point of an agency that chairs no term."""
    return _focal_point("other-focal-point", AgencyFactory(acronym="UN Women", name="UN Women"))


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


def _signed_in(user: User) -> Client:
    """A browser with a session of `user`."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def secretariat_client(secretariat_user: User) -> Client:
    return _signed_in(secretariat_user)


@pytest.fixture
def agency_client(agency_user: User) -> Client:
    return _signed_in(agency_user)


@pytest.fixture
def principal_client(principal_user: User) -> Client:
    return _signed_in(principal_user)


@pytest.fixture
def chair_focal_point_client(chair_focal_point_user: User) -> Client:
    return _signed_in(chair_focal_point_user)


@pytest.fixture
def other_focal_point_client(other_focal_point_user: User) -> Client:
    return _signed_in(other_focal_point_user)
