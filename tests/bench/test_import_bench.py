"""Importing 10,000 events through the admin's jobs against `loaddata` of the same 10,000 events.

Target (issue 20): the preview and the import of a file of 10,000 events take
at most 3× what `loaddata` takes for the same events, on the same database.
Both are measured inside a fresh `manage.py shell` on a copy of the real
dataset (SQLite, as the other benchmarks): `loaddata` of a fixture with the
events (their organisers and working group by id), and the two jobs run as a
worker runs them (jobs.engine.run): the preview (every row checked), then the
import (every row checked again and written). Rounds are interleaved; the
figure is the median.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from pathlib import Path

import pytest

from tests.bench.harness import build_dataset
from tests.bench.harness import manage
from tests.workflows.support import many_events

EVENTS = 10_000
ROUNDS = 3
TARGET = 3.0
TERM = "2014-ilo"

# What a worker does with an uploaded file: its preview, then (confirmed) its import; the seconds of each.
IMPORT_SCRIPT = """
import json, time
from django.contrib.auth.models import User
from gmg_portal.import_jobs import IMPORT, PREVIEW, queue_import_job
from gmg_portal.spreadsheet_admin import WholeSheetXLSX
from import_export.formats.base_formats import CSV
from jobs.engine import run
from jobs.models import Job
from workplan.models import Event
from workplan.resources import EventResource

data = open({path!r}, "rb").read()
before = Event.objects.count()
officer = User.objects.create_user("bench-officer", is_staff=True)
started = time.perf_counter()
preview = queue_import_job(kind=PREVIEW, resource=EventResource, file_format=CSV, upload=data,
                           upload_name="events.csv", user=officer, language="en")
run(preview.pk)
checked = time.perf_counter()
preview.refresh_from_db()
assert preview.result["new"] == {events} and not preview.result["invalid"], preview.result["errors"][:3]
job = queue_import_job(kind=IMPORT, resource=EventResource, file_format=CSV, upload=data,
                       upload_name="events.csv", user=officer, language="en", preview=preview)
run(job.pk)
done = time.perf_counter()
job.refresh_from_db()
assert job.result["written"], job.result["errors"][:3]
assert Event.objects.count() == before + {events}
print(json.dumps({{"preview": checked - started, "import": done - checked}}))
"""

LOADDATA_SCRIPT = """
import json, time
from django.core.management import call_command
from workplan.models import Event

before = Event.objects.count()
started = time.perf_counter()
call_command("loaddata", {path!r}, verbosity=0)
seconds = time.perf_counter() - started
assert Event.objects.count() == before + {events}
print(json.dumps({{"loaddata": seconds}}))
"""


def _ids(model: str, key: str, values: set[str]) -> dict[str, int]:
    fixture = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "gmg.json").read_text())
    return {o["fields"][key]: o["pk"] for o in fixture if o["model"] == model and o["fields"][key] in values}


def write_files(folder: Path) -> tuple[Path, Path]:
    """The same events as an import file (natural keys) and as a fixture for loaddata (ids)."""
    rows = many_events(EVENTS, term=TERM)
    csv_path = folder / "events.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    term = _ids("chairmanship.chairmanship", "slug", {TERM})[TERM]
    agencies = _ids("chairmanship.agency", "acronym", set(rows[0]["organisers"].split(";")))
    groups = _ids("workplan.workinggroup", "slug", {rows[0]["working_groups"]})
    now = "2026-12-03T00:00:00Z"
    fixture = [
        {
            "model": "workplan.event",
            "pk": 1_000_000 + n,
            "fields": {
                "created_at": now,
                "updated_at": now,
                "chairmanship": term,
                "title": row["title"],
                "kind": row["kind"],
                "start_date": row["start_date"],
                "end_date": row["end_date"],
                "city": row["city"],
                "country": row["country"],
                "organisers": [agencies[acronym] for acronym in row["organisers"].split(";")],
                "working_groups": [groups[row["working_groups"]]],
                "summary": row["summary"],
            },
        }
        for n, row in enumerate(rows)
    ]
    fixture_path = folder / "bench_events.json"
    fixture_path.write_text(json.dumps(fixture))
    return csv_path, fixture_path


def _last_json(output: str) -> dict:
    return json.loads(io.StringIO(output).read().strip().splitlines()[-1])


@pytest.fixture(scope="module")
def imports_dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("imports")
    static_root = folder / "static"  # the shell needs no static files; the dataset's environment names a folder
    static_root.mkdir()
    return build_dataset("imports", folder, static_root), folder


def test_importing_10000_events_takes_at_most_three_times_loaddata(imports_dataset, scratch_copy, bench_table):
    dataset, folder = imports_dataset
    csv_path, fixture_path = write_files(folder)
    loads, previews, imports = [], [], []
    for _round in range(ROUNDS):
        copy = scratch_copy(dataset)
        loads.append(
            _last_json(
                manage(
                    "shell",
                    "-v",
                    "0",
                    "-c",
                    LOADDATA_SCRIPT.format(path=str(fixture_path), events=EVENTS),
                    env=copy.env(),
                )
            )["loaddata"]
        )
        copy = scratch_copy(dataset)
        figures = _last_json(
            manage("shell", "-v", "0", "-c", IMPORT_SCRIPT.format(path=str(csv_path), events=EVENTS), env=copy.env())
        )
        previews.append(figures["preview"])
        imports.append(figures["import"])
    loaddata = statistics.median(loads)
    preview = statistics.median(previews)
    imported = statistics.median(imports)
    both = statistics.median(p + i for p, i in zip(previews, imports, strict=True))
    ratio = both / loaddata
    label = f"{EVENTS:,} new events (real data + file)"
    bench_table.add("(g) loaddata of the events, s", label, f"{loaddata:.2f}")
    bench_table.add("(g) import preview (job), s", label, f"{preview:.2f}")
    bench_table.add("(g) import after confirmation (job), s", label, f"{imported:.2f}")
    bench_table.add(
        "(g) preview + import / loaddata",
        label,
        f"{both:.2f} / {loaddata:.2f} s = {ratio:.2f}",
        f"≤ {TARGET:g}",
        ratio <= TARGET,
    )
