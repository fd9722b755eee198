"""The rotation of the chair, read once: the current term, each term's neighbours, the incoming chair, the troika.

Terms are not calendar years and never overlap (DESIGN.md); who came before
and who comes after are derived from the dates, never stored. Every page,
report and API answer that names a neighbour asks a `Rotation`, which reads
every term with its agency in one query and answers the rest from memory:

- the **current term** is the one whose dates include today; if none does,
  the latest term that has started;
- the **previous term** is the latest one that ended before a term starts, the
  **next term** the earliest one that starts after it ends; the **incoming
  chair** is the next term's chair;
- the **troika** is the previous, the current and the next term, as far as
  they are known.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from chairmanship.models import Chairmanship


@dataclass(frozen=True)
class Troika:
    """A term with its neighbours (`current` is None when no term has started yet)."""

    previous: Chairmanship | None
    current: Chairmanship | None
    next: Chairmanship | None

    @property
    def troika(self) -> list[Chairmanship]:
        """Previous, current and next term, as far as they are known."""
        return [term for term in (self.previous, self.current, self.next) if term is not None]


@dataclass(frozen=True)
class Rotation:
    """Every term in date order, with its agency; read in one query by `Rotation.read()`."""

    terms: tuple[Chairmanship, ...]

    @classmethod
    def read(cls) -> Rotation:
        return cls(terms=tuple(Chairmanship.objects.select_related("agency").order_by("start_date")))

    def current(self, today: datetime.date | None = None) -> Chairmanship | None:
        today = today or datetime.date.today()
        started = [term for term in self.terms if term.start_date <= today]
        running = [term for term in started if today <= term.end_date]
        return running[0] if running else (started[-1] if started else None)

    def previous(self, term: Chairmanship) -> Chairmanship | None:
        before = [other for other in self.terms if other.end_date < term.start_date]
        return before[-1] if before else None

    def next(self, term: Chairmanship) -> Chairmanship | None:
        return next((other for other in self.terms if other.start_date > term.end_date), None)

    def around(self, term: Chairmanship | None = None, *, today: datetime.date | None = None) -> Troika:
        """The troika around `term`, or around the current term when none is given."""
        term = term or self.current(today)
        if term is None:
            return Troika(previous=None, current=None, next=None)
        return Troika(previous=self.previous(term), current=term, next=self.next(term))
