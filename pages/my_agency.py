"""A focal point's own agency (/my-agency/): what it does in the GMG, read in a fixed number of queries.

A focal point (chairmanship.FocalPoint) speaks for one agency. The page lists
the agency's chair terms, the events it organises, the outputs it produced,
the activities it leads, the working groups it chairs or sits in, and the
carry-forward issues and recommendations of the terms it chaired. The
records are public; what is the visitor's own is only which report links
they may follow, decided as the list of reports decides (reports.listing:
their own terms' drafts too, and no link to a report with nothing in it).

The page and its CSVs (pages/my_agency_exports.py) read the same records:
`of_agency` is the one definition of which records belong to the agency.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet

from chairmanship.models import Agency
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Recommendation
from chairmanship.selectors import carry_forward_issues_for_list
from gmg_portal.permissions import focal_point_agency_id
from reports.listing import ReportListing
from reports.listing import report_listings
from workplan.models import Activity
from workplan.models import Event
from workplan.models import Output
from workplan.models import WorkingGroup

# The page shows the latest events and links to the full list (an agency may organise hundreds over the years).
EVENTS_SHOWN = 25

# How a record of each list belongs to the agency (working groups: `groups_with_seat`).
AGENCY_PATHS: dict[str, str] = {
    "events": "organisers",
    "outputs": "producer_agencies",
    "activities": "lead_agencies",
    "terms": "agency",
    "carry-forward": "handed_over_in__agency",
    "recommendations": "chairmanship__agency",
}
WORKING_GROUPS = "working-groups"


def groups_with_seat(queryset: QuerySet[WorkingGroup], *, agency_id: int) -> QuerySet[WorkingGroup]:
    """The groups the agency chairs or sits in, each annotated `chaired` and `member` (one query, no duplicates)."""
    chairs = WorkingGroup.chair_agencies.through.objects.filter(workinggroup_id=OuterRef("pk"), agency_id=agency_id)
    members = WorkingGroup.member_agencies.through.objects.filter(workinggroup_id=OuterRef("pk"), agency_id=agency_id)
    return queryset.annotate(chaired=Exists(chairs), member=Exists(members)).filter(Q(chaired=True) | Q(member=True))


def of_agency(queryset: QuerySet, *, name: str, agency_id: int) -> QuerySet:
    """The records of list `name` (an AGENCY_PATHS key or WORKING_GROUPS) that belong to the agency."""
    if name == WORKING_GROUPS:
        return groups_with_seat(queryset, agency_id=agency_id)
    # One agency per row of the link table: filtering on a many-to-many here yields no duplicates.
    return queryset.filter(**{f"{AGENCY_PATHS[name]}__id": agency_id})


@dataclass(frozen=True)
class AgencyRecords:
    """Everything /my-agency/ shows, each list in the order people read it."""

    agency: Agency
    terms: list[ReportListing]  # the agency's terms with their report's status and link, as /reports/ gives them
    events: list[Event]  # the latest EVENTS_SHOWN
    event_count: int
    outputs: list[Output]
    activities: list[Activity]
    working_groups: list[WorkingGroup]  # annotated `chaired` and `member`
    issues: list[CarryForwardIssue]
    recommendations: list[Recommendation]


def agency_records(*, user: AbstractBaseUser | AnonymousUser) -> AgencyRecords | None:
    """The records of the agency `user` speaks for, or None if they are no focal point.

    At most eleven queries whatever the number of records: the focal point, the
    agency, its terms, the user's groups (asked only if a term's report is a
    draft: may they read it?), the shown events and their count, outputs,
    activities, working groups, issues and recommendations.
    """
    agency_id = focal_point_agency_id(user)
    if agency_id is None:
        return None
    agency = Agency.objects.get(pk=agency_id)
    terms = of_agency(Chairmanship.objects.all(), name="terms", agency_id=agency_id)
    events = of_agency(Event.objects.select_related("chairmanship__agency"), name="events", agency_id=agency_id)
    outputs = Output.objects.select_related("chairmanship__agency").order_by("-chairmanship__start_date", "-date", "pk")
    activities = Activity.objects.select_related("objective__chairmanship__agency").order_by(
        "-objective__chairmanship__start_date", "objective__number", "pk"
    )
    recommendations = Recommendation.objects.select_related("chairmanship__agency", "source_output").order_by(
        "-chairmanship__start_date", "number", "pk"
    )
    return AgencyRecords(
        agency=agency,
        terms=report_listings(user=user, terms=terms),  # linked as the list of reports links them
        events=list(events.order_by("-start_date", "title", "pk")[:EVENTS_SHOWN]),
        event_count=events.count(),
        outputs=list(of_agency(outputs, name="outputs", agency_id=agency_id)),
        activities=list(of_agency(activities, name="activities", agency_id=agency_id)),
        working_groups=list(of_agency(WorkingGroup.objects.order_by("name"), name=WORKING_GROUPS, agency_id=agency_id)),
        issues=list(of_agency(carry_forward_issues_for_list(), name="carry-forward", agency_id=agency_id)),
        recommendations=list(of_agency(recommendations, name="recommendations", agency_id=agency_id)),
    )
