"""The suite's own plumbing: the real dataset written into a test is what `loaddata gmg` writes, and a test
that commits leaves the database as the next test expects it."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from chairmanship.models import Chairmanship
from tests import real_data
from tests.conftest import restore_migrated_rows


def _stored(snapshot: real_data.Snapshot) -> list[real_data.TableRows]:
    return [real_data._rows(table.table) for table in snapshot.tables]


def _comparable(tables: list[real_data.TableRows]) -> list[tuple]:
    """The rows, but for what two writes of the same data may number differently.

    The records keep the fixture's ids; the rows linking them (many-to-many)
    and the history entries take the next ids of their sequences, which on
    PostgreSQL move on with every write, rolled back or not. So links are
    compared without their own id, and history entries by number.
    """
    through = {model._meta.db_table for model in apps.get_models(include_auto_created=True) if model._meta.auto_created}
    result = []
    for table in tables:
        if table.table.startswith("audit_"):
            result.append((table.table, len(table.rows)))
        elif table.table in through:
            at = table.columns.index("id")
            result.append((table.table, sorted((*row[:at], *row[at + 1 :]) for row in table.rows)))
        else:
            result.append((table.table, list(table.rows)))
    return result


@pytest.mark.django_db
def test_the_installed_dataset_is_row_for_row_what_loaddata_writes(real_dataset):
    with transaction.atomic():
        call_command("loaddata", "gmg", verbosity=0)
        loaded = _stored(real_dataset)
        transaction.set_rollback(True)

    real_data.install(real_dataset)

    installed = _comparable(_stored(real_dataset))
    assert installed == _comparable(loaded)
    assert installed == _comparable(list(real_dataset.tables))
    assert {table.table for table in real_dataset.tables} >= {"chairmanship_chairmanship", "workplan_event"}
    assert Chairmanship.objects.get(slug="2014-ilo").events.count() == 13


@pytest.mark.django_db
def test_records_made_after_the_dataset_get_new_ids(gmg):
    highest = Chairmanship.objects.order_by("-pk").values_list("pk", flat=True).first()

    agency = Chairmanship.objects.get(slug="2014-ilo").agency
    term = Chairmanship.objects.create(
        agency=agency, start_date=datetime.date(2101, 1, 1), end_date=datetime.date(2101, 12, 31)
    )

    assert term.pk > highest


@pytest.mark.django_db
def test_a_test_without_the_gmg_fixture_starts_from_an_empty_database(real_dataset):
    assert not Chairmanship.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_roles_the_migrations_made_come_back_after_a_flush():
    roles = {group.name: group.permissions.count() for group in Group.objects.all()}
    assert set(roles) == {"Secretariat", "Agency", "Principal"}

    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    assert not Group.objects.exists()
    restore_migrated_rows()

    assert {group.name: group.permissions.count() for group in Group.objects.all()} == roles
