"""Writes of the workplan: plans, objectives, activities, groups, events, outputs.

Each function validates the whole record before it saves (see
gmg_portal.records.record_save) and fills in what can be derived.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gmg_portal.records import next_number
from gmg_portal.records import record_save
from workplan.models import Activity
from workplan.models import Event
from workplan.models import FocusArea
from workplan.models import MultiAnnualWorkPlan
from workplan.models import Objective
from workplan.models import Output
from workplan.models import OverarchingObjective
from workplan.models import WorkingGroup


@transaction.atomic
def mawp_save(
    *,
    data: Mapping[str, Any],
    overarching_objectives: Sequence[Mapping[str, str]] | None = None,
    mawp: MultiAnnualWorkPlan | None = None,
) -> MultiAnnualWorkPlan:
    """Create or update a multi-annual work plan and, when given, its overarching objectives.

    `overarching_objectives` is the whole list ({"ordinal": "i", "text": …}):
    objectives are matched by ordinal, so an existing one keeps its links to
    the terms' objectives; ordinals no longer listed are removed.
    """
    mawp = record_save(instance=mawp or MultiAnnualWorkPlan(), data=data)
    if overarching_objectives is None:
        return mawp
    ordinals = [item["ordinal"] for item in overarching_objectives]
    if len(set(ordinals)) != len(ordinals):
        raise ValidationError({"overarching_objectives": _("Each ordinal may appear only once.")})
    existing = {o.ordinal: o for o in mawp.overarching_objectives.all()}
    for item in overarching_objectives:
        try:
            record_save(instance=existing.get(item["ordinal"]) or OverarchingObjective(mawp=mawp), data=item)
        except ValidationError as error:
            raise ValidationError(
                {"overarching_objectives": [f"({item['ordinal']}) {message}" for message in error.messages]}
            ) from error
    mawp.overarching_objectives.exclude(ordinal__in=ordinals).delete()
    return mawp


def focus_area_save(*, data: Mapping[str, Any], focus_area: FocusArea | None = None) -> FocusArea:
    return record_save(instance=focus_area or FocusArea(), data=data)


def _number_objective(objective: Objective) -> None:
    if objective.number is None:
        term = objective.chairmanship if objective.chairmanship_id else None
        objective.number = next_number(model=Objective, parent_field="chairmanship", parent=term)


def objective_save(*, data: Mapping[str, Any], objective: Objective | None = None) -> Objective:
    """Create (numbered next in its term when no number is given) or update an objective."""
    return record_save(instance=objective or Objective(), data=data, prepare=_number_objective)


def activity_save(*, data: Mapping[str, Any], activity: Activity | None = None) -> Activity:
    return record_save(instance=activity or Activity(), data=data)


def _derive_group_slug(group: WorkingGroup) -> None:
    if not group.slug and group.name:
        group.slug = group.derive_slug()


def working_group_save(*, data: Mapping[str, Any], group: WorkingGroup | None = None) -> WorkingGroup:
    """Create (slug derived from the name) or update a working group."""
    return record_save(instance=group or WorkingGroup(), data=data, prepare=_derive_group_slug)


def _one_day_by_default(event: Event) -> None:
    if event.end_date is None and event.start_date is not None:
        event.end_date = event.start_date


def event_save(*, data: Mapping[str, Any], event: Event | None = None) -> Event:
    """Create or update an event; without an end date it is a one-day event."""
    return record_save(instance=event or Event(), data=data, prepare=_one_day_by_default)


def output_save(*, data: Mapping[str, Any], output: Output | None = None) -> Output:
    return record_save(instance=output or Output(), data=data)
