"""Every list costs a fixed number of queries, whatever the page size, with 3,000 extra events.

Related records are joined (select_related) or fetched in one query per
relation (prefetch_related), so page_size=1 and page_size=200 cost the same.
Anonymous callers, so no query is spent on authentication.
"""

from __future__ import annotations

import datetime

import pytest

from chairmanship.models import Accomplishment
from chairmanship.models import Agency
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Endorsement
from chairmanship.models import Recommendation
from workplan.models import Activity
from workplan.models import Event
from workplan.models import FocusArea
from workplan.models import MultiAnnualWorkPlan
from workplan.models import Objective
from workplan.models import Output
from workplan.models import OverarchingObjective
from workplan.models import WorkingGroup

EXTRA_EVENTS = 3000
EXTRA = 30  # more rows of every other kind than one page of 1, fewer than a page of 200

# resource: (query count, the queries)
BUDGETS = {
    "agencies": (2, "count, page"),
    "chairmanships": (
        5,
        "count, page (with agency), every term once for previous/next/troika, the page's stored editions and "
        "edition jobs (edition_status)",
    ),
    "mawps": (3, "count, page, overarching objectives"),
    "focus-areas": (2, "count, page (with term)"),
    "objectives": (3, "count, page (with term), overarching objectives"),
    "activities": (6, "count, page (with objective and term), lead agencies, lead groups, events, outputs"),
    "working-groups": (4, "count, page, chair agencies, member agencies"),
    "events": (5, "count, page (with term), organisers, working groups, objectives"),
    "outputs": (5, "count, page (with term), producer agencies, producer groups, objectives"),
    "endorsements": (2, "count, page"),
    "accomplishments": (5, "count, page (with term), events, outputs, working groups"),
    "recommendations": (2, "count, page (with term)"),
    "carry-forward-issues": (2, "count, page (with the three terms)"),
}


@pytest.fixture
def crowded(world) -> None:
    """3,000 extra events and 30 more records of every kind, every relation filled."""
    term, agency, group = world.term, world.agency, world.group
    # Published, so anonymous callers see its key accomplishments (a draft's are hidden from them).
    Chairmanship.objects.filter(pk=term.pk).update(report_status=Chairmanship.ReportStatus.FINAL)
    events = Event.objects.bulk_create(
        Event(
            chairmanship=term,
            title=f"Bulk event {n}",
            start_date=term.start_date + datetime.timedelta(days=n % 180),
            end_date=term.start_date + datetime.timedelta(days=n % 180),
        )
        for n in range(EXTRA_EVENTS)
    )
    Event.organisers.through.objects.bulk_create(Event.organisers.through(event=e, agency=agency) for e in events)
    Event.working_groups.through.objects.bulk_create(
        Event.working_groups.through(event=e, workinggroup=group) for e in events
    )
    Event.objectives.through.objects.bulk_create(
        Event.objectives.through(event=e, objective=world.objective) for e in events
    )
    agencies = Agency.objects.bulk_create(Agency(acronym=f"BULK{n}", name=f"Bulk {n}") for n in range(EXTRA))
    Chairmanship.objects.bulk_create(
        Chairmanship(
            slug=f"{2200 + n}-bulk{n}",
            agency=agencies[n],
            start_date=datetime.date(2200 + n, 1, 1),
            end_date=datetime.date(2200 + n, 12, 31),
        )
        for n in range(EXTRA)
    )
    groups = WorkingGroup.objects.bulk_create(WorkingGroup(slug=f"bulk-{n}", name=f"Bulk {n}") for n in range(EXTRA))
    objectives = Objective.objects.bulk_create(
        Objective(chairmanship=term, number=100 + n, text="Bulk") for n in range(EXTRA)
    )
    overarching = OverarchingObjective.objects.first()
    plans = MultiAnnualWorkPlan.objects.bulk_create(
        MultiAnnualWorkPlan(title=f"Bulk plan {n}", start_year=2200 + n, end_year=2202 + n) for n in range(EXTRA)
    )
    OverarchingObjective.objects.bulk_create(OverarchingObjective(mawp=plan, ordinal="i", text="B") for plan in plans)
    outputs = Output.objects.bulk_create(Output(chairmanship=term, title=f"Bulk output {n}") for n in range(EXTRA))
    activities = Activity.objects.bulk_create(Activity(objective=objectives[n], title="Bulk") for n in range(EXTRA))
    accomplishments = Accomplishment.objects.bulk_create(
        Accomplishment(chairmanship=term, number=100 + n, title="Bulk") for n in range(EXTRA)
    )
    FocusArea.objects.bulk_create(FocusArea(chairmanship=term, letter=f"z{n}", title="Bulk") for n in range(EXTRA))
    Endorsement.objects.bulk_create(
        Endorsement(output=outputs[n], body="HLCP", outcome="considered") for n in range(EXTRA)
    )
    Recommendation.objects.bulk_create(
        Recommendation(chairmanship=term, number=100 + n, text="B") for n in range(EXTRA)
    )
    CarryForwardIssue.objects.bulk_create(
        CarryForwardIssue(handed_over_in=term, origin=term, number=100 + n, text="B") for n in range(EXTRA)
    )
    for n in range(EXTRA):
        objectives[n].overarching_objectives.add(overarching)
        groups[n].chair_agencies.add(agencies[n])
        groups[n].member_agencies.add(agencies[n], agency)
        outputs[n].producer_agencies.add(agencies[n])
        outputs[n].producer_working_groups.add(groups[n])
        outputs[n].objectives.add(objectives[n])
        activities[n].lead_agencies.add(agencies[n])
        activities[n].lead_working_groups.add(groups[n])
        activities[n].events.add(*events[n * 10 : n * 10 + 10])
        activities[n].outputs.add(outputs[n])
        accomplishments[n].events.add(*events[n * 10 : n * 10 + 10])
        accomplishments[n].outputs.add(outputs[n])
        accomplishments[n].working_groups.add(groups[n])


@pytest.mark.slow
@pytest.mark.parametrize("resource", sorted(BUDGETS))
def test_a_list_costs_the_same_at_any_page_size(crowded, api_anonymous, django_assert_num_queries, resource):
    budget, queries = BUDGETS[resource]
    sizes = {}
    for page_size in (1, 200):
        with django_assert_num_queries(budget, info=queries):
            response = api_anonymous.get(f"/api/v1/{resource}/?page_size={page_size}")
        assert response.status_code == 200
        sizes[page_size] = len(response.json()["results"])
    assert sizes[1] == 1
    assert sizes[200] > EXTRA  # the big page really holds many rows


@pytest.mark.slow
def test_a_filtered_event_list_costs_the_same(crowded, api_anonymous, django_assert_num_queries, world):
    # count, page, organisers, working groups, objectives; the slugs in the filters are validated
    # by the FilterSet's model choice fields: one query each for the term and the group.
    for page_size in (1, 200):
        with django_assert_num_queries(7):
            response = api_anonymous.get(
                f"/api/v1/events/?chairmanship={world.term.slug}&working_group={world.group.slug}&page_size={page_size}"
            )
        assert response.json()["count"] == EXTRA_EVENTS + 1
