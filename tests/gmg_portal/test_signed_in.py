"""Who is signed in is kept in memory only while nothing about them changed (gmg_portal.signed_in).

Each test first makes the process keep the reader (a page read twice), then changes something the way
another process or an operator would, and checks that the very next request sees the change.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from chairmanship.models import FocalPoint

EVENTS = "/events/"
SIGNED_IN = "Signed in as"


def _kept(client: Client) -> str:
    """The events page, read twice: the second time who is asking comes from this process's memory."""
    client.get(EVENTS)
    return client.get(EVENTS).content.decode()


def _same_browser(client: Client) -> Client:
    """Another client holding the same session cookie: a second tab, or a stolen cookie."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return other


def test_a_kept_reader_is_served_without_reading_the_database(gmg, secretariat_client, django_assert_num_queries):
    _kept(secretariat_client)
    with django_assert_num_queries(0):
        page = secretariat_client.get(EVENTS).content.decode()
    assert f"{SIGNED_IN} secretariat" in page


def test_a_signed_out_session_is_forgotten_at_once(gmg, secretariat_client):
    tab = _same_browser(secretariat_client)
    assert f"{SIGNED_IN} secretariat" in _kept(tab)
    secretariat_client.post("/accounts/logout/")
    page = tab.get(EVENTS).content.decode()
    assert SIGNED_IN not in page
    assert "Sign in" in page


def test_a_session_deleted_by_an_operator_is_forgotten_at_once(gmg, secretariat_client):
    assert SIGNED_IN in _kept(secretariat_client)
    for session in Session.objects.all():
        session.delete()
    assert SIGNED_IN not in secretariat_client.get(EVENTS).content.decode()


def test_a_deactivated_user_is_signed_out_at_once(gmg, secretariat_user, secretariat_client):
    assert SIGNED_IN in _kept(secretariat_client)
    secretariat_user.is_active = False
    secretariat_user.save()
    assert SIGNED_IN not in secretariat_client.get(EVENTS).content.decode()


def test_a_password_changed_elsewhere_ends_the_other_sessions_at_once(gmg, secretariat_user, secretariat_client):
    assert SIGNED_IN in _kept(secretariat_client)
    user = User.objects.get(pk=secretariat_user.pk)  # another process's copy
    user.set_password("a new passphrase for the secretariat")
    user.save()
    assert SIGNED_IN not in secretariat_client.get(EVENTS).content.decode()


def test_an_expired_session_is_never_served_from_memory(gmg, secretariat_client, monkeypatch):
    assert SIGNED_IN in _kept(secretariat_client)
    expiry = Session.objects.get().expire_date
    later = expiry + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert SIGNED_IN not in secretariat_client.get(EVENTS).content.decode()


def test_a_role_taken_away_is_gone_at_once(gmg, secretariat_user, secretariat_client):
    assert "Edit (admin)" in _kept(secretariat_client)
    secretariat_user.groups.remove(Group.objects.get(name="Secretariat"))
    secretariat_user.is_staff = False
    secretariat_user.save()
    page = secretariat_client.get(EVENTS).content.decode()
    assert SIGNED_IN in page
    assert "Edit (admin)" not in page


def test_a_focal_point_moved_to_another_agency_sees_it_at_once(gmg, chair_focal_point_user, chair_focal_point_client):
    _kept(chair_focal_point_client)
    first = chair_focal_point_client.get("/my-agency/").content.decode()
    focal_point = FocalPoint.objects.get(user=chair_focal_point_user)
    other_agency = type(focal_point.agency).objects.exclude(pk=focal_point.agency_id).order_by("pk").first()
    focal_point.agency = other_agency
    focal_point.save()
    moved = chair_focal_point_client.get("/my-agency/").content.decode()
    assert other_agency.name in moved
    assert moved != first


@pytest.mark.django_db
def test_each_request_gets_its_own_copy_of_the_user(secretariat_user, secretariat_client):
    from gmg_portal.signed_in import _user

    secretariat_client.get("/accounts/password/")
    request = secretariat_client.get("/accounts/password/").wsgi_request
    first, second = _user(request), _user(request)
    assert first == second and first is not second
    first.first_name = "Changed in one request"
    assert second.first_name != "Changed in one request"
