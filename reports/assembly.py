"""The annual report's builders: one per section, each from the records read once (reports.report_records).

`reports.selectors.assemble_report()` calls the section builders in reading
order, because footnotes are numbered through the whole report with one
counter (reports.narrative): I Introduction, the heading of II and the
accomplishments, III, IV. Each builder reads what only its section shows, in
a fixed number of queries named in its docstring, and returns the
dataclasses of reports.report_data with the rows it read (the report's
last_modified is the latest of them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chairmanship.models import Accomplishment
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Recommendation
from chairmanship.rotation import Rotation
from gmg_portal.dates import day_label
from reports.labels import month_of_note
from reports.labels import years_label
from reports.narrative import FootnoteCounter
from reports.narrative import Segment
from reports.narrative import render_narrative
from reports.report_data import FOCUS_AREAS
from reports.report_data import HTML
from reports.report_data import OBJECTIVES
from reports.report_data import RECOMMENDATIONS
from reports.report_data import RECORDS
from reports.report_data import AccomplishmentItem
from reports.report_data import ActivityItem
from reports.report_data import AnnexEntry
from reports.report_data import Block
from reports.report_data import EventItem
from reports.report_data import FocusAreaItem
from reports.report_data import IssueGroup
from reports.report_data import IssueItem
from reports.report_data import MawpItem
from reports.report_data import ObjectiveItem
from reports.report_data import OutputItem
from reports.report_data import OverarchingItem
from reports.report_data import RecommendationItem
from reports.report_records import Records
from reports.report_records import agency_acronyms
from reports.report_records import agency_names
from reports.report_records import event_sort_key
from reports.report_records import group_names
from reports.report_records import output_sort_key
from workplan.models import Activity
from workplan.models import Event
from workplan.models import FocusArea
from workplan.models import Objective
from workplan.models import Output
from workplan.selectors import mawp_for_term


def _flow(segments: list[Segment], slots: dict[str, tuple[str, ...]]) -> list[Block]:
    """Narrative segments with each generated list placed after the lead-in that announces it.

    `slots` maps a list's kind to words one of which its lead-in contains. A
    list whose lead-in the narrative lacks goes after the narrative: the
    prose first, as in the seed report, never a list breaking its paragraphs.
    """
    blocks: list[Block] = []
    placed: set[str] = set()
    for segment in segments:
        if segment.html:
            blocks.append(Block(kind=HTML, html=segment.html))
        if segment.lead_in:
            lead_in = segment.lead_in.lower()
            for kind, words in slots.items():
                if kind not in placed and any(word in lead_in for word in words):
                    blocks.append(Block(kind=kind, after_lead_in=True))
                    placed.add(kind)
                    break
    blocks.extend(Block(kind=kind) for kind in slots if kind not in placed)
    return blocks


# What announces each generated list in a narrative (English: the narratives are the records' own words).
RECOMMENDATION_WORDS = ("recommendation",)
RECORD_WORDS = ("event", "output", "following")
FOCUS_AREA_WORDS = ("focus area",)
OBJECTIVE_WORDS = ("objective",)


# I Introduction ---------------------------------------------------------------------


def introduction(term: Chairmanship, *, counter: FootnoteCounter) -> list[Block]:
    """I Introduction: the narrative. No query."""
    return _flow(render_narrative(term.introduction, counter=counter), {})


# II Key accomplishments --------------------------------------------------------------


@dataclass(frozen=True)
class AccomplishmentsSection:
    intro: list[Block]
    note: int  # the footnote on the section's heading, pointing to Annex B
    items: list[AccomplishmentItem]
    others: list[RecommendationItem]  # the term's recommendations no accomplishment produced
    rows: tuple[Model, ...]


def accomplishments(term: Chairmanship, *, records: Records, counter: FootnoteCounter) -> AccomplishmentsSection:
    """II Key accomplishments: each with its narrative, the recommendations it produced, and its linked records.

    Each recommendation, with the endorsement trail of the output that made
    it, is printed once: under the first accomplishment (in number order)
    that names that output, else after the accomplishments (one with no
    source output, or whose output no accomplishment names: the report
    leaves out no recommendation the records hold). An output's trail is
    likewise printed once in the whole section.

    Queries: 1 recommendations, 4 accomplishments with their events, outputs
    (ids) and working groups.
    """
    note = counter.add(
        "<p>"
        + _("See Annex B for a comprehensive list of the GMG's activities and outputs in %(years)s.")
        % {"years": years_label(term.start_date, term.end_date)}
        + "</p>"
    ).number
    intro = _flow(render_narrative(term.accomplishments_intro, counter=counter), {})
    recommendation_rows = list(Recommendation.objects.filter(chairmanship=term).order_by("number", "pk"))
    recommendations = [_recommendation_item(row, records) for row in recommendation_rows]
    rows = list(
        Accomplishment.objects.filter(chairmanship=term)
        .order_by("number", "pk")
        .prefetch_related(
            Prefetch("events", queryset=Event.objects.only("pk").order_by()),
            Prefetch("outputs", queryset=Output.objects.only("pk").order_by()),
            Prefetch("working_groups", queryset=group_names()),
        )
    )
    printed: set[int] = set()  # the outputs whose endorsement trail the section has printed
    items = []
    for row in rows:
        outputs = records.outputs_of(row.outputs.all())
        unprinted = {output.id for output in outputs} - printed
        own = [r for r in recommendations if r.source_output_id in unprinted]
        printed.update(r.source_output_id for r in own)  # printed with the recommendations
        omitted = []
        if row.list_linked_records:
            for output in outputs:
                if output.id in printed:
                    omitted.append(output.id)
                else:
                    printed.add(output.id)  # printed in this accomplishment's list
        items.append(_accomplishment_item(row, records, outputs, own, omitted, counter))
    placed = {id(r) for item in items for r in item.recommendations}
    others = [r for r in recommendations if id(r) not in placed]
    return AccomplishmentsSection(
        intro=intro, note=note, items=items, others=others, rows=(*recommendation_rows, *rows)
    )


def _recommendation_item(recommendation: Recommendation, records: Records) -> RecommendationItem:
    source = records.outputs.get(recommendation.source_output_id)
    return RecommendationItem(
        number=recommendation.number,
        text=recommendation.text,
        status=recommendation.status,
        status_label=recommendation.get_status_display(),
        source_output_id=recommendation.source_output_id,
        source_output_title=source.title if source else "",
        endorsements=source.endorsements if source else [],
    )


def _accomplishment_item(
    accomplishment: Accomplishment,
    records: Records,
    outputs: list[OutputItem],
    recommendations: list[RecommendationItem],
    trail_omitted_for: list[int],
    counter: FootnoteCounter,
) -> AccomplishmentItem:
    slots: dict[str, tuple[str, ...]] = {}
    if recommendations:
        slots[RECOMMENDATIONS] = RECOMMENDATION_WORDS
    if accomplishment.list_linked_records:
        slots[RECORDS] = RECORD_WORDS
    return AccomplishmentItem(
        number=accomplishment.number,
        title=accomplishment.title,
        flow=_flow(render_narrative(accomplishment.narrative, counter=counter), slots),
        events=records.events_of(accomplishment.events.all()),
        outputs=outputs,
        recommendations=recommendations,
        working_groups=[group.name for group in accomplishment.working_groups.all()],
        list_linked_records=accomplishment.list_linked_records,
        trail_omitted_for=trail_omitted_for,
    )


# III Workplan, objectives and thematic focus areas ------------------------------------


@dataclass(frozen=True)
class WorkplanSection:
    flow: list[Block]
    mawp: MawpItem | None
    mawp_note: int | None  # the footnote the narrative's [^mawp] reference became
    focus_areas: list[FocusAreaItem]
    objectives: list[ObjectiveItem]
    rows: tuple[Model, ...]


def workplan(term: Chairmanship, *, records: Records, counter: FootnoteCounter) -> WorkplanSection:
    """III: the narrative, the focus areas, the numbered objectives, and the MAWP's overarching objectives.

    Queries: 2 the MAWP and its overarching objectives, in the order
    workplan.selectors.mawp_for_term gives them, 1 focus areas, 5 activities with lead
    agencies, lead groups, events and outputs (ids), 2 objectives with their
    overarching objectives.
    """
    mawp_row = mawp_for_term(chairmanship=term)
    mawp = None
    if mawp_row is not None:
        overarching = [OverarchingItem(ordinal=o.ordinal, text=o.text) for o in mawp_row.overarching_objectives.all()]
        mawp = MawpItem(
            title=mawp_row.title, start_year=mawp_row.start_year, end_year=mawp_row.end_year, overarching=overarching
        )
    focus_area_rows = list(FocusArea.objects.filter(chairmanship=term).order_by("letter", "pk"))
    objectives, objective_rows = _objectives(term, records)

    before = len(counter.notes)
    definitions = {"mawp": _mawp_note_text(mawp)} if mawp else {}
    segments = render_narrative(term.workplan_narrative, counter=counter, definitions=definitions)
    mawp_note = None
    if mawp is not None:
        mawp_note = next((note.number for note in counter.notes[before:] if note.key == "mawp"), None)

    mawp_rows = (mawp_row, *mawp_row.overarching_objectives.all()) if mawp_row else ()
    return WorkplanSection(
        flow=_flow(segments, {FOCUS_AREAS: FOCUS_AREA_WORDS, OBJECTIVES: OBJECTIVE_WORDS}),
        mawp=mawp,
        mawp_note=mawp_note,
        focus_areas=[FocusAreaItem(letter=row.letter, title=row.title) for row in focus_area_rows],
        objectives=objectives,
        rows=(*focus_area_rows, *objective_rows, *mawp_rows),
    )


def _mawp_note_text(mawp: MawpItem) -> str:
    parts = [f"({item.ordinal}) {item.text.rstrip('.;')}" for item in mawp.overarching]
    if not parts:
        return mawp.title
    if len(parts) == 1:
        return parts[0] + "."
    earlier = pgettext("between the items of a list", "; ").join(parts[:-1])
    return _("%(earlier)s; and %(last)s.") % {"earlier": earlier, "last": parts[-1]}


def _objectives(term: Chairmanship, records: Records) -> tuple[list[ObjectiveItem], tuple[Model, ...]]:
    """The numbered objectives with their activities, events and outputs; and the rows read."""
    activity_rows = list(
        Activity.objects.filter(objective__chairmanship=term)
        .order_by("pk")
        .prefetch_related(
            Prefetch("lead_agencies", queryset=agency_acronyms()),
            Prefetch("lead_working_groups", queryset=group_names()),
            Prefetch("events", queryset=Event.objects.only("pk").order_by()),
            Prefetch("outputs", queryset=Output.objects.only("pk").order_by()),
        )
    )
    activities: dict[int, list[ActivityItem]] = defaultdict(list)
    for row in activity_rows:
        activities[row.objective_id].append(
            ActivityItem(
                title=row.title,
                description=row.description,
                timeline=row.timeline,
                status=row.status,
                status_label=row.get_status_display(),
                lead_agencies=agency_names(row.lead_agencies.all()),
                lead_working_groups=[group.name for group in row.lead_working_groups.all()],
                events=records.events_of(row.events.all()),
                outputs=records.outputs_of(row.outputs.all()),
            )
        )
    objective_rows = list(
        Objective.objects.filter(chairmanship=term).prefetch_related("overarching_objectives").order_by("number", "pk")
    )
    events = _by_objective(records.event_rows, records.events)
    outputs = _by_objective(records.output_rows, records.outputs)
    objectives = [
        ObjectiveItem(
            number=row.number,
            text=row.text,
            overarching=[f"({x.ordinal}) {x.text}" for x in row.overarching_objectives.all()],
            activities=activities.get(row.pk, []),
            events=sorted(events.get(row.pk, []), key=event_sort_key),
            outputs=sorted(outputs.get(row.pk, []), key=output_sort_key),
        )
        for row in objective_rows
    ]
    return objectives, (*activity_rows, *objective_rows)


def _by_objective(rows: list[Event] | list[Output], items: dict[int, EventItem] | dict[int, OutputItem]) -> dict:
    """The items of the events (or outputs) that serve each objective, by the objective's id."""
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        for objective in row.objectives.all():
            grouped[objective.pk].append(items[row.pk])
    return grouped


