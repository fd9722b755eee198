"""The rules of the chairmanship app's models: constraints, slugs, terms and the rotation.

Every constraint is checked twice: the database refuses a raw save
(IntegrityError), and full_clean() refuses the same record with a message a
person can act on. The suite runs on SQLite and, in CI's second leg, on
PostgreSQL, so each rule is proved on both.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction

from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from chairmanship.models import Endorsement
from tests.factories import AccomplishmentFactory
from tests.factories import AgencyFactory
from tests.factories import CarryForwardIssueFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EndorsementFactory
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def term(acronym: str, start: datetime.date, end: datetime.date, **fields) -> Chairmanship:
    """A saved term of the agency with this acronym (created if needed), validated first."""
    agency = AgencyFactory(acronym=acronym)
    chairmanship = Chairmanship(agency=agency, start_date=start, end_date=end, **fields)
    chairmanship.full_clean()
    chairmanship.save()
    return chairmanship


def refused_by_database(record) -> None:
    """The raw save fails in the database itself (no model validation runs)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# Constraints ------------------------------------------------------------------


def test_a_term_ending_before_it_starts_is_refused():
    chairmanship = Chairmanship(
        agency=AgencyFactory(), slug="2101-x", start_date=D(2101, 12, 31), end_date=D(2101, 1, 1)
    )

    with pytest.raises(ValidationError) as error:
        chairmanship.full_clean()
    assert messages(error)["end_date"] == ["The end date must not be before the start date."]
    refused_by_database(chairmanship)


def test_a_one_day_term_is_accepted():
    chairmanship = term("ONE", D(2101, 3, 1), D(2101, 3, 1))

    assert Chairmanship.objects.get(pk=chairmanship.pk).end_date == D(2101, 3, 1)


def test_an_endorsement_ending_before_it_starts_is_refused():
    endorsement = EndorsementFactory.build(
        output=EndorsementFactory().output, start_date=D(2101, 5, 2), end_date=D(2101, 5, 1)
    )

    with pytest.raises(ValidationError) as error:
        endorsement.full_clean()
    assert messages(error) == {"end_date": ["The end date must not be before the start date."]}
    refused_by_database(endorsement)


@pytest.mark.parametrize(
    ("start", "end"),
    [(None, None), (D(2101, 5, 1), None), (None, D(2101, 5, 1)), (D(2101, 5, 1), D(2101, 5, 1))],
    ids=["no-dates", "start-only", "end-only", "one-day"],
)
def test_an_endorsement_may_leave_either_date_empty(start, end):
    endorsement = EndorsementFactory.build(output=EndorsementFactory().output, start_date=start, end_date=end)

    endorsement.full_clean()
    endorsement.save()
    assert Endorsement.objects.filter(pk=endorsement.pk, start_date=start, end_date=end).exists()


@pytest.mark.parametrize(
    ("factory", "parent", "model_name"),
    [
        (AccomplishmentFactory, "chairmanship", "Key accomplishment"),
        (RecommendationFactory, "chairmanship", "Recommendation"),
        (CarryForwardIssueFactory, "handed_over_in", "Carry-forward issue"),
    ],
    ids=["accomplishment", "recommendation", "carry-forward-issue"],
)
def test_numbers_are_unique_within_a_term(factory, parent, model_name):
    first = factory(number=1)
    same_term = first.chairmanship if parent == "chairmanship" else first.handed_over_in
    duplicate = factory.build(number=1, **{parent: same_term})

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert messages(error)["__all__"] == [f"{model_name} with this {parent_label(parent)} and Number already exists."]
    refused_by_database(duplicate)

    # The same number in another term is fine.
    factory(number=1)


def parent_label(parent: str) -> str:
    return {"chairmanship": "Chairmanship", "handed_over_in": "Handed over in"}[parent]


def test_a_carry_forward_issue_is_continued_once_per_term():
    earlier = CarryForwardIssueFactory()
    later_term = ChairmanshipFactory()
    CarryForwardIssueFactory(handed_over_in=later_term, origin=earlier.origin, continues=earlier, number=1)
    again = CarryForwardIssueFactory.build(
        handed_over_in=later_term, origin=earlier.origin, continues=earlier, number=2
    )

    with pytest.raises(ValidationError) as error:
        again.full_clean()
    assert messages(error)["__all__"] == ["This term's report already carries that earlier issue forward."]
    refused_by_database(again)


