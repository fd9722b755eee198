"""Spreadsheet import and export in the admin: preview with per-row errors, confirm, round trip, /events.csv."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from chairmanship.models import Chairmanship
from chairmanship.resources import CarryForwardIssueResource, export_rows
from reports.selectors import assemble_report
from tests.factories import AgencyFactory, ChairmanshipFactory, ObjectiveFactory, WorkingGroupFactory
from tests.workflows.support import XLSX_FORMAT, confirm, csv_file, page_messages, preview, xlsx_file, xlsx_rows
from workplan.exports import EVENT_CSV_COLUMNS
from workplan.models import Activity, Event, Output
from workplan.resources import ActivityResource, EventResource, OutputResource


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
    assert "confirm_form" not in response.context  # no way to confirm while rows are wrong
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


def test_a_valid_file_is_written_only_after_confirm(term, secretariat_client):
    rows = [
        event_row(chairmanship=term.slug, organisers="ILO;UN DESA", working_groups="data-and-research"),
        event_row(chairmanship=term.slug, title="One-day briefing", kind="briefing", end_date=""),
    ]

    response = preview(secretariat_client, "event", csv_file(rows))

    assert response.status_code == 200
    assert "confirm_form" in response.context
    assert "Preview" in response.content.decode()
    assert page_messages(response) == [
        "2 rows: 2 new, 0 updated, 0 unchanged, 0 with errors. "
        "Nothing has been written yet: check the preview, then confirm the import."
    ]
    assert Event.objects.count() == 0

    done = confirm(secretariat_client, "event", response)

    assert done.status_code == 302
    assert done["Location"] == reverse("admin:workplan_event_changelist")
    side_event = Event.objects.get(title="Side event on remittances")
    assert side_event.chairmanship == term
    assert [a.acronym for a in side_event.organisers.all()] == ["ILO", "UN DESA"]
    assert [g.slug for g in side_event.working_groups.all()] == ["data-and-research"]
    briefing = Event.objects.get(title="One-day briefing")
    assert briefing.end_date == briefing.start_date  # an empty end date makes a one-day event
    messages = [str(m) for m in secretariat_client.get(done["Location"]).context["messages"]]
    assert "Import finished (events). 2 rows: 2 new, 0 updated, 0 unchanged, 0 with errors." in messages


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
    export_url = reverse(f"admin:{model._meta.app_label}_{app_model}_export")
    fmt = "0" if file_format == "csv" else "1"
    columns = [f.column_name for f in resource().get_export_fields()]
    exported = secretariat_client.post(
        export_url, {"format": fmt, **{f"{resource.__name__.lower()}_{c}": "on" for c in columns}}
    )
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

    assert tuple(from_resource[0]) == EVENT_CSV_COLUMNS
    assert sorted(from_page, key=lambda r: int(r["id"])) == sorted(from_resource, key=lambda r: int(r["id"]))


def test_a_file_downloaded_from_events_csv_imports_back_unchanged(gmg, client, secretariat_client):
    body = client.get(reverse("workplan:event-csv")).content
    upload = csv_file(list(csv.DictReader(io.StringIO(body.decode("utf-8")))), name="gmg-events.csv")

    response = preview(secretariat_client, "event", upload)

    assert response.context["result"].totals["skip"] == 16


# Thousands of rows --------------------------------------------------------------------------


def test_a_long_import_reports_progress_and_a_summary(term):
    import tablib

    from chairmanship.resources import import_summary

    rows = [event_row(chairmanship=term.slug, title=f"Meeting {n}", organisers="ILO") for n in range(120)]
    dataset = tablib.Dataset(headers=list(rows[0]))
    for row in rows:
        dataset.append(list(row.values()))
    seen: list[tuple[int, int, bool]] = []

    resource = EventResource()
    resource.progress_every = 50  # 500 in use; fewer rows keep the test quick
    result = resource.import_data(
        dataset, dry_run=True, progress=lambda done, total, final: seen.append((done, total, final is not None))
    )

    assert seen == [(50, 120, False), (100, 120, False), (120, 120, True)]
    assert import_summary(result, dry_run=True) == (
        "120 rows: 120 new, 0 updated, 0 unchanged, 0 with errors. "
        "Nothing has been written yet: check the preview, then confirm the import."
    )
    assert Event.objects.count() == 0
