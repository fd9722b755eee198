"""How the report writes dates, years and places."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from django_countries.fields import Country

from gmg_portal.dates import dates_label
from gmg_portal.dates import day_label
from reports.labels import place_label
from reports.labels import years_label

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2014, 5, 8), D(2014, 5, 8), "8 May 2014"),
        (D(2014, 10, 16), D(2014, 10, 17), "16–17 October 2014"),
        (D(2014, 4, 30), D(2014, 5, 2), "30 April – 2 May 2014"),
        (D(2014, 12, 30), D(2015, 1, 2), "30 December 2014 – 2 January 2015"),
        (D(2014, 5, 8), None, "8 May 2014"),
        (None, None, ""),
    ],
)
def test_dates(start, end, expected):
    with translation.override("en"):
        assert dates_label(start, end) == expected


def test_a_day_in_french_and_no_day():
    with translation.override("fr"):
        assert day_label(D(2014, 5, 8)) == "8 mai 2014"
    assert day_label(None) == ""


def test_years_and_places():
    assert years_label(D(2014, 1, 1), D(2014, 12, 31)) == "2014"
    assert years_label(D(2014, 7, 1), D(2015, 6, 30)) == "2014–2015"
    with translation.override("en"):
        assert place_label("Geneva", Country("CH")) == "Geneva, Switzerland"
    assert place_label("", None) == ""
    assert place_label("Geneva", None) == "Geneva"
