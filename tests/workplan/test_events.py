"""The events list: filters (alone and combined) against the real 2014 data, search, paging, bad input."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from tests.factories import WorkingGroupFactory
from tests.workplan.bulk import add_events
from workplan.models import Event
from workplan.models import WorkingGroup

URL = reverse("workplan:event-list")


def listed_titles(response) -> list[str]:
    """Event titles in the order the page lists them."""
    return [event.title for event in response.context["page"].object_list]


def listed_pks(response) -> set[int]:
    return {event.pk for event in response.context["page"].object_list}


# The 2014 events by their fixture primary keys (fixtures/gmg.json). 1, 3 and 5 were the sessions of the HLCP,
# the CEB and the GFMD Summit: meetings of other bodies, now endorsements of the outputs they considered.
EVENTS_2014 = {2, 4, *range(6, 17)}
SIDE_EVENTS = {4, 6, 9}
STOCKHOLM = {4, 6, 7}
NEW_YORK = {9, 10, 11, 12}
BY_GFMD = {7, 9}
BY_ILO = {2, 9, 11, 16}  # where the seed names the Chair among those who held it


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "side_event"}, SIDE_EVENTS),
        ({"city": "Stockholm"}, STOCKHOLM),
        ({"city": "stockholm"}, STOCKHOLM),  # case-insensitive
        ({"city": "STOCKHOLM"}, STOCKHOLM),
        ({"country": "SE"}, STOCKHOLM),
        ({"country": "US"}, NEW_YORK),
        ({"agency": "GFMD"}, BY_GFMD),
        ({"agency": "ILO"}, BY_ILO),
        ({"chairmanship": "2014-ilo"}, EVENTS_2014),
        ({"chairmanship": "2015-wb"}, set()),
        ({"year": "2014"}, EVENTS_2014),
        ({"year": "2013"}, set()),
        ({"working_group": "data-and-research"}, set()),  # the seed ties no event to a group
        # Combinations narrow the list: every filter must hold.
        ({"kind": "side_event", "city": "stockholm"}, {4, 6}),
        ({"kind": "side_event", "agency": "GFMD"}, {9}),
        ({"country": "SE", "agency": "GFMD"}, {7}),
        ({"kind": "side_event", "country": "US", "agency": "ILO", "year": "2014"}, {9}),
        ({"chairmanship": "2014-ilo", "kind": "meeting", "city": "Stockholm"}, {7}),
        ({"kind": "launch", "agency": "UNICEF"}, {16}),
        ({"city": "Stockholm", "country": "US"}, set()),
    ],
)
def test_filters_against_the_2014_events(gmg, client, query, expected):
    response = client.get(URL, query)

    assert response.status_code == 200
    assert listed_pks(response) == expected
    assert response.context["paginator"].count == len(expected)


def test_working_group_filter_finds_the_groups_events(gmg, client):
    group = WorkingGroup.objects.get(slug="migration-human-rights-and-gender")
    Event.objects.get(pk=6).working_groups.add(group)

    response = client.get(URL, {"working_group": "migration-human-rights-and-gender"})

    assert listed_titles(response) == ["Migration and Youth: Challenges and Opportunities"]


def test_the_list_is_newest_first_with_the_count_shown(gmg, client):
    response = client.get(URL, {"city": "stockholm"})

    assert [event.start_date.isoformat() for event in response.context["page"].object_list] == [
        "2014-05-16",
        "2014-05-15",
        "2014-05-13",
    ]
    assert re.search(r"<strong>\s*3 events\s*</strong>", response.content.decode())


def test_the_form_keeps_its_state(gmg, client):
    response = client.get(URL, {"kind": "side_event", "city": "Stockholm", "q": "youth"})
    html = response.content.decode()

    assert '<option value="side_event" selected>' in html
    assert '<option value="Stockholm" selected>Stockholm</option>' in html
    assert 'name="q" value="youth"' in html


def test_every_control_has_a_label(gmg, client):
    html = client.get(URL).content.decode()

    for name in ("q", "chairmanship", "year", "kind", "country", "city", "working_group", "agency"):
        assert f'<label for="id_{name}">' in html
        assert f'id="id_{name}"' in html
    # The empty choice of each select reads "Any", not a row of dashes (every filter but the search is a select).
    assert len(re.findall(r'<option value=""( selected)?>Any</option>', html)) == 7
    assert "---------" not in html


def test_the_list_links_its_filtered_feed_and_csv(gmg, client):
    html = client.get(URL, {"kind": "side_event", "city": "stockholm", "page": "1"}).content.decode()

    assert f'href="{reverse("workplan:event-ics")}?kind=side_event&amp;city=stockholm"' in html
    assert f'href="{reverse("workplan:event-csv")}?kind=side_event&amp;city=stockholm"' in html


def test_search_finds_words_in_titles_and_summaries(gmg, client):
    response = client.get(URL, {"q": "youth"})

    assert listed_pks(response) == {6, 16}


def test_search_looks_in_forum_city_and_summary(gmg, client):
    assert listed_pks(client.get(URL, {"q": "ECOSOC"})) == {9}  # only in forum and summary
    assert 4 in listed_pks(client.get(URL, {"q": "Stockholm"}))  # only in city
    assert listed_pks(client.get(URL, {"q": "International Migrants' Day"})) == {16}  # only in the summary


def test_search_needs_every_word(gmg, client):
    # "Youth" alone finds two events; only the side event was in Stockholm.
    assert listed_pks(client.get(URL, {"q": "youth Stockholm"})) == {6}


def test_search_combines_with_filters(gmg, client):
    response = client.get(URL, {"q": "youth", "kind": "side_event"})

    assert listed_pks(response) == {6}


def test_search_ranks_title_matches_first_on_postgresql(db, postgres_only, client):
    term = ChairmanshipFactory()
    older_title_match = EventFactory(chairmanship=term, title="Remittances and remittance costs")
    newer_summary_match = EventFactory(
        chairmanship=term,
        title="Annual meeting",
        summary="Among other things, remittances were mentioned.",
        start_date=older_title_match.start_date + datetime.timedelta(days=100),
    )

    response = client.get(URL, {"q": "remittances"})

    assert listed_titles(response) == [older_title_match.title, newer_summary_match.title]


def test_pages_hold_25_events_and_none_twice(db, client):
    add_events(60)

    pages = [client.get(URL, {"page": str(number)}) for number in (1, 2, 3)]

    assert [len(page.context["page"].object_list) for page in pages] == [25, 25, 10]
    assert pages[0].context["paginator"].num_pages == 3
    seen = [pk for page in pages for pk in listed_pks(page)]
    assert len(seen) == len(set(seen)) == 60
    html = pages[0].content.decode()
    assert "Page 1 of 3" in html
    assert 'href="?page=2" rel="next"' in html


def test_page_links_keep_the_filters_across_pages(db, client):
    add_events(90)  # 30 in Bangkok: two pages

    response = client.get(URL, {"city": "bangkok", "page": "2"})
    html = response.content.decode()

    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 5
    assert 'href="?city=bangkok&amp;page=1"' in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"year": "abc"}, "year", "Enter a number."),
        ({"year": "-1"}, "year", "Ensure this value is greater than or equal to 1."),
        ({"year": "99999999999999999999"}, "year", "Ensure this value is less than or equal to 9999."),
        ({"year": "1e5"}, "year", "Ensure this value is less than or equal to 9999."),
        ({"year": "2014.5"}, "year", "Ensure that there are no more than 0 decimal places."),
        ({"kind": "nope"}, "kind", "Select a valid choice."),
        ({"chairmanship": "1999-nobody"}, "chairmanship", "Select a valid choice."),
        ({"working_group": "no-such-group"}, "working_group", "Select a valid choice."),
        ({"agency": "NOBODY"}, "agency", "Select a valid choice."),
        ({"country": "XX"}, "country", "Select a valid choice."),
    ],
)
def test_invalid_filters_give_a_form_error_naming_the_field(gmg, client, query, field, message):
    response = client.get(URL, query)
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["page"] is None  # no list built from half the filters
    assert field in response.context["filter"].errors
    assert message in html
    label = str(response.context["filter"].form.fields[field].label)
    assert f'<a href="#id_{field}">{label}</a>: {message}' in html


@pytest.mark.parametrize("page", ["999", "0", "abc", "-1"])
def test_a_page_that_does_not_exist_says_so(gmg, client, page):
    response = client.get(URL, {"kind": "side_event", "page": page})
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["page"] is None
    assert "page: " in html
    assert 'href="?kind=side_event"' in html  # back to the first page, filters kept


def test_a_second_group_with_events_does_not_leak_into_the_first(db, client):
    term = ChairmanshipFactory()
    one, other = WorkingGroupFactory(), WorkingGroupFactory()
    mine = EventFactory(chairmanship=term)
    mine.working_groups.add(one)
    EventFactory(chairmanship=term).working_groups.add(other)

    response = client.get(URL, {"working_group": one.slug})

    assert listed_pks(response) == {mine.pk}


def test_query_count_is_fixed_with_3000_more_events(gmg, client, django_assert_max_num_queries):
    add_events(3000)

    # terms for the banner; count; the page of events; their organisers; their working groups;
    # the options of the selects, one query each: terms, years, countries, cities, working groups, organisers
    with django_assert_max_num_queries(11):
        response = client.get(URL, {"country": "CH"})
    assert response.status_code == 200
    assert response.context["paginator"].count == 1000 + 1  # 1000 bulk events in Geneva and the 2014 briefing

    with django_assert_max_num_queries(11):
        response = client.get(URL, {"q": "meeting", "page": "3"})
    assert len(response.context["page"].object_list) == 25
