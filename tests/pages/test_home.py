"""The home page and the base layout every page shares."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from tests.factories import CarryForwardIssueFactory
from tests.factories import ChairmanshipFactory
from tests.factories import EventFactory
from tests.workplan.bulk import add_events

HOME = reverse("pages:home")


@time_machine.travel(datetime.date(2014, 6, 1))
def test_home_shows_the_current_chair_theme_and_troika(gmg, client):
    response = client.get(HOME)
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["home_rotation"].current.slug == "2014-ilo"
    assert [t.slug for t in response.context["home_rotation"].troika] == ["2013-iom", "2014-ilo", "2015-wb"]
    assert "<strong>International Labour Organization</strong>" in html
    assert "Advancing Strategic Coo" in html  # the 2014 theme
    assert "Previous chair: <a" in html and "Next chair: <a" in html


@time_machine.travel(datetime.date(2014, 6, 1))
def test_home_lists_upcoming_and_recent_events(gmg, client):
    response = client.get(HOME)

    upcoming = [e.start_date for e in response.context["upcoming_events"]]
    recent = [e.end_date for e in response.context["recent_events"]]  # latest ended first
    assert upcoming == sorted(upcoming) and upcoming[0] == datetime.date(2014, 7, 8)
    assert recent == sorted(recent, reverse=True) and recent[0] == datetime.date(2014, 5, 16)
    assert len(upcoming) == 5
    assert len(recent) == 4  # every 2014 event that had ended by 1 June (the teleconference and three in Stockholm)


def test_no_upcoming_event_is_one_line_not_an_empty_box(gmg, client):
    html = client.get(HOME).content.decode()  # today every recorded event is long past

    assert '<p class="upcoming-none">No upcoming event is recorded.</p>' in html
    assert 'id="upcoming-heading"' not in html
    assert html.count('class="card"') == 1  # only the recent events


@time_machine.travel(datetime.date(2014, 6, 1))
def test_upcoming_events_have_their_box(gmg, client):
    html = client.get(HOME).content.decode()

    assert 'id="upcoming-heading"' in html
    assert "upcoming-none" not in html


def test_the_latest_outputs_link_to_their_pages(gmg, client):
    response = client.get(HOME)
    html = response.content.decode()

    for output in response.context["latest_outputs"]:
        assert f'href="{reverse("workplan:output-detail", args=[output.pk])}"' in html
    assert f'href="{reverse("workplan:output-list")}"' in html


@time_machine.travel(datetime.date(2014, 10, 17))
def test_an_event_under_way_counts_as_upcoming(gmg, client):
    response = client.get(HOME)

    # The Technical Working Level Meeting (16–17 October) has not ended yet.
    assert response.context["upcoming_events"][0].title == (
        "Technical Working Level Meeting on Realizing Post-2015 Aspirations for Migrants and Migration"
    )


def test_home_lists_latest_outputs_and_open_issues(gmg, client):
    response = client.get(HOME)
    html = response.content.decode()

    assert len(response.context["latest_outputs"]) == 5
    assert {o.chairmanship.slug for o in response.context["latest_outputs"]} == {"2014-ilo"}
    issues = response.context["open_issues"]
    assert len(issues) == 10  # the first ten of the fourteen, with a link to the tracker
    assert all(issue.status == "open" for issue in issues)
    assert f'href="{reverse("chairmanship:carry-forward")}"' in html
    assert "first raised by ESCAP 2013" in html


def test_an_issue_carried_on_is_listed_once_as_last_handed_over(db, client):
    first, second = ChairmanshipFactory(), ChairmanshipFactory()
    earlier = CarryForwardIssueFactory(handed_over_in=first, origin=first, text="Carried on")
    CarryForwardIssueFactory(handed_over_in=second, origin=first, text="Carried on", continues=earlier)
    CarryForwardIssueFactory(handed_over_in=second, origin=second, text="Settled", status="resolved")

    issues = client.get(HOME).context["open_issues"]

    assert [(i.text, i.handed_over_in) for i in issues] == [("Carried on", second)]


def test_home_without_any_term(db, client):
    response = client.get(HOME)

    assert response.status_code == 200
    assert "No chairmanship has been recorded yet." in response.content.decode()


# The base layout, checked on the home page ------------------------------------


@time_machine.travel(datetime.date(2014, 6, 1))
def test_layout_has_landmarks_skip_link_navigation_and_banner(gmg, client):
    html = client.get(HOME).content.decode()

    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    for name in (
        "workplan:workplan-current",
        "workplan:event-list",
        "workplan:working-group-list",
        "chairmanship:carry-forward",
        "chairmanship:recommendation-list",
    ):
        assert f'href="{reverse(name)}"' in html
    assert f'<a href="{HOME}" aria-current="page">' in html
    banner = re.search(r'<aside class="chair-banner".*?</aside>', html, re.S).group(0)
    assert "International Labour Organization" in banner
    assert re.search(r"IOM</span>.*ILO</span>.*WB</span>", banner, re.S)  # the troika, in order


def _language_form(html: str) -> str:
    return re.search(r'<form class="language-form".*?</form>', html, re.S).group(0)


def test_language_switcher_posts_to_set_language_with_a_label(db, client):
    form = _language_form(client.get(HOME).content.decode())
    assert f'action="{reverse("set_language")}" method="post"' in form
    # The home page may be served from the page cache to others: it carries nobody's CSRF token
    # (set_language does not ask for one); a page never shared, such as the sign-in page, does.
    assert 'name="csrfmiddlewaretoken"' not in form
    assert 'name="csrfmiddlewaretoken"' in _language_form(client.get(reverse("login")).content.decode())
    assert '<label for="language-select">' in form
    assert [code for code in re.findall(r'<option value="(\w+)"', form)] == ["en", "fr", "es"]


def test_switching_language_changes_the_page_language(db, client):
    try:
        response = client.post(reverse("set_language"), {"language": "es", "next": HOME}, follow=True)
    finally:
        translation.activate("en")  # the request left Spanish active in this thread

    assert '<html lang="es">' in response.content.decode()


def test_layout_uses_only_the_apps_own_stylesheet(db, client):
    html = client.get(HOME).content.decode()

    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["/static/css/portal.css"]
    assert "http://" not in html.split("<body")[0] and "https://" not in html.split("<body")[0]


@pytest.mark.parametrize("client_fixture", ["anonymous_client", "agency_client", "secretariat_client"])
def test_home_is_public(db, request, client_fixture):
    client = request.getfixturevalue(client_fixture)

    assert client.get(HOME).status_code == 200


def test_home_query_count_is_fixed(gmg, client, django_assert_max_num_queries):
    term = ChairmanshipFactory()
    add_events(3000, term=term)
    EventFactory(chairmanship=term)

    # all terms (rotation and banner share them); upcoming events; recent events; latest outputs; open issues
    with django_assert_max_num_queries(5):
        response = client.get(HOME)
    assert response.status_code == 200
