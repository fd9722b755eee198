"""The rotation of the chair, derived from dates: neighbours, incoming chair, troika and the current term."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from chairmanship.models import Chairmanship
from chairmanship.rotation import Rotation
from chairmanship.selectors import rotation_around
from tests.chairmanship.test_models import term

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def history() -> list[Chairmanship]:
    """Six-month terms, a gap of a year, then yearly terms: UNDP, OHCHR, (2011 unknown), ESCAP, IOM, ILO."""
    return [
        term("UNDP", D(2010, 1, 1), D(2010, 6, 30)),
        term("OHCHR", D(2010, 7, 1), D(2010, 12, 31)),
        term("ESCAP", D(2012, 1, 1), D(2012, 6, 30), chair_label="Regional Commissions, coordinated by ESCAP"),
        term("IOM", D(2012, 7, 1), D(2012, 12, 31)),
        term("ILO", D(2013, 1, 1), D(2013, 12, 31)),
    ]


def slugs(terms) -> list[str | None]:
    return [t.slug if t is not None else None for t in terms]


@pytest.mark.parametrize(
    ("index", "previous", "following"),
    [
        (0, None, "2010-ohchr"),  # the first term
        (1, "2010-undp", "2012-escap"),  # the next term comes after the gap
        (2, "2010-ohchr", "2012-iom"),  # the previous term came before the gap
        (3, "2012-escap", "2013-ilo"),
        (4, "2012-iom", None),  # the last term
    ],
)
def test_previous_and_next_terms_come_from_the_dates(history, index, previous, following, django_assert_num_queries):
    chairmanship = history[index]

    with django_assert_num_queries(1):  # every term with its agency, once
        rotation = Rotation.read()
        assert slugs([rotation.previous(chairmanship), rotation.next(chairmanship)]) == [previous, following]
        troika = rotation.around(chairmanship)
        assert slugs(troika.troika) == [s for s in (previous, chairmanship.slug, following) if s]

    # The selector the pages use agrees.
    around = rotation_around(term=chairmanship)
    assert slugs([around.previous, around.current, around.next]) == [previous, chairmanship.slug, following]


def test_the_incoming_chair_is_the_agency_of_the_next_term(history):
    rotation = Rotation.read()

    assert rotation.next(history[1]).agency.acronym == "ESCAP"
    assert rotation.next(history[4]) is None


def test_the_rotation_follows_a_term_moved_in_time(history):
    """Nothing is stored: moving a term's dates changes its neighbours."""
    ilo = history[4]
    ilo.start_date, ilo.end_date = D(2011, 1, 1), D(2011, 12, 31)  # into the gap
    ilo.full_clean()
    ilo.save()
    rotation = Rotation.read()

    assert rotation.next(history[1]).slug == "2013-ilo"
    assert slugs(rotation.around(ilo).troika) == ["2010-ohchr", "2013-ilo", "2012-escap"]
    assert rotation.next(history[3]) is None


# The current term ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "current"),
    [
        (D(2010, 3, 15), "2010-undp"),  # inside a term
        (D(2010, 6, 30), "2010-undp"),  # its last day
        (D(2010, 7, 1), "2010-ohchr"),  # the next one's first day
        (D(2011, 5, 1), "2010-ohchr"),  # in the gap: the latest term that has started
        (D(2013, 6, 1), "2013-ilo"),
        (D(2020, 1, 1), "2013-ilo"),  # after every term: the latest
        (D(2009, 12, 31), None),  # before any term
    ],
)
def test_the_current_term_is_the_one_running_today_else_the_latest_started(history, today, current):
    with time_machine.travel(today, tick=False):
        assert datetime.date.today() == today
        found = Rotation.read().current()
        rotation = rotation_around()

    assert (found.slug if found else None) == current
    assert (rotation.current.slug if rotation.current else None) == current


def test_in_a_gap_the_troika_is_built_around_the_latest_started_term(history):
    with time_machine.travel(D(2011, 5, 1), tick=False):
        rotation = rotation_around()

    assert slugs(rotation.troika) == ["2010-undp", "2010-ohchr", "2012-escap"]


def test_before_any_term_there_is_no_troika(history):
    with time_machine.travel(D(2009, 1, 1), tick=False):
        rotation = rotation_around()

    assert rotation.troika == []


def test_with_no_terms_at_all_there_is_no_current_term(db):
    assert Rotation.read().current() is None
    assert rotation_around().current is None
