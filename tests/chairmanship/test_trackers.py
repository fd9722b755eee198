"""The carry-forward tracker (lineage, age, counts) and the recommendations tracker."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from chairmanship.models import CarryForwardIssue
from chairmanship.models import Recommendation
from chairmanship.selectors import format_age
from tests.factories import CarryForwardIssueFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EndorsementFactory
from tests.factories import OutputFactory
from tests.factories import RecommendationFactory
from tests.workplan.bulk import add_events

D = datetime.date
CARRY_FORWARD = reverse("chairmanship:carry-forward")
RECOMMENDATIONS = reverse("chairmanship:recommendation-list")


def rows_by_text(response) -> dict[str, object]:
    return {row.issue.text: row for row in response.context["issues"]}


def lineage_slugs(row) -> list[str]:
    return [term.slug for term in row.lineage]


@pytest.fixture
def chain(db):
    """One issue raised in the first of three terms and carried through the next two reports."""
    first, second, third = (
        ChairmanshipFactory(start_date=D(year, 1, 1), end_date=D(year, 12, 31)) for year in (2101, 2102, 2103)
    )
    listed_first = CarryForwardIssueFactory(handed_over_in=first, origin=first, text="Review the GMG")
    listed_second = CarryForwardIssueFactory(
        handed_over_in=second, origin=first, text="Review the GMG (again)", continues=listed_first
    )
    listed_third = CarryForwardIssueFactory(
        handed_over_in=third,
        origin=first,
        text="Review the GMG (still)",
        continues=listed_second,
        status=CarryForwardIssue.Status.IN_PROGRESS,
    )
    late = CarryForwardIssueFactory(handed_over_in=third, origin=second, text="Membership")
    return {"terms": (first, second, third), "issues": (listed_first, listed_second, listed_third), "late": late}


@time_machine.travel(D(2104, 3, 15))
def test_each_listing_shows_the_whole_chain_of_terms(chain, client):
    rows = rows_by_text(client.get(CARRY_FORWARD))
    first, second, third = (term.slug for term in chain["terms"])

    # Back through `continues` and forward through `continuations`, from any listing.
    assert lineage_slugs(rows["Review the GMG"]) == [first, second, third]
    assert lineage_slugs(rows["Review the GMG (again)"]) == [first, second, third]
    assert lineage_slugs(rows["Review the GMG (still)"]) == [first, second, third]
    # Raised in one term and first listed in a later report: both terms.
    assert lineage_slugs(rows["Membership"]) == [second, third]


@time_machine.travel(D(2104, 3, 15))
def test_age_counts_from_the_start_of_the_term_that_first_raised_it(chain, client):
    response = client.get(CARRY_FORWARD)
    rows = rows_by_text(response)
    html = response.content.decode()

    assert rows["Review the GMG (still)"].age_days == (D(2104, 3, 15) - D(2101, 1, 1)).days
    assert rows["Review the GMG (still)"].age == "3 years, 2 months"
    assert rows["Membership"].age == "2 years, 2 months"
    assert ">3 years, 2 months</span>" in html
    # From when to when: the start of the term that raised it, and today.
    assert rows["Review the GMG (still)"].until == D(2104, 3, 15)
    first = chain["terms"][0]
    assert f"from 1 January 2101 ({first.agency.acronym})" in html
    assert "to today, 15 March 2104" in html


@pytest.mark.parametrize(
    ("since", "today", "expected"),
    [
        (D(2014, 1, 1), D(2014, 1, 1), "0 days"),
        (D(2014, 1, 1), D(2014, 1, 2), "1 day"),
        (D(2014, 1, 1), D(2014, 1, 31), "30 days"),
        (D(2014, 1, 1), D(2014, 2, 1), "1 month"),
        (D(2014, 1, 31), D(2014, 2, 28), "28 days"),
        (D(2014, 1, 1), D(2015, 1, 1), "1 year"),
        (D(2014, 1, 1), D(2016, 3, 1), "2 years, 2 months"),
        (D(2013, 7, 1), D(2026, 11, 29), "13 years, 4 months"),
    ],
)
def test_age_is_shown_in_years_and_months_or_days(since, today, expected):
    assert format_age(days=(today - since).days, since=since) == expected


def test_counts_by_status_follow_the_other_filters(chain, client):
    first, second, third = chain["terms"]

    response = client.get(CARRY_FORWARD, {"origin": first.slug})
    counts = {value: count for value, _label, count in response.context["status_counts"]}

    assert counts == {"open": 2, "in_progress": 1, "resolved": 0, "dropped": 0}
    html = response.content.decode()
    assert f'href="?origin={first.slug}&amp;status=open"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "in_progress"}, {"Review the GMG (still)"}),
        ({"status": "open"}, {"Review the GMG", "Review the GMG (again)", "Membership"}),
        ({"origin": "SECOND"}, {"Membership"}),
        ({"handed_over_in": "THIRD"}, {"Review the GMG (still)", "Membership"}),
        ({"handed_over_in": "THIRD", "status": "open"}, {"Membership"}),
        ({"origin": "FIRST", "handed_over_in": "SECOND"}, {"Review the GMG (again)"}),
        ({"status": "resolved"}, set()),
    ],
)
def test_carry_forward_filters(chain, client, query, expected):
    names = dict(zip(("FIRST", "SECOND", "THIRD"), (term.slug for term in chain["terms"]), strict=True))
    query = {key: names.get(value, value) for key, value in query.items()}

    response = client.get(CARRY_FORWARD, query)

    assert set(rows_by_text(response)) == expected


def test_tracker_selects_offer_any_first(db, client):
    html = client.get(CARRY_FORWARD).content.decode() + client.get(RECOMMENDATIONS).content.decode()

    assert (
        len(re.findall(r'<option value=""( selected)?>Any</option>', html)) == 5
    )  # status, origin, handed over in; status, chairmanship
    assert "---------" not in html


def test_the_2014_issues_by_origin(gmg, client):
    response = client.get(CARRY_FORWARD, {"handed_over_in": "2014-ilo"})
    rows = response.context["issues"]

    assert len(rows) == 14
    assert [row.issue.origin.slug for row in rows[:3]] == ["2013-escap", "2013-iom", "2014-ilo"]
    assert lineage_slugs(rows[0]) == ["2013-escap", "2014-ilo"]
    assert lineage_slugs(rows[2]) == ["2014-ilo"]
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts["open"] == 14
    assert re.search(r"<h2 id=\"issues-heading\">14 issues</h2>", response.content.decode())
    assert len(rows_by_text(client.get(CARRY_FORWARD, {"origin": "2013-iom"}))) == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "bogus"}, "status"),
        ({"origin": "1900-nobody"}, "origin"),
        ({"handed_over_in": "x"}, "handed_over_in"),
    ],
)
def test_bad_carry_forward_filters_give_a_form_error(gmg, client, query, field):
    response = client.get(CARRY_FORWARD, query)

    assert response.status_code == 200
    assert field in response.context["filter"].errors
    assert response.context["issues"] == []
    assert "Select a valid choice." in response.content.decode()


def test_carry_forward_query_count_does_not_grow(chain, client, django_assert_max_num_queries):
    add_events(3000)
    first, second, third = chain["terms"]
    for _ in range(100):  # 100 more issues, each carried through all three reports
        listed = CarryForwardIssueFactory(handed_over_in=first, origin=first)
        listed = CarryForwardIssueFactory(handed_over_in=second, origin=first, continues=listed)
        CarryForwardIssueFactory(handed_over_in=third, origin=first, continues=listed)

    # the issues with their terms; every issue's links; all terms; counts by status;
    # the origin and handed-over-in selects; the banner's terms
    with django_assert_max_num_queries(7):
        response = client.get(CARRY_FORWARD)
    assert len(response.context["issues"]) == 304
    assert all(len(row.lineage) == 3 for row in response.context["issues"] if row.issue.origin == first)

    # + the term named by the filter
    with django_assert_max_num_queries(9):
        response = client.get(CARRY_FORWARD, {"origin": first.slug, "status": "open"})
    assert response.status_code == 200


# Recommendations --------------------------------------------------------------


def test_the_2014_recommendations_with_their_endorsement_trail(gmg, client):
    response = client.get(RECOMMENDATIONS)
    html = response.content.decode()

    recommendations = response.context["recommendations"]
    assert [r.number for r in recommendations] == [1, 2]
    assert all(r.status == Recommendation.Status.ENDORSED for r in recommendations)
    trail = list(recommendations[0].source_output.endorsements.all())
    assert [(step.body, step.outcome) for step in trail] == [
        ("HLCP", "forwarded"),
        ("CEB", "endorsed"),
        ("GMG Principals", "endorsed"),
    ]
    assert "Mainstream migration and the human rights of migrants" in html
    assert "<td>27th session</td>" in html
    assert "<td>Santiago, Chile</td>" in html
    assert "17 March 2014</time> – <time" in html
    assert "24 March 2014" in html
    assert "Forwarded" in html and "Endorsed" in html
    assert "HLCP/CEB synthesis paper" in html


def test_recommendation_filters(db, client):
    term, other = ChairmanshipFactory(), ChairmanshipFactory()
    RecommendationFactory(chairmanship=term, text="Proposed one", status=Recommendation.Status.PROPOSED)
    RecommendationFactory(chairmanship=term, text="Done one", status=Recommendation.Status.IMPLEMENTED)
    RecommendationFactory(chairmanship=other, text="Elsewhere", status=Recommendation.Status.PROPOSED)

    def texts(query):
        return {r.text for r in client.get(RECOMMENDATIONS, query).context["recommendations"]}

    assert texts({"status": "proposed"}) == {"Proposed one", "Elsewhere"}
    assert texts({"chairmanship": term.slug}) == {"Proposed one", "Done one"}
    assert texts({"chairmanship": term.slug, "status": "proposed"}) == {"Proposed one"}
    assert texts({"chairmanship": other.slug, "status": "implemented"}) == set()


@pytest.mark.parametrize(
    ("query", "field"), [({"status": "nope"}, "status"), ({"chairmanship": "1900-x"}, "chairmanship")]
)
def test_bad_recommendation_filters_give_a_form_error(db, client, query, field):
    response = client.get(RECOMMENDATIONS, query)

    assert response.status_code == 200
    assert field in response.context["filter"].errors
    assert "Select a valid choice." in response.content.decode()


def test_a_recommendation_without_a_trail_says_so(db, client):
    RecommendationFactory(source_output=None)
    RecommendationFactory(source_output=OutputFactory())

    html = client.get(RECOMMENDATIONS).content.decode()

    assert html.count("No endorsement is recorded.") == 2


def test_recommendations_query_count_does_not_grow(gmg, client, django_assert_max_num_queries):
    add_events(3000)
    term = ChairmanshipFactory()
    for _ in range(50):
        output = OutputFactory(chairmanship=term)
        EndorsementFactory(output=output)
        EndorsementFactory(output=output, body="CEB")
        RecommendationFactory(chairmanship=term, source_output=output)

    # recommendations with term and source output; the outputs' endorsements; the chairmanship select;
    # the banner's terms
    with django_assert_max_num_queries(4):
        response = client.get(RECOMMENDATIONS)
    assert len(response.context["recommendations"]) == 52
