"""The real dataset (fixtures/gmg.json), read once per test process and written into each test that asks for it.

`loaddata` deserialises the JSON and saves every object through the ORM, with
its signals: a fraction of a second, paid again by every one of the hundreds
of tests that use the `gmg` fixture. Instead, `capture()` runs `loaddata`
once (per pytest-xdist worker), inside a transaction that it rolls back, and
keeps the rows it wrote, table by table, as the database returned them;
`install()` writes those rows back with one INSERT per table inside the
test's own transaction. The test sees exactly what `loaddata` would have
left: the same rows, ids and timestamps, no history entries (loaddata saves
raw, but the many-to-many links it sets are recorded, dated when they are
written), sequences past the loaded ids, and a bumped data generation.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db import transaction
from django.utils import timezone

from gmg_portal.cache import data_generation_bump

FIXTURE = "gmg"
PUBLISHED = "2014-ilo"  # the dataset's final report
# django-simple-history dates each entry when it is written: so do we, at install.
WRITTEN_AT = "history_date"


@dataclass(frozen=True)
class TableRows:
    table: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]

    def rows_written_at(self, moment) -> tuple[tuple, ...]:
        """The rows, with the moment of writing in place of the captured one where the table records it."""
        if WRITTEN_AT not in self.columns:
            return self.rows
        at = self.columns.index(WRITTEN_AT)
        value = moment if connection.features.supports_timezones else timezone.make_naive(moment, datetime.UTC)
        return tuple((*row[:at], value, *row[at + 1 :]) for row in self.rows)


@dataclass(frozen=True)
class Snapshot:
    tables: tuple[TableRows, ...]

    @property
    def row_count(self) -> int:
        return sum(len(table.rows) for table in self.tables)


def _row_counts(tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - table names from introspection
            counts[table] = cursor.fetchone()[0]
    return counts


def _rows(table: str) -> TableRows:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        columns = tuple(column.name for column in connection.introspection.get_table_description(cursor, table))
        listed = ", ".join(quote(column) for column in columns)
        cursor.execute(f"SELECT {listed} FROM {quote(table)} ORDER BY 1")  # noqa: S608 - names from introspection
        return TableRows(table=table, columns=columns, rows=tuple(tuple(row) for row in cursor.fetchall()))


def capture(*, published: bool = False) -> Snapshot:
    """Run `loaddata gmg` in a transaction that is rolled back; return the rows it wrote, every table it touched.

    `published`: and the first edition of the final 2014 report, as a worker stores it (rendered once).
    """
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    with transaction.atomic():
        before = _row_counts(tables)
        call_command("loaddata", FIXTURE, verbosity=0)
        if published:
            from chairmanship.models import Chairmanship
            from reports.editions import store_edition

            store_edition(chairmanship=Chairmanship.objects.get(slug=PUBLISHED))
        after = _row_counts(tables)
        changed = [table for table in tables if after[table] != before[table]]
        if any(before[table] for table in changed):
            raise RuntimeError(f"The real dataset is captured from an empty database; these tables were not: {changed}")
        snapshot = Snapshot(tables=tuple(_rows(table) for table in changed))
        transaction.set_rollback(True)
    return snapshot


def _models_of(tables: set[str]) -> list:
    return [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in tables]


def install(snapshot: Snapshot) -> None:
    """Write the captured rows into the current database, as `loaddata gmg` would leave them.

    One transaction (foreign keys are checked when it commits, so the order
    of the tables does not matter); sequences are moved past the loaded ids,
    as loaddata does, so records created afterwards get new ids.
    """
    quote = connection.ops.quote_name
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in snapshot.tables:
            columns = ", ".join(quote(column) for column in table.columns)
            placeholders = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {quote(table.table)} ({columns}) VALUES ({placeholders})",  # noqa: S608
                table.rows_written_at(now),
            )
        models = _models_of({table.table for table in snapshot.tables})
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    # loaddata's saves bump the data generation (reports.freshness); so does this write.
    data_generation_bump()
