"""The annual report of a term, assembled from records in a fixed number of queries.

`assemble_report()` is the one read the HTML page, the PDF, the
`build_report` command and the API share. It returns plain dataclasses:
templates read attributes and run no queries, and `as_dict()` is the JSON
of the whole report.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chairmanship.models import Accomplishment, Agency, CarryForwardIssue, Chairmanship, Endorsement, Recommendation
from reports.narrative import Footnote, FootnoteCounter, Segment, render_narrative
from workplan.models import Activity, Event, FocusArea, MultiAnnualWorkPlan, Objective, Output, WorkingGroup

# Where a lead-in paragraph announces a generated list (see reports.narrative).
RECORDS = "records"
FOCUS_AREAS = "focus_areas"
OBJECTIVES = "objectives"
HTML = "html"


# Formatting -----------------------------------------------------------------


def day_label(day: datetime.date | None) -> str:
    return date_format(day, _("j F Y")) if day else ""


def dates_label(start: datetime.date | None, end: datetime.date | None) -> str:
    """'8 May 2014', '16–17 October 2014', '30 April – 2 May 2014', '30 December 2014 – 2 January 2015'."""
    if start is None or end is None:
        return day_label(start or end)
    if start == end:
        return day_label(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day_label(end)}"
    if start.year == end.year:
        return f"{date_format(start, _('j F'))} – {day_label(end)}"
    return f"{day_label(start)} – {day_label(end)}"


def years_label(start: datetime.date, end: datetime.date) -> str:
    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"


def place_label(city: str, country) -> str:
    return ", ".join(part for part in (city, country.name if country else "") if part)


def _with_article(name: str) -> str:
    return name if name.lower().startswith("the ") else f"the {name}"


# The report -----------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One piece of a section's flow: sanitised narrative HTML, or where a generated list goes."""

    kind: str
    html: str = ""


@dataclass(frozen=True)
class EndorsementItem:
    body: str
    session: str
    place: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    dates: str
    outcome: str
    outcome_label: str
    note: str


@dataclass(frozen=True)
class EventItem:
    id: int
    title: str
    kind: str
    kind_label: str
    start_date: datetime.date
    end_date: datetime.date
    dates: str
    city: str
    country: str
    place: str
    venue: str
    forum: str
    chair_role: str
    chair_role_label: str
    organisers: list[str]
    url: str
    summary: str
    in_term: bool


@dataclass(frozen=True)
class OutputItem:
    id: int
    title: str
    kind: str
    kind_label: str
    date: datetime.date | None
    when: str
    symbol: str
    producers: list[str]
    submitted_to: str
    url: str
    summary: str
    endorsements: list[EndorsementItem]
    in_term: bool


@dataclass(frozen=True)
class RecommendationItem:
    number: int
    text: str
    status: str
    status_label: str
    source_output_id: int | None
    source_output_title: str
    endorsements: list[EndorsementItem]


@dataclass(frozen=True)
class AccomplishmentItem:
    number: int
    title: str
    flow: list[Block]
    events: list[EventItem]
    outputs: list[OutputItem]
    recommendations: list[RecommendationItem]
    working_groups: list[str]
    trail_shown_for: list[int]  # outputs whose endorsement trail is shown with their recommendations


@dataclass(frozen=True)
class FocusAreaItem:
    letter: str
    title: str


@dataclass(frozen=True)
class ActivityItem:
    title: str
    description: str
    timeline: str
    status: str
    status_label: str
    lead_agencies: list[str]
    lead_working_groups: list[str]
    events: list[EventItem]
    outputs: list[OutputItem]


@dataclass(frozen=True)
class ObjectiveItem:
    number: int
    text: str
    overarching: list[str]
    activities: list[ActivityItem]
    events: list[EventItem]
    outputs: list[OutputItem]


@dataclass(frozen=True)
class OverarchingItem:
    ordinal: str
    text: str


@dataclass(frozen=True)
class MawpItem:
    title: str
    start_year: int
    end_year: int
    overarching: list[OverarchingItem]


@dataclass(frozen=True)
class IssueItem:
    number: int
    text: str
    addressed_to: str
    due_date: datetime.date | None
    due: str
    status: str
    status_label: str


@dataclass(frozen=True)
class IssueGroup:
    origin_slug: str
    origin_acronym: str
    heading: str
    issues: list[IssueItem]


