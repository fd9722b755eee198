"""The rules of the workplan app's models: dates, unique numbers and letters, working-group slugs.

Each constraint is refused twice: by the database on a raw save
(IntegrityError) and by full_clean() with a message naming what is wrong.
CI runs this file on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction

from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from tests.factories import FocusAreaFactory
from tests.factories import MultiAnnualWorkPlanFactory
from tests.factories import ObjectiveFactory
from tests.factories import OverarchingObjectiveFactory
from tests.factories import WorkingGroupFactory
from workplan.models import Event
from workplan.models import MultiAnnualWorkPlan
from workplan.models import WorkingGroup

pytestmark = pytest.mark.django_db

D = datetime.date


def refused_by_database(record) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_an_event_ending_before_it_starts_is_refused():
    event = EventFactory.build(chairmanship=ChairmanshipFactory(), start_date=D(2101, 5, 2), end_date=D(2101, 5, 1))

    with pytest.raises(ValidationError) as error:
        event.full_clean()
    # The model says it on the field to fix (TrackedModel.clean); the database refuses it too.
    assert error.value.message_dict == {"end_date": ["The end date must not be before the start date."]}
    refused_by_database(event)


def test_a_one_day_event_ends_the_day_it_starts():
    event = EventFactory.build(chairmanship=ChairmanshipFactory(), start_date=D(2101, 5, 2), end_date=D(2101, 5, 2))

    event.full_clean()
    event.save()
    assert Event.objects.get(pk=event.pk).end_date == D(2101, 5, 2)


def test_a_work_plan_ending_before_it_starts_is_refused():
    mawp = MultiAnnualWorkPlan(title="Backwards", start_year=2103, end_year=2101)

    with pytest.raises(ValidationError) as error:
        mawp.full_clean()
    assert error.value.message_dict == {"end_year": ["The end year must not be before the start year."]}
    refused_by_database(mawp)


def test_a_one_year_work_plan_is_accepted():
    mawp = MultiAnnualWorkPlan(title="One year", start_year=2101, end_year=2101)

    mawp.full_clean()
    mawp.save()


def test_objective_numbers_are_unique_within_a_term():
    first = ObjectiveFactory(number=1)
    duplicate = ObjectiveFactory.build(chairmanship=first.chairmanship, number=1)

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.message_dict["__all__"] == ["Objective with this Chairmanship and Number already exists."]
    refused_by_database(duplicate)

    ObjectiveFactory(number=1)  # the same number in another term


def test_focus_area_letters_are_unique_within_a_term():
    first = FocusAreaFactory(letter="a")
    duplicate = FocusAreaFactory.build(chairmanship=first.chairmanship, letter="a")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.message_dict["__all__"] == ["Focus area with this Chairmanship and Letter already exists."]
    refused_by_database(duplicate)

    FocusAreaFactory(letter="a")  # the same letter in another term


def test_overarching_objective_ordinals_are_unique_within_a_work_plan():
    mawp = MultiAnnualWorkPlanFactory()
    OverarchingObjectiveFactory(mawp=mawp, ordinal="i")
    duplicate = OverarchingObjectiveFactory.build(mawp=mawp, ordinal="i")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already exists" in error.value.message_dict["__all__"][0]
    refused_by_database(duplicate)


# Working groups -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Working Group on Data and Research", "data-and-research"),
        ("GMG Working Group on Migration, Human Rights and Gender", "migration-human-rights-and-gender"),
        ("Task Force on Capacity Development", "capacity-development"),
        ("Migration and Youth", "migration-and-youth"),
    ],
)
def test_a_working_group_slug_comes_from_its_name(name, slug):
    group = WorkingGroup(name=name)
    group.full_clean()
    group.save()

    assert WorkingGroup.objects.get(pk=group.pk).slug == slug


def test_a_working_group_keeps_its_slug_when_renamed():
    group = WorkingGroupFactory(name="Working Group on Data and Research")

    group.name = "Working Group on Data, Research and Training"
    group.full_clean()
    group.save()

    group.refresh_from_db()
    assert group.slug == "data-and-research"


def test_working_group_slugs_are_unique():
    WorkingGroupFactory(name="Working Group on Data and Research")
    duplicate = WorkingGroup(name="Other", slug="data-and-research")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.message_dict["slug"] == ["Working group with this Slug already exists."]
    refused_by_database(duplicate)


def test_a_name_whose_slug_is_taken_is_refused_on_the_name():
    """The slug is derived, so the person must be told to change the name (not a 500 on save)."""
    WorkingGroupFactory(name="Working Group on Data and Research")
    same_slug = WorkingGroup(name="GMG Working Group on Data and Research")

    with pytest.raises(ValidationError) as error:
        same_slug.full_clean()
    assert error.value.message_dict == {
        "name": ["A working group with the web address “data-and-research” already exists."]
    }


def test_a_name_without_letters_or_digits_is_refused():
    with pytest.raises(ValidationError) as error:
        WorkingGroup(name="Working Group on ???").full_clean()
    assert "letters or digits" in error.value.message_dict["name"][0]


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("GMG 2013–2015 Multi-Annual Work Plan", "GMG 2013–2015 Multi-Annual Work Plan"),
        ("GMG Multi-Annual Work Plan", "GMG Multi-Annual Work Plan (2013–2015)"),
    ],
)
def test_a_multi_annual_work_plan_says_its_years_once(title, label):
    assert MultiAnnualWorkPlanFactory.build(title=title, start_year=2013, end_year=2015).label == label
