"""Imports as jobs: no request reads the rows, the page follows the worker, who may follow it, and how many queries.

The workflow itself (preview, errors by row and field, confirmation, all or
nothing) is tests/workflows/test_import_export.py; the browser's view of the
progress bar is tests/browser/test_import_progress.py.
"""

from __future__ import annotations

import datetime
import io

import pytest
import tablib
from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook
from openpyxl import load_workbook

from chairmanship.models import CarryForwardIssue
from gmg_portal import import_jobs
from gmg_portal.spreadsheet_import import check_rows
from gmg_portal.spreadsheet_write import write_rows
from jobs.engine import run
from jobs.models import Job
from tests.factories import AgencyFactory
from tests.factories import ChairmanshipFactory
from tests.factories import WorkingGroupFactory
from tests.jobs.support import work_off_the_queue
from tests.workflows.support import XLSX_CONTENT_TYPE
from tests.workflows.support import XLSX_FORMAT
from tests.workflows.support import confirm
from tests.workflows.support import csv_file
from tests.workflows.support import many_events
from tests.workflows.support import page_messages
from tests.workflows.support import preview
from workplan.models import Event
from workplan.resources import EventResource
from workplan.services import event_save

IMPORT_URL = reverse("admin:workplan_event_import")


@pytest.fixture
def term(db):
    AgencyFactory(acronym="ILO")
    AgencyFactory(acronym="IOM")
    WorkingGroupFactory(name="Working Group on Data and Research")
    return ChairmanshipFactory(slug="2014-ilo")


def upload(client: Client, rows: list[dict]) -> str:
    """Upload a file; the job page's address (no worker has run yet)."""
    response = client.post(IMPORT_URL, {"import_file": csv_file(rows), "format": "0"})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def staff_client(role: str) -> Client:
    user = User.objects.create_user(username=f"{role.lower()}-staff", password="a long passphrase", is_staff=True)  # noqa: S106
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


# No request reads the rows ------------------------------------------------------------------


def test_uploading_queues_a_preview_and_the_page_follows_it_until_the_result(term, secretariat_client):
    job_page = upload(secretariat_client, many_events(30))

    (job,) = Job.objects.all()
    assert (job.kind, job.status, job.upload_name) == ("import-preview", "queued", "events.csv")
    assert bytes(job.upload).startswith(b"title,kind,start_date")  # the file waits in the database, for any worker
    page = secretariat_client.get(job_page)
    html = page.content.decode()
    assert 'id="import-progress-bar"' in html
    assert f'data-progress-url="{job_page}progress/"' in html
    assert '<script src="/static/admin/js/import-progress.js" defer></script>' in html
    assert "<script>" not in html  # the Content-Security-Policy allows no inline script
    assert secretariat_client.get(f"{job_page}progress/").json() == {
        "status": "queued",
        "finished": False,
        "done": 0,
        "total": None,
        "text": "Waiting for a worker to take the file…",
    }
    assert Event.objects.count() == 0

    work_off_the_queue()

    state = secretariat_client.get(f"{job_page}progress/").json()
    assert (state["status"], state["finished"], state["done"], state["total"]) == ("done", True, 30, 30)
    page = secretariat_client.get(job_page)
    assert page_messages(page) == [
        "30 rows: 30 new, 0 updated, 0 unchanged, 0 with errors. "
        "Nothing has been written yet: check the preview, then confirm the import."
    ]
    assert "…and 0 more" not in page.content.decode()
    assert Event.objects.count() == 0


def test_the_progress_bar_counts_the_rows_a_worker_has_checked(term, secretariat_client, monkeypatch):
    job_page = upload(secretariat_client, many_events(120))
    seen = []

    def progress_as_the_page_reads_it(job, *, done, total):
        import_progress(job, done=done, total=total)
        seen.append(secretariat_client.get(f"{job_page}progress/").json()["done"])

    import_progress = import_jobs.progress
    monkeypatch.setattr(import_jobs, "progress", progress_as_the_page_reads_it)

    work_off_the_queue()

    assert seen[0] == 0 and seen[-1] == 120
    assert len(set(seen)) > 10  # about fifty steps
    assert seen == sorted(seen)


def test_confirming_twice_imports_once(term, secretariat_client):
    page = preview(secretariat_client, "event", csv_file(many_events(3)))
    first = secretariat_client.post(page.context["confirm_url"])
    second = secretariat_client.post(page.context["confirm_url"])

    assert first["Location"] == second["Location"]
    assert Job.objects.filter(kind="import").count() == 1
    work_off_the_queue()
    assert Event.objects.count() == 3
    again = secretariat_client.get(page.request["PATH_INFO"])
    assert "This import has been confirmed." in again.content.decode()
    assert "confirm_url" in again.context and "confirmed_url" in again.context