@pytest.fixture
def three_terms():
    """Three consecutive terms, oldest first."""
    return [
        ChairmanshipFactory(start_date=datetime.date(year, 1, 1), end_date=datetime.date(year, 12, 31))
        for year in (2801, 2802, 2803)
    ]


def test_an_issues_terms_follow_the_calendar(three_terms):
    first, second, third = three_terms
    listed = CarryForwardIssueFactory(handed_over_in=second, origin=first)
    continued = CarryForwardIssueFactory(handed_over_in=third, origin=first, continues=listed)
    listed.full_clean()
    continued.full_clean()

    for field, change in [
        ("origin", {"origin": third}),  # raised after the report that lists it
        ("resolved_in", {"resolved_in": first, "origin": second}),  # resolved before it was raised
    ]:
        issue = CarryForwardIssueFactory.build(handed_over_in=second, number=9, **{"origin": first, **change})
        with pytest.raises(ValidationError) as error:
            issue.full_clean()
        assert list(messages(error)) == [field]
    # A listing continues an earlier one, never a later one or one of its own report: no cycle.
    listed.continues = continued
    with pytest.raises(ValidationError) as error:
        listed.full_clean()
    assert messages(error)["continues"] == ["An issue continues the same issue as listed in an earlier report."]


def test_chairmanship_slugs_are_unique():
    ChairmanshipFactory(slug="2101-dup", start_date=D(2101, 1, 1), end_date=D(2101, 6, 30))
    duplicate = Chairmanship(
        agency=AgencyFactory(), slug="2101-dup", start_date=D(2101, 7, 1), end_date=D(2101, 12, 31)
    )

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert messages(error)["slug"] == ["Chairmanship with this Slug already exists."]
    refused_by_database(duplicate)


def test_agency_acronyms_are_unique():
    Agency.objects.create(acronym="ILO", name="International Labour Organization")
    duplicate = Agency(acronym="ILO", name="Another ILO")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert messages(error)["acronym"] == ["Agency with this Acronym already exists."]
    refused_by_database(duplicate)


# Slugs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("acronym", "start", "end", "slug"),
    [
        ("ILO", D(2014, 1, 1), D(2014, 12, 31), "2014-ilo"),
        ("UN DESA", D(2007, 7, 1), D(2007, 12, 31), "2007-un-desa"),
        ("WB", D(2015, 1, 1), D(2015, 12, 31), "2015-wb"),
    ],
)
def test_a_term_slug_is_the_start_year_and_the_agency(acronym, start, end, slug):
    assert term(acronym, start, end).slug == slug


def test_a_second_term_of_an_agency_in_the_same_year_gets_a_suffix():
    first = term("IOM", D(2101, 1, 1), D(2101, 6, 30))
    second = term("IOM", D(2101, 7, 1), D(2101, 9, 30))
    third = term("IOM", D(2101, 10, 1), D(2101, 12, 31))
    other_agency = term("ILO", D(2102, 1, 1), D(2102, 6, 30))

    assert [first.slug, second.slug, third.slug, other_agency.slug] == [
        "2101-iom",
        "2101-iom-2",
        "2101-iom-3",
        "2102-ilo",
    ]


def test_a_slug_stays_when_the_dates_change():
    chairmanship = term("ILO", D(2101, 1, 1), D(2101, 12, 31))

    chairmanship.start_date, chairmanship.end_date = D(2102, 1, 1), D(2102, 12, 31)
    chairmanship.full_clean()
    chairmanship.save()

    chairmanship.refresh_from_db()
    assert chairmanship.slug == "2101-ilo"


# Terms never overlap ------------------------------------------------------------


@pytest.fixture
def six_month_terms() -> dict[str, Chairmanship]:
    """UNICEF Jan–Jun 2011, UNESCO Jul–Dec 2011, (Jan–Jun 2012 unknown), UNODC Jul–Dec 2012."""
    return {
        "unicef": term("UNICEF", D(2011, 1, 1), D(2011, 6, 30)),
        "unesco": term("UNESCO", D(2011, 7, 1), D(2011, 12, 31)),
        "unodc": term("UNODC", D(2012, 7, 1), D(2012, 12, 31)),
    }