@dataclass(frozen=True)
class AnnexEntry:
    """A line of Annex B: an event or an output, in date order."""

    kind: str  # "event" or "output"
    title: str
    kind_label: str
    date: datetime.date | None
    dates: str
    place: str
    forum: str


@dataclass
class AnnualReport:
    slug: str
    language: str
    chair: str
    chair_acronym: str
    chair_name: str
    term: str
    start_date: datetime.date
    end_date: datetime.date
    years: str
    theme: str
    status: str
    status_label: str
    is_draft: bool
    title: str
    introduction: list[Block]
    accomplishments_intro: list[Block]
    accomplishments_note: int
    accomplishments: list[AccomplishmentItem]
    workplan: list[Block]
    mawp: MawpItem | None
    mawp_note: int | None
    focus_areas: list[FocusAreaItem]
    objectives: list[ObjectiveItem]
    incoming_chair: str
    incoming_chair_acronym: str
    incoming_term_slug: str
    handover_heading: str
    handover_date: datetime.date | None
    handover_date_label: str
    handover: list[Block]
    issue_groups: list[IssueGroup]
    annex_b: list[AnnexEntry]
    footnotes: list[Footnote]
    last_modified: datetime.datetime | None = field(default=None, compare=False)

    @property
    def notes_by_number(self) -> dict[int, Footnote]:
        return {note.number: note for note in self.footnotes}

    @property
    def has_workplan_narrative(self) -> bool:
        return any(block.kind == HTML for block in self.workplan)

    @property
    def is_empty(self) -> bool:
        return not (self.accomplishments or self.objectives or self.issue_groups or self.annex_b)

    def as_dict(self) -> dict:
        """The whole report as JSON-serialisable data (dates as ISO strings)."""
        data = dataclasses.asdict(self)
        return json.loads(json.dumps(data, default=_json_default))

    @cached_property
    def fingerprint(self) -> str:
        """A stable hash of everything the report shows; any edit to a shown record changes it."""
        payload = json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(payload.encode()).hexdigest()


