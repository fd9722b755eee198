"""The database counts the changes for every process of a deployment; each process keeps what it read under it.

gunicorn's workers, the job worker and commands share the two generations
in the database (gmg_portal.models.Generation): each process bumps them after
a commit and reads them once per request, and keeps pages, sessions and users
in its own memory under them. The test suite is one process and counts in
its memory (PORTAL_ONE_PROCESS); these tests run as a deployment does, and
commit. tests/jobs/test_worker.py checks the same across real processes.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.db import transaction
from django.test import Client

from gmg_portal import cache
from gmg_portal.models import Generation
from tests.factories import EventFactory
from workplan.models import Event

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EVENTS = "/events/"


@pytest.fixture(autouse=True)
def _several_processes(settings) -> None:
    """As in a deployment: this process is one of several."""
    settings.PORTAL_ONE_PROCESS = False


def _database_generation() -> int:
    return Generation.objects.get(name=cache.GENERATION_KEY).value


def test_the_database_holds_the_generation_and_a_commit_bumps_it():
    before = cache.data_generation()
    assert before == _database_generation()
    EventFactory()
    assert cache.data_generation() > before
    assert cache.data_generation() == _database_generation()


def test_an_uncommitted_write_keeps_nothing_until_its_commit():
    EventFactory()
    with transaction.atomic():
        Event.objects.update(title="Not committed yet")
        cache.data_generation_bump()
        # What this connection reads now may never be committed: it is kept under no number.
        assert cache.data_generation() is None
    assert cache.data_generation() == _database_generation()


def test_a_bump_inside_a_transaction_waits_for_the_commit():
    before = cache.data_generation()
    with transaction.atomic():
        EventFactory()
        EventFactory()
        assert _database_generation() == before  # no row of the database's is locked by a writer
    assert _database_generation() == before + 1  # once per transaction


def test_a_bump_the_database_refused_after_a_commit_is_made_before_the_next_read():
    before = cache.data_generation()
    table = connection.ops.quote_name(Generation._meta.db_table)

    def the_database_fails_after_the_commit() -> None:  # before the write's bump, which then fails for real
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} RENAME TO gmg_portal_generation_away")

    with transaction.atomic():
        transaction.on_commit(the_database_fails_after_the_commit)
        event = EventFactory(title="Committed while the count failed")
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE gmg_portal_generation_away RENAME TO {table}")
    assert Event.objects.filter(pk=event.pk).exists()  # the writer's change stands
    assert _database_generation() == before  # not counted yet

    # The process's next read makes the bump it owes first: no process keeps the old page under the old number.
    assert cache.data_generation() > before
    assert cache.data_generation() == _database_generation()


def test_a_repeated_page_costs_one_query_and_shows_a_committed_change_at_once(
    client: Client, django_assert_num_queries
):
    event = EventFactory(title="Consultation on labour migration statistics")
    assert event.title in client.get(EVENTS).content.decode()
    with django_assert_num_queries(1):  # the generations: the page comes from this process's memory
        client.get(EVENTS)
    event.title = "Renamed: global forum on remittances"
    event.save()
    assert "Renamed: global forum on remittances" in client.get(EVENTS).content.decode()


def test_a_change_behind_the_signals_shows_once_it_is_counted(client: Client):
    event = EventFactory(title="Consultation on labour migration statistics")
    client.get(EVENTS)
    Event.objects.filter(pk=event.pk).update(title="Changed behind the signals")
    assert "Changed behind the signals" not in client.get(EVENTS).content.decode()  # kept: nothing counted it
    # What another process's commit does: the database's number moves.
    cache._bump_in_database(cache.GENERATION_KEY)
    assert "Changed behind the signals" in client.get(EVENTS).content.decode()


def test_a_kept_reader_costs_one_query(secretariat_client: Client, django_assert_num_queries):
    secretariat_client.get(EVENTS)
    secretariat_client.get(EVENTS)
    with django_assert_num_queries(1):
        page = secretariat_client.get(EVENTS).content.decode()
    assert "Signed in as secretariat" in page


def test_a_sign_out_in_one_tab_is_seen_by_the_other_at_once(secretariat_client: Client):
    tab = Client()
    tab.cookies[settings.SESSION_COOKIE_NAME] = secretariat_client.cookies[settings.SESSION_COOKIE_NAME].value
    tab.get(EVENTS)
    assert "Signed in as secretariat" in tab.get(EVENTS).content.decode()
    secretariat_client.post("/accounts/logout/")
    assert "Signed in as" not in tab.get(EVENTS).content.decode()


def test_an_emptied_table_starts_again_above_every_number_it_held():
    EventFactory()
    before = cache.data_generation()
    Generation.objects.all().delete()
    assert cache.data_generation() > before