def test_an_import_taken_again_after_its_worker_died_writes_nothing_twice(term, secretariat_client):
    page = preview(secretariat_client, "event", csv_file(many_events(5)))
    secretariat_client.post(page.context["confirm_url"])
    work_off_the_queue()
    job = Job.objects.get(kind="import")
    # The worker died after the rows were committed, before the engine heard of it: the job is handed out again.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)

    run(job.pk)

    assert Event.objects.count() == 5
    job.refresh_from_db()
    assert job.status == "done" and job.result["written"]


def test_a_record_saved_meanwhile_is_not_overwritten(term, secretariat_client, monkeypatch):
    event = Event.objects.create(chairmanship=term, title="Briefing", start_date="2014-03-01", end_date="2014-03-01")
    row = {**many_events(1)[0], "id": event.pk, "city": "Bangkok"}
    page = preview(secretariat_client, "event", csv_file([row]))

    def a_colleague_saves_it_after_the_check(*args, **kwargs):
        plan = check_rows(*args, **kwargs)
        Event.objects.filter(pk=event.pk).update(version=event.version + 1, city="Nairobi")
        return plan

    monkeypatch.setattr(import_jobs, "check_rows", a_colleague_saves_it_after_the_check)
    done = confirm(secretariat_client, "event", page)

    event.refresh_from_db()
    assert (event.city, event.version) == ("Nairobi", 2)
    (message,) = page_messages(done)
    assert "row 1 " in message and "Nothing has been written" in message
    assert "Someone else changed this record" in done.content.decode()


@pytest.mark.parametrize("city_in_file", ["Bangkok", "Geneva"])  # an update, and a row the preview found unchanged
def test_a_record_saved_between_the_preview_and_the_confirmation_is_not_overwritten(
    term, secretariat_client, city_in_file
):
    event = Event.objects.create(chairmanship=term, title="Briefing", start_date="2014-03-01", end_date="2014-03-01")
    Event.objects.filter(pk=event.pk).update(city="Geneva")
    row = {**many_events(1)[0], "id": event.pk, "title": "Briefing", "start_date": "2014-03-01"}
    row.update(end_date="2014-03-01", city=city_in_file)
    page = preview(secretariat_client, "event", csv_file([row]))

    # A colleague edits the event through the API or the admin while the preview is on screen.
    event_save(data={"summary": "Agreed at the briefing"}, event=Event.objects.get(pk=event.pk))
    done = confirm(secretariat_client, "event", page)

    event.refresh_from_db()
    assert event.summary == "Agreed at the briefing"
    (message,) = page_messages(done)
    assert "row 1 " in message and "Nothing has been written" in message
    assert "saved by someone else after the preview" in done.content.decode()


# Files that cannot be read -----------------------------------------------------------------


def _xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["title"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "file_format", "says"),
    [
        ("title;city\nMeeting;Genève\n".encode("latin-1"), "0", "The file is not UTF-8 text"),
        (b"PK\x03\x04 not really a workbook", "1", "The file could not be read as xlsx"),
        (b"\r\n", "0", "The file holds no rows to import"),
        (_xlsx_bytes(), "0", "The file is not UTF-8 text"),
        (b"title,city\nMeeting,Geneva\nBriefing,Bangkok,\n", "0", "Row 2 has 3 cells, more than the 2 columns"),
    ],
    ids=["latin-1", "broken-xlsx", "empty", "xlsx-as-csv", "ragged-row"],
)
def test_a_file_that_cannot_be_read_is_refused_on_the_file_field(term, secretariat_client, content, file_format, says):
    from django.core.files.uploadedfile import SimpleUploadedFile

    queued = secretariat_client.post(
        IMPORT_URL, {"import_file": SimpleUploadedFile("events.csv", content), "format": file_format}
    )
    work_off_the_queue()
    page = secretariat_client.get(queued["Location"])

    assert page.status_code == 200
    (error,) = page.context["form"].errors["import_file"]
    assert says in error
    assert Job.objects.get().status == "done"  # a bad file is an answer, not a failed job tried again


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("title,kind,start_date,chairmanship,title", "names these columns more than once: title"),
    ],
)
def test_a_file_naming_a_column_twice_is_refused_naming_it(term, secretariat_client, header, says):
    content = f"{header}\nMeeting,meeting,2014-03-01,2014-ilo,Briefing\n".encode()

    page = preview(secretariat_client, "event", SimpleUploadedFile("events.csv", content))

    assert says in page.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("cells", "column", "says"),
    [
        ({"title": "Meet\x00ing"}, "title", "Null characters are not allowed"),
        ({"id": "99999999999999999999999"}, "id", "has an id that large"),
    ],
)
def test_a_cell_the_database_cannot_hold_is_an_error_on_its_row_and_column(
    term, secretariat_client, cells, column, says
):
    row = {**many_events(1)[0], **cells}

    page = preview(secretariat_client, "event", csv_file([row]))

    (problem,) = page.context["result"].data["errors"]
    assert problem["row"] == 1 and says in " ".join(problem["errors"][column])
    assert "\x00" not in str(problem["values"])  # shown as ␀: the job's result is stored as JSON text
    assert Job.objects.get().status == "done"


