"""The list of reports: every term with where its report stands, as one user may see it.

Every term is listed to everyone, so the history of the chair reads whole;
only the link depends on who asks (gmg_portal.permissions.can_see_report). A
draft whose term has records is a report in preparation; a draft of a term
with nothing recorded (the terms before 2014 in the real data) is a report
that is not in the portal, and is linked for no one: there is nothing to read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chairmanship.models import Accomplishment
from chairmanship.models import Chairmanship
from gmg_portal.permissions import can_see_report
from workplan.models import Event
from workplan.models import Objective
from workplan.models import Output

FINAL, IN_PREPARATION, NOT_IN_PORTAL = "final", "in_preparation", "not_in_portal"
STATUS_LABELS = {
    FINAL: _("Final"),
    IN_PREPARATION: _("In preparation"),
    NOT_IN_PORTAL: _("Not in the portal"),
}


@dataclass(frozen=True)
class ReportListing:
    term: Chairmanship
    status: str  # FINAL, IN_PREPARATION or NOT_IN_PORTAL
    linked: bool  # whether this user may open the report

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _has_records() -> Q:
    """Whether a term has anything its report would tell: a record of its own or a narrative written."""
    of_term = {"chairmanship": OuterRef("pk")}
    narrative = Q()
    for name in Chairmanship.REPORT_NARRATIVES:
        narrative |= ~Q(**{name: ""})
    return (
        Exists(Event.objects.filter(**of_term))
        | Exists(Output.objects.filter(**of_term))
        | Exists(Objective.objects.filter(**of_term))
        | Exists(Accomplishment.objects.filter(**of_term))
        | narrative
    )


def report_listings(*, user: User | AnonymousUser, terms: QuerySet[Chairmanship] | None = None) -> list[ReportListing]:
    """Every term (or those of `terms`), latest first, with its report's status and whether `user` may open it.

    One query for the terms (with their agency and whether they have records), whatever their number,
    and at most the user's groups and focal point once (gmg_portal.permissions keeps them).
    """
    terms = (Chairmanship.objects.all() if terms is None else terms).select_related("agency")
    terms = terms.annotate(has_records=_has_records()).order_by("-start_date")
    listings = []
    for term in terms:
        if term.is_final:
            status = FINAL
        else:
            status = IN_PREPARATION if term.has_records else NOT_IN_PORTAL
        linked = status != NOT_IN_PORTAL and can_see_report(user, term)
        listings.append(ReportListing(term=term, status=status, linked=linked))
    return listings
