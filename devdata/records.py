"""Which records are synthetic, how many there are, and their removal.

`devdata.history.synthetic_history_generate()` fills the database with a
synthetic chair history; `synthetic_history_remove()` deletes all of it and
nothing else.

How synthetic records are marked (the models have no flag, so natural keys
carry the mark):

- agencies: acronym starts with ``SYN-`` (``SYN-A``…), so the slugs of their
  terms read ``2101-syn-a``;
- chairmanships: every term chaired by a ``SYN-`` agency, and nothing else;
- working groups: slug starts with ``syn-``;
- multi-annual work plans: title starts with ``[synthetic]``;
- everything else (focus areas, objectives, activities, events, outputs,
  endorsements, accomplishments, recommendations, carry-forward issues)
  belongs to a synthetic term.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.db.models import QuerySet

from chairmanship.models import Accomplishment
from chairmanship.models import Agency
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Endorsement
from chairmanship.models import Recommendation
from workplan.models import Activity
from workplan.models import Event
from workplan.models import FocusArea
from workplan.models import MultiAnnualWorkPlan
from workplan.models import Objective
from workplan.models import Output
from workplan.models import OverarchingObjective
from workplan.models import WorkingGroup

AGENCY_PREFIX = "SYN-"
WORKING_GROUP_SLUG_PREFIX = "syn-"
MAWP_TITLE_PREFIX = "[synthetic]"

Progress = Callable[[str], None]


class SyntheticHistoryError(Exception):
    """The request cannot be carried out; the message says why and what to do."""


def synthetic_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(acronym__startswith=AGENCY_PREFIX)


def synthetic_terms() -> QuerySet[Chairmanship]:
    return Chairmanship.objects.filter(agency__acronym__startswith=AGENCY_PREFIX)


def synthetic_working_groups() -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.filter(slug__startswith=WORKING_GROUP_SLUG_PREFIX)


def synthetic_mawps() -> QuerySet[MultiAnnualWorkPlan]:
    return MultiAnnualWorkPlan.objects.filter(title__startswith=MAWP_TITLE_PREFIX)


def synthetic_history_exists() -> bool:
    return any(
        qs.exists() for qs in (synthetic_agencies(), synthetic_terms(), synthetic_working_groups(), synthetic_mawps())
    )


def synthetic_history_counts() -> dict[str, int]:
    """How many synthetic records of each kind the database holds."""
    terms = synthetic_terms()
    return {
        "agencies": synthetic_agencies().count(),
        "working groups": synthetic_working_groups().count(),
        "multi-annual work plans": synthetic_mawps().count(),
        "overarching objectives": OverarchingObjective.objects.filter(mawp__in=synthetic_mawps()).count(),
        "terms": terms.count(),
        "focus areas": FocusArea.objects.filter(chairmanship__in=terms).count(),
        "objectives": Objective.objects.filter(chairmanship__in=terms).count(),
        "activities": Activity.objects.filter(objective__chairmanship__in=terms).count(),
        "events": Event.objects.filter(chairmanship__in=terms).count(),
        "outputs": Output.objects.filter(chairmanship__in=terms).count(),
        "endorsements": Endorsement.objects.filter(output__chairmanship__in=terms).count(),
        "accomplishments": Accomplishment.objects.filter(chairmanship__in=terms).count(),
        "recommendations": Recommendation.objects.filter(chairmanship__in=terms).count(),
        "carry-forward issues": CarryForwardIssue.objects.filter(handed_over_in__in=terms).count(),
    }


def synthetic_history_remove(*, progress: Progress | None = None) -> dict[str, int]:
    """Delete every synthetic record and nothing else; returns what was deleted, by kind.

    Refuses (SyntheticHistoryError) when a real record depends on a synthetic
    one in a way that deleting would break (a real carry-forward issue whose
    origin is a synthetic term).
    """
    say = progress or (lambda message: None)
    with transaction.atomic():
        counts = synthetic_history_counts()
        terms = synthetic_terms()
        term_ids = list(terms.values_list("pk", flat=True))
        entangled = CarryForwardIssue.objects.filter(
            Q(origin_id__in=term_ids) & ~Q(handed_over_in_id__in=term_ids)
        ).select_related("handed_over_in")
        clash = entangled.first()
        if clash is not None:
            raise SyntheticHistoryError(
                f"The real carry-forward issue {clash.pk} (listed in {clash.handed_over_in.slug}) has a synthetic "
                f"term as its origin; change its origin before removing the synthetic history."
            )
        # Bottom-up, so each delete is a plain cascade over rows of one term set.
        # Carry-forward issues go first: their origin is PROTECTed and would
        # otherwise block deleting the terms.
        CarryForwardIssue.objects.filter(handed_over_in_id__in=term_ids).delete()
        say(f"Removed {counts['carry-forward issues']} carry-forward issues.")
        Event.objects.filter(chairmanship_id__in=term_ids).delete()
        say(f"Removed {counts['events']} events.")
        Output.objects.filter(chairmanship_id__in=term_ids).delete()
        say(f"Removed {counts['outputs']} outputs and {counts['endorsements']} endorsements.")
        Chairmanship.objects.filter(pk__in=term_ids).delete()
        say(f"Removed {counts['terms']} terms and what they report.")
        synthetic_working_groups().delete()
        synthetic_mawps().delete()
        synthetic_agencies().delete()
        say(
            f"Removed {counts['working groups']} working groups, {counts['multi-annual work plans']} work plans "
            f"and {counts['agencies']} agencies."
        )
    return counts
