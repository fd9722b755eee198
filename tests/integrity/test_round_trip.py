"""Data round trip: `dumpdata` of the domain apps → a fresh database → `loaddata` gives the same reports.

The source is the real dataset with edits made through the API (a new
event with its organisers and groups, an issue resolved, a narrative
rewritten). The fresh database is a second one made by `manage.py migrate`
in a separate process: a second SQLite file, or a second PostgreSQL
database when the tests run on PostgreSQL. Its reports (build_report
--format html --live: from the records, not a stored edition) must equal
the source's, word for word, and dumping it again must give the same file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils.dateparse import parse_datetime

# A final year-long term, the draft that follows it, and a six-month term with the issues it handed on.
SLUGS = ["2014-ilo", "2015-wb", "2013-iom"]


def manage(*args: str, database_url: str) -> str:
    """Run manage.py in a process of its own against `database_url`; its output, or a failure naming the command."""
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}: {result.stderr[-2000:]}"
    return result.stdout


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of the same kind as the test database's, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg2

    params = connection.settings_dict
    name = f"roundtrip_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
        yield f"postgres://{params['USER']}{password}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


TIMESTAMP = re.compile(r'"(\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d))"')


def instants(dump: str) -> str:
    """The dump with every timestamp written one way.

    Django's serializer keeps milliseconds: a time 400 µs past the second is
    written "…:16.000Z", loads back as 0 µs and is dumped again as "…:16Z".
    Same instant, same data; only the spelling differs, and only then.
    """
    return TIMESTAMP.sub(lambda match: f'"{parse_datetime(match[1]).isoformat()}"', dump)


def edit_through_the_api(api_secretariat) -> None:
    created = api_secretariat.post(
        "/api/v1/events/",
        {
            "chairmanship": "2015-wb",
            "title": "Briefing on remittances",
            "kind": "briefing",
            "start_date": "2015-03-10",
            "city": "Washington",
            "country": "US",
            "organisers": ["WB", "IOM"],
            "working_groups": ["data-and-research"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    issue = api_secretariat.get("/api/v1/carry-forward-issues/?handed_over_in=2014-ilo").json()["results"][0]
    resolved = api_secretariat.patch(
        f"/api/v1/carry-forward-issues/{issue['id']}/",
        {"status": "resolved", "resolution": "Done in 2015.", "resolved_in": "2015-wb"},
        format="json",
    )
    assert resolved.status_code == 200, resolved.json()
    rewritten = api_secretariat.patch(
        "/api/v1/chairmanships/2015-wb/",
        {"introduction": "The World Bank's term, *in draft*.[^1]\n\n[^1]: A footnote."},
        format="json",
    )
    assert rewritten.status_code == 200, rewritten.json()


@pytest.mark.slow
def test_dumped_domain_data_loaded_into_a_fresh_database_gives_the_same_reports(
    gmg, api_secretariat, fresh_database, tmp_path
):
    edit_through_the_api(api_secretariat)
    dump = tmp_path / "domain.json"
    call_command("dumpdata", "chairmanship", "workplan", indent=1, output=str(dump), verbosity=0)
    originals = {}
    for slug in SLUGS:
        path = tmp_path / f"{slug}.original.html"
        call_command("build_report", slug, "--format", "html", "--output", str(path), "--live", verbosity=0)
        originals[slug] = path.read_text(encoding="utf-8")

    manage("migrate", "--no-input", database_url=fresh_database)
    manage("loaddata", str(dump), database_url=fresh_database)
    rebuilt = {}
    for slug in SLUGS:
        path = tmp_path / f"{slug}.rebuilt.html"
        manage("build_report", slug, "--format", "html", "--output", str(path), "--live", database_url=fresh_database)
        rebuilt[slug] = path.read_text(encoding="utf-8")
    dumped_again = manage("dumpdata", "chairmanship", "workplan", "--indent", "1", database_url=fresh_database)

    assert "Briefing on remittances" in originals["2015-wb"] and "<em>in draft</em>" in originals["2015-wb"]
    for slug in SLUGS:
        assert rebuilt[slug] == originals[slug], slug
    assert instants(dumped_again.strip()) == instants(dump.read_text(encoding="utf-8").strip())
