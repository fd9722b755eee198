"""Anonymous public pages and API reads come from the page cache while the data is unchanged, and never leak."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import EventFactory
from workplan.models import Event


@pytest.fixture
def event(db) -> Event:
    return EventFactory(title="Consultation on labour migration statistics")


EVENTS = "/events/"
API_EVENTS = "/api/v1/events/"


def _get(client: Client, path: str, **extra):
    response = client.get(path, **extra)
    assert response.status_code == 200, (path, response.status_code)
    return response


@pytest.mark.parametrize("path", [EVENTS, API_EVENTS])
def test_an_anonymous_repeat_runs_no_domain_query(client, event, path, django_assert_max_num_queries):
    first = _get(client, path)
    assert event.title in first.content.decode()
    # No query at all: no session cookie, so no session or user read, and the page comes from the cache.
    with django_assert_max_num_queries(0):
        again = _get(client, path)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_a_head_served_from_the_cache_matches_a_fresh_get(client, event, django_assert_max_num_queries):
    fresh = _get(client, EVENTS)
    with django_assert_max_num_queries(0):
        head = client.head(EVENTS)
    assert head.status_code == 200
    for header in ("Content-Type", "Vary", "Content-Language", "Content-Security-Policy"):
        assert head.get(header) == fresh.get(header), header


def test_the_cached_page_keeps_the_vary_headers(client, event):
    _get(client, EVENTS)
    vary = {part.strip() for part in _get(client, EVENTS)["Vary"].split(",")}
    assert {"Cookie", "Accept-Language"} <= vary


@pytest.mark.parametrize("path", [EVENTS, API_EVENTS])
def test_an_edit_makes_the_next_request_fresh(client, event, path):
    _get(client, path)
    event.title = "Renamed: global forum on remittances"
    event.save()
    content = _get(client, path).content.decode()
    assert "Renamed: global forum on remittances" in content
    assert "Consultation on labour migration statistics" not in content


def test_a_deleted_event_leaves_the_list(client, event):
    _get(client, EVENTS)
    event.delete()
    assert "Consultation on labour migration statistics" not in _get(client, EVENTS).content.decode()


def test_the_workplan_page_sees_a_new_event_of_its_term(client, event):
    path = reverse("workplan:workplan-detail", kwargs={"slug": event.chairmanship.slug})
    _get(client, path)
    EventFactory(chairmanship=event.chairmanship, title="Side event on climate mobility")
    assert "Side event on climate mobility" in _get(client, path).content.decode()


def test_a_signed_in_user_never_gets_the_anonymous_page(client, secretariat_client, secretariat_user, event):
    anonymous = _get(client, EVENTS).content.decode()
    assert "Sign in" in anonymous
    signed_in = _get(secretariat_client, EVENTS).content.decode()
    assert f"Signed in as {secretariat_user.get_username()}" in signed_in
    # ... and the anonymous visitor never gets the signed-in page.
    again = _get(client, EVENTS).content.decode()
    assert secretariat_user.get_username() not in again
    assert "Sign in" in again


def test_a_signed_in_page_is_never_stored_for_anonymous_visitors(client, secretariat_client, secretariat_user, event):
    _get(secretariat_client, EVENTS)
    page = _get(client, EVENTS).content.decode()
    assert secretariat_user.get_username() not in page


def test_a_token_caller_is_not_served_from_the_cache(client, event, django_assert_max_num_queries):
    _get(client, API_EVENTS)
    # A wrong token is a 401, not the cached anonymous list.
    response = client.get(API_EVENTS, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401


def test_a_different_query_string_is_a_different_entry(client, event):
    other = EventFactory(chairmanship=event.chairmanship, title="Expert meeting on return migration")
    everything = _get(client, EVENTS).content.decode()
    assert other.title in everything and event.title in everything
    filtered = _get(client, EVENTS, data={"q": "return"}).content.decode()
    assert other.title in filtered
    assert event.title not in filtered


def test_a_different_language_is_a_different_entry(client, event):
    english = _get(client, EVENTS, HTTP_ACCEPT_LANGUAGE="en")
    french = _get(client, EVENTS, HTTP_ACCEPT_LANGUAGE="fr")
    assert english["Content-Language"] == "en"
    assert french["Content-Language"] == "fr"
    assert '<html lang="fr">' in french.content.decode()
    assert '<html lang="en">' in _get(client, EVENTS, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_cached_page_carries_no_csrf_token_and_sets_no_cookie(event):
    first_visitor = Client(enforce_csrf_checks=True)
    first_visitor.get("/admin/login/")  # now holds a CSRF cookie of its own
    assert "csrftoken" in first_visitor.cookies
    page = _get(first_visitor, EVENTS)
    assert "csrfmiddlewaretoken" not in page.content.decode()
    second = _get(Client(enforce_csrf_checks=True), EVENTS)
    assert second.content == page.content
    assert "csrfmiddlewaretoken" not in second.content.decode()
    assert "csrftoken" not in second.cookies


def test_the_language_switcher_works_without_a_token(event):
    visitor = Client(enforce_csrf_checks=True)
    _get(visitor, EVENTS)
    response = visitor.post("/i18n/setlang/", {"language": "es", "next": EVENTS})
    assert response.status_code == 302
    page = _get(visitor, EVENTS).content.decode()
    assert '<html lang="es">' in page
    assert re.search(r'<option value="es"[^>]* selected', page)


def test_a_not_found_page_is_not_cached(client, event):
    missing = reverse("workplan:event-detail", kwargs={"pk": event.pk + 1000})
    assert client.get(missing).status_code == 404
    EventFactory(pk=event.pk + 1000, chairmanship=event.chairmanship, title="Arrived later")
    assert "Arrived later" in _get(client, missing).content.decode()


def test_an_update_behind_the_signals_is_not_seen_until_a_bump(client, event):
    # Writes that skip the signals bump themselves (data_generation_bump); this one does not.
    _get(client, EVENTS)
    Event.objects.filter(pk=event.pk).update(title="Changed behind the signals")
    assert "Changed behind the signals" not in _get(client, EVENTS).content.decode()


# Nobody can make others see a page rendered for their own request --------------------


def test_a_page_rendered_for_another_host_is_not_served_to_this_one(client, db):
    EventFactory.create_batch(2)
    path = f"{API_EVENTS}?page_size=1"
    poisoned = _get(client, path, HTTP_HOST="localhost").json()
    assert poisoned["next"].startswith("http://localhost/")

    honest = _get(client, path).json()

    assert honest["next"].startswith("http://testserver/")


def test_a_page_rendered_over_https_is_not_served_over_http(client, db):
    EventFactory.create_batch(2)
    path = f"{API_EVENTS}?page_size=1"
    assert _get(client, path, HTTP_X_FORWARDED_PROTO="https").json()["next"].startswith("https://")

    assert _get(client, path).json()["next"].startswith("http://")


@pytest.mark.parametrize("path", [EVENTS, API_EVENTS, "/carry-forward/", "/recommendations/"])
def test_parameters_a_page_does_not_use_share_its_entry(client, event, path, django_assert_max_num_queries):
    plain = _get(client, path)

    with django_assert_max_num_queries(0):
        for junk in ("utm_source=newsletter", "x=1&y=2", "cachebuster=8814"):
            tagged = _get(client, f"{path}?{junk}")
            assert tagged.content == plain.content


def test_parameters_a_page_does_not_use_never_reach_its_links(client, db):
    EventFactory.create_batch(30)

    page = _get(client, f"{EVENTS}?kind=meeting&tracking=%3Cevil%3E").content.decode()
    api = _get(client, f"{API_EVENTS}?page_size=1&tracking=evil").json()

    assert "tracking" not in page and "evil" not in page
    assert "kind=meeting" in page  # a parameter the page uses is kept in its links
    assert "tracking" not in api["next"]


def test_parameters_a_page_uses_still_make_their_own_entries(client, db):
    EventFactory(title="A meeting", kind="meeting")
    EventFactory(title="A launch", kind="launch")

    meetings = _get(client, f"{EVENTS}?kind=meeting").content.decode()
    launches = _get(client, f"{EVENTS}?kind=launch").content.decode()

    assert "A meeting" in meetings and "A launch" not in meetings
    assert "A launch" in launches and "A meeting" not in launches