def test_adjacent_six_month_terms_and_a_gap_are_accepted(six_month_terms):
    assert list(Chairmanship.objects.order_by("start_date").values_list("slug", flat=True)) == [
        "2011-unicef",
        "2011-unesco",
        "2012-unodc",
    ]
    # The unknown half-year in the gap can still be filled in.
    assert term("UNHCR", D(2012, 1, 1), D(2012, 6, 30)).slug == "2012-unhcr"


def test_saving_a_term_again_does_not_clash_with_itself(six_month_terms):
    unesco = six_month_terms["unesco"]
    unesco.theme = "Migration and youth"

    unesco.full_clean()


@pytest.mark.parametrize(
    ("start", "end", "clashes"),
    [
        (D(2011, 6, 1), D(2011, 9, 30), ["2011-unicef", "2011-unesco"]),  # straddles two terms
        (D(2011, 6, 30), D(2011, 6, 30), ["2011-unicef"]),  # the last day of a term
        (D(2011, 12, 1), D(2012, 1, 31), ["2011-unesco"]),  # runs into the gap
        (D(2010, 1, 1), D(2013, 12, 31), ["2011-unicef", "2011-unesco", "2012-unodc"]),  # covers all
    ],
    ids=["straddles", "shared-day", "into-the-gap", "covers-all"],
)
def test_an_overlapping_term_is_refused_naming_the_terms_it_overlaps(six_month_terms, start, end, clashes):
    overlapping = Chairmanship(agency=AgencyFactory(acronym="UNFPA"), start_date=start, end_date=end)

    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()

    (message,) = messages(error)["start_date"]
    assert message.startswith("This term overlaps ")
    named = [slug for slug in ("2011-unicef", "2011-unesco", "2012-unodc") if f"[{slug}]" in message]
    assert named == clashes
    # Each conflicting term is named by its chair and dates too, not only by its slug.
    for slug in clashes:
        assert f"Agency {slug.split('-', 1)[1].upper()} (" in message


def test_moving_a_term_onto_its_neighbour_is_refused(six_month_terms):
    unesco = six_month_terms["unesco"]
    unesco.start_date = D(2011, 6, 15)

    with pytest.raises(ValidationError) as error:
        unesco.full_clean()
    assert "[2011-unicef]" in messages(error)["start_date"][0]


def test_the_database_refuses_an_overlapping_term_on_postgresql(postgres_only, six_month_terms):
    overlapping = Chairmanship(
        agency=AgencyFactory(acronym="UNFPA"), slug="2011-unfpa", start_date=D(2011, 6, 1), end_date=D(2011, 9, 30)
    )
    refused_by_database(overlapping)

    shared_day = Chairmanship(
        agency=AgencyFactory(acronym="UNFPA"), slug="2011-unfpa-2", start_date=D(2011, 12, 31), end_date=D(2012, 1, 5)
    )
    refused_by_database(shared_day)

    # An adjacent term in the gap is fine for the constraint too.
    Chairmanship(
        agency=AgencyFactory(acronym="UNFPA"), slug="2012-unfpa", start_date=D(2012, 1, 1), end_date=D(2012, 6, 30)
    ).save()


# Names ------------------------------------------------------------------------------


def test_a_term_is_shown_with_its_chair_and_dates():
    escap = term("ESCAP", D(2013, 1, 1), D(2013, 6, 30), chair_label="Regional Commissions, coordinated by ESCAP")
    ilo = Chairmanship(
        agency=Agency.objects.create(acronym="ILO", name="International Labour Organization"),
        start_date=D(2014, 1, 1),
        end_date=D(2014, 12, 31),
    )
    straddling = Chairmanship(agency=ilo.agency, start_date=D(2015, 7, 1), end_date=D(2016, 6, 30))

    assert str(escap) == "Regional Commissions, coordinated by ESCAP (1 January – 30 June 2013)"
    assert str(ilo) == "International Labour Organization (1 January – 31 December 2014)"
    assert straddling.term_label == "1 July 2015 – 30 June 2016"
