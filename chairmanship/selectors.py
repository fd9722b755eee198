"""Reads of chairmanships shared by pages, reports and the API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models import Prefetch
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import ngettext

from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Endorsement
from chairmanship.models import Recommendation
from chairmanship.rotation import Rotation
from chairmanship.rotation import Troika


def rotation_around(*, term: Chairmanship | None = None, today: datetime.date | None = None) -> Troika:
    """The troika around `term`, or around the current term when none is given (chairmanship/rotation.py)."""
    return Rotation.read().around(term, today=today)


# The trackers ---------------------------------------------------------------


@dataclass(frozen=True)
class TrackedIssue:
    """A carry-forward issue with its lineage and age, as the tracker shows it."""

    issue: CarryForwardIssue
    lineage: list[Chairmanship]
    age_days: int
    until: datetime.date  # the day the age is counted to (today), so the tracker can say from when to when

    @property
    def age(self) -> str:
        return format_age(days=self.age_days, since=self.issue.origin.start_date)


def format_age(*, days: int, since: datetime.date) -> str:
    """'2 years, 3 months' for a long age, '1 month' or '12 days' for a short one; counted from `since`."""
    if days < 0:
        return gettext("not yet started")
    until = since + datetime.timedelta(days=days)
    months = (until.year - since.year) * 12 + until.month - since.month - (until.day < since.day)
    if months < 1:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
    if months:
        parts.append(ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
    return ", ".join(parts)


def carry_forward_issues_for_list() -> QuerySet[CarryForwardIssue]:
    """Every issue with the terms it names, in report order (oldest listing first)."""
    return CarryForwardIssue.objects.select_related(
        "handed_over_in__agency", "origin__agency", "resolved_in__agency"
    ).order_by("handed_over_in__start_date", "number", "pk")


def carry_forward_tracker(
    *, issues: QuerySet[CarryForwardIssue], today: datetime.date | None = None
) -> list[TrackedIssue]:
    """The issues with their lineage and age, in three queries whatever their number.

    The lineage is the chain of terms an issue went through: the term that
    raised it, then every term whose report listed it, found by following
    `continues` back to the first listing and `continuations` forward. The
    age is today minus the start of the term that first raised it.
    """
    today = today or datetime.date.today()
    rows = list(issues)
    links = list(CarryForwardIssue.objects.order_by().values_list("pk", "continues_id", "handed_over_in_id"))
    terms = {term.pk: term for term in Chairmanship.objects.select_related("agency")}
    parent: dict[int, int | None] = {}
    children: dict[int, list[int]] = {}
    listed_in: dict[int, int] = {}
    for pk, continues_id, term_id in links:
        parent[pk] = continues_id
        listed_in[pk] = term_id
        if continues_id is not None:
            children.setdefault(continues_id, []).append(pk)

    tracked = []
    for issue in rows:
        chain: set[int] = {issue.pk}
        current = parent.get(issue.pk)
        while current is not None and current not in chain:  # back to the first listing
            chain.add(current)
            current = parent.get(current)
        pending = list(children.get(issue.pk, []))
        while pending:  # forward through every continuation
            pk = pending.pop()
            if pk not in chain:
                chain.add(pk)
                pending.extend(children.get(pk, []))
        term_ids = {issue.origin_id} | {listed_in[pk] for pk in chain if pk in listed_in}
        lineage = sorted((terms[pk] for pk in term_ids if pk in terms), key=lambda term: term.start_date)
        tracked.append(
            TrackedIssue(issue=issue, lineage=lineage, age_days=(today - issue.origin.start_date).days, until=today)
        )
    return tracked


def carry_forward_status_counts(*, issues: QuerySet[CarryForwardIssue]) -> list[tuple[str, str, int]]:
    """(value, label, count) for every status, zero counts included, in one query."""
    counts = dict(issues.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [(value, label, counts.get(value, 0)) for value, label in CarryForwardIssue.Status.choices]


def carry_forward_open_latest(*, limit: int = 10) -> list[CarryForwardIssue]:
    """Unresolved issues as last listed (an issue carried on into a later report appears once)."""
    qs = (
        CarryForwardIssue.objects.unresolved()
        .filter(continuations__isnull=True)
        .select_related("handed_over_in__agency", "origin__agency")
        .order_by("-handed_over_in__start_date", "number", "pk")
    )
    return list(qs[:limit])


def recommendations_for_list() -> QuerySet[Recommendation]:
    """Recommendations with their term, source output and its endorsement trail (in date order)."""
    return (
        Recommendation.objects.select_related("chairmanship__agency", "source_output")
        .prefetch_related(
            Prefetch("source_output__endorsements", queryset=Endorsement.objects.order_by("start_date", "pk"))
        )
        .order_by("-chairmanship__start_date", "number", "pk")
    )
