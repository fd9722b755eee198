"""assemble_report(): a fixed number of queries, footnotes through the report, any term."""

from __future__ import annotations

import datetime
import json

import pytest
from django.template.loader import render_to_string

from chairmanship.models import Chairmanship
from reports.rendering import report_context
from reports.selectors import assemble_report
from tests.factories import AccomplishmentFactory
from tests.factories import ActivityFactory
from tests.factories import AgencyFactory
from tests.factories import CarryForwardIssueFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EndorsementFactory
from tests.factories import EventFactory
from tests.factories import MultiAnnualWorkPlanFactory
from tests.factories import ObjectiveFactory
from tests.factories import OutputFactory
from tests.factories import OverarchingObjectiveFactory
from tests.factories import RecommendationFactory
from workplan.models import Event
from workplan.models import Output

# 1 all terms (incoming chair) · 2 MAWP + its overarching objectives · 1 focus areas ·
# 3 events (+ organisers, + objectives) · 5 outputs (+ producers, + producing groups, + endorsements,
# + objectives) · 1 recommendations · 5 activities (+ lead agencies, + lead groups, + events, + outputs) ·
# 2 objectives (+ overarching objectives) · 1 carry-forward issues with origin · 4 accomplishments
# (+ events, + outputs, + groups)
REPORT_QUERIES = 25


def _populated_term() -> Chairmanship:
    term = ChairmanshipFactory(report_status="final")
    mawp = MultiAnnualWorkPlanFactory(start_year=term.start_date.year, end_year=term.start_date.year + 1)
    OverarchingObjectiveFactory(mawp=mawp, ordinal="i", text="First aim")
    objective = ObjectiveFactory(chairmanship=term, number=1)
    activity = ActivityFactory(objective=objective)
    event = EventFactory(chairmanship=term)
    event.organisers.add(AgencyFactory(acronym="ORG"))
    output = OutputFactory(chairmanship=term)
    EndorsementFactory(output=output)
    RecommendationFactory(chairmanship=term, source_output=output, number=1)
    activity.events.add(event)
    activity.outputs.add(output)
    accomplishment = AccomplishmentFactory(chairmanship=term, number=1)
    accomplishment.events.add(event)
    accomplishment.outputs.add(output)
    CarryForwardIssueFactory(handed_over_in=term)
    return term


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_records(django_assert_num_queries):
    term = _populated_term()
    accomplishment = term.accomplishments.get()
    objective = term.objectives.get()
    with django_assert_num_queries(REPORT_QUERIES):
        before = assemble_report(chairmanship=term)

    events = Event.objects.bulk_create(
        Event(
            chairmanship=term,
            title=f"Extra event {n}",
            start_date=term.start_date + datetime.timedelta(days=n % 300),
            end_date=term.start_date + datetime.timedelta(days=n % 300),
        )
        for n in range(500)
    )
    outputs = Output.objects.bulk_create(
        Output(chairmanship=term, title=f"Extra output {n}", date=term.start_date + datetime.timedelta(days=n % 300))
        for n in range(500)
    )
    accomplishment.events.add(*events[:200])
    accomplishment.outputs.add(*outputs[:200])
    objective.events.add(*events[200:300])
    objective.outputs.add(*outputs[200:300])

    with django_assert_num_queries(REPORT_QUERIES):
        after = assemble_report(chairmanship=term)
    assert len(after.annex_b) == len(before.annex_b) + 1000
    assert len(after.accomplishments[0].events) == 201


@pytest.mark.django_db
def test_templates_run_no_queries(client, django_assert_num_queries):

    report = assemble_report(chairmanship=_populated_term())
    with django_assert_num_queries(0):
        render_to_string("reports/report_pdf.html", report_context(report, for_print=True))


