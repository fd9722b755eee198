"""Reads of the workplan shared by the pages, the feeds and the report.

Every function returns querysets or lists whose cost does not depend on the
number of rows: related records are joined or prefetched in bulk.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet

from chairmanship.models import Accomplishment
from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from chairmanship.models import Endorsement
from workplan.models import Activity
from workplan.models import Event
from workplan.models import FocusArea
from workplan.models import MultiAnnualWorkPlan
from workplan.models import Objective
from workplan.models import Output
from workplan.models import OverarchingObjective
from workplan.models import WorkingGroup

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def _agencies() -> QuerySet[Agency]:
    return Agency.objects.only("pk", "acronym", "name").order_by("acronym")


def _groups() -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.only("pk", "slug", "name").order_by("name")


def _list_prefetches(*, agencies: str, groups: str) -> list[Prefetch]:
    """What a line of the events' or the outputs' list shows beside the record, by name only.

    Its agencies (organisers, producers) and working groups, under the names `agencies` and `groups`.
    """
    return [Prefetch(agencies, queryset=_agencies()), Prefetch(groups, queryset=_groups())]


def events_for_list() -> QuerySet[Event]:
    """Events as the list, the feeds and the CSV show them: newest first, with term, organisers and groups."""
    return (
        Event.objects.select_related("chairmanship__agency")
        .prefetch_related(*_list_prefetches(agencies="organisers", groups="working_groups"))
        .order_by("-start_date", "title", "pk")
    )


def events_upcoming(*, today: datetime.date, limit: int = 5) -> list[Event]:
    """Events that have not ended yet, soonest first."""
    qs = Event.objects.select_related("chairmanship__agency").filter(end_date__gte=today)
    return list(qs.order_by("start_date", "title", "pk")[:limit])


def events_recent(*, today: datetime.date, limit: int = 5) -> list[Event]:
    """Events that have ended, latest first."""
    qs = Event.objects.select_related("chairmanship__agency").filter(end_date__lt=today)
    return list(qs.order_by("-end_date", "-start_date", "title", "pk")[:limit])


def outputs_for_list() -> QuerySet[Output]:
    """Outputs as their list shows them: latest term first, dated ones newest first, with producers."""
    return (
        Output.objects.select_related("chairmanship__agency")
        .prefetch_related(*_list_prefetches(agencies="producer_agencies", groups="producer_working_groups"))
        .order_by("-chairmanship__start_date", F("date").desc(nulls_last=True), "title", "pk")
    )


def output_detail(*, pk: int, user: AbstractBaseUser | AnonymousUser) -> Output:
    """One output with everything its page shows to `user` (_page_prefetches), and its endorsement trail.

    Raises Output.DoesNotExist.
    """
    trail = Endorsement.objects.order_by(F("start_date").asc(nulls_last=True), "pk")
    return (
        Output.objects.select_related("chairmanship__agency")
        .prefetch_related(
            *_page_prefetches(user=user, agencies="producer_agencies", groups="producer_working_groups"),
            Prefetch("endorsements", queryset=trail),
        )
        .get(pk=pk)
    )


def terms_with_workplan() -> list[Chairmanship]:
    """Terms that have a workplan (a numbered objective or a focus area), latest first; one query."""
    having = Exists(Objective.objects.filter(chairmanship=OuterRef("pk"))) | Exists(
        FocusArea.objects.filter(chairmanship=OuterRef("pk"))
    )
    return list(Chairmanship.objects.filter(having).order_by("-start_date"))


def outputs_latest(*, limit: int = 5) -> list[Output]:
    """The latest outputs: dated ones newest first, then undated ones of the latest terms."""
    qs = Output.objects.select_related("chairmanship__agency")
    return list(qs.order_by("-chairmanship__start_date", "-date", "title", "pk")[:limit])


def _page_prefetches(*, user: AbstractBaseUser | AnonymousUser, agencies: str, groups: str) -> list[Prefetch]:
    """What an event's or an output's page shows beside its own fields, as `user` may see it.

    Its agencies (organisers, producers) and working groups under the names `agencies` and `groups`, its
    objectives and activities, and its key accomplishments that `user` may see
    (Accomplishment.objects.visible_to): a draft term's are section II of an unpublished report.
    """
    return [
        Prefetch(agencies, queryset=Agency.objects.order_by("acronym")),
        Prefetch(groups, queryset=WorkingGroup.objects.order_by("name")),
        Prefetch("objectives", queryset=Objective.objects.order_by("number")),
        Prefetch("activities", queryset=Activity.objects.select_related("objective").order_by("pk")),
        Prefetch("accomplishments", queryset=Accomplishment.objects.visible_to(user).order_by("number")),
    ]


def event_detail(*, pk: int, user: AbstractBaseUser | AnonymousUser) -> Event:
    """One event with everything its page shows to `user` (_page_prefetches). Raises Event.DoesNotExist."""
    return (
        Event.objects.select_related("chairmanship__agency")
        .prefetch_related(*_page_prefetches(user=user, agencies="organisers", groups="working_groups"))
        .get(pk=pk)
    )


def event_related_outputs(*, event: Event, user: AbstractBaseUser | AnonymousUser) -> list[Output]:
    """Outputs of the event's own term that serve the same work as the event, as `user` may see them.

    An output is related when it shares with the event a key accomplishment
    (the report tells them together; only an accomplishment `user` may see),
    an activity of the workplan, or a numbered objective. Outputs of other
    terms are never listed.
    """
    shared_accomplishments = Accomplishment.objects.visible_to(user).filter(events=event)
    qs = (
        Output.objects.filter(chairmanship_id=event.chairmanship_id)
        .filter(
            Q(accomplishments__in=shared_accomplishments) | Q(activities__events=event) | Q(objectives__events=event)
        )
        .distinct()
        .order_by("date", "title", "pk")
    )
    return list(qs)


@dataclass(frozen=True)
class Workplan:
    """Everything the workplan page (and the report's workplan section) shows for one term."""

    chairmanship: Chairmanship
    mawp: MultiAnnualWorkPlan | None
    overarching_objectives: list[OverarchingObjective]
    focus_areas: list[FocusArea]
    objectives: list[Objective]
    events: list[Event]


def mawp_for_term(*, chairmanship: Chairmanship) -> MultiAnnualWorkPlan | None:
    """The MAWP whose years include the year the term starts (the latest-starting one if several)."""
    year = chairmanship.start_date.year
    return (
        MultiAnnualWorkPlan.objects.filter(start_year__lte=year, end_year__gte=year)
        .prefetch_related(Prefetch("overarching_objectives", queryset=OverarchingObjective.objects.order_by("pk")))
        .order_by("-start_year", "pk")
        .first()
    )


def workplan_for_term(*, chairmanship: Chairmanship) -> Workplan:
    """The term's workplan: focus areas, MAWP objectives, numbered objectives with activities, events, outputs."""
    mawp = mawp_for_term(chairmanship=chairmanship)
    dated_events = Event.objects.order_by("start_date", "title", "pk")
    outputs = Output.objects.order_by("date", "title", "pk")
    activities = Activity.objects.order_by("pk").prefetch_related(
        Prefetch("lead_agencies", queryset=_agencies()),
        Prefetch("lead_working_groups", queryset=_groups()),
        Prefetch("events", queryset=dated_events),
        Prefetch("outputs", queryset=outputs),
    )
    objectives = list(
        Objective.objects.filter(chairmanship=chairmanship)
        .order_by("number")
        .prefetch_related(
            Prefetch("activities", queryset=activities),
            Prefetch("events", queryset=dated_events),
            Prefetch("outputs", queryset=outputs),
            Prefetch("overarching_objectives", queryset=OverarchingObjective.objects.order_by("pk")),
        )
    )
    return Workplan(
        chairmanship=chairmanship,
        mawp=mawp,
        overarching_objectives=list(mawp.overarching_objectives.all()) if mawp else [],
        focus_areas=list(FocusArea.objects.filter(chairmanship=chairmanship).order_by("letter")),
        objectives=objectives,
        events=list(
            Event.objects.filter(chairmanship=chairmanship)
            .only("pk", "title", "kind", "start_date", "end_date", "city", "country", "chairmanship_id")
            .order_by("start_date", "title", "pk")
        ),
    )


def working_groups_for_list() -> QuerySet[WorkingGroup]:
    """Groups with their chairs and members, active ones first."""
    return WorkingGroup.objects.order_by("-active", "name").prefetch_related(
        Prefetch("chair_agencies", queryset=_agencies()),
        Prefetch("member_agencies", queryset=_agencies()),
    )


@dataclass(frozen=True)
class WorkingGroupPage:
    group: WorkingGroup
    events: list[Event]  # the latest ones; event_count says how many there are in all
    event_count: int
    outputs: list[Output]


def working_group_detail(*, slug: str, events_shown: int = 25) -> WorkingGroupPage:
    """One group with chairs, members, its latest events and its outputs. Raises WorkingGroup.DoesNotExist."""
    group = (
        WorkingGroup.objects.prefetch_related(
            Prefetch("chair_agencies", queryset=Agency.objects.order_by("acronym")),
            Prefetch("member_agencies", queryset=Agency.objects.order_by("acronym")),
        )
        .filter(slug=slug)
        .get()
    )
    group_events = Event.objects.filter(working_groups=group)
    events = list(
        group_events.select_related("chairmanship__agency").order_by("-start_date", "title", "pk")[:events_shown]
    )
    event_count = len(events) if len(events) < events_shown else group_events.count()
    outputs = list(
        Output.objects.filter(producer_working_groups=group)
        .select_related("chairmanship__agency")
        .order_by("-chairmanship__start_date", "-date", "title", "pk")
    )
    return WorkingGroupPage(group=group, events=events, event_count=event_count, outputs=outputs)
