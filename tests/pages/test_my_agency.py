"""/my-agency/: a focal point sees what their agency does in the GMG, and downloads each list as CSV.

A focal point (chairmanship.FocalPoint) speaks for one agency. Their page
lists the agency's chair terms (with the report, their own drafts included),
the events it organises, the outputs it produced, the activities it leads,
the working groups it chairs or sits in, and the carry-forward issues and
recommendations of the terms it chaired; nothing of other agencies. Anyone
else signed in is told their account speaks for no agency; an anonymous
visitor is sent to sign in.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from chairmanship.models import FocalPoint
from chairmanship.resources import CARRY_FORWARD_COLUMNS
from pages.my_agency import EVENTS_SHOWN
from pages.my_agency_exports import AGENCY_EXPORTS
from tests.factories import ActivityFactory
from tests.factories import AgencyFactory
from tests.factories import CarryForwardIssueFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from tests.factories import ObjectiveFactory
from tests.factories import OutputFactory
from tests.factories import RecommendationFactory
from tests.factories import WorkingGroupFactory
from tests.workplan.bulk import add_events
from workplan.models import Event
from workplan.resources import ACTIVITY_COLUMNS
from workplan.resources import OUTPUT_COLUMNS

MY_AGENCY = reverse("pages:my-agency")

# The page, signed in as a focal point: the session and its user · the focal point · the agency · its terms ·
# the user's groups (may they read a draft report? asked only for a draft) · the shown events and their count ·
# outputs · activities · working groups · carry-forward issues · recommendations · the current term for the layout.
PAGE_QUERIES = 14
# A CSV: the session and its user · the focal point · the records · their many-to-many columns, one query each
# (at most four: an activity's lead agencies and groups, events and outputs).
CSV_QUERIES = 8


def csv_link(name: str) -> str:
    return reverse("pages:my-agency-csv", kwargs={"name": name})


def read_csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def header(response) -> list[str]:
    return first_line(response).split(",")


def first_line(response) -> str:
    return response.content.decode().split("\r\n", 1)[0]


def focal_point_client(agency: Agency, username: str = "focal-point") -> Client:
    user = User.objects.create_user(username=username)
    user.groups.add(Group.objects.get(name="Agency"))
    FocalPoint.objects.create(user=user, agency=agency)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ilo_client(gmg) -> Client:
    """A focal point of the ILO, which chaired 2014 (its report is final), organised events and produced outputs."""
    return focal_point_client(Agency.objects.get(acronym="ILO"), "ilo-focal-point")


# What the page lists --------------------------------------------------------------------------------


def test_a_focal_point_sees_the_records_of_its_agency_in_the_real_data(ilo_client):
    response = ilo_client.get(MY_AGENCY)
    records = response.context["records"]

    assert response.status_code == 200
    assert records.agency.acronym == "ILO"
    assert [row.term.slug for row in records.terms] == ["2014-ilo"]
    assert records.event_count == 4
    assert all("ILO" in {a.acronym for a in event.organisers.all()} for event in records.events)
    assert len(records.outputs) == 3
    assert all("ILO" in {a.acronym for a in output.producer_agencies.all()} for output in records.outputs)
    # Every issue of the 2014 report (raised by ESCAP, IOM and the ILO) and both recommendations of the term.
    assert len(records.issues) == 14 and {i.handed_over_in.slug for i in records.issues} == {"2014-ilo"}
    assert [r.number for r in records.recommendations] == [1, 2]
    assert records.activities == [] and records.working_groups == []


def test_the_lists_hold_only_the_agency_s_own_records(db):
    mine, other = AgencyFactory(acronym="MINE"), AgencyFactory(acronym="OTHER")
    my_term, other_term = ChairmanshipFactory(agency=mine), ChairmanshipFactory(agency=other)
    ours = OutputFactory(chairmanship=other_term, title="Written with others")
    ours.producer_agencies.set([mine, other])
    OutputFactory(chairmanship=my_term, title="Not ours").producer_agencies.set([other])
    led = ActivityFactory(objective=ObjectiveFactory(chairmanship=other_term), title="Led by us")
    led.lead_agencies.add(mine)
    ActivityFactory(title="Led by others").lead_agencies.add(other)

    records = focal_point_client(mine).get(MY_AGENCY).context["records"]

    assert [row.term for row in records.terms] == [my_term]
    assert records.outputs == [ours]  # produced with another agency, in another's term: still ours
    assert records.activities == [led]


def test_working_groups_say_whether_the_agency_chairs_or_sits_in_them(db):
    mine, other = AgencyFactory(acronym="MINE"), AgencyFactory(acronym="OTHER")
    chaired = WorkingGroupFactory(name="Chaired group")
    chaired.chair_agencies.add(mine)
    chaired.member_agencies.add(mine, other)  # a chair listed among the members too: listed once, as chair
    sat_in = WorkingGroupFactory(name="Member group")
    sat_in.member_agencies.add(mine)
    WorkingGroupFactory(name="Others' group").chair_agencies.add(other)

    response = focal_point_client(mine).get(MY_AGENCY)
    html = response.content.decode()

    groups = response.context["records"].working_groups
    assert [(g.name, g.chaired) for g in groups] == [("Chaired group", True), ("Member group", False)]
    assert f'<a href="/working-groups/{chaired.slug}/">Chaired group</a></th>\n        <td>Working group</td>\n' in html
    assert "<td>Chair</td>" in html and "<td>Member</td>" in html
    assert "Others&#x27; group" not in html


def test_the_page_shows_the_latest_events_and_links_to_all_of_them(ilo_client):
    ilo = Agency.objects.get(acronym="ILO")
    term = add_events(EVENTS_SHOWN + 5)
    for event in Event.objects.filter(chairmanship=term):
        event.organisers.add(ilo)

    response = ilo_client.get(MY_AGENCY)
    html = response.content.decode()

    assert len(response.context["records"].events) == EVENTS_SHOWN
    assert f"The latest {EVENTS_SHOWN} of {EVENTS_SHOWN + 9} events." in html
    assert 'href="/events/?agency=ILO"' in html


def test_an_empty_list_is_said_in_a_sentence_not_an_empty_table(db):
    response = focal_point_client(AgencyFactory(acronym="NEW")).get(MY_AGENCY)
    html = response.content.decode()

    assert "NEW has not chaired the GMG in any term recorded in the portal." in html
    assert "No event organised by NEW is recorded." in html
    assert "No output produced by NEW is recorded." in html
    assert "No workplan activity led by NEW is recorded." in html
    assert "NEW is recorded as neither chair nor member of any working group." in html
    assert "No carry-forward issue is recorded in the reports of terms chaired by NEW." in html
    assert "No recommendation is recorded for the terms chaired by NEW." in html
    assert "<table" not in html


# Links ----------------------------------------------------------------------------------------------


def test_each_list_links_to_the_records_pages_and_to_its_csv(ilo_client):
    html = ilo_client.get(MY_AGENCY).content.decode()
    event = Event.objects.filter(organisers__acronym="ILO").first()

    assert f'href="/events/{event.pk}/"' in html
    assert 'href="/workplan/2014-ilo/"' in html  # the term, and the term of each event and output
    assert 'href="/reports/2014-ilo/"' in html  # a final report
    assert 'href="/carry-forward/?handed_over_in=2014-ilo"' in html
    assert 'href="/recommendations/?chairmanship=2014-ilo"' in html
    assert 'href="/events.csv?agency=ILO"' in html  # the events' own CSV, filtered
    for name in ("terms", "outputs", "carry-forward", "recommendations"):
        assert f'href="{csv_link(name)}"' in html
    for name in ("activities", "working-groups"):  # the ILO has none of these: no download offered
        assert f'href="{csv_link(name)}"' not in html


def test_activities_link_to_their_objective_on_the_term_s_workplan(db):
    mine = AgencyFactory(acronym="MINE")
    activity = ActivityFactory(objective=ObjectiveFactory(number=3))
    activity.lead_agencies.add(mine)

    html = focal_point_client(mine).get(MY_AGENCY).content.decode()

    assert f'href="/workplan/{activity.objective.chairmanship.slug}/#objective-3"' in html
    assert f'href="{csv_link("activities")}"' in html


def test_a_focal_point_is_linked_to_its_own_draft_report_once_it_holds_something(gmg, chair_focal_point_client):
    # The real data records nothing of the World Bank's term: the list of reports says "Not in the portal"
    # and links it for no one, and the focal point's own page says the same.
    html = chair_focal_point_client.get(MY_AGENCY).content.decode()
    assert 'href="/reports/2015-wb/"' not in html
    assert "Not in the portal" in html

    EventFactory(chairmanship=Chairmanship.objects.get(slug="2015-wb"), title="A first consultation")

    html = chair_focal_point_client.get(MY_AGENCY).content.decode()
    assert 'href="/reports/2015-wb/"' in html  # the World Bank's draft, read by its focal points
    assert "In preparation" in html
    assert 'href="/reports/2015-wb/"' in chair_focal_point_client.get(reverse("reports:report-list")).content.decode()


def test_a_draft_of_another_agency_is_not_linked(ilo_client):
    response = ilo_client.get(MY_AGENCY)
    html = response.content.decode()

    assert 'href="/reports/2015-wb/"' not in html
    assert {row.term.agency.acronym for row in response.context["records"].terms} == {"ILO"}


def test_a_focal_point_may_read_the_draft_of_every_term_of_its_agency(db):
    mine = AgencyFactory(acronym="MINE")
    draft = ChairmanshipFactory(agency=mine)  # report_status draft by default
    client = focal_point_client(mine)

    rows = client.get(MY_AGENCY).context["records"].terms

    assert [(row.term, row.linked) for row in rows] == [(draft, True)]


# CSVs -----------------------------------------------------------------------------------------------


def test_the_outputs_csv_has_the_spreadsheet_columns_and_only_the_agency_s_outputs(ilo_client):
    response = ilo_client.get(csv_link("outputs"))
    rows = read_csv(response)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="gmg-my-agency-outputs.csv"'
    assert header(response) == list(OUTPUT_COLUMNS)
    assert len(rows) == 3 and all("ILO" in row["producer_agencies"].split(";") for row in rows)


def test_the_carry_forward_csv_lists_the_issues_of_the_agency_s_terms(ilo_client):
    response = ilo_client.get(csv_link("carry-forward"))
    rows = read_csv(response)

    assert header(response) == list(CARRY_FORWARD_COLUMNS)
    assert [row["number"] for row in rows] == [str(n) for n in range(1, 15)]
    assert {row["handed_over_in"] for row in rows} == {"2014-ilo"}
    assert {row["origin"] for row in rows} == {"2013-escap", "2013-iom", "2014-ilo"}


def test_the_terms_and_recommendations_csvs(ilo_client):
    terms = ilo_client.get(csv_link("terms"))
    recommendations = ilo_client.get(csv_link("recommendations"))

    assert first_line(terms) == "slug,agency,chair_label,start_date,end_date,theme,handover_date,report_status"
    assert [(r["slug"], r["agency"], r["start_date"], r["report_status"]) for r in read_csv(terms)] == [
        ("2014-ilo", "ILO", "2014-01-01", "final")
    ]
    assert first_line(recommendations) == "id,chairmanship,number,source_output,text,status"
    assert [(r["chairmanship"], r["number"], r["status"]) for r in read_csv(recommendations)] == [
        ("2014-ilo", "1", "endorsed"),
        ("2014-ilo", "2", "endorsed"),
    ]


def test_the_working_groups_and_activities_csvs(db):
    mine = AgencyFactory(acronym="MINE")
    chaired, sat_in = WorkingGroupFactory(name="A chaired"), WorkingGroupFactory(name="B sat in")
    chaired.chair_agencies.add(mine)
    sat_in.member_agencies.add(mine)
    WorkingGroupFactory(name="C others")
    activity = ActivityFactory(objective=ObjectiveFactory(number=2))
    activity.lead_agencies.add(mine)
    ActivityFactory()
    client = focal_point_client(mine)

    groups = client.get(csv_link("working-groups"))
    activities = client.get(csv_link("activities"))

    assert first_line(groups) == "slug,name,kind,chair_agencies,member_agencies,mandate,active,role"
    assert [(r["name"], r["chair_agencies"], r["member_agencies"], r["role"]) for r in read_csv(groups)] == [
        ("A chaired", "MINE", "", "chair"),
        ("B sat in", "", "MINE", "member"),
    ]
    assert header(activities) == list(ACTIVITY_COLUMNS)
    assert [(r["id"], r["objective"]) for r in read_csv(activities)] == [
        (str(activity.pk), f"{activity.objective.chairmanship.slug}:2")
    ]


def test_no_cell_of_a_csv_runs_as_a_formula(db):
    mine = AgencyFactory(acronym="MINE")
    OutputFactory(title='=HYPERLINK("http://evil.example","Click")').producer_agencies.add(mine)

    rows = read_csv(focal_point_client(mine).get(csv_link("outputs")))

    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example","Click")'


def test_an_unknown_list_is_a_404(ilo_client):
    assert ilo_client.get("/my-agency/events.csv").status_code == 404  # events have /events.csv?agency=
    assert ilo_client.get("/my-agency/everything.csv").status_code == 404


@pytest.mark.parametrize("persona", ["principal_client", "secretariat_client", "agency_client"])
def test_the_csv_of_someone_who_is_no_focal_point_is_a_404(gmg, request, persona):
    client = request.getfixturevalue(persona)

    assert client.get(csv_link("outputs")).status_code == 404


# Who sees what --------------------------------------------------------------------------------------


def sign_in_target(response) -> tuple[str, str]:
    """Where a redirect sends the visitor, and the page it brings them back to."""
    location = urlsplit(response["Location"])
    return location.path, parse_qs(location.query)["next"][0]


@pytest.mark.parametrize("path", [MY_AGENCY, csv_link("outputs")])
def test_an_anonymous_visitor_is_sent_to_sign_in(gmg, anonymous_client, path):
    response = anonymous_client.get(path)

    assert response.status_code == 302
    assert sign_in_target(response) == (resolve_url(settings.LOGIN_URL), path)


@pytest.mark.parametrize("persona", ["principal_client", "secretariat_client", "agency_client"])
def test_someone_signed_in_who_is_no_focal_point_is_told_their_account_speaks_for_no_agency(gmg, request, persona):
    response = request.getfixturevalue(persona).get(MY_AGENCY)
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["records"] is None
    assert "Your account speaks for no agency." in html
    assert "The secretariat links each focal point's account to their agency" in html
    assert f'href="{reverse("reports:report-list")}"' in html


def test_a_focal_point_of_an_agency_that_chairs_nothing_sees_its_page(gmg, other_focal_point_client):
    response = other_focal_point_client.get(MY_AGENCY)

    assert response.status_code == 200
    assert response.context["records"].agency.acronym == "UN Women"
    assert "UN Women has not chaired the GMG in any term recorded in the portal." in response.content.decode()


# The menu -------------------------------------------------------------------------------------------


def test_the_menu_links_my_agency_for_a_focal_point_only(gmg, other_focal_point_client, principal_client, client):
    link = f'<a href="{MY_AGENCY}">My agency</a>'

    assert link in other_focal_point_client.get("/").content.decode()
    assert link not in principal_client.get("/").content.decode()
    assert link not in client.get("/").content.decode()
    assert (
        f'<a href="{MY_AGENCY}" aria-current="page">My agency</a>'
        in other_focal_point_client.get(MY_AGENCY).content.decode()
    )


def test_an_anonymous_page_asks_nothing_about_focal_points(gmg, client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/")

    assert not [q["sql"] for q in queries.captured_queries if "focalpoint" in q["sql"]]


# Queries ------------------------------------------------------------------------------------------------


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_number_of_records(
    ilo_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(PAGE_QUERIES):
        assert ilo_client.get(MY_AGENCY).status_code == 200

    ilo = Agency.objects.get(acronym="ILO")
    term = add_events(200)
    Organisers = Event.organisers.through
    Organisers.objects.bulk_create(
        Organisers(event_id=pk, agency_id=ilo.pk)
        for pk in Event.objects.filter(chairmanship=term).values_list("pk", flat=True)
    )

    with django_assert_max_num_queries(PAGE_QUERIES):
        response = ilo_client.get(MY_AGENCY)
    assert response.context["records"].event_count == 204


def add_records(agency: Agency, count: int) -> None:
    """`count` records of every list of the agency, each with its many-to-many links filled in."""
    for _ in range(count):
        term = ChairmanshipFactory(agency=agency)
        output = OutputFactory(chairmanship=term)
        output.producer_agencies.add(agency)
        output.producer_working_groups.add(WorkingGroupFactory())
        activity = ActivityFactory(objective=ObjectiveFactory(chairmanship=term))
        activity.lead_agencies.add(agency)
        activity.lead_working_groups.add(WorkingGroupFactory())
        activity.outputs.add(output)
        WorkingGroupFactory().member_agencies.add(agency)
        CarryForwardIssueFactory(handed_over_in=term)
        RecommendationFactory(chairmanship=term, source_output=output)


@pytest.mark.parametrize("name", list(AGENCY_EXPORTS))
def test_each_csv_reads_a_fixed_number_of_queries_whatever_the_number_of_records(
    db, django_assert_max_num_queries, name
):
    mine = AgencyFactory(acronym="MINE")
    client = focal_point_client(mine)
    add_records(mine, 2)
    with django_assert_max_num_queries(CSV_QUERIES):
        assert len(read_csv(client.get(csv_link(name)))) == 2

    add_records(mine, 20)

    with django_assert_max_num_queries(CSV_QUERIES):
        assert len(read_csv(client.get(csv_link(name)))) == 22
