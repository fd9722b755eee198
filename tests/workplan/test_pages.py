"""The workplan, event detail and working group pages."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from chairmanship.models import Accomplishment
from chairmanship.models import Chairmanship
from tests.factories import AccomplishmentFactory
from tests.factories import ActivityFactory
from tests.factories import AgencyFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from tests.factories import FocusAreaFactory
from tests.factories import MultiAnnualWorkPlanFactory
from tests.factories import ObjectiveFactory
from tests.factories import OutputFactory
from tests.factories import OverarchingObjectiveFactory
from tests.factories import WorkingGroupFactory
from tests.workplan.bulk import add_events
from workplan.models import Event
from workplan.models import Objective
from workplan.models import Output
from workplan.models import WorkingGroup

SVG = "{http://www.w3.org/2000/svg}"


def html_of(response) -> str:
    return response.content.decode()


def headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def assert_headings_in_order(html: str) -> None:
    levels = headings(html)
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


# Workplan -------------------------------------------------------------------


@time_machine.travel(datetime.date(2014, 6, 1))
def test_workplan_redirects_to_the_current_term(gmg, client):
    response = client.get(reverse("workplan:workplan-current"))

    assert response.status_code == 302
    assert response["Location"] == reverse("workplan:workplan-detail", args=["2014-ilo"])


@time_machine.travel(datetime.date(2014, 6, 1))
def test_workplan_redirect_falls_back_to_the_latest_started_term_in_a_gap(db, client):
    ChairmanshipFactory(start_date=datetime.date(2013, 1, 1), end_date=datetime.date(2013, 6, 30))
    latest = ChairmanshipFactory(start_date=datetime.date(2013, 7, 1), end_date=datetime.date(2013, 12, 31))
    ChairmanshipFactory(start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2015, 12, 31))

    response = client.get(reverse("workplan:workplan-current"))

    assert response["Location"] == reverse("workplan:workplan-detail", args=[latest.slug])


def test_workplan_redirect_skips_a_current_term_without_a_workplan(gmg, client):
    # Today the latest term that has started is 2015-wb, with nothing recorded: ILO's 2014 workplan is shown.
    assert client.get(reverse("workplan:workplan-current"))["Location"] == reverse(
        "workplan:workplan-detail", args=["2014-ilo"]
    )


def test_workplan_redirect_goes_to_the_current_term_once_it_has_a_workplan(gmg, client):
    FocusAreaFactory(chairmanship=Chairmanship.objects.get(slug="2015-wb"), letter="a")

    assert client.get(reverse("workplan:workplan-current"))["Location"] == reverse(
        "workplan:workplan-detail", args=["2015-wb"]
    )


@time_machine.travel(datetime.date(2014, 6, 1))
def test_workplan_redirect_does_not_jump_to_a_later_term(db, client):
    earlier = ChairmanshipFactory(start_date=datetime.date(2013, 1, 1), end_date=datetime.date(2013, 12, 31))
    ChairmanshipFactory(start_date=datetime.date(2014, 1, 1), end_date=datetime.date(2014, 12, 31))
    later = ChairmanshipFactory(start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2015, 12, 31))
    ObjectiveFactory(chairmanship=earlier, number=1)
    ObjectiveFactory(chairmanship=later, number=1)  # planned ahead: not yet the latest workplan

    assert client.get(reverse("workplan:workplan-current"))["Location"] == reverse(
        "workplan:workplan-detail", args=[earlier.slug]
    )


def test_a_workplan_lists_the_other_terms_that_have_one(gmg, client):
    term = ChairmanshipFactory()
    ObjectiveFactory(chairmanship=term, number=1)
    ilo = reverse("workplan:workplan-detail", args=["2014-ilo"])

    response = client.get(reverse("workplan:workplan-detail", args=["2015-wb"]))
    html = html_of(response)

    assert [other.slug for other in response.context["other_workplans"]] == [term.slug, "2014-ilo"]
    assert f'href="{ilo}">ILO 2014</a>' in html
    assert "2013-iom" not in html  # nothing recorded, no workplan to list
    own = client.get(ilo).context["other_workplans"]
    assert [other.slug for other in own] == [term.slug]


def test_a_workplan_links_its_outputs_to_their_pages(gmg, client):
    objective = Objective.objects.get(chairmanship__slug="2014-ilo", number=1)
    objective.outputs.add(Output.objects.get(pk=1))
    ActivityFactory(objective=objective).outputs.add(Output.objects.get(pk=6))

    html = html_of(client.get(reverse("workplan:workplan-detail", args=["2014-ilo"])))

    for pk in (1, 6):
        assert f'href="{reverse("workplan:output-detail", args=[pk])}"' in html
    assert f'href="{reverse("workplan:output-list")}?chairmanship=2014-ilo"' in html


def test_workplan_redirect_query_count(gmg, client, django_assert_max_num_queries):
    add_events(3000)

    # the term running today; failing that (2015 is long over), the latest term that has started
    with django_assert_max_num_queries(2):
        assert client.get(reverse("workplan:workplan-current")).status_code == 302


def test_workplan_without_any_term_is_a_404(db, client):
    assert client.get(reverse("workplan:workplan-current")).status_code == 404


def test_the_2014_workplan_shows_focus_areas_mawp_objectives_and_timeline(gmg, client):
    response = client.get(reverse("workplan:workplan-detail", args=["2014-ilo"]))
    html = html_of(response)

    assert response.status_code == 200
    workplan = response.context["workplan"]
    assert [area.letter for area in workplan.focus_areas] == ["a", "b"]
    assert workplan.mawp.title == "GMG 2013–2015 Multi-Annual Work Plan"
    assert "<p>GMG 2013–2015 Multi-Annual Work Plan</p>" in html  # its years said once, by its title
    assert [o.ordinal for o in workplan.overarching_objectives] == ["i", "ii"]
    assert [o.number for o in workplan.objectives] == [1, 2, 3, 4, 5]
    for number in range(1, 6):
        assert f'id="objective-{number}-heading">Objective {number}</h3>' in html
    assert "Oversee implementation of the GMG MAWP" in html
    assert_headings_in_order(html)

    markup = re.search(r'<figure class="timeline".*?</figure>', html, re.S).group(0)
    figure = ET.fromstring(markup)  # noqa: S314 - our own markup
    drawn = [g for g in figure.iter(f"{SVG}g") if g.get("class") == "timeline-event"]
    assert len(drawn) == 13  # every 2014 event, one mark each


def test_a_term_outside_any_mawp_says_so(db, client):
    term = ChairmanshipFactory(start_date=datetime.date(2190, 1, 1), end_date=datetime.date(2190, 12, 31))
    MultiAnnualWorkPlanFactory(start_year=2191, end_year=2193)

    html = html_of(client.get(reverse("workplan:workplan-detail", args=[term.slug])))

    assert "No multi-annual work plan covers this term." in html


def test_objectives_show_their_activities_events_and_outputs(db, client):
    term = ChairmanshipFactory()
    mawp = MultiAnnualWorkPlanFactory(start_year=term.start_date.year - 1, end_year=term.start_date.year + 1)
    overarching = OverarchingObjectiveFactory(mawp=mawp, ordinal="i", text="Promote rights.")
    objective = ObjectiveFactory(chairmanship=term, number=1, text="Coordinate with the GFMD.")
    objective.overarching_objectives.add(overarching)
    activity = ActivityFactory(objective=objective, title="Draft the paper", timeline="Q2")
    activity.lead_agencies.add(AgencyFactory(acronym="ILO"))
    event = EventFactory(chairmanship=term, title="Paper meeting")
    output = OutputFactory(chairmanship=term, title="The paper")
    activity.events.add(event)
    activity.outputs.add(output)
    objective.events.add(EventFactory(chairmanship=term, title="Objective-wide event"))
    objective.outputs.add(OutputFactory(chairmanship=term, title="Objective-wide output"))
    FocusAreaFactory(chairmanship=term, letter="a", title="Post-2015")

    html = html_of(client.get(reverse("workplan:workplan-detail", args=[term.slug])))

    for text in (
        "Draft the paper",
        "Paper meeting",
        "The paper",
        "Objective-wide event",
        "Objective-wide output",
        "Promote rights.",
        "Post-2015",
        "ILO",
    ):
        assert text in html
    assert f'href="{reverse("workplan:event-detail", args=[event.pk])}"' in html


def test_unknown_workplan_is_a_404(db, client):
    assert client.get(reverse("workplan:workplan-detail", args=["1900-nobody"])).status_code == 404


def test_workplan_query_count_is_fixed(gmg, client, django_assert_max_num_queries):
    term = ChairmanshipFactory()
    add_events(3000, term=term)
    objective = Objective.objects.get(chairmanship__slug="2014-ilo", number=1)
    real_events = Event.objects.filter(chairmanship__slug="2014-ilo").order_by("pk")
    for n in range(5):  # activities with leads, events and outputs, so every prefetch runs
        activity = ActivityFactory(objective=objective)
        activity.lead_agencies.add(AgencyFactory())
        activity.lead_working_groups.add(WorkingGroupFactory())
        activity.events.add(real_events[n])
        activity.outputs.add(Output.objects.get(pk=n + 1))

    # the term; its troika (all terms); the MAWP and its overarching objectives; focus areas;
    # objectives, their activities (+ lead agencies, lead groups, events, outputs),
    # their events, outputs and overarching objectives; the term's events; the banner's terms;
    # the other terms that have a workplan
    with django_assert_max_num_queries(17):
        response = client.get(reverse("workplan:workplan-detail", args=["2014-ilo"]))
    assert response.status_code == 200


# Event detail ---------------------------------------------------------------


def test_event_detail_shows_everything_about_the_event(gmg, client):
    response = client.get(reverse("workplan:event-detail", args=[9]))
    html = html_of(response)

    assert response.status_code == 200
    assert "<h1>Fair Migration and the Sustainable Post-2015 Development Agenda</h1>" in html
    assert "9 July 2014" in html
    assert "New York, United States of America" in html
    assert "ECOSOC High-level segment" in html
    assert "Side event" in html
    assert "International Labour Organization (<abbr>ILO</abbr>)" in html
    assert f'href="{reverse("workplan:event-list")}?agency=GFMD"' in html
    assert f'href="{reverse("workplan:workplan-detail", args=["2014-ilo"])}"' in html
    assert_headings_in_order(html)


def test_event_detail_links_outputs_of_its_accomplishments(gmg, client):
    # Accomplishment 1 tells of the technical meeting (event 11) with the communiqué and the position paper.
    response = client.get(reverse("workplan:event-detail", args=[11]))

    related = {output.pk for output in response.context["related_outputs"]}
    assert related == set(
        Accomplishment.objects.get(chairmanship__slug="2014-ilo", number=1).outputs.values_list("pk", flat=True)
    )
    assert "Realizing the Inclusion of Migrants and Migration" in html_of(response)


def test_event_detail_relates_outputs_through_activities_and_objectives_of_its_own_term_only(db, client):
    # A published term: a draft's accomplishments relate nothing for anonymous readers (test_draft_visibility.py).
    term, other_term = ChairmanshipFactory(report_status=Chairmanship.ReportStatus.FINAL), ChairmanshipFactory()
    event = EventFactory(chairmanship=term)
    objective = ObjectiveFactory(chairmanship=term)
    event.objectives.add(objective)
    by_objective = OutputFactory(chairmanship=term, title="By objective")
    by_objective.objectives.add(objective)
    activity = ActivityFactory(objective=objective)
    activity.events.add(event)
    by_activity = OutputFactory(chairmanship=term, title="By activity")
    activity.outputs.add(by_activity)
    accomplishment = AccomplishmentFactory(chairmanship=term)
    accomplishment.events.add(event)
    by_accomplishment = OutputFactory(chairmanship=term, title="By accomplishment")
    accomplishment.outputs.add(by_accomplishment)
    elsewhere = OutputFactory(chairmanship=other_term, title="Other term")
    elsewhere.objectives.add(objective)
    OutputFactory(chairmanship=term, title="Unrelated")

    response = client.get(reverse("workplan:event-detail", args=[event.pk]))

    assert sorted(o.title for o in response.context["related_outputs"]) == [
        "By accomplishment",
        "By activity",
        "By objective",
    ]
    html = html_of(response)
    assert f"#objective-{objective.number}" in html


def test_event_detail_links_its_working_groups(db, client):
    event = EventFactory()
    group = WorkingGroupFactory(name="Working Group on Data and Research")
    event.working_groups.add(group)

    html = html_of(client.get(reverse("workplan:event-detail", args=[event.pk])))

    assert '<a href="/working-groups/data-and-research/">Working Group on Data and Research</a>' in html


def test_unknown_event_is_a_404(db, client):
    assert client.get("/events/999999/").status_code == 404


def test_event_detail_query_count_is_fixed(gmg, client, django_assert_max_num_queries):
    add_events(3000)

    # the event with its term; organisers; working groups; objectives; activities; accomplishments;
    # related outputs; the banner's terms
    with django_assert_max_num_queries(8):
        response = client.get(reverse("workplan:event-detail", args=[16]))
    assert response.status_code == 200


# Working groups -------------------------------------------------------------


def test_working_group_list_shows_kind_chairs_members_and_mandate(db, client):
    group = WorkingGroupFactory(name="Working Group on Data and Research", mandate="Improve migration data.")
    group.chair_agencies.add(AgencyFactory(acronym="UN DESA", name="Department of Economic and Social Affairs"))
    group.member_agencies.add(AgencyFactory(acronym="ILO"), AgencyFactory(acronym="IOM"))
    WorkingGroupFactory(name="Task Force on Capacity", kind=WorkingGroup.Kind.TASK_FORCE, active=False)

    response = client.get(reverse("workplan:working-group-list"))
    html = html_of(response)

    assert [g.name for g in response.context["groups"]] == [
        "Working Group on Data and Research",
        "Task Force on Capacity",
    ]
    assert "Task force" in html and "No longer active" in html
    assert 'title="Department of Economic and Social Affairs">UN DESA</abbr>' in html
    assert "2 members" in html
    assert "Improve migration data." in html
    assert_headings_in_order(html)


def test_the_2014_working_groups_are_listed(gmg, client):
    response = client.get(reverse("workplan:working-group-list"))

    assert {g.slug for g in response.context["groups"]} >= {
        "data-and-research",
        "migration-human-rights-and-gender",
        "mainstreaming-migration-into-national-development-strategies",
    }


def test_working_group_detail_shows_its_events_and_outputs(gmg, client):
    group = WorkingGroup.objects.get(slug="migration-human-rights-and-gender")
    Event.objects.get(pk=6).working_groups.add(group)

    response = client.get(reverse("workplan:working-group-detail", args=[group.slug]))
    html = html_of(response)

    assert response.status_code == 200
    assert "<h1>Working Group on Migration, Human Rights and Gender</h1>" in html
    assert [e.pk for e in response.context["page"].events] == [6]
    assert "The latest" not in html  # every event is shown
    # The seed names the group's position document on the post-2015 agenda.
    assert [o.kind for o in response.context["page"].outputs] == [Output.Kind.POSITION_PAPER]
    assert f"?working_group={group.slug}" in html
    assert_headings_in_order(html)


def test_unknown_working_group_is_a_404(db, client):
    assert client.get(reverse("workplan:working-group-detail", args=["nothing-here"])).status_code == 404


def test_working_group_pages_query_counts_are_fixed(gmg, client, django_assert_max_num_queries):
    add_events(3000)
    for n in range(20):
        group = WorkingGroupFactory()
        group.member_agencies.add(AgencyFactory(acronym=f"M{n}"))

    # groups; their chairs; their members; the banner's terms
    with django_assert_max_num_queries(4):
        assert client.get(reverse("workplan:working-group-list")).status_code == 200

    busy = WorkingGroup.objects.exclude(events=None).first()  # a bulk group with 1,000 events
    # the group; chairs; members; its latest events with their terms; the number of its events;
    # its outputs; the banner's terms
    with django_assert_max_num_queries(7):
        response = client.get(reverse("workplan:working-group-detail", args=[busy.slug]))
    assert len(response.context["page"].events) == 25
    assert "The latest 25 of 1000 events." in response.content.decode()
    assert f'href="/events/?working_group={busy.slug}"' in response.content.decode()


@pytest.mark.parametrize("name", ["workplan:event-list", "workplan:working-group-list"])
def test_pages_are_served_in_french_when_asked(gmg, client, name):
    try:
        response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="fr")
    finally:
        translation.activate("en")  # the request left French active in this thread

    assert '<html lang="fr">' in html_of(response)