# IV Handover and proposed issues to be carried forward ---------------------------------


@dataclass(frozen=True)
class HandoverSection:
    incoming: Chairmanship | None
    heading: str
    flow: list[Block]
    issue_groups: list[IssueGroup]
    rows: tuple[Model, ...]


def handover(term: Chairmanship, *, counter: FootnoteCounter) -> HandoverSection:
    """IV: the incoming chair, the narrative, and the issues handed over, by the term that raised them, oldest first.

    Queries: 1 every term (the incoming chair), 1 carry-forward issues with their origin term and its agency.
    """
    incoming = Rotation.read().next(term)  # 1 query: every term
    if incoming:
        heading = _("Handover to %(chair)s and proposed issues to be carried forward") % {
            "chair": _with_article(incoming.display_name)
        }
    else:
        heading = _("Handover and proposed issues to be carried forward")
    flow = _flow(render_narrative(term.handover_narrative, counter=counter), {})
    issue_rows = list(
        CarryForwardIssue.objects.filter(handed_over_in=term)
        .select_related("origin__agency")
        .order_by("origin__start_date", "number", "pk")
    )
    groups: list[IssueGroup] = []
    for issue in issue_rows:
        origin = issue.origin
        if not groups or groups[-1].origin_slug != origin.slug:
            group_heading = _("From %(acronym)s's Chairmanship:") % {"acronym": origin.agency.acronym}
            groups.append(
                IssueGroup(
                    origin_slug=origin.slug, origin_acronym=origin.agency.acronym, heading=group_heading, issues=[]
                )
            )
        groups[-1].issues.append(
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
    return HandoverSection(incoming=incoming, heading=heading, flow=flow, issue_groups=groups, rows=tuple(issue_rows))


def _with_article(name: str) -> str:
    # English names an organisation with its article ("Handover to the World Bank"); French and Spanish would need
    # the name's gender, which an English name does not tell, so their catalogs leave the name bare.
    if name.lower().startswith("the "):
        return name
    return pgettext("an organisation's name in running text", "the %(name)s") % {"name": name}


# Annex B Activities and outputs -------------------------------------------------------


@dataclass(frozen=True)
class AnnexB:
    dated: list[AnnexEntry]
    undated: list[AnnexEntry]


def annex_b(records: Records) -> AnnexB:
    """The term's own events and outputs: the dated in date order (a day's events before its outputs), then
    the undated. No query.

    Only the GMG's own activities: a session of another body that considered an
    output is that output's endorsement, not an event, so it is not here. The
    date column holds only dates; an output whose date is worded ("May 2014")
    sorts to the start of that month, and one worded otherwise is undated.
    """
    entries = [
        _annex_entry("event", e, date=e.start_date, dates=e.dates, place=e.place, forum=e.forum)
        for e in records.events.values()
        if e.in_term
    ] + [
        _annex_entry(
            "output",
            o,
            date=o.sort_date,
            dates=_output_dates(o),
            note="" if o.when in {_output_dates(o), ""} else o.when,
        )
        for o in records.outputs.values()
        if o.in_term
    ]
    dated = sorted(
        (entry for entry in entries if entry.date is not None),
        key=lambda x: (x.date, x.kind != "event", x.title),
    )
    undated = sorted((entry for entry in entries if entry.date is None), key=lambda x: (x.kind != "event", x.title))
    return AnnexB(dated=dated, undated=undated)


def _annex_entry(kind: str, record: EventItem | OutputItem, **columns: Any) -> AnnexEntry:
    """A line of Annex B: what an event and an output print alike (title, kind), then the columns of their own."""
    columns = {"place": "", "forum": "", **columns}
    return AnnexEntry(
        kind=kind,
        title=record.title,
        descriptive_title=record.descriptive_title,
        kind_label=record.kind_label,
        **columns,
    )


def _output_dates(output: OutputItem) -> str:
    """What Annex B's date column shows of an output: its date as worded if the words are a date ("May 2014"),
    else its day, else nothing (the words, "presented at the Summit", go beside the title)."""
    if output.when and month_of_note(output.when) is not None:
        return output.when
    return day_label(output.date)
