"""Brute force: five failed sign-ins for one user from one address lock that pair out for 30 minutes.

These go through the real admin sign-in form, with the client's address in
REMOTE_ADDR, and travel in time with time_machine to pass the cool-off.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.test import Client
from django.test import RequestFactory

PASSWORD = "correct horse battery staple"  # the personas' password (tests/conftest.py)
ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.20"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every sign-in hashes a password; a fast hasher keeps these many sign-ins quick (not what is tested)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client: Client, username: str, password: str, *, address: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def signed_in(client: Client, *, address: str) -> bool:
    return client.get("/admin/", REMOTE_ADDR=address).status_code == 200


def fail_five_times(username: str, *, address: str) -> None:
    client = Client()
    for attempt in range(1, 6):
        response = sign_in(client, username, "wrong password", address=address)
        # Each failure before the limit is the form again with its error, not yet a lockout.
        expected = 200 if attempt < 5 else 429
        assert response.status_code == expected, (attempt, response.status_code)


@pytest.mark.django_db
def test_five_failures_lock_the_user_out_from_that_address_even_with_the_right_password(secretariat_user):
    with time_machine.travel(START, tick=False):
        fail_five_times("secretariat", address=ATTACKER)

        client = Client()
        response = sign_in(client, "secretariat", PASSWORD, address=ATTACKER)
        assert response.status_code == 429
        page = response.content.decode()
        assert "Sign-in locked" in page
        assert "Try again in 30 minutes" in page
        assert not signed_in(client, address=ATTACKER)


@pytest.mark.django_db
def test_four_failures_do_not_lock_and_a_success_starts_the_count_again(secretariat_user):
    with time_machine.travel(START, tick=False):
        client = Client()
        for _ in range(4):
            assert sign_in(client, "secretariat", "wrong password", address=ATTACKER).status_code == 200
        response = sign_in(client, "secretariat", PASSWORD, address=ATTACKER)
        assert response.status_code == 302
        assert signed_in(client, address=ATTACKER)
        client.logout()
        # The success reset the count: four more failures still leave the door open.
        for _ in range(4):
            assert sign_in(client, "secretariat", "wrong password", address=ATTACKER).status_code == 200
        assert sign_in(client, "secretariat", PASSWORD, address=ATTACKER).status_code == 302


@pytest.mark.django_db
def test_other_users_and_the_same_user_elsewhere_are_unaffected(secretariat_user, agency_user):
    agency_user.is_staff = True  # so that a successful sign-in reaches the admin index
    agency_user.save(update_fields=["is_staff"])
    with time_machine.travel(START, tick=False):
        fail_five_times("secretariat", address=ATTACKER)

        other_user = Client()
        assert sign_in(other_user, "agency", PASSWORD, address=ATTACKER).status_code == 302
        assert signed_in(other_user, address=ATTACKER)

        same_user_elsewhere = Client()
        assert sign_in(same_user_elsewhere, "secretariat", PASSWORD, address=COLLEAGUE).status_code == 302
        assert signed_in(same_user_elsewhere, address=COLLEAGUE)


@pytest.mark.django_db
def test_the_lockout_ends_after_30_minutes(secretariat_user):
    with time_machine.travel(START, tick=False) as traveller:
        fail_five_times("secretariat", address=ATTACKER)

        traveller.move_to(START + datetime.timedelta(minutes=29, seconds=59))
        assert sign_in(Client(), "secretariat", PASSWORD, address=ATTACKER).status_code == 429

        traveller.move_to(START + datetime.timedelta(minutes=30, seconds=1))
        client = Client()
        assert sign_in(client, "secretariat", PASSWORD, address=ATTACKER).status_code == 302
        assert signed_in(client, address=ATTACKER)


@pytest.mark.django_db
def test_a_locked_out_user_gets_no_session_for_the_api(secretariat_user):
    """The API's session comes from signing in; a lockout leaves the API anonymous (read-only)."""
    with time_machine.travel(START, tick=False):
        fail_five_times("secretariat", address=ATTACKER)
        client = Client()
        sign_in(client, "secretariat", PASSWORD, address=ATTACKER)
        response = client.post(
            "/api/v1/agencies/",
            {"acronym": "NEWAG", "name": "A new agency"},
            content_type="application/json",
            REMOTE_ADDR=ATTACKER,
        )
        assert response.status_code in {401, 403}
        assert "NEWAG" not in client.get("/api/v1/agencies/?page_size=200", REMOTE_ADDR=ATTACKER).content.decode()


@pytest.mark.django_db
def test_any_sign_in_through_authenticate_is_refused_while_locked(secretariat_user):
    """Every login view (admin, DRF's, a future one) calls authenticate(request=…): the lockout applies there."""
    with time_machine.travel(START, tick=False):
        fail_five_times("secretariat", address=ATTACKER)
        request = RequestFactory().post("/api/auth/login/", REMOTE_ADDR=ATTACKER)
        assert authenticate(request=request, username="secretariat", password=PASSWORD) is None
        elsewhere = RequestFactory().post("/api/auth/login/", REMOTE_ADDR=COLLEAGUE)
        assert authenticate(request=elsewhere, username="secretariat", password=PASSWORD) == secretariat_user


@pytest.mark.django_db
def test_attempts_are_kept_per_user_and_address_for_the_secretariat_to_review(secretariat_user):
    with time_machine.travel(START, tick=False):
        fail_five_times("secretariat", address=ATTACKER)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("secretariat", ATTACKER, 5)


@pytest.mark.django_db
def test_behind_proxies_the_address_comes_from_x_forwarded_for(secretariat_user, settings):
    """With DJANGO_PROXY_COUNT=1 the load balancer's entry counts; what the client wrote before it does not."""
    settings.GMG_PROXY_COUNT = 1
    balancer = "10.0.0.5"
    with time_machine.travel(START, tick=False):
        client = Client()
        for attempt in range(5):
            # The attacker forges a different left-most address each time; the balancer appends the real one.
            client.post(
                "/admin/login/",
                {"username": "secretariat", "password": "wrong password"},
                REMOTE_ADDR=balancer,
                HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, {ATTACKER}",
            )
        locked = client.post(
            "/admin/login/",
            {"username": "secretariat", "password": PASSWORD},
            REMOTE_ADDR=balancer,
            HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER}",
        )
        assert locked.status_code == 429
        # A colleague behind the same balancer signs in.
        colleague = Client().post(
            "/admin/login/",
            {"username": "secretariat", "password": PASSWORD},
            REMOTE_ADDR=balancer,
            HTTP_X_FORWARDED_FOR=COLLEAGUE,
        )
        assert colleague.status_code == 302
