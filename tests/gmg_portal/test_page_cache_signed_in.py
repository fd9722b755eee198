"""Signed-in readers are served from the page cache too: a page is shared within an audience, named per request.

The audience (gmg_portal.permissions.audience) is what changes a page besides its reader's name: which drafts
they read, the agency they speak for, whether the admin is theirs.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.test import Client

from chairmanship.models import Chairmanship
from jobs.engine import queue_pending_work
from jobs.engine import run
from reports.editions import PREPARING
from tests.factories import EventFactory

EVENTS = "/events/"
REPORTS = "/reports/"
DRAFT_LINK = 'href="/reports/2015-wb/"'  # the draft report, linked only for its readers


@pytest.fixture
def draft(gmg) -> Chairmanship:
    """The World Bank's 2015 term with something recorded: its report is "in preparation"."""
    term = Chairmanship.objects.get(slug="2015-wb")
    EventFactory(chairmanship=term, title="Briefing on remittances")
    return term


def _get(client: Client, path: str, **extra):
    response = client.get(path, **extra)
    assert response.status_code == 200, (path, response.status_code)
    return response


def _signed_in(user: User, **client_options) -> Client:
    client = Client(**client_options)
    client.force_login(user)
    return client


def _second_secretariat_member() -> User:
    user = User.objects.create_user(username="second-secretariat", is_staff=True)
    user.groups.add(Group.objects.get(name="Secretariat"))
    return user


def test_a_signed_in_repeat_reads_nothing_from_the_database(
    gmg, secretariat_client, secretariat_user, django_assert_num_queries
):
    _get(secretariat_client, EVENTS)
    # Who is asking (session, user, roles) is kept by this process since the first request; the page is shared.
    with django_assert_num_queries(0):
        again = _get(secretariat_client, EVENTS).content.decode()
    assert f"Signed in as {secretariat_user.get_username()}" in again
    assert "Edit (admin)" in again
    assert "Initial teleconference meeting on GFMD, GMG and SRSG cooperation" in again


def test_readers_of_one_audience_share_a_page_each_with_their_own_name_and_sign_out(
    gmg, secretariat_user, secretariat_client, django_assert_num_queries
):
    first = _get(secretariat_client, EVENTS).content.decode()
    colleague = _signed_in(_second_secretariat_member(), enforce_csrf_checks=True)
    # The colleague's session, user and roles (groups and focal point in one query); nothing of the records.
    with django_assert_num_queries(3):
        theirs = _get(colleague, EVENTS).content.decode()
    assert "Signed in as second-secretariat" in theirs
    assert secretariat_user.get_username() not in theirs.replace("second-secretariat", "")
    assert "Signed in as secretariat" in first

    token = re.search(r'class="sign-out-form".*?name="csrfmiddlewaretoken" value="([^"]+)"', theirs, re.S)[1]
    assert colleague.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "Sign in" in _get(colleague, EVENTS).content.decode()


