"""A synthetic chair history for benchmarks and load tests: `synthetic_history_generate()`.

It fills the database with terms, working groups, work plans, events,
outputs, endorsements, accomplishments, recommendations and carry-forward
chains that look like the real record, deterministically for a given seed
(devdata/term.py makes each term's records; devdata/records.py says which
records are synthetic and removes them).

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
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from chairmanship.models import Agency
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from devdata.records import AGENCY_PREFIX
from devdata.records import MAWP_TITLE_PREFIX
from devdata.records import WORKING_GROUP_SLUG_PREFIX
from devdata.records import Progress
from devdata.records import SyntheticHistoryError
from devdata.records import synthetic_history_exists
from devdata.records import synthetic_history_remove
from devdata.term import TermContext
from devdata.term import generate_term
from devdata.vocabulary import ADDRESSEES
from devdata.vocabulary import AGENCIES
from devdata.vocabulary import CHAIR_LETTERS
from devdata.vocabulary import ISSUE_TEXTS
from devdata.vocabulary import TOPICS
from devdata.vocabulary import WORKING_GROUPS
from devdata.vocabulary import roman
from gmg_portal.cache import data_generation_bump
from workplan.models import MultiAnnualWorkPlan
from workplan.models import OverarchingObjective
from workplan.models import WorkingGroup

FIRST_YEAR = 2101

MAX_TERMS = 1000
MAX_EVENTS_PER_TERM = 100_000


@dataclass
class _Term:
    start: datetime.date
    end: datetime.date
    letter: str
    record: Chairmanship | None = None


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
                    ordinal=roman(index + 1),
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


def _hand_over(
    ctx: TermContext, term: Chairmanship, *, previous: list[CarryForwardIssue]
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


def _create_scaffolding(rng: random.Random, plan: list[_Term]) -> TermContext:
    """The agencies, working groups, work plans and terms every term's records refer to."""
    agencies = _create_agencies()
    ctx = TermContext(
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
    return ctx


def _generate_terms(ctx: TermContext, plan: list[_Term], *, events_per_term: int, say: Progress) -> None:
    """Each term's records and its carry-forward list, oldest first, with a progress line per term."""
    previous: list[CarryForwardIssue] = []
    for index, item in enumerate(plan):
        term = item.record
        is_last = index == len(plan) - 1
        before = Counter(ctx.counts)
        generate_term(ctx, term, events_per_term=events_per_term, is_last=is_last)
        previous, continued = _hand_over(ctx, term, previous=previous)
        made = ctx.counts - before
        say(
            f"[{index + 1}/{len(plan)}] {term.slug} ({term.term_label}): {made['events']} events, "
            f"{made['outputs']} outputs, {made['accomplishments']} accomplishments, "
            f"{made['recommendations']} recommendations, {made['carry-forward issues']} carry-forward issues "
            f"({continued} carried on)"
        )


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
        ctx = _create_scaffolding(rng, plan)
        say(
            f"Generating {terms} terms from {plan[0].start:%d %B %Y} to {plan[-1].end:%d %B %Y}, "
            f"{events_per_term} events each (seed {seed})."
        )
        _generate_terms(ctx, plan, events_per_term=events_per_term, say=say)
        # bulk_create sends no signals: what was remembered of the data is forgotten here (gmg_portal.cache).
        data_generation_bump()
    return dict(ctx.counts)
