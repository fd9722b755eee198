"""The handover pack for the incoming chair: what a term leaves open, as HTML and as an archival PDF.

`assemble_handover()` reads everything in a fixed number of queries and
returns plain dataclasses (templates run no query); `render_handover_pdf()`
returns (filename, content_type, bytes) with the annual report's stylesheet,
static-only URL fetcher and PDF/A-3u settings (reports.pdf).

What the pack holds:
- the term's open carry-forward issues (open or in progress), each with its
  lineage (the chain of terms that listed it) and its age (from the start
  of the term that first raised it to the pack's date);
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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from chairmanship.models import Agency, CarryForwardIssue, Chairmanship, Recommendation
from chairmanship.selectors import (
    carry_forward_issues_for_list,
    carry_forward_tracker,
    chairmanships_visible_reports,
    format_age,
)
from reports.pdf import PDF_CONTENT_TYPE, base_url_for, html_to_pdf
from reports.selectors import dates_label, day_label, place_label
from workplan.models import Event, WorkingGroup

UPCOMING_LIMIT = 100
PDF_TEMPLATE = "reports/handover_pdf.html"


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
    years = (
        str(term.start_date.year)
        if term.start_date.year == term.end_date.year
        else f"{term.start_date.year}–{term.end_date.year}"
    )
    return TermRef(slug=term.slug, acronym=term.agency.acronym, label=f"{term.agency.acronym} ({years})")


def assemble_handover(*, chairmanship: Chairmanship, today: datetime.date | None = None) -> HandoverPack:
    """The handover pack of `chairmanship` as of `today`, in a fixed number of queries.

    Queries: 1 every term (the incoming chair), 3 the open issues with their
    lineage (issues, the links between issues, every term), 1 recommendations
    with their term and source output, 2 upcoming events and their organisers,
    1 their total, 2 working groups and their chairs.
    """
    term = chairmanship
    today = today or datetime.date.today()
    upcoming_from = min(today, term.end_date)

    terms = list(Chairmanship.objects.select_related("agency").order_by("start_date"))
    following = [t for t in terms if t.start_date > term.end_date]
    incoming = following[0] if following else None

    open_issues = (
        carry_forward_issues_for_list()
        .filter(handed_over_in=term, status__in=[CarryForwardIssue.Status.OPEN, CarryForwardIssue.Status.IN_PROGRESS])
        .order_by("origin__start_date", "number", "pk")
    )
    issues = [
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

    recommendations = [
        HandoverRecommendation(
            term=_ref(r.chairmanship),
            number=r.number,
            text=r.text,
            status=r.status,
            status_label=r.get_status_display(),
            source_output=r.source_output.title if r.source_output else "",
        )
        for r in Recommendation.objects.filter(chairmanship__start_date__lte=term.start_date)
        .exclude(status__in=[Recommendation.Status.IMPLEMENTED, Recommendation.Status.CLOSED])
        .select_related("chairmanship__agency", "source_output")
        .order_by("-chairmanship__start_date", "number", "pk")
    ]

    upcoming = Event.objects.filter(start_date__gte=upcoming_from)
    event_rows = list(
        upcoming.prefetch_related(
            Prefetch("organisers", queryset=Agency.objects.only("pk", "acronym").order_by("acronym"))
        ).order_by("start_date", "end_date", "title", "pk")[:UPCOMING_LIMIT]
    )
    events_total = len(event_rows) if len(event_rows) < UPCOMING_LIMIT else upcoming.count()
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
        for e in event_rows
    ]

    groups = [
        HandoverGroup(
            slug=g.slug,
            name=g.name,
            kind_label=g.get_kind_display(),
            chairs=[a.acronym for a in g.chair_agencies.all()],
            mandate=g.mandate,
        )
        for g in WorkingGroup.objects.filter(active=True)
        .prefetch_related(Prefetch("chair_agencies", queryset=Agency.objects.only("pk", "acronym").order_by("acronym")))
        .order_by("name", "pk")
    ]

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
        as_of=today,
        as_of_label=day_label(today),
        upcoming_from=upcoming_from,
        upcoming_from_label=day_label(upcoming_from),
        issues=issues,
        recommendations=recommendations,
        events=events,
        events_total=events_total,
        working_groups=groups,
    )


def handover_filename(slug: str) -> str:
    return f"gmg-handover-pack-{slug}.pdf"


def handover_print_html(pack: HandoverPack, *, request: HttpRequest | None = None) -> str:
    """The standalone HTML the PDF is made from."""
    return render_to_string(PDF_TEMPLATE, {"pack": pack, "print": True}, request=request)


def render_handover_pdf(pack: HandoverPack, *, request: HttpRequest | None = None) -> tuple[str, str, bytes]:
    """(filename, content_type, bytes) of the pack as PDF/A-3u; nothing is fetched but the app's static files."""
    content = html_to_pdf(handover_print_html(pack, request=request), base_url=base_url_for(request))
    return handover_filename(pack.slug), PDF_CONTENT_TYPE, content


# Views ------------------------------------------------------------------------


def _get_chairmanship_for_user(request: HttpRequest, slug: str) -> Chairmanship:
    """The term, if the requester may read its report: drafts are a 404 for anonymous visitors."""
    return get_object_or_404(chairmanships_visible_reports(user=request.user), slug=slug)


@require_safe
def handover_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pack = assemble_handover(chairmanship=_get_chairmanship_for_user(request, slug))
    response = render(request, "reports/handover.html", {"pack": pack, "print": False})
    patch_vary_headers(response, ["Cookie"])
    return response


@require_safe
def handover_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The pack as PDF, rendered on request (it is dated: its ages and upcoming events move with the calendar)."""
    pack = assemble_handover(chairmanship=_get_chairmanship_for_user(request, slug))
    filename, content_type, content = render_handover_pdf(pack, request=request)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, no_cache=True, private=pack.is_draft)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response
