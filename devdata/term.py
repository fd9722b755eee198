"""One synthetic term's records: narratives, workplan, events, outputs, endorsements, accomplishments.

Every draw comes from the context's random generator in a fixed order, so
the same seed on the same database gives the same records.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass
from dataclasses import field

from chairmanship.models import Accomplishment
from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from chairmanship.models import Endorsement
from chairmanship.models import Recommendation
from devdata.vocabulary import EVENT_KIND_WEIGHTS
from devdata.vocabulary import EVENT_TITLES
from devdata.vocabulary import OUTPUT_TITLES
from devdata.vocabulary import PLACES
from devdata.vocabulary import TOPICS
from devdata.vocabulary import VENUES
from devdata.vocabulary import month_name
from devdata.vocabulary import ordinal
from workplan.models import Activity
from workplan.models import Event
from workplan.models import FocusArea
from workplan.models import Objective
from workplan.models import Output
from workplan.models import OverarchingObjective
from workplan.models import WorkingGroup


@dataclass
class TermContext:
    """What every term of one generation shares."""

    rng: random.Random
    agencies: dict[str, Agency]
    working_groups: list[WorkingGroup]
    mawp_objectives: dict[int, list[OverarchingObjective]]  # by calendar year
    counts: Counter = field(default_factory=Counter)


@dataclass
class _Plan:
    """The term's workplan as generated: its objectives and their activities."""

    focus_areas: list[FocusArea]
    objectives: list[Objective]
    activities: list[Activity]

    def activities_by_objective(self) -> dict[int, list[Activity]]:
        by_objective: dict[int, list[Activity]] = {}
        for activity in self.activities:
            by_objective.setdefault(activity.objective_id, []).append(activity)
        return by_objective


def random_day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _narratives(term: Chairmanship, topics: list[str]) -> dict[str, str]:
    main, second = topics[0], topics[1]
    return {
        "theme": f"{main.capitalize()} and {second}: working together for migrants",
        "introduction": (
            f"This synthetic report covers the chairmanship of {term.agency.acronym}. "
            f"The chair placed **{main}** at the centre of the GMG's work.\n\n"
            f"The chair built on the work of its predecessors and on the GMG's work plan, "
            f"with particular attention to {second}."
        ),
        "accomplishments_intro": (
            "The following key accomplishments were achieved jointly by the member agencies and their working groups."
        ),
        # The report defines the [^mawp] note from the work plan, as for the real 2014 narrative.
        "workplan_narrative": (
            "The chair's work plan set out its objectives under the multi-annual work plan[^mawp], "
            "around its thematic focus areas."
        ),
        "handover_narrative": (
            f"The chair handed over to the incoming chair on {term.end_date:%d %B %Y}. "
            f"The issues below remain on the GMG's agenda."
        ),
    }


def _create_objectives(
    ctx: TermContext, term: Chairmanship, topics: list[str]
) -> tuple[list[FocusArea], list[Objective]]:
    """Focus areas and numbered objectives, linked to the work plan's overarching objectives."""
    rng = ctx.rng
    focus_areas = [
        FocusArea(chairmanship=term, letter=chr(ord("a") + i), title=f"Focus on {topic}")
        for i, topic in enumerate(topics[: rng.randint(2, 3)])
    ]
    FocusArea.objects.bulk_create(focus_areas)
    objectives = Objective.objects.bulk_create(
        [
            Objective(chairmanship=term, number=i + 1, text=f"Advance the GMG's joint work on {rng.choice(TOPICS)}")
            for i in range(rng.randint(4, 6))
        ]
    )
    overarching = ctx.mawp_objectives.get(term.start_date.year, [])
    links = []
    for objective in objectives:
        for oo in rng.sample(overarching, min(len(overarching), rng.randint(1, 2))):
            links.append(
                Objective.overarching_objectives.through(objective_id=objective.pk, overarchingobjective_id=oo.pk)
            )
    Objective.overarching_objectives.through.objects.bulk_create(links)
    return focus_areas, objectives


