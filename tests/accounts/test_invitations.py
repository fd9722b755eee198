"""The secretariat opens an account in the admin; the person is e-mailed an invitation to choose a password.

The e-mail goes through a real SMTP server on 127.0.0.1 (tests/accounts/conftest.py).
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from chairmanship.models import Agency
from chairmanship.models import FocalPoint

ADD_URL = "/admin/auth/user/add/"


def open_account(client: Client, **fields) -> object:
    data = {"email": "", "first_name": "", "last_name": "", "role": "Agency", "agency": "", **fields}
    return client.post(ADD_URL, data)


def link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://testserver(/accounts/reset/\S+/)", body).group(1)


def test_a_focal_point_is_invited_by_e_mail_with_a_link_to_choose_a_password(gmg, secretariat_client, mailbox):
    world_bank = Agency.objects.get(acronym="WB")

    response = open_account(
        secretariat_client,
        email="Ana.Lopez@worldbank.example",
        first_name="Ana",
        last_name="López",
        agency=world_bank.pk,
    )

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    user = User.objects.get(username="ana.lopez@worldbank.example")
    assert user.email == "ana.lopez@worldbank.example"
    assert not user.is_staff and not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == ["Agency"]
    assert FocalPoint.objects.get(user=user).agency == world_bank
    message = mailbox.only()
    assert message["To"] == "ana.lopez@worldbank.example"
    assert message["Subject"] == "Your GMG Portal account"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Dear Ana," in body
    assert f"You are a focal point of {world_bank.name}:" in body
    assert "ana.lopez@worldbank.example" in body  # the user name to sign in with
    assert link_in(message).startswith("/accounts/reset/")


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"email": ""}, "email", "This field is required."),
        ({"email": "secretariat@example.org"}, "email", "An account with this e-mail address already exists."),
        ({"email": "new@example.org", "agency": ""}, "agency", "Choose the agency this focal point speaks for."),
        ({"email": "new@example.org", "role": "Principal", "agency": "ILO"}, "agency", "leave this empty"),
    ],
)
def test_a_bad_account_is_refused_naming_the_field_and_nothing_is_sent(
    gmg, secretariat_user, secretariat_client, mailbox, fields, field, error
):
    secretariat_user.email = "secretariat@example.org"
    secretariat_user.save()
    if fields.get("agency") == "ILO":
        fields = {**fields, "agency": Agency.objects.get(acronym="ILO").pk}
    users = User.objects.count()

    response = open_account(secretariat_client, **fields)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert any(error in message for message in errors[field]), errors
    assert User.objects.count() == users
    assert mailbox.messages == []


def test_a_principal_and_a_secretariat_member_get_their_roles(gmg, secretariat_client, mailbox):
    open_account(secretariat_client, email="p@example.org", role="Principal")
    open_account(secretariat_client, email="s@example.org", role="Secretariat")

    principal, member = User.objects.get(username="p@example.org"), User.objects.get(username="s@example.org")
    assert (principal.is_staff, member.is_staff) == (False, True)  # the admin is the Secretariat's
    assert not FocalPoint.objects.filter(user__in=[principal, member]).exists()
    assert len(mailbox.messages) == 2


def test_an_unreachable_mail_server_keeps_the_account_and_says_so(gmg, secretariat_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens

    response = open_account(secretariat_client, email="p@example.org", role="Principal")

    assert response.status_code == 302
    assert User.objects.filter(username="p@example.org").exists()
    page = secretariat_client.get(response["Location"]).content.decode()
    assert "could not be sent" in page


@pytest.mark.parametrize("role", ["anonymous", "agency", "chair_focal_point", "principal"])
def test_nobody_but_the_secretariat_opens_accounts(gmg, request, mailbox, role):
    client = request.getfixturevalue(f"{role}_client")
    users = User.objects.count()

    response = client.post(ADD_URL, {"email": "intruder@example.org", "role": "Secretariat"})

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert User.objects.count() == users
    assert mailbox.messages == []


def test_the_secretariat_cannot_change_a_superuser_or_set_passwords(gmg, secretariat_client):
    boss = User.objects.create_superuser("boss", "boss@example.org", "a long and secret password")

    change = secretariat_client.post(f"/admin/auth/user/{boss.pk}/change/", {"username": "boss", "is_active": ""})
    password = secretariat_client.get(f"/admin/auth/user/{boss.pk}/password/")

    assert change.status_code == 403
    assert password.status_code == 403
    boss.refresh_from_db()
    assert boss.is_active and boss.is_superuser