# Who may follow a job -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["Agency", "Principal"])
def test_read_only_staff_cannot_follow_or_confirm_an_import(term, secretariat_client, role):
    page = preview(secretariat_client, "event", csv_file(many_events(2)))
    job_page = page.request["PATH_INFO"]
    reader = staff_client(role)

    assert reader.get(IMPORT_URL).status_code == 403
    assert reader.get(job_page).status_code == 404
    assert reader.get(f"{job_page}progress/").status_code == 404
    assert reader.post(page.context["confirm_url"]).status_code == 403
    assert Job.objects.filter(kind="import").count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(term, secretariat_client):
    job_page = upload(secretariat_client, many_events(2))

    for url in (job_page, f"{job_page}progress/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_another_importer_may_follow_a_job_and_the_requester_keeps_seeing_it(
    term, secretariat_client, secretariat_user
):
    job_page = upload(secretariat_client, many_events(2))
    colleague = staff_client("Secretariat")
    assert colleague.get(f"{job_page}progress/").status_code == 200

    secretariat_user.groups.clear()  # no longer allowed to import
    assert secretariat_client.get(f"{job_page}progress/").status_code == 200
    assert secretariat_client.get(job_page).status_code == 200


def test_a_job_is_followed_only_from_its_own_list(term, secretariat_client):
    job_page = upload(secretariat_client, many_events(2))
    job_id = Job.objects.get().pk

    assert secretariat_client.get(reverse("admin:workplan_output_import_job", args=[job_id])).status_code == 404
    assert secretariat_client.get(reverse("admin:workplan_event_import_job", args=[job_id + 1000])).status_code == 404
    assert secretariat_client.post(job_page).status_code == 405  # the page and its progress are reads
    assert secretariat_client.post(f"{job_page}progress/").status_code == 405
    assert secretariat_client.get(reverse("admin:workplan_event_import_confirm", args=[job_id])).status_code == 405


# Queries: none per row ------------------------------------------------------------------------


def _dataset(rows: list[dict]) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=list(rows[0]))
    for row in rows:
        dataset.append(list(row.values()))
    return dataset