def _create_plan(ctx: TermContext, term: Chairmanship, topics: list[str], *, is_last: bool) -> _Plan:
    """Focus areas, objectives and their activities, each led by one or two agencies."""
    rng = ctx.rng
    chair_agencies = list(ctx.agencies.values())[:12]
    focus_areas, objectives = _create_objectives(ctx, term, topics)
    done = Activity.Status.DONE
    activities = []
    for objective in objectives:
        for _ in range(rng.randint(2, 3)):
            status = (
                rng.choice([Activity.Status.PLANNED, Activity.Status.IN_PROGRESS])
                if is_last
                else rng.choices([done, Activity.Status.DROPPED, Activity.Status.IN_PROGRESS], [8, 1, 1])[0]
            )
            activities.append(
                Activity(
                    objective=objective,
                    title=f"Prepare a joint contribution on {rng.choice(TOPICS)}",
                    description="Led by the agencies below, with the working groups concerned.",
                    timeline=f"Q{rng.randint(1, 4)} {term.start_date.year}",
                    status=status,
                )
            )
    Activity.objects.bulk_create(activities)
    lead_agencies, lead_groups = [], []
    for activity in activities:
        for agency in rng.sample(chair_agencies, rng.randint(1, 2)):
            lead_agencies.append(Activity.lead_agencies.through(activity_id=activity.pk, agency_id=agency.pk))
        if rng.random() < 0.5:
            lead_groups.append(
                Activity.lead_working_groups.through(
                    activity_id=activity.pk, workinggroup_id=rng.choice(ctx.working_groups).pk
                )
            )
    Activity.lead_agencies.through.objects.bulk_create(lead_agencies)
    Activity.lead_working_groups.through.objects.bulk_create(lead_groups)
    return _Plan(focus_areas=focus_areas, objectives=objectives, activities=activities)


def _new_events(ctx: TermContext, term: Chairmanship, *, count: int) -> list[Event]:
    rng = ctx.rng
    kinds, weights = list(EVENT_KIND_WEIGHTS), list(EVENT_KIND_WEIGHTS.values())
    un_session = term.start_date.year - 1945
    forums = [
        f"GFMD Summit {term.start_date.year}",
        "ECOSOC High-level segment",
        f"{ordinal(un_session)} session of the UN General Assembly",
        f"HLCP {ordinal(un_session - 40)} session",
        "Commission on Population and Development",
    ]
    events = []
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        start = random_day(rng, term.start_date, term.end_date)
        end = min(term.end_date, start + datetime.timedelta(days=rng.choice([0, 0, 0, 1, 2])))
        city, country = ("", "") if kind == Event.Kind.TELECONFERENCE else rng.choice(PLACES)
        events.append(
            Event(
                chairmanship=term,
                title=EVENT_TITLES[kind].format(topic=rng.choice(TOPICS)),
                kind=kind,
                start_date=start,
                end_date=end,
                city=city,
                country=country,
                venue="" if not city else rng.choice(VENUES),
                forum=rng.choice(forums) if kind == Event.Kind.SIDE_EVENT or rng.random() < 0.2 else "",
                chair_role=rng.choices(list(Event.ChairRole), [6, 2, 2])[0],
                summary=f"Participants discussed {rng.choice(TOPICS)} and agreed on next steps.",
            )
        )
    return events


def _create_events(ctx: TermContext, term: Chairmanship, plan: _Plan, *, count: int) -> list[Event]:
    """The term's events, organised by the chair and a few others, serving its objectives and activities."""
    rng = ctx.rng
    agencies = list(ctx.agencies.values())
    events = _new_events(ctx, term, count=count)
    Event.objects.bulk_create(events, batch_size=1000)
    organisers, event_groups, event_objectives, activity_events = [], [], [], []
    activities_by_objective = plan.activities_by_objective()
    for event in events:
        chosen = [term.agency, *rng.sample(agencies, rng.randint(0, 2))]
        for agency_id in dict.fromkeys(agency.pk for agency in chosen):
            organisers.append(Event.organisers.through(event_id=event.pk, agency_id=agency_id))
        for group in rng.sample(ctx.working_groups, rng.choice([0, 0, 1, 1, 2])):
            event_groups.append(Event.working_groups.through(event_id=event.pk, workinggroup_id=group.pk))
        for objective in rng.sample(plan.objectives, rng.choice([0, 1, 1, 2])):
            event_objectives.append(Event.objectives.through(event_id=event.pk, objective_id=objective.pk))
            if rng.random() < 0.3:
                activity = rng.choice(activities_by_objective[objective.pk])
                activity_events.append(Activity.events.through(activity_id=activity.pk, event_id=event.pk))
    Event.organisers.through.objects.bulk_create(organisers, batch_size=2000)
    Event.working_groups.through.objects.bulk_create(event_groups, batch_size=2000)
    Event.objectives.through.objects.bulk_create(event_objectives, batch_size=2000)
    Activity.events.through.objects.bulk_create(activity_events, batch_size=2000)
    return events