@pytest.mark.django_db
def test_footnotes_continue_across_narratives_and_the_mawp_note_is_generated():
    term = ChairmanshipFactory(
        introduction="Intro[^a].\n\n[^a]: Intro note.",
        workplan_narrative="Aligned with the MAWP,[^mawp] and more[^b].\n\n[^b]: Workplan note.",
    )
    AccomplishmentFactory(chairmanship=term, narrative="Done[^a].\n\n[^a]: Accomplishment note.")
    mawp = MultiAnnualWorkPlanFactory(start_year=term.start_date.year - 1, end_year=term.start_date.year + 1)
    OverarchingObjectiveFactory(mawp=mawp, ordinal="i", text="Coordinate")
    OverarchingObjectiveFactory(mawp=mawp, ordinal="ii", text="include migration")

    report = assemble_report(chairmanship=term)

    texts = [note.html for note in report.footnotes]
    assert texts == [
        "<p>Intro note.</p>",
        f"<p>See Annex B for a comprehensive list of the GMG's activities and outputs in {term.start_date.year}.</p>",
        "<p>Accomplishment note.</p>",
        "<p>(i) Coordinate; and (ii) include migration.</p>",
        "<p>Workplan note.</p>",
    ]
    assert report.accomplishments_note == 2
    assert report.mawp_note == 4
    assert '<a href="#fn-3">3</a>' in report.accomplishments[0].flow[0].html
    assert '<a href="#fn-4">4</a>' in report.workplan[0].html


@pytest.mark.django_db
def test_an_empty_term_assembles_and_is_json():
    term = ChairmanshipFactory(introduction="", theme="")
    report = assemble_report(chairmanship=term)
    assert report.is_empty
    assert report.accomplishments == [] and report.objectives == [] and report.issue_groups == []
    assert report.incoming_chair == ""
    data = json.loads(json.dumps(report.as_dict()))
    assert data["slug"] == term.slug and data["annex_b"] == []


@pytest.mark.django_db
def test_a_six_month_term_its_incoming_chair_and_issue_groups():
    first = ChairmanshipFactory(start_date=datetime.date(2201, 1, 1), end_date=datetime.date(2201, 6, 30))
    term = ChairmanshipFactory(
        start_date=datetime.date(2201, 7, 1),
        end_date=datetime.date(2201, 12, 31),
        agency=AgencyFactory(acronym="MID"),
    )
    ChairmanshipFactory(
        start_date=datetime.date(2202, 1, 1),
        end_date=datetime.date(2202, 12, 31),
        agency=AgencyFactory(acronym="NXT", name="Next Agency"),
    )
    CarryForwardIssueFactory(handed_over_in=term, origin=term, number=1, text="Own issue")
    CarryForwardIssueFactory(handed_over_in=term, origin=first, number=2, text="Older issue")

    report = assemble_report(chairmanship=term)

    assert report.term == "1 July – 31 December 2201"
    assert report.incoming_chair_acronym == "NXT"
    assert report.handover_heading == "Handover to the Next Agency and proposed issues to be carried forward"
    assert [group.heading for group in report.issue_groups] == [
        f"From {first.agency.acronym}'s Chairmanship:",
        "From MID's Chairmanship:",
    ]
    assert [issue.text for issue in report.issue_groups[0].issues] == ["Older issue"]


@pytest.mark.django_db
def test_the_fingerprint_changes_with_any_shown_record():
    term = _populated_term()
    first = assemble_report(chairmanship=term).fingerprint
    assert assemble_report(chairmanship=term).fingerprint == first  # stable

    event = term.events.get()
    event.city = "Nairobi"
    event.save()
    second = assemble_report(chairmanship=term).fingerprint
    assert second != first

    endorsement = term.outputs.get().endorsements.get()
    endorsement.outcome = "endorsed"
    endorsement.save()
    assert assemble_report(chairmanship=term).fingerprint != second


@pytest.mark.django_db
def test_every_term_of_the_real_history_assembles(gmg):
    for term in Chairmanship.objects.all():
        report = assemble_report(chairmanship=term)
        assert report.slug == term.slug
    ilo = assemble_report(chairmanship=Chairmanship.objects.get(slug="2014-ilo"))
    assert [a.number for a in ilo.accomplishments] == [1, 2, 3, 4, 5, 6]
    assert ilo.incoming_chair_acronym == "WB"
    assert [g.origin_slug for g in ilo.issue_groups] == ["2013-escap", "2013-iom", "2014-ilo"]
    assert sum(len(g.issues) for g in ilo.issue_groups) == 14
