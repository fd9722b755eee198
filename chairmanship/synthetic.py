"""A synthetic chair history for benchmarks and load tests, and its removal.

`synthetic_history_generate()` fills the database with terms, working groups,
work plans, events, outputs, endorsements, accomplishments, recommendations
and carry-forward chains that look like the real record, deterministically
for a given seed. `synthetic_history_remove()` deletes all of it and nothing
else.

How synthetic records are marked (the models have no flag, so natural keys
carry the mark):

- agencies: acronym starts with ``SYN-`` (``SYN-A``…), so the slugs of their
  terms read ``2101-syn-a``;
- chairmanships: every term chaired by a ``SYN-`` agency, and nothing else;
- working groups: slug starts with ``syn-``;
- multi-annual work plans: title starts with ``[synthetic]``;
- everything else (focus areas, objectives, activities, events, outputs,
  endorsements, accomplishments, recommendations, carry-forward issues)
  belongs to a synthetic term.

Where synthetic terms go: the first starts on 1 January of the year after
the latest existing term ends, and never before 2101. With the real history
(2006–2015) that is 2101, a range no real term will reach, so real terms
added later cannot collide with synthetic ones. Terms follow one another
without overlap: six-month terms (January–June, July–December) and
calendar-year terms, with an occasional six-month gap, as in the real
rotation.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils.text import slugify

from chairmanship.models import (
    Accomplishment,
    Agency,
    CarryForwardIssue,
    Chairmanship,
    Endorsement,
    Recommendation,
)
from workplan.models import (
    Activity,
    Event,
    FocusArea,
    MultiAnnualWorkPlan,
    Objective,
    Output,
    OverarchingObjective,
    WorkingGroup,
)

AGENCY_PREFIX = "SYN-"
WORKING_GROUP_SLUG_PREFIX = "syn-"
MAWP_TITLE_PREFIX = "[synthetic]"
FIRST_YEAR = 2101

MAX_TERMS = 1000
MAX_EVENTS_PER_TERM = 100_000

Progress = Callable[[str], None]


class SyntheticHistoryError(Exception):
    """The request cannot be carried out; the message says why and what to do."""


# ---------------------------------------------------------------------------
# Which records are synthetic


def synthetic_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(acronym__startswith=AGENCY_PREFIX)


def synthetic_terms() -> QuerySet[Chairmanship]:
    return Chairmanship.objects.filter(agency__acronym__startswith=AGENCY_PREFIX)


def synthetic_working_groups() -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.filter(slug__startswith=WORKING_GROUP_SLUG_PREFIX)


def synthetic_mawps() -> QuerySet[MultiAnnualWorkPlan]:
    return MultiAnnualWorkPlan.objects.filter(title__startswith=MAWP_TITLE_PREFIX)


def synthetic_history_exists() -> bool:
    return any(
        qs.exists() for qs in (synthetic_agencies(), synthetic_terms(), synthetic_working_groups(), synthetic_mawps())
    )


def synthetic_history_counts() -> dict[str, int]:
    """How many synthetic records of each kind the database holds."""
    terms = synthetic_terms()
    return {
        "agencies": synthetic_agencies().count(),
        "working groups": synthetic_working_groups().count(),
        "multi-annual work plans": synthetic_mawps().count(),
        "overarching objectives": OverarchingObjective.objects.filter(mawp__in=synthetic_mawps()).count(),
        "terms": terms.count(),
        "focus areas": FocusArea.objects.filter(chairmanship__in=terms).count(),
        "objectives": Objective.objects.filter(chairmanship__in=terms).count(),
        "activities": Activity.objects.filter(objective__chairmanship__in=terms).count(),
        "events": Event.objects.filter(chairmanship__in=terms).count(),
        "outputs": Output.objects.filter(chairmanship__in=terms).count(),
        "endorsements": Endorsement.objects.filter(output__chairmanship__in=terms).count(),
        "accomplishments": Accomplishment.objects.filter(chairmanship__in=terms).count(),
        "recommendations": Recommendation.objects.filter(chairmanship__in=terms).count(),
        "carry-forward issues": CarryForwardIssue.objects.filter(handed_over_in__in=terms).count(),
    }


# ---------------------------------------------------------------------------
# Vocabulary

AGENCIES = [
    # (letter, name, kind, membership status)
    ("A", "Synthetic Agency for Labour Mobility", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    ("B", "Synthetic Office for Refugees", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    (
        "C",
        "Synthetic Organization for Migration",
        Agency.Kind.INTERNATIONAL_ORGANIZATION,
        Agency.MembershipStatus.MEMBER,
    ),
    ("D", "Synthetic Fund for Children", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    (
        "E",
        "Synthetic Economic Commission for the North",
        Agency.Kind.REGIONAL_COMMISSION,
        Agency.MembershipStatus.MEMBER,
    ),
    (
        "F",
        "Synthetic Economic Commission for the South",
        Agency.Kind.REGIONAL_COMMISSION,
        Agency.MembershipStatus.MEMBER,
    ),
    ("G", "Synthetic Development Programme", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    ("H", "Synthetic Office on Drugs and Crime", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    ("I", "Synthetic Human Rights Office", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    ("J", "Synthetic Population Fund", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    ("K", "Synthetic Bank for Development", Agency.Kind.INTERNATIONAL_ORGANIZATION, Agency.MembershipStatus.MEMBER),
    ("L", "Synthetic Institute for Training", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.MEMBER),
    ("M", "Synthetic Maritime Organization", Agency.Kind.UN_ENTITY, Agency.MembershipStatus.NON_MEMBER),
    ("N", "Synthetic Permanent Mission", Agency.Kind.GOVERNMENT, Agency.MembershipStatus.NON_MEMBER),
]
# The last two are partners, never chairs.
CHAIR_LETTERS = [letter for letter, *_ in AGENCIES[:12]]

WORKING_GROUPS = [
    ("data-and-research", "Synthetic Working Group on Data and Research", WorkingGroup.Kind.WORKING_GROUP),
    ("human-rights-and-gender", "Synthetic Working Group on Human Rights and Gender", WorkingGroup.Kind.WORKING_GROUP),
    (
        "migration-and-development",
        "Synthetic Working Group on Migration and Development",
        WorkingGroup.Kind.WORKING_GROUP,
    ),
    ("decent-work", "Synthetic Working Group on Decent Work and Labour Mobility", WorkingGroup.Kind.WORKING_GROUP),
    ("capacity-building", "Synthetic Working Group on Capacity Building", WorkingGroup.Kind.WORKING_GROUP),
    ("crisis-response", "Synthetic Task Force on Migrants in Crisis", WorkingGroup.Kind.TASK_FORCE),
    ("climate-mobility", "Synthetic Task Force on Climate and Human Mobility", WorkingGroup.Kind.TASK_FORCE),
]

TOPICS = [
    "labour migration",
    "migration and development",
    "remittances",
    "children on the move",
    "climate-induced displacement",
    "migration data",
    "the human rights of migrants",
    "trafficking in persons",
    "smuggling of migrants",
    "diaspora engagement",
    "the recognition of skills",
    "migrant health",
    "return and reintegration",
    "women migrant workers",
    "migration governance",
    "fair recruitment",
    "refugee protection",
    "integration in cities",
    "portable social protection",
    "migrants in crisis situations",
]

PLACES = [
    ("Geneva", "CH"),
    ("New York", "US"),
    ("Stockholm", "SE"),
    ("Bangkok", "TH"),
    ("Addis Ababa", "ET"),
    ("Santiago", "CL"),
    ("Beirut", "LB"),
    ("Vienna", "AT"),
    ("Rome", "IT"),
    ("Paris", "FR"),
    ("Nairobi", "KE"),
    ("Dhaka", "BD"),
    ("Manila", "PH"),
    ("Istanbul", "TR"),
    ("Brussels", "BE"),
    ("Marrakech", "MA"),
    ("Quito", "EC"),
    ("Dakar", "SN"),
]

VENUES = ["Palais des Nations", "UN Headquarters", "Conference Centre", "UN House", "Town Hall", ""]

EVENT_TITLES = {
    Event.Kind.SIDE_EVENT: "Side event on {topic}",
    Event.Kind.MEETING: "Technical meeting on {topic}",
    Event.Kind.BRIEFING: "Briefing to Member States on {topic}",
    Event.Kind.LAUNCH: "Launch of the report on {topic}",
    Event.Kind.DEBATE: "Panel debate on {topic}",
    Event.Kind.TELECONFERENCE: "Teleconference on {topic}",
    Event.Kind.CONFERENCE: "International conference on {topic}",
    Event.Kind.OTHER: "Consultation on {topic}",
}
EVENT_KIND_WEIGHTS = {
    Event.Kind.SIDE_EVENT: 5,
    Event.Kind.MEETING: 6,
    Event.Kind.BRIEFING: 3,
    Event.Kind.LAUNCH: 2,
    Event.Kind.DEBATE: 2,
    Event.Kind.TELECONFERENCE: 3,
    Event.Kind.CONFERENCE: 2,
    Event.Kind.OTHER: 1,
}

OUTPUT_TITLES = {
    Output.Kind.COMMUNIQUE: "Joint communiqué on {topic}",
    Output.Kind.REPORT: "Report on {topic}",
    Output.Kind.POSITION_PAPER: "Position paper on {topic}",
    Output.Kind.PUBLICATION: "Handbook on {topic}",
    Output.Kind.STATEMENT: "Joint statement on {topic}",
    Output.Kind.OTHER: "Briefing note on {topic}",
}

ISSUE_TEXTS = [
    "Review the GMG's working methods on {topic}",
    "Survey member agencies on {topic}",
    "Finalize the joint paper on {topic} and disseminate it",
    "Promote closer coordination with the Global Forum on {topic}",
    "Take stock of existing efforts on {topic}",
    "Institutionalize briefings to Member States on {topic}",
    "Develop draft guidance for country teams on {topic}",
    "Support the development of indicators on {topic}",
]
ADDRESSEES = ["Incoming chair", "GMG Principals", "GMG Focal Points", "Working groups", ""]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _roman(n: int) -> str:
    numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def _month_name(date: datetime.date) -> str:
    return f"{date:%B %Y}"


# ---------------------------------------------------------------------------
# Generation


@dataclass
class _Term:
    start: datetime.date
    end: datetime.date
    letter: str
    record: Chairmanship | None = None


@dataclass
class _Context:
    rng: random.Random
    agencies: dict[str, Agency]
    working_groups: list[WorkingGroup]
    mawp_objectives: dict[int, list[OverarchingObjective]]  # by calendar year
    counts: Counter = field(default_factory=Counter)


def _first_start() -> datetime.date:
    latest = Chairmanship.objects.aggregate(latest=Max("end_date"))["latest"]
    year = FIRST_YEAR if latest is None else max(FIRST_YEAR, latest.year + 1)
    return datetime.date(year, 1, 1)


def _plan_terms(rng: random.Random, *, count: int, first: datetime.date) -> list[_Term]:
    """Consecutive, non-overlapping six-month and yearly terms; never the same chair twice in a row."""
    terms: list[_Term] = []
    cursor = first
    previous_letter = ""
    while len(terms) < count:
        if rng.random() < 0.06 and terms:  # the rotation sometimes leaves half a year without a known chair
            cursor = datetime.date(cursor.year, 7, 1) if cursor.month == 1 else datetime.date(cursor.year + 1, 1, 1)
            continue
        if cursor.month == 1 and rng.random() < 0.5:
            end = datetime.date(cursor.year, 12, 31)
        elif cursor.month == 1:
            end = datetime.date(cursor.year, 6, 30)
        else:
            end = datetime.date(cursor.year, 12, 31)
        letter = rng.choice([candidate for candidate in CHAIR_LETTERS if candidate != previous_letter])
        terms.append(_Term(start=cursor, end=end, letter=letter))
        previous_letter = letter
        cursor = end + datetime.timedelta(days=1)
    return terms


def _random_day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _create_agencies() -> dict[str, Agency]:
    agencies = Agency.objects.bulk_create(
        [
            Agency(
                acronym=f"{AGENCY_PREFIX}{letter}",
                name=name,
                kind=kind,
                membership_status=status,
                website=f"https://syn-{letter.lower()}.example.org/",
            )
            for letter, name, kind, status in AGENCIES
        ]
    )
    return {agency.acronym.removeprefix(AGENCY_PREFIX): agency for agency in agencies}


def _create_working_groups(rng: random.Random, agencies: dict[str, Agency]) -> list[WorkingGroup]:
    groups = WorkingGroup.objects.bulk_create(
        [
            WorkingGroup(
                slug=f"{WORKING_GROUP_SLUG_PREFIX}{slug}",
                name=name,
                kind=kind,
                mandate=f"Coordinate the members' work on {slug.replace('-', ' ')} (synthetic record).",
                active=index < len(WORKING_GROUPS) - 1,
            )
            for index, (slug, name, kind) in enumerate(WORKING_GROUPS)
        ]
    )
    letters = sorted(agencies)
    chairs, members = [], []
    for group in groups:
        member_letters = sorted(rng.sample(letters, rng.randint(4, 9)))
        for letter in rng.sample(member_letters, 2):
            chairs.append(WorkingGroup.chair_agencies.through(workinggroup_id=group.pk, agency_id=agencies[letter].pk))
        for letter in member_letters:
            members.append(
                WorkingGroup.member_agencies.through(workinggroup_id=group.pk, agency_id=agencies[letter].pk)
            )
    WorkingGroup.chair_agencies.through.objects.bulk_create(chairs)
    WorkingGroup.member_agencies.through.objects.bulk_create(members)
    return groups


def _create_mawps(rng: random.Random, terms: list[_Term]) -> dict[int, list[OverarchingObjective]]:
    """One three-year plan for every three calendar years the terms cover."""
    first_year, last_year = terms[0].start.year, terms[-1].end.year
    spans = [(year, min(year + 2, last_year)) for year in range(first_year, last_year + 1, 3)]
    mawps = MultiAnnualWorkPlan.objects.bulk_create(
        [
            MultiAnnualWorkPlan(
                title=f"{MAWP_TITLE_PREFIX} GMG Multi-Annual Work Plan {start}–{end}", start_year=start, end_year=end
            )
            for start, end in spans
        ]
    )
    objectives = []
    for mawp in mawps:
        for index in range(rng.randint(2, 3)):
            topic = rng.choice(TOPICS)
            objectives.append(
                OverarchingObjective(
                    mawp=mawp,
                    ordinal=_roman(index + 1),
                    text=f"Strengthen the GMG's collective contribution to {topic}",
                )
            )
    OverarchingObjective.objects.bulk_create(objectives)
    by_year: dict[int, list[OverarchingObjective]] = {}
    for mawp in mawps:
        for year in range(mawp.start_year, mawp.end_year + 1):
            by_year[year] = [objective for objective in objectives if objective.mawp_id == mawp.pk]
    return by_year


def _create_terms(terms: list[_Term], agencies: dict[str, Agency]) -> None:
    taken: set[str] = set(Chairmanship.objects.values_list("slug", flat=True))
    records = []
    for index, term in enumerate(terms):
        agency = agencies[term.letter]
        base = f"{term.start.year}-{slugify(agency.acronym)}"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        is_last = index == len(terms) - 1
        records.append(
            Chairmanship(
                slug=slug,
                agency=agency,
                chair_label=f"{agency.name} (synthetic)",
                start_date=term.start,
                end_date=term.end,
                report_status=Chairmanship.ReportStatus.DRAFT if is_last else Chairmanship.ReportStatus.FINAL,
                handover_date=None if is_last else term.end - datetime.timedelta(days=10),
            )
        )
    Chairmanship.objects.bulk_create(records)
    for term, record in zip(terms, records, strict=True):
        term.record = record


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


def _generate_term(ctx: _Context, term: Chairmanship, *, events_per_term: int, is_last: bool) -> None:
    """Everything a term reports except its carry-forward issues."""
    rng = ctx.rng
    agencies = list(ctx.agencies.values())
    chair_agencies = agencies[:12]
    groups = ctx.working_groups
    topics = rng.sample(TOPICS, 6)
    year_label = term.start_date.year

    for name, value in _narratives(term, topics).items():
        setattr(term, name, value)
    term.save(
        update_fields=["theme", "introduction", "accomplishments_intro", "workplan_narrative", "handover_narrative"]
    )

    # Focus areas, objectives and their activities.
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
                    timeline=f"Q{rng.randint(1, 4)} {year_label}",
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
                Activity.lead_working_groups.through(activity_id=activity.pk, workinggroup_id=rng.choice(groups).pk)
            )
    Activity.lead_agencies.through.objects.bulk_create(lead_agencies)
    Activity.lead_working_groups.through.objects.bulk_create(lead_groups)

    # Events.
    kinds, weights = list(EVENT_KIND_WEIGHTS), list(EVENT_KIND_WEIGHTS.values())
    un_session = term.start_date.year - 1945
    forums = [
        f"GFMD Summit {year_label}",
        "ECOSOC High-level segment",
        f"{_ordinal(un_session)} session of the UN General Assembly",
        f"HLCP {_ordinal(un_session - 40)} session",
        "Commission on Population and Development",
    ]
    events = []
    for _ in range(events_per_term):
        kind = rng.choices(kinds, weights)[0]
        start = _random_day(rng, term.start_date, term.end_date)
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
    Event.objects.bulk_create(events, batch_size=1000)
    organisers, event_groups, event_objectives, activity_events = [], [], [], []
    activities_by_objective: dict[int, list[Activity]] = {}
    for activity in activities:
        activities_by_objective.setdefault(activity.objective_id, []).append(activity)
    for event in events:
        chosen = [term.agency, *rng.sample(agencies, rng.randint(0, 2))]
        for agency_id in dict.fromkeys(agency.pk for agency in chosen):
            organisers.append(Event.organisers.through(event_id=event.pk, agency_id=agency_id))
        for group in rng.sample(groups, rng.choice([0, 0, 1, 1, 2])):
            event_groups.append(Event.working_groups.through(event_id=event.pk, workinggroup_id=group.pk))
        for objective in rng.sample(objectives, rng.choice([0, 1, 1, 2])):
            event_objectives.append(Event.objectives.through(event_id=event.pk, objective_id=objective.pk))
            if rng.random() < 0.3:
                activity = rng.choice(activities_by_objective[objective.pk])
                activity_events.append(Activity.events.through(activity_id=activity.pk, event_id=event.pk))
    Event.organisers.through.objects.bulk_create(organisers, batch_size=2000)
    Event.working_groups.through.objects.bulk_create(event_groups, batch_size=2000)
    Event.objectives.through.objects.bulk_create(event_objectives, batch_size=2000)
    Activity.events.through.objects.bulk_create(activity_events, batch_size=2000)

    # Outputs and their endorsement trail.
    outputs = []
    for number in range(2 + events_per_term // 10):
        kind = rng.choice(list(Output.Kind))
        date = _random_day(rng, term.start_date, term.end_date)
        vague = rng.random() < 0.1
        outputs.append(
            Output(
                chairmanship=term,
                title=OUTPUT_TITLES[kind].format(topic=rng.choice(TOPICS)),
                kind=kind,
                date=None if vague else date,
                date_note=_month_name(date) if vague else "",
                symbol=f"A/{un_session}/{100 + number}" if kind == Output.Kind.REPORT and rng.random() < 0.5 else "",
                submitted_to=rng.choice(["", "", "HLCP", "GMG Principals", "UN General Assembly"]),
                summary=f"A synthetic output of the {term.agency.acronym} chairmanship.",
            )
        )
    Output.objects.bulk_create(outputs, batch_size=1000)
    producers, producer_groups, output_objectives, activity_outputs = [], [], [], []
    for output in outputs:
        chosen = [term.agency, *rng.sample(agencies, rng.randint(0, 2))]
        for agency_id in dict.fromkeys(agency.pk for agency in chosen):
            producers.append(Output.producer_agencies.through(output_id=output.pk, agency_id=agency_id))
        if rng.random() < 0.5:
            producer_groups.append(
                Output.producer_working_groups.through(output_id=output.pk, workinggroup_id=rng.choice(groups).pk)
            )
        for objective in rng.sample(objectives, rng.randint(1, 2)):
            output_objectives.append(Output.objectives.through(output_id=output.pk, objective_id=objective.pk))
            if rng.random() < 0.3:
                activity = rng.choice(activities_by_objective[objective.pk])
                activity_outputs.append(Activity.outputs.through(activity_id=activity.pk, output_id=output.pk))
    Output.producer_agencies.through.objects.bulk_create(producers, batch_size=2000)
    Output.producer_working_groups.through.objects.bulk_create(producer_groups, batch_size=2000)
    Output.objectives.through.objects.bulk_create(output_objectives, batch_size=2000)
    Activity.outputs.through.objects.bulk_create(activity_outputs, batch_size=2000)

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
                session=f"{_ordinal(un_session - 40)} session",
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
                    session=f"{_ordinal(2 * un_session - 250)} session",
                    city="New York",
                    country="US",
                    start_date=endorsed,
                    end_date=endorsed,
                    outcome=Endorsement.Outcome.ENDORSED,
                )
            )
    Endorsement.objects.bulk_create(endorsements)

    # Key accomplishments, linking the events and outputs behind them.
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
        for group in rng.sample(groups, rng.randint(0, 2)):
            acc_groups.append(
                Accomplishment.working_groups.through(accomplishment_id=accomplishment.pk, workinggroup_id=group.pk)
            )
    Accomplishment.events.through.objects.bulk_create(acc_events)
    Accomplishment.outputs.through.objects.bulk_create(acc_outputs)
    Accomplishment.working_groups.through.objects.bulk_create(acc_groups)

    statuses = [Recommendation.Status.PROPOSED] if is_last else list(Recommendation.Status)
    recommendations = Recommendation.objects.bulk_create(
        [
            Recommendation(
                chairmanship=term,
                source_output=rng.choice(endorsed_outputs or outputs),
                number=i + 1,
                text=f"The GMG should mainstream {rng.choice(TOPICS)} in its joint work",
                status=rng.choice(statuses),
            )
            for i in range(rng.randint(1, 3))
        ]
    )

    ctx.counts.update(
        {
            "terms": 1,
            "focus areas": len(focus_areas),
            "objectives": len(objectives),
            "activities": len(activities),
            "events": len(events),
            "outputs": len(outputs),
            "endorsements": len(endorsements),
            "accomplishments": len(accomplishments),
            "recommendations": len(recommendations),
        }
    )


def _hand_over(
    ctx: _Context, term: Chairmanship, *, previous: list[CarryForwardIssue]
) -> tuple[list[CarryForwardIssue], int]:
    """The term's list of issues carried forward: the earlier list's unresolved issues, then new ones.

    An issue listed by the previous term is either resolved or dropped during
    this term (the earlier listing records it, with `resolved_in`), or listed
    again here with `continues` pointing at the earlier listing and its origin
    kept. Returns the new listing and how many issues it continues.
    """
    rng = ctx.rng
    closed, listing = [], []
    for issue in previous:
        age = len(_lineage_terms(issue))
        fate = rng.random()
        if fate < 0.2 + 0.1 * age:
            issue.status = CarryForwardIssue.Status.RESOLVED
            issue.resolved_in = term
            issue.resolution = f"Addressed during the {term.agency.acronym} chairmanship."
            closed.append(issue)
        elif fate > 0.96:
            issue.status = CarryForwardIssue.Status.DROPPED
            issue.resolution = "Dropped by the GMG Principals."
            closed.append(issue)
        else:
            listing.append(
                CarryForwardIssue(
                    handed_over_in=term,
                    origin_id=issue.origin_id,
                    text=issue.text,
                    addressed_to=issue.addressed_to,
                    status=rng.choice([CarryForwardIssue.Status.OPEN, CarryForwardIssue.Status.IN_PROGRESS]),
                    continues=issue,
                )
            )
    continued = len(listing)
    for _ in range(rng.randint(2, 4)):
        due = rng.random() < 0.4
        listing.append(
            CarryForwardIssue(
                handed_over_in=term,
                origin=term,
                text=rng.choice(ISSUE_TEXTS).format(topic=rng.choice(TOPICS)),
                addressed_to=rng.choice(ADDRESSEES),
                due_date=term.end_date + datetime.timedelta(days=90) if due else None,
                due_note=f"within the first quarter of {term.end_date.year + 1}" if due else "",
                status=CarryForwardIssue.Status.OPEN,
            )
        )
    for number, issue in enumerate(listing, start=1):
        issue.number = number
    CarryForwardIssue.objects.bulk_update(closed, ["status", "resolved_in", "resolution"])
    CarryForwardIssue.objects.bulk_create(listing)
    ctx.counts["carry-forward issues"] += len(listing)
    return listing, continued


def _lineage_terms(issue: CarryForwardIssue) -> list[int]:
    """Terms that listed this issue, newest first (from the objects in memory, no query)."""
    terms = []
    while issue is not None:
        terms.append(issue.handed_over_in_id)
        issue = issue.continues
    return terms


def _validate(*, terms: int, events_per_term: int) -> None:
    if terms < 1:
        raise SyntheticHistoryError(f"--terms must be at least 1 (got {terms}).")
    if terms > MAX_TERMS:
        raise SyntheticHistoryError(f"--terms must be at most {MAX_TERMS} (got {terms}).")
    if events_per_term < 0:
        raise SyntheticHistoryError(f"--events-per-term must be 0 or more (got {events_per_term}).")
    if events_per_term > MAX_EVENTS_PER_TERM:
        raise SyntheticHistoryError(f"--events-per-term must be at most {MAX_EVENTS_PER_TERM} (got {events_per_term}).")


def synthetic_history_generate(
    *, terms: int, events_per_term: int, seed: int, replace: bool = False, progress: Progress | None = None
) -> dict[str, int]:
    """Generate a synthetic history; the same seed on the same database gives the same records.

    Refuses (SyntheticHistoryError) when synthetic records exist, unless
    `replace`, which removes them first. Everything happens in one
    transaction: a failure leaves the database as it was. Returns the number
    of records created, by kind.
    """
    _validate(terms=terms, events_per_term=events_per_term)
    say = progress or (lambda message: None)
    with transaction.atomic():
        if synthetic_history_exists():
            if not replace:
                raise SyntheticHistoryError(
                    "Synthetic history already exists. Remove it first with "
                    "`python manage.py remove_generated_history`, or pass --replace."
                )
            removed = synthetic_history_remove()
            say(f"Removed the earlier synthetic history ({removed['terms']} terms, {removed['events']} events).")

        rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
        plan = _plan_terms(rng, count=terms, first=_first_start())
        agencies = _create_agencies()
        ctx = _Context(
            rng=rng,
            agencies=agencies,
            working_groups=_create_working_groups(rng, agencies),
            mawp_objectives=_create_mawps(rng, plan),
        )
        _create_terms(plan, agencies)
        ctx.counts.update(
            {
                "agencies": len(agencies),
                "working groups": len(ctx.working_groups),
                "multi-annual work plans": len({oo.mawp_id for oos in ctx.mawp_objectives.values() for oo in oos}),
                "overarching objectives": len({oo.pk for oos in ctx.mawp_objectives.values() for oo in oos}),
            }
        )
        say(
            f"Generating {terms} terms from {plan[0].start:%d %B %Y} to {plan[-1].end:%d %B %Y}, "
            f"{events_per_term} events each (seed {seed})."
        )
        previous: list[CarryForwardIssue] = []
        for index, item in enumerate(plan):
            term = item.record
            is_last = index == len(plan) - 1
            before = Counter(ctx.counts)
            _generate_term(ctx, term, events_per_term=events_per_term, is_last=is_last)
            previous, continued = _hand_over(ctx, term, previous=previous)
            made = ctx.counts - before
            say(
                f"[{index + 1}/{len(plan)}] {term.slug} ({term.term_label}): {made['events']} events, "
                f"{made['outputs']} outputs, {made['accomplishments']} accomplishments, "
                f"{made['recommendations']} recommendations, {made['carry-forward issues']} carry-forward issues "
                f"({continued} carried on)"
            )
        # bulk_create sends no signals: the reports' remembered versions are forgotten here (reports.freshness).
        from reports.freshness import data_generation_bump

        data_generation_bump()
    return dict(ctx.counts)


# ---------------------------------------------------------------------------
# Removal


def synthetic_history_remove(*, progress: Progress | None = None) -> dict[str, int]:
    """Delete every synthetic record and nothing else; returns what was deleted, by kind.

    Refuses (SyntheticHistoryError) when a real record depends on a synthetic
    one in a way that deleting would break (a real carry-forward issue whose
    origin is a synthetic term).
    """
    say = progress or (lambda message: None)
    with transaction.atomic():
        counts = synthetic_history_counts()
        terms = synthetic_terms()
        term_ids = list(terms.values_list("pk", flat=True))
        entangled = CarryForwardIssue.objects.filter(
            Q(origin_id__in=term_ids) & ~Q(handed_over_in_id__in=term_ids)
        ).select_related("handed_over_in")
        clash = entangled.first()
        if clash is not None:
            raise SyntheticHistoryError(
                f"The real carry-forward issue {clash.pk} (listed in {clash.handed_over_in.slug}) has a synthetic "
                f"term as its origin; change its origin before removing the synthetic history."
            )
        # Bottom-up, so each delete is a plain cascade over rows of one term set.
        # Carry-forward issues go first: their origin is PROTECTed and would
        # otherwise block deleting the terms.
        CarryForwardIssue.objects.filter(handed_over_in_id__in=term_ids).delete()
        say(f"Removed {counts['carry-forward issues']} carry-forward issues.")
        Event.objects.filter(chairmanship_id__in=term_ids).delete()
        say(f"Removed {counts['events']} events.")
        Output.objects.filter(chairmanship_id__in=term_ids).delete()
        say(f"Removed {counts['outputs']} outputs and {counts['endorsements']} endorsements.")
        Chairmanship.objects.filter(pk__in=term_ids).delete()
        say(f"Removed {counts['terms']} terms and what they report.")
        synthetic_working_groups().delete()
        synthetic_mawps().delete()
        synthetic_agencies().delete()
        say(
            f"Removed {counts['working groups']} working groups, {counts['multi-annual work plans']} work plans "
            f"and {counts['agencies']} agencies."
        )
    return counts