def _sign_out_token(page: str) -> str:
    return re.search(r'class="sign-out-form".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S)[1]


def test_every_page_carries_a_fresh_token_that_the_csrf_check_accepts(gmg):
    reader = _signed_in(_second_secretariat_member(), enforce_csrf_checks=True)
    _get(reader, EVENTS)  # the CSRF cookie is set: from now on the links mask its secret afresh
    first, second = (_sign_out_token(_get(reader, EVENTS).content.decode()) for _ in range(2))
    assert first != second  # no two pages alike (BREACH)
    tampered = first[:-1] + ("a" if first[-1] != "a" else "b")
    assert reader.post("/accounts/password/", {"csrfmiddlewaretoken": tampered}).status_code == 403
    assert reader.post("/accounts/password/", {"csrfmiddlewaretoken": second}).status_code == 200  # the form's errors
    assert reader.post("/accounts/logout/", {"csrfmiddlewaretoken": first}).status_code == 302
    assert "Sign in" in _get(reader, EVENTS).content.decode()


def test_the_account_links_speak_the_pages_language(gmg, secretariat_client):
    _get(secretariat_client, EVENTS, HTTP_ACCEPT_LANGUAGE="en")
    french = _get(secretariat_client, EVENTS, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Connecté en tant que secretariat" in french
    assert "Se déconnecter" in french


def test_no_one_gets_a_page_made_for_an_audience_that_reads_more(
    draft,
    secretariat_client,
    principal_client,
    chair_focal_point_client,
    other_focal_point_client,
    agency_client,
    client,
):
    assert DRAFT_LINK in _get(secretariat_client, REPORTS).content.decode()
    assert DRAFT_LINK not in _get(other_focal_point_client, REPORTS).content.decode()
    assert DRAFT_LINK not in _get(agency_client, REPORTS).content.decode()
    assert DRAFT_LINK not in _get(client, REPORTS).content.decode()
    assert DRAFT_LINK in _get(chair_focal_point_client, REPORTS).content.decode()
    assert DRAFT_LINK in _get(principal_client, REPORTS).content.decode()
    # ... and the pages of those who read less were not kept for those who read more, nor the reverse.
    assert DRAFT_LINK in _get(secretariat_client, REPORTS).content.decode()
    assert DRAFT_LINK not in _get(other_focal_point_client, REPORTS).content.decode()


def test_the_menu_follows_the_audience(gmg, secretariat_client, chair_focal_point_client, principal_client):
    _get(secretariat_client, EVENTS)
    focal = _get(chair_focal_point_client, EVENTS).content.decode()
    assert "My agency" in focal and "Edit (admin)" not in focal
    principal = _get(principal_client, EVENTS).content.decode()
    assert "My agency" not in principal and "Edit (admin)" not in principal


def test_a_new_role_shows_at_once(draft, agency_user, agency_client):
    assert DRAFT_LINK not in _get(agency_client, REPORTS).content.decode()
    agency_user.groups.add(Group.objects.get(name="Principal"))  # no record changed: the data generation holds
    assert DRAFT_LINK in _get(agency_client, REPORTS).content.decode()


def test_the_browsable_api_names_its_user_and_is_never_shared(gmg, principal_user, principal_client):
    other = User.objects.create_user(username="another-principal")
    other.groups.add(Group.objects.get(name="Principal"))
    mine = _get(principal_client, "/api/v1/events/", HTTP_ACCEPT="text/html").content.decode()
    assert principal_user.get_username() in mine
    theirs = _get(_signed_in(other), "/api/v1/events/", HTTP_ACCEPT="text/html").content.decode()
    assert "another-principal" in theirs
    assert f">{principal_user.get_username()}<" not in theirs


def test_a_signed_in_readers_json_is_shared_within_the_audience(
    gmg, principal_client, principal_user, django_assert_num_queries
):
    first = _get(principal_client, "/api/v1/events/")
    other = User.objects.create_user(username="another-principal")
    other.groups.add(Group.objects.get(name="Principal"))
    other_client = _signed_in(other)
    with django_assert_num_queries(3):
        theirs = _get(other_client, "/api/v1/events/")
    assert theirs.json() == first.json()


def test_a_stored_editions_pdf_comes_from_the_cache_and_is_revalidated(
    gmg_published, client, django_assert_num_queries
):
    first = _get(client, "/reports/2014-ilo.pdf")
    assert first.content.startswith(b"%PDF")
    with django_assert_num_queries(0):
        again = _get(client, "/reports/2014-ilo.pdf")
        current = client.get("/reports/2014-ilo.pdf", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert current.status_code == 304
    assert current["ETag"] == first["ETag"]


def test_a_signed_in_reader_gets_a_stored_editions_pdf_from_the_cache(
    gmg_published, principal_client, principal_user, django_assert_num_queries
):
    first = _get(principal_client, "/reports/2014-ilo.pdf")
    with django_assert_num_queries(0):  # who is asking is kept since the first request; the PDF is shared
        again = _get(principal_client, "/reports/2014-ilo.pdf")
    assert again.content == first.content and again.content.startswith(b"%PDF")
    assert principal_user.get_username().encode() not in again.content


@pytest.mark.django_db
def test_the_being_prepared_page_is_never_kept_and_the_stored_edition_replaces_it(gmg, client):
    preparing = client.get("/reports/2014-ilo/")
    assert str(PREPARING) in preparing.content.decode()
    assert "no-store" in preparing["Cache-Control"]
    for job in queue_pending_work():
        run(job.pk)
    page = _get(client, "/reports/2014-ilo/").content.decode()
    assert str(PREPARING) not in page
    assert "Edition 1, issued" in page


def test_a_readers_name_is_escaped_in_the_shared_page(gmg):
    reader = User.objects.create_user(username="<b>o'brien</b>")
    page = _get(_signed_in(reader), EVENTS).content.decode()
    assert "Signed in as &lt;b&gt;o&#x27;brien&lt;/b&gt;" in page
    assert "<b>o'brien</b>" not in page
