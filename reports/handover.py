"""The handover pack for the incoming chair: what a term leaves open.

`assemble_handover()` reads everything in a fixed number of queries and
returns plain dataclasses (templates run no query). The page and the PDF
are served by reports.views; reports.pdf `render_handover_pdf()` prints it
with the annual report's stylesheet, static-only URL fetcher and tagged
PDF/A-3a settings.

What the pack holds:
- the term's open carry-forward issues (open or in progress), each with its
  lineage (the chain of terms that listed it) and its age (from the start
  of the term that first raised it to the pack's date);

The pack's date ("as of") is the term's last day, or today while the term is
still running: the pack is a document of its term, and read years later it
must still say what the incoming chair was handed, not how old the issues
are now (the carry-forward tracker shows that, as of today).
- recommendations not yet implemented (not `implemented` nor `closed`) of
  this term and every earlier one, newest term first;
- upcoming events: those starting on or after the pack's reference date,
  which is the term's last day, or today while the term is still running
  (so a pack printed mid-term shows the rest of the term too); soonest
  first, at most UPCOMING_LIMIT with the total;
- the active working groups and task forces with their chairs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Recommendation
from chairmanship.rotation import Rotation
from chairmanship.selectors import carry_forward_issues_for_list
from chairmanship.selectors import carry_forward_tracker
from chairmanship.selectors import format_age
from gmg_portal.dates import dates_label
from gmg_portal.dates import day_label
from reports.labels import place_label
from reports.labels import years_label
from reports.report_records import agency_acronyms
from workplan.models import Event
from workplan.models import WorkingGroup

UPCOMING_LIMIT = 100


@dataclass(frozen=True)
class TermRef:
    slug: str
    acronym: str
    label: str  # "ILO (2014)"


@dataclass(frozen=True)
class HandoverIssue:
    number: int
    text: str
    addressed_to: str
    due: str
    status: str
    status_label: str
    origin: TermRef
    lineage: list[TermRef]
    age_days: int
    age: str


@dataclass(frozen=True)
class HandoverRecommendation:
    term: TermRef
    number: int
    text: str
    status: str
    status_label: str
    source_output: str
    source_output_id: int | None  # the output's page is linked in the HTML pack, as its events are


@dataclass(frozen=True)
class HandoverEvent:
    id: int
    title: str
    kind_label: str
    start_date: datetime.date
    dates: str
    place: str
    forum: str
    organisers: list[str]


@dataclass(frozen=True)
class HandoverGroup:
    slug: str
    name: str
    kind_label: str
    chairs: list[str]
    mandate: str


@dataclass(frozen=True)
class HandoverPack:
    slug: str
    language: str
    title: str
    chair: str
    chair_acronym: str
    term: str
    is_draft: bool
    status_label: str
    incoming_chair: str
    incoming_term_slug: str
    handover_date_label: str
    as_of: datetime.date
    as_of_label: str
    upcoming_from: datetime.date
    upcoming_from_label: str
    issues: list[HandoverIssue]
    recommendations: list[HandoverRecommendation]
    events: list[HandoverEvent]
    events_total: int
    working_groups: list[HandoverGroup]


def _ref(term: Chairmanship) -> TermRef:
    years = years_label(term.start_date, term.end_date)
    return TermRef(slug=term.slug, acronym=term.agency.acronym, label=f"{term.agency.acronym} ({years})")


def assemble_handover(*, chairmanship: Chairmanship, today: datetime.date | None = None) -> HandoverPack:
    """The handover pack of `chairmanship` as of its last day (or `today`, if earlier), in a fixed number of queries.

    Queries: 1 every term (the incoming chair), 3 the open issues with their
    lineage (issues, the links between issues, every term), 1 recommendations
    with their term and source output, 2 upcoming events and their organisers,
    1 their total, 2 working groups and their chairs.
    """
    term = chairmanship
    as_of = min(today or datetime.date.today(), term.end_date)
    upcoming_from = as_of
    incoming = Rotation.read().next(term)
    events, events_total = _upcoming_events(since=upcoming_from)
    term_text = dates_label(term.start_date, term.end_date)
    chair = term.display_name
    return HandoverPack(
        slug=term.slug,
        language=translation.get_language() or "en",
        title=_("GMG Handover Pack — %(chair)s (%(term)s)") % {"chair": chair, "term": term_text},
        chair=chair,
        chair_acronym=term.agency.acronym,
        term=term_text,
        is_draft=not term.is_final,
        status_label=term.get_report_status_display(),
        incoming_chair=incoming.display_name if incoming else "",
        incoming_term_slug=incoming.slug if incoming else "",
        handover_date_label=day_label(term.handover_date),
        as_of=as_of,
        as_of_label=day_label(as_of),
        upcoming_from=upcoming_from,
        upcoming_from_label=day_label(upcoming_from),
        issues=_open_issues(term, today=as_of),
        recommendations=_pending_recommendations(term),
        events=events,
        events_total=events_total,
        working_groups=_active_groups(),
    )


def _open_issues(term: Chairmanship, *, today: datetime.date) -> list[HandoverIssue]:
    """The issues handed over in `term` still open or in progress, with their lineage and age; 3 queries."""
    open_issues = (
        carry_forward_issues_for_list()
        .filter(handed_over_in=term, status__in=[CarryForwardIssue.Status.OPEN, CarryForwardIssue.Status.IN_PROGRESS])
        .order_by("origin__start_date", "number", "pk")
    )
    return [
        HandoverIssue(
            number=tracked.issue.number,
            text=tracked.issue.text,
            addressed_to=tracked.issue.addressed_to,
            due=tracked.issue.due_note or day_label(tracked.issue.due_date),
            status=tracked.issue.status,
            status_label=tracked.issue.get_status_display(),
            origin=_ref(tracked.issue.origin),
            lineage=[_ref(t) for t in tracked.lineage],
            age_days=tracked.age_days,
            age=format_age(days=tracked.age_days, since=tracked.issue.origin.start_date),
        )
        for tracked in carry_forward_tracker(issues=open_issues, today=today)
    ]


def _pending_recommendations(term: Chairmanship) -> list[HandoverRecommendation]:
    """Recommendations of `term` and every earlier one, neither implemented nor closed, newest term first; 1 query."""
    return [
        HandoverRecommendation(
            term=_ref(r.chairmanship),
            number=r.number,
            text=r.text,
            status=r.status,
            status_label=r.get_status_display(),
            source_output=r.source_output.title if r.source_output else "",
            source_output_id=r.source_output_id,
        )
        for r in Recommendation.objects.filter(chairmanship__start_date__lte=term.start_date)
        .exclude(status__in=[Recommendation.Status.IMPLEMENTED, Recommendation.Status.CLOSED])
        .select_related("chairmanship__agency", "source_output")
        .order_by("-chairmanship__start_date", "number", "pk")
    ]


def _upcoming_events(*, since: datetime.date) -> tuple[list[HandoverEvent], int]:
    """The first UPCOMING_LIMIT events starting on or after `since`, soonest first, and how many there are.

    Queries: 2 events and their organisers, 1 their total when the limit is reached.
    """
    upcoming = Event.objects.filter(start_date__gte=since)
    rows = list(
        upcoming.prefetch_related(Prefetch("organisers", queryset=agency_acronyms())).order_by(
            "start_date", "end_date", "title", "pk"
        )[:UPCOMING_LIMIT]
    )
    total = len(rows) if len(rows) < UPCOMING_LIMIT else upcoming.count()
    events = [
        HandoverEvent(
            id=e.pk,
            title=e.title,
            kind_label=e.get_kind_display(),
            start_date=e.start_date,
            dates=dates_label(e.start_date, e.end_date),
            place=place_label(e.city, e.country),
            forum=e.forum,
            organisers=[a.acronym for a in e.organisers.all()],
        )
        for e in rows
    ]
    return events, total


def _active_groups() -> list[HandoverGroup]:
    """The active working groups and task forces with their chairs; 2 queries."""
    return [
        HandoverGroup(
            slug=g.slug,
            name=g.name,
            kind_label=g.get_kind_display(),
            chairs=[a.acronym for a in g.chair_agencies.all()],
            mandate=g.mandate,
        )
        for g in WorkingGroup.objects.filter(active=True)
        .prefetch_related(Prefetch("chair_agencies", queryset=agency_acronyms()))
        .order_by("name", "pk")
    ]
