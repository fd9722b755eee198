"""How the report and the handover pack write years, places and dates in words (a day or a period: gmg_portal.dates)."""

from __future__ import annotations

import datetime


def years_label(start: datetime.date, end: datetime.date) -> str:
    """'2014', or '2014–2015' for a term across two years."""
    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"


def place_label(city: str, country) -> str:
    return ", ".join(part for part in (city, country.name if country else "") if part)


def month_of_note(note: str) -> datetime.date | None:
    """The first day of the month (or year) a date written in words names: 'May 2014', '2014'; else None.

    An output whose day is unknown keeps the source's words (Output.date_note); Annex B sorts it into the
    month the words name, and shows it in the date column only if the words are a date. Records are
    entered in English, so English month names are read whatever the report's language.
    """
    words = " ".join(note.split())
    for pattern in ("%B %Y", "%b %Y", "%Y"):
        try:
            return datetime.datetime.strptime(words, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None
