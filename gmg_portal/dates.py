"""How the portal writes a day and a period in words, in the active language: '8 May 2014', '16–17 October 2014'.

One home for the rule, used by the terms' labels, the timelines and the report.
"""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def day_after(day: datetime.date) -> datetime.date:
    """The next day (an iCalendar end, a bar's right edge); the last day a date can hold has none: itself."""
    return day if day == datetime.date.max else day + datetime.timedelta(days=1)


def day_label(day: datetime.date | None) -> str:
    # Translators: "j F Y" and "j F" are date formats (letters of Django's date filter); Spanish: "j \d\e F \d\e Y".
    return date_format(day, _("j F Y")) if day else ""


def dates_label(start: datetime.date | None, end: datetime.date | None) -> str:
    """'8 May 2014', '16–17 October 2014', '30 April – 2 May 2014', '30 December 2014 – 2 January 2015'."""
    if start is None or end is None:
        return day_label(start or end)
    if start == end:
        return day_label(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day_label(end)}"
    if start.year == end.year:
        # Marked outside the f-string: xgettext does not look inside one, so Spanish lacked its "de".
        day_and_month = date_format(start, _("j F"))
        return f"{day_and_month} – {day_label(end)}"
    return f"{day_label(start)} – {day_label(end)}"