def _queries(rows: list[dict]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as checking:
        plan = check_rows(EventResource(), _dataset(rows))
    assert plan.writable, plan.problems[:3]
    with CaptureQueriesContext(connection) as writing:
        write_rows(plan)
    return len(checking), len(writing)


def test_checking_and_writing_take_no_query_per_row(term):
    few = _queries(many_events(4))
    Event.objects.all().delete()
    more = _queries(many_events(40))
    Event.objects.all().delete()

    many = _queries(many_events(400))

    # Checking: the lookups of terms, agencies and working groups, one each, whatever the number of rows.
    assert few[0] == more[0] == many[0] == 3
    # Writing, as long as the rows fit in one statement's parameters: a savepoint; the events; the organisers'
    # and working groups' links; the events' history; for each link of the history (organisers, working
    # groups, objectives) the links read back and, where there are some, inserted; the savepoint released.
    assert few[1] == more[1] == 11
    # SQLite takes 999 parameters a statement: 400 events of 17 columns take a few inserts each, not 400.
    assert many[1] <= few[1] + 6 * (400 * 25 // 999 + 1)
    assert Event.objects.count() == 400


def test_updates_are_claimed_versioned_and_kept_in_the_history_with_their_links(term):
    plan = check_rows(EventResource(), _dataset(many_events(3)))
    write_rows(plan)
    events = list(Event.objects.order_by("pk"))
    rows = [{**row, "id": event.pk, "organisers": "IOM"} for row, event in zip(many_events(3), events, strict=True)]

    plan = check_rows(EventResource(), _dataset(rows))
    assert [len(plan.new), len(plan.updated), len(plan.unchanged)] == [0, 3, 0]
    write_rows(plan)

    for event in Event.objects.order_by("pk"):
        assert event.version == 2
        assert [a.acronym for a in event.organisers.all()] == ["IOM"]
        latest, first = event.history.order_by("-history_id")[:2]
        assert (latest.history_type, first.history_type) == ("~", "+")
        assert [link.agency.acronym for link in latest.organisers.all()] == ["IOM"]
        assert sorted(link.agency.acronym for link in first.organisers.all()) == ["ILO", "IOM"]


def test_issues_left_without_a_number_are_numbered_in_the_order_of_the_file(term):
    from chairmanship.resources import CarryForwardIssueResource

    CarryForwardIssue.objects.create(handed_over_in=term, origin=term, number=4, text="Already listed.")
    rows = [{"handed_over_in": term.slug, "text": f"Issue {n}", "status": "open"} for n in range(3)]

    write_rows(check_rows(CarryForwardIssueResource(), _dataset(rows)))

    assert list(term.handed_over_issues.order_by("number").values_list("number", "text")) == [
        (4, "Already listed."),
        (5, "Issue 0"),
        (6, "Issue 1"),
        (7, "Issue 2"),
    ]


def test_two_rows_of_a_file_with_the_same_number_are_both_named(term, secretariat_client):
    rows = [{"handed_over_in": term.slug, "number": 1, "text": text, "status": "open"} for text in ("One", "Two")]

    page = preview(secretariat_client, "carryforwardissue", csv_file(rows, name="issues.csv"))

    (row,) = page.context["result"].invalid_rows
    assert row.number == 2
    assert list(row.field_specific_errors) == ["number"]


# The template ---------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["event", "output", "activity"])
def test_the_import_template_explains_every_column_and_imports_back_empty(term, secretariat_client, model):
    import_page = secretariat_client.get(reverse(f"admin:workplan_{model}_import"))
    template_url = reverse(f"admin:workplan_{model}_import_template")
    assert f'href="{template_url}"' in import_page.content.decode()

    download = secretariat_client.get(template_url)

    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{model}-import-template.xlsx"'
    book = load_workbook(io.BytesIO(download.content))
    records, example, columns = book.worksheets
    header = [cell.value for cell in records[1]]
    assert records.max_row == 1  # the sheet the import reads: the column names only
    assert [cell.value for cell in example[1]] == header and example.max_row == 2
    explained = {row[0]: row[1:] for row in columns.iter_rows(min_row=2, values_only=True)}
    assert list(explained) == header
    assert all(what_to_write for _meaning, what_to_write in explained.values())
    if model == "event":
        assert "side_event (Side event)" in explained["kind"][1]
        assert "YYYY-MM-DD" in explained["start_date"][1]

    upload = SimpleUploadedFile(f"{model}-import-template.xlsx", download.content, content_type=XLSX_CONTENT_TYPE)
    page = preview(secretariat_client, model, upload, file_format=XLSX_FORMAT)

    assert page.status_code == 200
    assert "confirm_url" not in page.context  # nothing to confirm
    assert not page.context["result"].invalid_rows
    assert "form" not in page.context or not page.context["form"].errors
    assert page_messages(page) == [
        "0 rows: 0 new, 0 updated, 0 unchanged, 0 with errors. "
        "The file names its columns but holds no rows: there is nothing to import."
    ]


def test_the_example_row_of_the_event_template_imports(db, secretariat_client):
    AgencyFactory(acronym="ILO")
    ChairmanshipFactory(slug="2014-ilo", start_date=datetime.date(2014, 1, 1), end_date=datetime.date(2014, 12, 31))
    download = secretariat_client.get(reverse("admin:workplan_event_import_template"))
    example = load_workbook(io.BytesIO(download.content))["Example"]
    rows = [dict(zip([c.value for c in example[1]], [c.value or "" for c in example[2]], strict=True))]

    page = preview(secretariat_client, "event", csv_file(rows))

    assert "confirm_url" in page.context, [r.field_specific_errors for r in page.context["result"].invalid_rows]


def test_an_anonymous_visitor_is_sent_to_sign_in_for_the_template(db):
    response = Client().get(reverse("admin:workplan_event_import_template"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
