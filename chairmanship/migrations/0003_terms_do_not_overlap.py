"""Terms of the chair never overlap: an exclusion constraint on PostgreSQL.

SQLite has no exclusion constraints; there Chairmanship.clean() refuses an
overlapping term, as it also does on PostgreSQL with a friendlier message.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE chairmanship_chairmanship
    ADD CONSTRAINT chairmanship_terms_do_not_overlap
    EXCLUDE USING gist (daterange(start_date, end_date, '[]') WITH &&);
"""
DROP = "ALTER TABLE chairmanship_chairmanship DROP CONSTRAINT IF EXISTS chairmanship_terms_do_not_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("chairmanship", "0002_initial")]

    operations = [migrations.RunPython(create, drop)]