def _new_outputs(ctx: TermContext, term: Chairmanship, *, count: int) -> list[Output]:
    rng = ctx.rng
    un_session = term.start_date.year - 1945
    outputs = []
    for number in range(count):
        kind = rng.choice(list(Output.Kind))
        date = random_day(rng, term.start_date, term.end_date)
        vague = rng.random() < 0.1
        outputs.append(
            Output(
                chairmanship=term,
                title=OUTPUT_TITLES[kind].format(topic=rng.choice(TOPICS)),
                kind=kind,
                date=None if vague else date,
                date_note=month_name(date) if vague else "",
                symbol=f"A/{un_session}/{100 + number}" if kind == Output.Kind.REPORT and rng.random() < 0.5 else "",
                submitted_to=rng.choice(["", "", "HLCP", "GMG Principals", "UN General Assembly"]),
                summary=f"A synthetic output of the {term.agency.acronym} chairmanship.",
            )
        )
    return outputs


def _create_outputs(ctx: TermContext, term: Chairmanship, plan: _Plan, *, count: int) -> list[Output]:
    """The term's outputs, produced by the chair and a few others, serving its objectives and activities."""
    rng = ctx.rng
    agencies = list(ctx.agencies.values())
    outputs = _new_outputs(ctx, term, count=count)
    Output.objects.bulk_create(outputs, batch_size=1000)
    producers, producer_groups, output_objectives, activity_outputs = [], [], [], []
    activities_by_objective = plan.activities_by_objective()
    for output in outputs:
        chosen = [term.agency, *rng.sample(agencies, rng.randint(0, 2))]
        for agency_id in dict.fromkeys(agency.pk for agency in chosen):
            producers.append(Output.producer_agencies.through(output_id=output.pk, agency_id=agency_id))
        if rng.random() < 0.5:
            producer_groups.append(
                Output.producer_working_groups.through(
                    output_id=output.pk, workinggroup_id=rng.choice(ctx.working_groups).pk
                )
            )
        for objective in rng.sample(plan.objectives, rng.randint(1, 2)):
            output_objectives.append(Output.objectives.through(output_id=output.pk, objective_id=objective.pk))
            if rng.random() < 0.3:
                activity = rng.choice(activities_by_objective[objective.pk])
                activity_outputs.append(Activity.outputs.through(activity_id=activity.pk, output_id=output.pk))
    Output.producer_agencies.through.objects.bulk_create(producers, batch_size=2000)
    Output.producer_working_groups.through.objects.bulk_create(producer_groups, batch_size=2000)
    Output.objectives.through.objects.bulk_create(output_objectives, batch_size=2000)
    Activity.outputs.through.objects.bulk_create(activity_outputs, batch_size=2000)
    return outputs


def _create_endorsements(
    ctx: TermContext, term: Chairmanship, outputs: list[Output]
) -> tuple[list[Endorsement], list[Output]]:
    """HLCP's consideration of some outputs, and the CEB's endorsement of some it forwarded."""
    rng = ctx.rng
    un_session = term.start_date.year - 1945
    endorsements, endorsed_outputs = [], []
    for output in outputs:
        if rng.random() >= 0.3:
            continue
        endorsed_outputs.append(output)
        considered = (output.date or term.start_date) + datetime.timedelta(days=rng.randint(10, 60))
        hlcp_outcome = rng.choice([Endorsement.Outcome.CONSIDERED, Endorsement.Outcome.FORWARDED])
        endorsements.append(
            Endorsement(
                output=output,
                body="HLCP",
                session=f"{ordinal(un_session - 40)} session",
                city="Geneva",
                country="CH",
                start_date=considered,
                end_date=considered + datetime.timedelta(days=1),
                outcome=hlcp_outcome,
            )
        )
        if hlcp_outcome == Endorsement.Outcome.FORWARDED and rng.random() < 0.7:
            endorsed = considered + datetime.timedelta(days=rng.randint(20, 90))
            endorsements.append(
                Endorsement(
                    output=output,
                    body="CEB",
                    session=f"{ordinal(2 * un_session - 250)} session",
                    city="New York",
                    country="US",
                    start_date=endorsed,
                    end_date=endorsed,
                    outcome=Endorsement.Outcome.ENDORSED,
                )
            )
    Endorsement.objects.bulk_create(endorsements)
    return endorsements, endorsed_outputs


