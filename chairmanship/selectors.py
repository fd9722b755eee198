"""Reads of chairmanships shared by pages, reports and the API."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from chairmanship.models import Chairmanship
from gmg_portal.permissions import can_see_drafts


@dataclass(frozen=True)
class Rotation:
    """The current term and its troika, derived from one query over all terms."""

    current: Chairmanship | None
    previous: Chairmanship | None
    next: Chairmanship | None

    @property
    def troika(self) -> list[Chairmanship]:
        return [term for term in (self.previous, self.current, self.next) if term is not None]


def rotation_around(*, term: Chairmanship | None = None, today: datetime.date | None = None) -> Rotation:
    """The troika around `term`, or around the current term (DESIGN.md's rule) when none is given."""
    terms = list(Chairmanship.objects.select_related("agency").order_by("start_date"))
    if term is None:
        today = today or datetime.date.today()
        running = [t for t in terms if t.start_date <= today <= t.end_date]
        started = [t for t in terms if t.start_date <= today]
        term = running[0] if running else (started[-1] if started else None)
    if term is None:
        return Rotation(current=None, previous=None, next=None)
    before = [t for t in terms if t.end_date < term.start_date]
    after = [t for t in terms if t.start_date > term.end_date]
    return Rotation(current=term, previous=before[-1] if before else None, next=after[0] if after else None)


def chairmanships_visible_reports(*, user: User | AnonymousUser) -> QuerySet[Chairmanship]:
    """Terms whose report the user may read: final ones, and drafts for signed-in users."""
    qs = Chairmanship.objects.select_related("agency")
    if can_see_drafts(user):
        return qs
    return qs.published()