def _json_default(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON-serialisable")


# Assembly -------------------------------------------------------------------


def _agency_names(agencies) -> list[str]:
    return [agency.acronym for agency in agencies]


def _endorsement_item(endorsement: Endorsement) -> EndorsementItem:
    return EndorsementItem(
        body=endorsement.body,
        session=endorsement.session,
        place=place_label(endorsement.city, endorsement.country),
        start_date=endorsement.start_date,
        end_date=endorsement.end_date,
        dates=dates_label(endorsement.start_date, endorsement.end_date),
        outcome=endorsement.outcome,
        outcome_label=endorsement.get_outcome_display(),
        note=endorsement.note,
    )


def _event_item(event: Event, term: Chairmanship) -> EventItem:
    return EventItem(
        id=event.pk,
        title=event.title,
        kind=event.kind,
        kind_label=event.get_kind_display(),
        start_date=event.start_date,
        end_date=event.end_date,
        dates=dates_label(event.start_date, event.end_date),
        city=event.city,
        country=str(event.country.code) if event.country else "",
        place=place_label(event.city, event.country),
        venue=event.venue,
        forum=event.forum,
        chair_role=event.chair_role,
        chair_role_label=event.get_chair_role_display(),
        organisers=_agency_names(event.organisers.all()),
        url=event.url,
        summary=event.summary,
        in_term=event.chairmanship_id == term.pk,
    )


def _output_item(output: Output, term: Chairmanship) -> OutputItem:
    return OutputItem(
        id=output.pk,
        title=output.title,
        kind=output.kind,
        kind_label=output.get_kind_display(),
        date=output.date,
        when=output.date_note or day_label(output.date),
        symbol=output.symbol,
        producers=_agency_names(output.producer_agencies.all())
        + [group.name for group in output.producer_working_groups.all()],
        submitted_to=output.submitted_to,
        url=output.url,
        summary=output.summary,
        endorsements=[_endorsement_item(e) for e in output.endorsements.all()],
        in_term=output.chairmanship_id == term.pk,
    )


def _event_sort_key(item: EventItem) -> tuple:
    return (item.start_date, item.end_date, item.title, item.id)


def _output_sort_key(item: OutputItem) -> tuple:
    return (item.date is None, item.date or datetime.date.min, item.title, item.id)


def _flow(segments: list[Segment], slots: dict[str, str]) -> list[Block]:
    """Narrative segments with each generated list placed after the lead-in that announces it.

    `slots` maps a list's kind to a word its lead-in contains ("" matches any
    lead-in). A list whose lead-in the narrative lacks goes after the narrative.
    """
    blocks: list[Block] = []
    placed: set[str] = set()
    for segment in segments:
        if segment.html:
            blocks.append(Block(kind=HTML, html=segment.html))
        if segment.lead_in:
            lead_in = segment.lead_in.lower()
            for kind, word in slots.items():
                if kind not in placed and word in lead_in:
                    blocks.append(Block(kind=kind))
                    placed.add(kind)
                    break
    blocks.extend(Block(kind=kind) for kind in slots if kind not in placed)
    return blocks


def _mawp_note_text(mawp: MawpItem) -> str:
    parts = [f"({item.ordinal}) {item.text.rstrip('.;')}" for item in mawp.overarching]
    if not parts:
        return mawp.title
    if len(parts) == 1:
        return parts[0] + "."
    return "; ".join(parts[:-1]) + "; and " + parts[-1] + "."


def assemble_report(*, chairmanship: Chairmanship) -> AnnualReport:
    """Everything the report of `chairmanship` shows, in a fixed number of queries.

    Queries (whatever the number of records): 1 all terms (incoming chair),
    2 MAWP and its overarching objectives, 1 focus areas, 2 objectives and
    their overarching objectives, 4 activities with lead agencies, lead
    groups, events and outputs (ids), 3 events with organisers, objectives,
    4 outputs with producers, producing groups, endorsements, objectives,
    4 accomplishments with events, outputs, groups (ids), 1 recommendations,
    1 carry-forward issues with their origin term.
    """
    term = chairmanship
    language = translation.get_language() or "en"
    year = term.start_date.year

    terms = list(Chairmanship.objects.select_related("agency").order_by("start_date"))
    following = [t for t in terms if t.start_date > term.end_date]
    incoming = following[0] if following else None

    mawp_row = (
        MultiAnnualWorkPlan.objects.filter(start_year__lte=year, end_year__gte=year)
        .prefetch_related("overarching_objectives")
        .order_by("-start_year", "pk")
        .first()
    )
    mawp = None
    if mawp_row is not None:
        mawp = MawpItem(
            title=mawp_row.title,
            start_year=mawp_row.start_year,
            end_year=mawp_row.end_year,
            overarching=[
                OverarchingItem(ordinal=o.ordinal, text=o.text)
                for o in sorted(mawp_row.overarching_objectives.all(), key=lambda o: (len(o.ordinal), o.ordinal))
            ],
        )

    focus_area_rows = list(FocusArea.objects.filter(chairmanship=term).order_by("letter", "pk"))
    focus_areas = [FocusAreaItem(letter=f.letter, title=f.title) for f in focus_area_rows]

    agencies = Prefetch("organisers", queryset=Agency.objects.only("pk", "acronym").order_by("acronym"))
    event_rows = list(
        Event.objects.filter(
            Q(chairmanship=term) | Q(accomplishments__chairmanship=term) | Q(activities__objective__chairmanship=term)
        )
        .distinct()
        .prefetch_related(agencies, Prefetch("objectives", queryset=Objective.objects.only("pk").order_by()))
        .order_by("start_date", "end_date", "title", "pk")
    )
    endorsements = Prefetch("endorsements", queryset=Endorsement.objects.order_by("start_date", "pk"))
    output_rows = list(
        Output.objects.filter(
            Q(chairmanship=term)
            | Q(accomplishments__chairmanship=term)
            | Q(activities__objective__chairmanship=term)
            | Q(recommendations__chairmanship=term)
        )
        .distinct()
        .prefetch_related(
            Prefetch("producer_agencies", queryset=Agency.objects.only("pk", "acronym").order_by("acronym")),
            Prefetch("producer_working_groups", queryset=WorkingGroup.objects.only("pk", "name").order_by("name")),
            endorsements,
            Prefetch("objectives", queryset=Objective.objects.only("pk").order_by()),
        )
    )
    events = {row.pk: _event_item(row, term) for row in event_rows}
    outputs = {row.pk: _output_item(row, term) for row in output_rows}
    events_by_objective: dict[int, list[EventItem]] = defaultdict(list)
    for row in event_rows:
        for objective in row.objectives.all():
            events_by_objective[objective.pk].append(events[row.pk])
    outputs_by_objective: dict[int, list[OutputItem]] = defaultdict(list)
    for row in output_rows:
        for objective in row.objectives.all():
            outputs_by_objective[objective.pk].append(outputs[row.pk])

    recommendation_rows = list(Recommendation.objects.filter(chairmanship=term).order_by("number", "pk"))
    recommendations = [
        RecommendationItem(
            number=r.number,
            text=r.text,
            status=r.status,
            status_label=r.get_status_display(),
            source_output_id=r.source_output_id,
            source_output_title=outputs[r.source_output_id].title if r.source_output_id in outputs else "",
            endorsements=outputs[r.source_output_id].endorsements if r.source_output_id in outputs else [],
        )
        for r in recommendation_rows
    ]

    activities_by_objective: dict[int, list[ActivityItem]] = defaultdict(list)
    activity_rows = (
        Activity.objects.filter(objective__chairmanship=term)
        .order_by("pk")
        .prefetch_related(
            Prefetch("lead_agencies", queryset=Agency.objects.only("pk", "acronym").order_by("acronym")),
            Prefetch("lead_working_groups", queryset=WorkingGroup.objects.only("pk", "name").order_by("name")),
            Prefetch("events", queryset=Event.objects.only("pk").order_by()),
            Prefetch("outputs", queryset=Output.objects.only("pk").order_by()),
        )
    )
    activity_rows = list(activity_rows)
    for a in activity_rows:
        activities_by_objective[a.objective_id].append(
            ActivityItem(
                title=a.title,
                description=a.description,
                timeline=a.timeline,
                status=a.status,
                status_label=a.get_status_display(),
                lead_agencies=_agency_names(a.lead_agencies.all()),
                lead_working_groups=[g.name for g in a.lead_working_groups.all()],
                events=sorted((events[e.pk] for e in a.events.all() if e.pk in events), key=_event_sort_key),
                outputs=sorted((outputs[o.pk] for o in a.outputs.all() if o.pk in outputs), key=_output_sort_key),
            )
        )
    objective_rows = list(
        Objective.objects.filter(chairmanship=term).prefetch_related("overarching_objectives").order_by("number", "pk")
    )
    objectives = [
        ObjectiveItem(
            number=o.number,
            text=o.text,
            overarching=[f"({x.ordinal}) {x.text}" for x in o.overarching_objectives.all()],
            activities=activities_by_objective.get(o.pk, []),
            events=sorted(events_by_objective.get(o.pk, []), key=_event_sort_key),
            outputs=sorted(outputs_by_objective.get(o.pk, []), key=_output_sort_key),
        )
        for o in objective_rows
    ]

    issue_groups: list[IssueGroup] = []
    issues = list(
        CarryForwardIssue.objects.filter(handed_over_in=term)
        .select_related("origin__agency")
        .order_by("origin__start_date", "number", "pk")
    )
    for issue in issues:
        origin = issue.origin
        if not issue_groups or issue_groups[-1].origin_slug != origin.slug:
            heading = _("From %(acronym)s's Chairmanship:") % {"acronym": origin.agency.acronym}
            issue_groups.append(
                IssueGroup(origin_slug=origin.slug, origin_acronym=origin.agency.acronym, heading=heading, issues=[])
            )
        issue_groups[-1].issues.append(
            IssueItem(
                number=issue.number,
                text=issue.text,
                addressed_to=issue.addressed_to,
                due_date=issue.due_date,
                due=issue.due_note or day_label(issue.due_date),
                status=issue.status,
                status_label=issue.get_status_display(),
            )
        )

    # Footnotes are numbered in reading order: section I, the heading of II,
    # the accomplishments, III, IV.
    counter = FootnoteCounter()
    introduction = _flow(render_narrative(term.introduction, counter=counter), {})
    accomplishments_note = counter.add(
        "<p>"
        + _("See Annex B for a comprehensive list of the GMG's activities and outputs in %(years)s.")
        % {"years": years_label(term.start_date, term.end_date)}
        + "</p>"
    ).number
    accomplishments_intro = _flow(render_narrative(term.accomplishments_intro, counter=counter), {})

    accomplishment_rows = (
        Accomplishment.objects.filter(chairmanship=term)
        .order_by("number", "pk")
        .prefetch_related(
            Prefetch("events", queryset=Event.objects.only("pk").order_by()),
            Prefetch("outputs", queryset=Output.objects.only("pk").order_by()),
            Prefetch("working_groups", queryset=WorkingGroup.objects.only("pk", "name").order_by("name")),
        )
    )
    accomplishments = []
    accomplishment_rows = list(accomplishment_rows)
    for acc in accomplishment_rows:
        acc_outputs = sorted((outputs[o.pk] for o in acc.outputs.all() if o.pk in outputs), key=_output_sort_key)
        output_ids = {o.id for o in acc_outputs}
        acc_recommendations = [r for r in recommendations if r.source_output_id in output_ids]
        accomplishments.append(
            AccomplishmentItem(
                number=acc.number,
                title=acc.title,
                flow=_flow(render_narrative(acc.narrative, counter=counter), {RECORDS: ""}),
                events=sorted((events[e.pk] for e in acc.events.all() if e.pk in events), key=_event_sort_key),
                outputs=acc_outputs,
                recommendations=acc_recommendations,
                working_groups=[g.name for g in acc.working_groups.all()],
                trail_shown_for=sorted({r.source_output_id for r in acc_recommendations}),
            )
        )

    mawp_definitions = {"mawp": _mawp_note_text(mawp)} if mawp else {}
    before = len(counter.notes)
    workplan_segments = render_narrative(term.workplan_narrative, counter=counter, definitions=mawp_definitions)
    mawp_note = None
    if mawp is not None:
        mawp_note = next((note.number for note in counter.notes[before:] if note.key == "mawp"), None)
    workplan = _flow(workplan_segments, {FOCUS_AREAS: "focus area", OBJECTIVES: "objective"})
    handover = _flow(render_narrative(term.handover_narrative, counter=counter), {})

    incoming_name = incoming.display_name if incoming else ""
    if incoming:
        handover_heading = _("Handover to %(chair)s and proposed issues to be carried forward") % {
            "chair": _with_article(incoming_name)
        }
    else:
        handover_heading = _("Handover and proposed issues to be carried forward")

    annex_b = [
        AnnexEntry(
            kind="event",
            title=e.title,
            kind_label=e.kind_label,
            date=e.start_date,
            dates=e.dates,
            place=e.place,
            forum=e.forum,
        )
        for e in events.values()
        if e.in_term
    ] + [
        AnnexEntry(kind="output", title=o.title, kind_label=o.kind_label, date=o.date, dates=o.when, place="", forum="")
        for o in outputs.values()
        if o.in_term
    ]
    annex_b.sort(key=lambda x: (x.date is None, x.date or datetime.date.min, x.kind != "event", x.title))

    rows = (
        *event_rows,
        *output_rows,
        *focus_area_rows,
        *recommendation_rows,
        *activity_rows,
        *objective_rows,
        *issues,
        *accomplishment_rows,
        *(endorsement for row in output_rows for endorsement in row.endorsements.all()),
        *((mawp_row, *mawp_row.overarching_objectives.all()) if mawp_row else ()),
    )
    stamps = [term.updated_at, *(row.updated_at for row in rows)]
    chair = term.display_name
    term_text = dates_label(term.start_date, term.end_date)
    return AnnualReport(
        slug=term.slug,
        language=language,
        chair=chair,
        chair_acronym=term.agency.acronym,
        chair_name=term.agency.name,
        term=term_text,
        start_date=term.start_date,
        end_date=term.end_date,
        years=years_label(term.start_date, term.end_date),
        theme=term.theme,
        status=term.report_status,
        status_label=term.get_report_status_display(),
        is_draft=not term.is_final,
        title=_("GMG Chairmanship Report — %(chair)s (%(term)s)") % {"chair": chair, "term": term_text},
        introduction=introduction,
        accomplishments_intro=accomplishments_intro,
        accomplishments_note=accomplishments_note,
        accomplishments=accomplishments,
        workplan=workplan,
        mawp=mawp,
        mawp_note=mawp_note,
        focus_areas=focus_areas,
        objectives=objectives,
        incoming_chair=incoming_name,
        incoming_chair_acronym=incoming.agency.acronym if incoming else "",
        incoming_term_slug=incoming.slug if incoming else "",
        handover_heading=handover_heading,
        handover_date=term.handover_date,
        handover_date_label=day_label(term.handover_date),
        handover=handover,
        issue_groups=issue_groups,
        annex_b=annex_b,
        footnotes=list(counter.notes),
        last_modified=max(stamps),
    )