def _create_accomplishments(
    ctx: TermContext, term: Chairmanship, events: list[Event], outputs: list[Output]
) -> list[Accomplishment]:
    """Key accomplishments, linking the events and outputs behind them."""
    rng = ctx.rng
    accomplishments = Accomplishment.objects.bulk_create(
        [
            Accomplishment(
                chairmanship=term,
                number=i + 1,
                title=f"Progress on {topic}",
                narrative=(
                    f"The GMG advanced its joint work on {topic}.[^{i + 1}]\n\n"
                    f"[^{i + 1}]: See the events and outputs listed with this accomplishment."
                    if rng.random() < 0.3
                    else f"The GMG advanced its joint work on {topic}, with the support of its working groups."
                ),
            )
            for i, topic in enumerate(rng.sample(TOPICS, rng.randint(3, 6)))
        ]
    )
    acc_events, acc_outputs, acc_groups = [], [], []
    for accomplishment in accomplishments:
        for event in rng.sample(events, min(len(events), rng.randint(1, 4))):
            acc_events.append(Accomplishment.events.through(accomplishment_id=accomplishment.pk, event_id=event.pk))
        for output in rng.sample(outputs, min(len(outputs), rng.randint(0, 2))):
            acc_outputs.append(Accomplishment.outputs.through(accomplishment_id=accomplishment.pk, output_id=output.pk))
        for group in rng.sample(ctx.working_groups, rng.randint(0, 2)):
            acc_groups.append(
                Accomplishment.working_groups.through(accomplishment_id=accomplishment.pk, workinggroup_id=group.pk)
            )
    Accomplishment.events.through.objects.bulk_create(acc_events)
    Accomplishment.outputs.through.objects.bulk_create(acc_outputs)
    Accomplishment.working_groups.through.objects.bulk_create(acc_groups)
    return accomplishments


def _create_recommendations(
    ctx: TermContext, term: Chairmanship, sources: list[Output], *, is_last: bool
) -> list[Recommendation]:
    rng = ctx.rng
    statuses = [Recommendation.Status.PROPOSED] if is_last else list(Recommendation.Status)
    return Recommendation.objects.bulk_create(
        [
            Recommendation(
                chairmanship=term,
                source_output=rng.choice(sources),
                number=i + 1,
                text=f"The GMG should mainstream {rng.choice(TOPICS)} in its joint work",
                status=rng.choice(statuses),
            )
            for i in range(rng.randint(1, 3))
        ]
    )


def generate_term(ctx: TermContext, term: Chairmanship, *, events_per_term: int, is_last: bool) -> None:
    """Everything a term reports except its carry-forward issues."""
    topics = ctx.rng.sample(TOPICS, 6)
    for name, value in _narratives(term, topics).items():
        setattr(term, name, value)
    term.save(
        update_fields=["theme", "introduction", "accomplishments_intro", "workplan_narrative", "handover_narrative"]
    )
    plan = _create_plan(ctx, term, topics, is_last=is_last)
    events = _create_events(ctx, term, plan, count=events_per_term)
    outputs = _create_outputs(ctx, term, plan, count=2 + events_per_term // 10)
    endorsements, endorsed_outputs = _create_endorsements(ctx, term, outputs)
    accomplishments = _create_accomplishments(ctx, term, events, outputs)
    recommendations = _create_recommendations(ctx, term, endorsed_outputs or outputs, is_last=is_last)
    ctx.counts.update(
        {
            "terms": 1,
            "focus areas": len(plan.focus_areas),
            "objectives": len(plan.objectives),
            "activities": len(plan.activities),
            "events": len(events),
            "outputs": len(outputs),
            "endorsements": len(endorsements),
            "accomplishments": len(accomplishments),
            "recommendations": len(recommendations),
        }
    )
