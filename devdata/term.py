"""One synthetic term's records: narratives, workplan, events, outputs, endorsements, accomplishments.

Every draw comes from the context's random generator in a fixed order, so
the same seed on the same database gives the same records.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from django.db.models import Model
from django.db.models.fields.related_descriptors import ManyToManyDescriptor

from chairmanship.models import Accomplishment
from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from chairmanship.models import Endorsement
from chairmanship.models import Recommendation
from devdata.vocabulary import CHAIR_ROLE_WEIGHTS
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


def _link(relation: ManyToManyDescriptor, source: Model, target: Model) -> Model:
    """A row of a many-to-many table: `source`, of the model that declares `relation`, linked to `target`."""
    field = relation.field
    return relation.through(**{field.m2m_field_name(): source, field.m2m_reverse_field_name(): target})


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
            links.append(_link(Objective.overarching_objectives, objective, oo))
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
            lead_agencies.append(_link(Activity.lead_agencies, activity, agency))
        if rng.random() < 0.5:
            lead_groups.append(_link(Activity.lead_working_groups, activity, rng.choice(ctx.working_groups)))
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
                chair_role=rng.choices(list(CHAIR_ROLE_WEIGHTS), list(CHAIR_ROLE_WEIGHTS.values()))[0],
                summary=f"Participants discussed {rng.choice(TOPICS)} and agreed on next steps.",
            )
        )
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


# The many-to-many relations of an event and of an output: its agencies, working groups, objectives, activities.
_EVENT_RELATIONS = (Event.organisers, Event.working_groups, Event.objectives, Activity.events)
_OUTPUT_RELATIONS = (Output.producer_agencies, Output.producer_working_groups, Output.objectives, Activity.outputs)


def _event_draws(rng: random.Random, groups: list[WorkingGroup]) -> tuple[list[WorkingGroup], int]:
    """An event's working groups (none to two) and how many objectives it serves (none to two)."""
    return rng.sample(groups, rng.choice([0, 0, 1, 1, 2])), rng.choice([0, 1, 1, 2])


def _output_draws(rng: random.Random, groups: list[WorkingGroup]) -> tuple[list[WorkingGroup], int]:
    """An output's working group (one output in two has one) and how many objectives it serves (one or two)."""
    return ([rng.choice(groups)] if rng.random() < 0.5 else []), rng.randint(1, 2)


def _link_records(
    ctx: TermContext,
    term: Chairmanship,
    plan: _Plan,
    records: Sequence[Event] | Sequence[Output],
    relations: tuple[ManyToManyDescriptor, ...],
    draws: Callable[[random.Random, list[WorkingGroup]], tuple[list[WorkingGroup], int]],
) -> None:
    """Link the term's events or outputs to agencies, working groups, objectives and activities.

    Each record: the chair and up to two other agencies, the groups and the number of objectives `draws`
    gives, and for about one objective in three one of its activities.
    """
    rng = ctx.rng
    by_agency, by_group, by_objective, by_activity = relations
    agencies = list(ctx.agencies.values())
    activities_by_objective = plan.activities_by_objective()
    rows: dict[ManyToManyDescriptor, list[Model]] = {relation: [] for relation in relations}
    for record in records:
        chosen = [term.agency, *rng.sample(agencies, rng.randint(0, 2))]
        rows[by_agency] += [_link(by_agency, record, agency) for agency in dict.fromkeys(chosen)]
        groups, objective_count = draws(rng, ctx.working_groups)
        rows[by_group] += [_link(by_group, record, group) for group in groups]
        for objective in rng.sample(plan.objectives, objective_count):
            rows[by_objective].append(_link(by_objective, record, objective))
            if rng.random() < 0.3:
                activity = rng.choice(activities_by_objective[objective.pk])
                rows[by_activity].append(_link(by_activity, activity, record))
    for relation, relation_rows in rows.items():
        relation.through.objects.bulk_create(relation_rows, batch_size=2000)


# The bodies that consider the outputs, and where they meet.
_HLCP = {"body": "HLCP", "city": "Geneva", "country": "CH"}
_CEB = {"body": "CEB", "city": "New York", "country": "US"}


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
                session=f"{ordinal(un_session - 40)} session",
                start_date=considered,
                end_date=considered + datetime.timedelta(days=1),
                outcome=hlcp_outcome,
                **_HLCP,
            )
        )
        if hlcp_outcome == Endorsement.Outcome.FORWARDED and rng.random() < 0.7:
            endorsed = considered + datetime.timedelta(days=rng.randint(20, 90))
            endorsements.append(
                Endorsement(
                    output=output,
                    session=f"{ordinal(2 * un_session - 250)} session",
                    start_date=endorsed,
                    end_date=endorsed,
                    outcome=Endorsement.Outcome.ENDORSED,
                    **_CEB,
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
            acc_events.append(_link(Accomplishment.events, accomplishment, event))
        for output in rng.sample(outputs, min(len(outputs), rng.randint(0, 2))):
            acc_outputs.append(_link(Accomplishment.outputs, accomplishment, output))
        for group in rng.sample(ctx.working_groups, rng.randint(0, 2)):
            acc_groups.append(_link(Accomplishment.working_groups, accomplishment, group))
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
    events = Event.objects.bulk_create(_new_events(ctx, term, count=events_per_term), batch_size=1000)
    _link_records(ctx, term, plan, events, _EVENT_RELATIONS, _event_draws)
    outputs = Output.objects.bulk_create(_new_outputs(ctx, term, count=2 + events_per_term // 10), batch_size=1000)
    _link_records(ctx, term, plan, outputs, _OUTPUT_RELATIONS, _output_draws)
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
