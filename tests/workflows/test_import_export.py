"""Spreadsheet import and export in the admin: preview with per-row errors, confirm, round trip, /events.csv."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.resources import CarryForwardIssueResource
from gmg_portal import import_jobs
from gmg_portal.spreadsheet_import import check_rows
from gmg_portal.spreadsheets import export_rows
from jobs.models import Job
from reports.selectors import assemble_report
from tests.factories import AgencyFactory
from tests.factories import CarryForwardIssueFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from tests.factories import ObjectiveFactory
from tests.factories import OutputFactory
from tests.factories import WorkingGroupFactory
from tests.workflows.support import CSV_FORMAT
from tests.workflows.support import XLSX_FORMAT
from tests.workflows.support import confirm
from tests.workflows.support import csv_file
from tests.workflows.support import export_file
from tests.workflows.support import page_messages
from tests.workflows.support import preview
from tests.workflows.support import xlsx_file
from tests.workflows.support import xlsx_rows
from workplan.exports import EVENT_CSV_COLUMNS
from workplan.exports import EVENT_EXPORT_COLUMNS
from workplan.models import Activity
from workplan.models import Event
from workplan.models import Output
from workplan.resources import ActivityResource
from workplan.resources import EventResource
from workplan.resources import OutputResource


def event_row(**values) -> dict[str, object]:
    row = dict.fromkeys(EVENT_CSV_COLUMNS, "")
    row.update(
        title="Side event on remittances",
        kind="side_event",
        start_date="2101-05-08",
        end_date="2101-05-09",
        city="Geneva",
        country="CH",
        chair_role="convened",
    )
    row.update(values)
    return row


@pytest.fixture
def term(db) -> Chairmanship:
    AgencyFactory(acronym="ILO")
    AgencyFactory(acronym="UN DESA")
    WorkingGroupFactory(name="Working Group on Data and Research")
    return ChairmanshipFactory()


# The preview --------------------------------------------------------------------


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_the_preview_names_row_and_field_of_every_error_and_writes_nothing(term, secretariat_client, make_file):
    rows = [
        event_row(chairmanship=term.slug, organisers="ILO;UN DESA", working_groups="data-and-research"),
        event_row(chairmanship=term.slug, title="Unknown organiser", organisers="ILO;NOPE"),
        event_row(chairmanship=term.slug, title="Inverted", start_date="2101-06-10", end_date="2101-06-01"),
        event_row(chairmanship=term.slug, title="Bad date", start_date="08/05/2101"),
        event_row(chairmanship="1999-nobody", title="Unknown term"),
    ]
    file_format = XLSX_FORMAT if make_file is xlsx_file else "0"

    response = preview(secretariat_client, "event", make_file(rows), file_format=file_format)

    assert response.status_code == 200
    assert "confirm_url" not in response.context  # no way to confirm while rows are wrong
    invalid = {row.number: row.field_specific_errors for row in response.context["result"].invalid_rows}
    assert set(invalid) == {2, 3, 4, 5}
    assert invalid[2] == {"organisers": ["No agency with the acronym 'NOPE'."]}
    assert invalid[3] == {"end_date": ["The end date must not be before the start date."]}
    assert invalid[4] == {"start_date": ["Enter the date as YYYY-MM-DD (for example 2014-05-08), not '08/05/2101'."]}
    assert invalid[5] == {"chairmanship": ["No term with the slug '1999-nobody'."]}
    html = response.content.decode()
    assert "Some rows failed to validate" in html
    assert "No agency with the acronym &#x27;NOPE&#x27;." in html
    assert (
        "5 rows: 1 new, 0 updated, 0 unchanged, 4 with errors. Nothing has been written." in page_messages(response)[0]
    )
    assert Event.objects.count() == 0


def test_an_unknown_working_group_an_unknown_kind_and_a_bad_country_are_named(term, secretariat_client):
    rows = [event_row(chairmanship=term.slug, working_groups="nope", kind="party", country="XX")]

    response = preview(secretariat_client, "event", csv_file(rows))

    (row,) = response.context["result"].invalid_rows
    assert set(row.field_specific_errors) == {"working_groups", "kind", "country"}
    assert row.field_specific_errors["working_groups"] == ["No working group with the slug 'nope'."]
    assert Event.objects.count() == 0


def test_a_file_written_as_people_write_imports(term, secretariat_client):
    """Labels as the admin shows them, in English, French or Spanish, and country names, read as their codes."""
    rows = [
        event_row(title="In English", kind="Side event", chair_role="Convened", country="Switzerland"),
        event_row(title="En français", kind="Manifestation parallèle", chair_role="organisé", country="Suisse"),
        event_row(title="En español", kind="Sesión informativa", chair_role="", country="suiza", end_date=""),
        event_row(title="In codes", kind="BRIEFING", chair_role="participated", country="ch"),
    ]
    rows = [{**row, "chairmanship": term.slug} for row in rows]

    response = preview(secretariat_client, "event", csv_file(rows))

    assert "confirm_url" in response.context
    confirm(secretariat_client, "event", response)
    stored = {e.title: (e.kind, e.chair_role, e.country.code) for e in Event.objects.all()}
    assert stored == {
        "In English": ("side_event", "convened", "CH"),
        "En français": ("side_event", "convened", "CH"),
        "En español": ("briefing", "unspecified", "CH"),
        "In codes": ("briefing", "participated", "CH"),
    }
    briefing = Event.objects.get(title="En español")
    assert briefing.end_date == briefing.start_date  # an empty end date: a one-day event


def test_a_word_that_names_no_choice_is_refused_naming_the_field(term, secretariat_client):
    rows = [event_row(chairmanship=term.slug, kind="Garden party", country="Atlantis")]

    response = preview(secretariat_client, "event", csv_file(rows))

    assert "confirm_url" not in response.context
    [row] = response.context["result"].invalid_rows
    assert set(row.field_specific_errors) == {"kind", "country"}
    assert "Garden party" in " ".join(row.field_specific_errors["kind"])
    # On the page, each error stands in the cell it is about.
    html = response.content.decode()
    kind_error = escape(row.field_specific_errors["kind"][0])
    assert f'<td class="cell-error">Garden party<ul class="cell-error__list"><li>{kind_error}</li></ul></td>' in html
    assert '<td class="cell-error">Atlantis<ul class="cell-error__list">' in html


def test_a_valid_file_is_written_only_after_confirm(term, secretariat_client):
    rows = [
        event_row(chairmanship=term.slug, organisers="ILO;UN DESA", working_groups="data-and-research"),
        event_row(chairmanship=term.slug, title="One-day briefing", kind="briefing", end_date=""),
    ]

    response = preview(secretariat_client, "event", csv_file(rows))

    assert response.status_code == 200
    assert "confirm_url" in response.context
    assert "Preview" in response.content.decode()
    assert page_messages(response) == [
        "2 rows: 2 new, 0 updated, 0 unchanged, 0 with errors. "
        "Nothing has been written yet: check the preview, then confirm the import."
    ]
    assert Event.objects.count() == 0

    done = confirm(secretariat_client, "event", response)

    assert done.status_code == 200
    assert "Import finished (events). 2 rows: 2 new, 0 updated, 0 unchanged, 0 with errors." in page_messages(done)
    assert f'href="{reverse("admin:workplan_event_changelist")}"' in done.content.decode()
    side_event = Event.objects.get(title="Side event on remittances")
    assert side_event.chairmanship == term
    assert [a.acronym for a in side_event.organisers.all()] == ["ILO", "UN DESA"]
    assert [g.slug for g in side_event.working_groups.all()] == ["data-and-research"]
    briefing = Event.objects.get(title="One-day briefing")
    assert briefing.end_date == briefing.start_date  # an empty end date makes a one-day event


def test_an_xlsx_file_with_date_cells_imports(term, secretariat_client):
    import datetime

    rows = [event_row(chairmanship=term.slug, start_date=datetime.date(2101, 3, 1), end_date=datetime.date(2101, 3, 2))]

    response = preview(secretariat_client, "event", xlsx_file(rows), file_format=XLSX_FORMAT)
    confirm(secretariat_client, "event", response)

    event = Event.objects.get()
    assert (event.start_date, event.end_date) == (datetime.date(2101, 3, 1), datetime.date(2101, 3, 2))


def test_a_row_with_an_id_updates_that_event(term, secretariat_client):
    response = preview(secretariat_client, "event", csv_file([event_row(chairmanship=term.slug)]))
    confirm(secretariat_client, "event", response)
    event = Event.objects.get()

    response = preview(
        secretariat_client, "event", csv_file([event_row(id=event.pk, chairmanship=term.slug, city="Bangkok")])
    )
    assert page_messages(response)[-1].startswith("1 row: 0 new, 1 updated, 0 unchanged, 0 with errors.")
    confirm(secretariat_client, "event", response)

    event.refresh_from_db()
    assert event.city == "Bangkok"
    assert event.version == 2
    assert Event.objects.count() == 1


def test_import_needs_the_secretariat(agency_client, term):
    assert agency_client.get(reverse("admin:workplan_event_import")).status_code == 302  # not staff: to sign in


# Outputs, activities, issues ----------------------------------------------------------


def test_outputs_and_activities_name_objectives_by_term_and_number(term, secretariat_client):
    objective = ObjectiveFactory(chairmanship=term, number=3)
    outputs = [
        {
            "title": "Position paper on decent work",
            "kind": "position_paper",
            "date": "2101-04-01",
            "chairmanship": term.slug,
            "producer_agencies": "ILO",
            "objectives": f"{term.slug}:3",
        }
    ]
    confirm(secretariat_client, "output", preview(secretariat_client, "output", csv_file(outputs)))
    output = Output.objects.get()
    assert list(output.objectives.all()) == [objective]

    activities = [
        {"objective": f"{term.slug}:3", "title": "Draft the paper", "status": "done", "outputs": str(output.pk)},
        {"objective": f"{term.slug}:9", "title": "Unknown objective", "status": "done", "outputs": "999999"},
    ]
    response = preview(secretariat_client, "activity", csv_file(activities))
    (row,) = response.context["result"].invalid_rows
    assert row.number == 2
    assert set(row.field_specific_errors) == {"objective", "outputs"}
    assert row.field_specific_errors["outputs"] == ["No output id '999999'."]

    confirm(secretariat_client, "activity", preview(secretariat_client, "activity", csv_file(activities[:1])))
    activity = Activity.objects.get()
    assert activity.objective == objective
    assert list(activity.outputs.all()) == [output]


def test_issues_import_numbered_after_the_existing_ones_and_continue_by_key(gmg, secretariat_client):
    rows = [
        {"handed_over_in": "2015-wb", "text": "Follow up the 2014 paper.", "status": "open", "continues": "2014-ilo:3"},
        {"handed_over_in": "2015-wb", "text": "Unknown lineage.", "status": "open", "continues": "2014-ilo:99"},
    ]
    response = preview(secretariat_client, "carryforwardissue", csv_file(rows, name="issues.csv"))
    (row,) = response.context["result"].invalid_rows
    assert row.field_specific_errors == {
        "continues": ["No carry-forward issue '2014-ilo:99' (write <term slug>:<number>, e.g. 2013-iom:2)."]
    }

    confirm(
        secretariat_client, "carryforwardissue", preview(secretariat_client, "carryforwardissue", csv_file(rows[:1]))
    )

    wb = Chairmanship.objects.get(slug="2015-wb")
    (issue,) = wb.handed_over_issues.all()
    assert issue.number == 1
    assert issue.origin == wb
    assert (issue.continues.handed_over_in.slug, issue.continues.number) == ("2014-ilo", 3)


# The round trip -----------------------------------------------------------------------


def _state(model) -> list[tuple]:
    return sorted(model.objects.values_list("pk", "version", "updated_at"))


@pytest.mark.parametrize(
    ("model", "resource", "app_model"),
    [
        (Event, EventResource, "event"),
        (Output, OutputResource, "output"),
        (Activity, ActivityResource, "activity"),
    ],
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exporting_then_importing_the_2014_data_changes_nothing(
    gmg, secretariat_client, model, resource, app_model, file_format
):
    if model is Activity:  # the seed lists no activities: add some linked to the real records
        objective = Chairmanship.objects.get(slug="2014-ilo").objectives.get(number=1)
        activity = Activity.objects.create(objective=objective, title="Prepare the side event", timeline="Q2 2014")
        activity.events.set(Event.objects.filter(chairmanship__slug="2014-ilo")[:2])
        activity.lead_agencies.set(AgencyFactory._meta.model.objects.filter(acronym__in=["ILO", "IOM"]))
    report_before = assemble_report(chairmanship=Chairmanship.objects.get(slug="2014-ilo")).fingerprint
    state_before = _state(model)
    fmt = CSV_FORMAT if file_format == "csv" else XLSX_FORMAT
    columns = [f.column_name for f in resource().get_export_fields()]
    exported = export_file(secretariat_client, app_model, resource, file_format=fmt)
    assert exported.status_code == 200
    name = f"{app_model}s.{file_format}"
    rows = (
        list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
        if file_format == "csv"
        else xlsx_rows(exported.content)
    )
    assert len(rows) == model.objects.count() > 0
    assert list(rows[0]) == columns

    upload = csv_file(rows, name=name) if file_format == "csv" else xlsx_file(rows, name=name)
    response = preview(secretariat_client, app_model, upload, file_format=fmt)
    result = response.context["result"]
    assert not result.has_validation_errors() and not result.has_errors()
    assert result.totals["skip"] == len(rows)
    assert result.totals["new"] == result.totals["update"] == 0
    confirm(secretariat_client, app_model, response)

    assert _state(model) == state_before
    assert assemble_report(chairmanship=Chairmanship.objects.get(slug="2014-ilo")).fingerprint == report_before


def test_the_issues_round_trip_changes_nothing(gmg, secretariat_client):
    state_before = _state(CarryForwardIssueResource._meta.model)
    rows = export_rows(CarryForwardIssueResource())
    assert len(rows) == 14
    assert rows[0]["handed_over_in"] == "2014-ilo" and rows[0]["origin"] == "2013-escap"

    response = preview(secretariat_client, "carryforwardissue", csv_file(rows, name="issues.csv"))
    assert response.context["result"].totals["skip"] == 14
    confirm(secretariat_client, "carryforwardissue", response)

    assert _state(CarryForwardIssueResource._meta.model) == state_before


# /events.csv and the resource ------------------------------------------------------------


def test_events_csv_and_the_events_resource_share_their_columns_and_values(gmg, client):
    response = client.get(reverse("workplan:event-csv"))
    from_page = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))

    from_resource = export_rows(EventResource())

    assert tuple(from_resource[0]) == EVENT_EXPORT_COLUMNS
    assert sorted(from_page, key=lambda r: int(r["id"])) == sorted(from_resource, key=lambda r: int(r["id"]))


def test_a_file_downloaded_from_events_csv_imports_back_unchanged(gmg, client, secretariat_client):
    body = client.get(reverse("workplan:event-csv")).content
    upload = csv_file(list(csv.DictReader(io.StringIO(body.decode("utf-8")))), name="gmg-events.csv")

    response = preview(secretariat_client, "event", upload)

    assert response.context["result"].totals["skip"] == Event.objects.count() > 0


# Thousands of rows --------------------------------------------------------------------------


def test_a_long_import_reports_progress_and_a_summary(term):
    import tablib

    from gmg_portal.spreadsheet_import import check_rows
    from gmg_portal.spreadsheets import import_summary

    rows = [event_row(chairmanship=term.slug, title=f"Meeting {n}", organisers="ILO") for n in range(120)]
    dataset = tablib.Dataset(headers=list(rows[0]))
    for row in rows:
        dataset.append(list(row.values()))
    seen: list[tuple[int, int]] = []

    plan = check_rows(EventResource(), dataset, progress=lambda done, total: seen.append((done, total)))

    # About fifty steps whatever the size: every 2 rows of 120, the last one included.
    assert seen == [(done, 120) for done in range(2, 121, 2)]
    assert import_summary(plan.as_json(written=False), dry_run=True) == (
        "120 rows: 120 new, 0 updated, 0 unchanged, 0 with errors. "
        "Nothing has been written yet: check the preview, then confirm the import."
    )
    assert Event.objects.count() == 0


# Confirming: all or nothing ----------------------------------------------------------------


def issue_rows(term: Chairmanship, *texts: str) -> list[dict[str, object]]:
    return [
        {"handed_over_in": term.slug, "number": number, "text": text, "status": "open"}
        for number, text in enumerate(texts, 1)
    ]


def why_taken(term: Chairmanship, number: int) -> str:
    """What the model says of a second issue with the same number in the same term."""
    clash = CarryForwardIssue(handed_over_in=term, origin=term, number=number, text="-", status="open")
    with pytest.raises(ValidationError) as refused:
        clash.validate_constraints()
    (message,) = refused.value.messages
    return message


def test_a_row_that_fails_when_the_import_is_confirmed_writes_nothing_and_the_page_names_it(secretariat_client):
    term = ChairmanshipFactory()
    rows = issue_rows(term, "Publish the data report.", "Hold the technical meeting.", "Brief the Principals.")
    response = preview(secretariat_client, "carryforwardissue", csv_file(rows, name="issues.csv"))
    assert "confirm_url" in response.context  # the preview found nothing wrong
    # Meanwhile a colleague records issue 2 of the same term.
    taken = CarryForwardIssueFactory(handed_over_in=term, number=2, text="Recorded by a colleague meanwhile.")

    done = confirm(secretariat_client, "carryforwardissue", response)

    assert done.status_code == 200
    assert list(CarryForwardIssue.objects.filter(handed_over_in=term)) == [taken]  # not even rows 1 and 3
    (message,) = page_messages(done)
    assert "row 2 " in message
    assert "Nothing has been written" in message
    html = done.content.decode()
    assert escape(why_taken(term, 2)) in html
    assert escape(message) in html
    assert "Import finished" not in html


def test_a_row_the_database_refuses_when_the_import_is_confirmed_writes_nothing_either(secretariat_client, monkeypatch):
    term = ChairmanshipFactory()
    rows = issue_rows(term, "Publish the data report.", "Hold the technical meeting.", "Brief the Principals.")
    response = preview(secretariat_client, "carryforwardissue", csv_file(rows, name="issues.csv"))
    taken = []

    def another_writer_takes_number_2_after_the_check(*args, **kwargs):
        plan = check_rows(*args, **kwargs)  # every row passes: number 2 is still free
        taken.append(CarryForwardIssueFactory(handed_over_in=term, number=2))  # just before the write
        return plan

    monkeypatch.setattr(import_jobs, "check_rows", another_writer_takes_number_2_after_the_check)

    done = confirm(secretariat_client, "carryforwardissue", response)

    assert done.status_code == 200
    assert list(CarryForwardIssue.objects.filter(handed_over_in=term)) == taken  # not even rows 1 and 3
    (message,) = page_messages(done)
    assert "row 2 " in message
    assert "Nothing has been written" in message
    html = done.content.decode()
    assert escape(why_taken(term, 2)) in html
    assert "Import finished" not in html


def test_a_preview_whose_file_is_gone_says_so_plainly_and_nothing_is_written(term, secretariat_client):
    response = preview(secretariat_client, "event", csv_file([event_row(chairmanship=term.slug)]))
    Job.objects.filter(kind="import-preview").update(upload=None)  # jobs of the past may be cleared

    done = confirm(secretariat_client, "event", response)

    assert done.status_code == 200
    (message,) = page_messages(done)
    assert "The uploaded file is no longer kept" in message
    assert "upload it again" in message
    html = done.content.decode()
    assert escape(message) in html
    assert "import_file" in done.context["form"].fields  # the form to upload it again, posting to the import page
    assert f'formaction="{reverse("admin:workplan_event_import")}"' in html
    assert Event.objects.count() == 0


def test_an_import_needs_no_cache_the_file_waits_in_the_database(term, secretariat_client, settings):
    settings.CACHES = {"default": {"BACKEND": "tests.workflows.support.UnreachableCache"}}

    response = preview(secretariat_client, "event", csv_file([event_row(chairmanship=term.slug)]))
    done = confirm(secretariat_client, "event", response)

    assert done.status_code == 200
    assert Event.objects.get().title == "Side event on remittances"


# What a file holds --------------------------------------------------------------------------


def test_an_xlsx_file_is_read_to_its_last_row_whatever_its_dimension_says(term, secretariat_client):
    rows = [event_row(chairmanship=term.slug, title=f"Briefing {n}") for n in range(1, 11)]
    last_column = get_column_letter(len(EVENT_CSV_COLUMNS))
    upload = xlsx_file(rows, claimed_dimension=f"A1:{last_column}2")  # "a header and one row", says the sheet

    response = preview(secretariat_client, "event", upload, file_format=XLSX_FORMAT)

    assert response.context["result"].totals["new"] == len(rows)
    assert page_messages(response)[0].startswith(f"{len(rows)} rows: {len(rows)} new,")
    confirm(secretariat_client, "event", response)
    assert sorted(Event.objects.values_list("title", flat=True)) == sorted(row["title"] for row in rows)


def test_a_file_with_none_of_the_expected_columns_is_refused_naming_them(term, secretariat_client):
    rows = [{"Name": "Side event on remittances", "When": "8 May", "Where": "Geneva"}]

    response = preview(secretariat_client, "event", csv_file(rows))

    assert response.status_code == 200
    assert "confirm_url" not in response.context
    (error,) = response.context["form"].errors["import_file"]
    for column in (field.column_name for field in EventResource().get_import_fields()):
        assert column in error
    assert escape(error) in response.content.decode()
    assert Event.objects.count() == 0


def test_columns_the_import_does_not_know_are_ignored_beside_the_expected_ones(term, secretariat_client):
    rows = [{**event_row(chairmanship=term.slug), "notes for the chair": "ask ILO about the venue"}]

    done = confirm(secretariat_client, "event", preview(secretariat_client, "event", csv_file(rows)))

    assert done.status_code == 200
    assert Event.objects.get().title == rows[0]["title"]


# The size cap -------------------------------------------------------------------------------


def test_a_file_over_the_size_cap_is_refused_naming_its_size_and_the_cap(term, secretariat_client, settings):
    settings.GMG_IMPORT_MAX_BYTES = 4096  # 8 MiB in use: a small cap keeps the test quick
    upload = csv_file([event_row(chairmanship=term.slug, title=f"Meeting {n}") for n in range(60)])
    assert upload.size > settings.GMG_IMPORT_MAX_BYTES

    response = preview(secretariat_client, "event", upload)

    assert response.status_code == 200
    assert "result" not in response.context
    (error,) = response.context["form"].errors["import_file"]
    assert error == (
        f"The file is {filesizeformat(upload.size)}; files up to {filesizeformat(settings.GMG_IMPORT_MAX_BYTES)} "
        "can be imported. Split it into smaller files."
    )
    assert escape(error) in response.content.decode()
    assert Event.objects.count() == 0


def test_a_file_within_the_cap_imports_even_above_the_request_body_limit(term, secretariat_client, settings):
    # 5 MB and 8 MiB in use: a small pair keeps the test quick.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    settings.GMG_IMPORT_MAX_BYTES = 64 * 1024
    rows = [event_row(chairmanship=term.slug, title=f"Meeting {n}") for n in range(60)]
    upload = csv_file(rows)
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < upload.size < settings.GMG_IMPORT_MAX_BYTES

    response = preview(secretariat_client, "event", upload)

    assert response.status_code == 200
    assert "confirm_url" in response.context
    confirm(secretariat_client, "event", response)
    assert Event.objects.count() == len(rows)


# Formulas (CSV injection) ---------------------------------------------------------------------

# What a spreadsheet runs as a formula when a cell starts with it (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Texts an export writes with a leading apostrophe; the last already has one, and keeps it.
HOSTILE = ('=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(1)", "\t=1+1", "\r=1+1", "'=1+1 typed with its apostrophe")
# Text that merely starts with an apostrophe is written and read as it is.
HARMLESS = ("'quoted",)
# An XLSX file cannot hold a carriage return (XML reads it as a line feed), formula or not.
HOSTILE_IN_XLSX = tuple(text for text in HOSTILE if "\r" not in text)

MAKERS = {
    "event": lambda term, text: EventFactory(chairmanship=term, title=text, forum=text, summary=text),
    "output": lambda term, text: OutputFactory(chairmanship=term, title=text, summary=text),
    "carryforwardissue": lambda term, text: CarryForwardIssueFactory(handed_over_in=term, text=text),
}


def carries_no_formula(cell: object) -> bool:
    return not (isinstance(cell, str) and cell.startswith(FORMULA_STARTS))


def test_events_csv_carries_no_formula_and_imports_back_unchanged(term, client, secretariat_client):
    for text in HOSTILE + HARMLESS:
        MAKERS["event"](term, text)
    before = _state(Event)

    body = client.get(reverse("workplan:event-csv")).content

    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))
    assert all(carries_no_formula(cell) for row in rows for cell in row.values())
    assert {row["title"] for row in rows} == {"'" + text for text in HOSTILE} | set(HARMLESS)

    response = preview(secretariat_client, "event", SimpleUploadedFile("gmg-events.csv", body))
    assert response.context["result"].totals["skip"] == len(rows)
    confirm(secretariat_client, "event", response)
    assert _state(Event) == before
    assert sorted(Event.objects.values_list("title", flat=True)) == sorted(HOSTILE + HARMLESS)


def _cells(content: bytes, file_format: str) -> list[list]:
    if file_format == CSV_FORMAT:
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    sheet = load_workbook(io.BytesIO(content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
            if isinstance(cell.value, str):
                assert cell.data_type == "s", f"{cell.coordinate} is not text: {cell.value!r}"
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize(
    ("model", "resource", "text_column"),
    [
        ("event", EventResource, "title"),
        ("output", OutputResource, "title"),
        ("carryforwardissue", CarryForwardIssueResource, "text"),
    ],
)
@pytest.mark.parametrize("file_format", [CSV_FORMAT, XLSX_FORMAT], ids=["csv", "xlsx"])
def test_admin_exports_carry_no_formula_and_import_back_unchanged(
    term, secretariat_client, model, resource, text_column, file_format
):
    hostile = HOSTILE if file_format == CSV_FORMAT else HOSTILE_IN_XLSX
    records = [MAKERS[model](term, text) for text in hostile + HARMLESS]
    model_class = type(records[0])
    before = _state(model_class)

    exported = export_file(secretariat_client, model, resource, file_format=file_format)

    header, *rows = _cells(exported.content, file_format)
    assert len(rows) == len(records)
    assert all(carries_no_formula(cell) for row in rows for cell in row)
    assert {row[header.index(text_column)] for row in rows} == {"'" + text for text in hostile} | set(HARMLESS)

    name = f"{model}s.{'csv' if file_format == CSV_FORMAT else 'xlsx'}"
    response = preview(secretariat_client, model, SimpleUploadedFile(name, exported.content), file_format=file_format)
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(records)
    confirm(secretariat_client, model, response)
    assert _state(model_class) == before
    assert sorted(model_class.objects.values_list(text_column, flat=True)) == sorted(hostile + HARMLESS)


def test_a_formula_typed_with_its_apostrophe_imports_as_the_text(term, secretariat_client):
    rows = [event_row(chairmanship=term.slug, title="'=SUM(A1)", forum="'quoted")]

    confirm(secretariat_client, "event", preview(secretariat_client, "event", csv_file(rows)))

    event = Event.objects.get()
    assert (event.title, event.forum) == ("=SUM(A1)", "'quoted")
