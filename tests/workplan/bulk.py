"""Many events at once, for query-count tests: the count must not grow with the data."""

from __future__ import annotations

import datetime

from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from gmg_portal.cache import data_generation_bump
from tests.factories import AgencyFactory
from tests.factories import ChairmanshipFactory
from tests.factories import WorkingGroupFactory
from workplan.models import Event
from workplan.models import WorkingGroup


def add_events(count: int = 3000, *, term: Chairmanship | None = None) -> Chairmanship:
    """`count` events in one factory term (2101+), each with an organiser and a working group."""
    term = term or ChairmanshipFactory()
    agencies: list[Agency] = [AgencyFactory() for _ in range(3)]
    groups: list[WorkingGroup] = [WorkingGroupFactory() for _ in range(3)]
    kinds = list(Event.Kind.values)
    events = Event.objects.bulk_create(
        Event(
            chairmanship=term,
            title=f"Bulk event {n}",
            kind=kinds[n % len(kinds)],
            start_date=term.start_date + datetime.timedelta(days=n % 365),
            end_date=term.start_date + datetime.timedelta(days=n % 365 + n % 3),
            city=("Geneva", "New York", "Bangkok")[n % 3],
            country=("CH", "US", "TH")[n % 3],
            summary="A meeting among many.",
        )
        for n in range(count)
    )
    Organisers = Event.organisers.through
    Groups = Event.working_groups.through
    Organisers.objects.bulk_create(
        Organisers(event_id=event.pk, agency_id=agencies[i % 3].pk) for i, event in enumerate(events)
    )
    Groups.objects.bulk_create(
        Groups(event_id=event.pk, workinggroup_id=groups[i % 3].pk) for i, event in enumerate(events)
    )
    data_generation_bump()  # bulk writes send no signal: what was remembered of the old data is forgotten
    return term
