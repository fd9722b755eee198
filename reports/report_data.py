"""What the annual report holds: plain dataclasses, filled by reports.assembly and read by the templates.

Templates read attributes and run no queries; `AnnualReport.as_dict()` is
the JSON of the whole report (the API's answer, an edition's stored data)
and `fingerprint` its hash: a field added or renamed here changes both, and
shows in every stored edition's comparison with the live data
(reports.edition_diff).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from dataclasses import dataclass
from dataclasses import field
from functools import cached_property

from reports.narrative import Footnote

# What a Block of a section's flow is: narrative HTML, or where a generated list goes (see reports.narrative).
RECORDS = "records"
RECOMMENDATIONS = "recommendations"
FOCUS_AREAS = "focus_areas"
OBJECTIVES = "objectives"
HTML = "html"


@dataclass(frozen=True)
class Block:
    """One piece of a section's flow: sanitised narrative HTML, or where a generated list goes."""

    kind: str
    html: str = ""
    # A list set after the narrative paragraph that announces it ("…including the following:") needs no heading.
    after_lead_in: bool = False


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
    descriptive_title: bool  # composed by the secretariat: printed plainly, never as a formal title
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
    chair_role_label: str  # empty when the records do not say what the chair did
    organisers: list[str]  # members by acronym, partners by name
    participants: str
    show_kind: bool  # the kind is said before the title unless the title already says it ("Launch of …")
    url: str
    summary: str
    in_term: bool


@dataclass(frozen=True)
class OutputItem:
    id: int
    title: str
    descriptive_title: bool
    kind: str
    kind_label: str
    date: datetime.date | None
    when: str
    sort_date: datetime.date | None  # the date, or the first day of the month its words name ("May 2014")
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
    recommendations: list[RecommendationItem]  # those it produced, printed here only
    working_groups: list[str]
    list_linked_records: bool
    trail_omitted_for: list[int]  # listed outputs whose endorsement trail the report prints elsewhere


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
    descriptive_title: bool
    kind_label: str
    date: datetime.date | None  # for the order: an output known only by its month sorts to the month's start
    dates: str  # what the date column shows: only dates ("16–17 October 2014", "May 2014")
    place: str
    forum: str
    note: str = ""  # an undated output's date as worded, when the words are not a date


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
    other_recommendations: list[RecommendationItem]  # those no key accomplishment produced, after them
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
    annex_b: list[AnnexEntry]  # dated, in date order
    annex_b_undated: list[AnnexEntry]
    # The day the report speaks of (the handover, else the term's last day), not the day an edition was issued.
    report_date: datetime.date
    report_date_label: str
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
        return not (
            self.accomplishments or self.objectives or self.issue_groups or self.annex_b or self.annex_b_undated
        )

    @property
    def workplan_has_links(self) -> bool:
        """Whether any objective has an activity, event or output (Annex A says so once when none has)."""
        return any(o.activities or o.events or o.outputs for o in self.objectives)

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
