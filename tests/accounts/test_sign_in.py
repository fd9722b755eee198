"""The site's sign-in at /accounts/login/: Django's auth views in the site's layout, with the admin's lockout."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

PASSWORD = "correct horse battery staple"  # the personas' password (tests/conftest.py)
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every sign-in hashes a password; a fast hasher keeps these quick (not what is tested)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [("en", "Sign in", "Sign in"), ("fr", "Se connecter", "Se connecter"), ("es", "Iniciar sesión", "Iniciar sesión")],
)
def test_the_sign_in_page_is_the_sites_in_three_languages(db, client, language, heading, button):
    html = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f'<html lang="{language}">' in html
    assert 'class="site-nav"' in html  # the site's layout, not the admin's
    assert f"<h1>{heading}</h1>" in html
    assert f'<button type="submit">{button}</button>' in html
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'href="/accounts/password/reset/"' in html


def test_a_principal_signs_in_and_out(principal_user, client):
    response = sign_in(client, "principal", PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "Signed in as principal" in home
    assert 'action="/accounts/logout/"' in home

    client.post("/accounts/logout/")
    assert "Signed in as" not in client.get("/").content.decode()


def test_sign_in_goes_back_to_the_page_asked_for_but_never_off_site(principal_user):
    assert sign_in(Client(), "principal", PASSWORD, QUERY_STRING="next=/reports/")["Location"] == "/reports/"
    off_site = sign_in(Client(), "principal", PASSWORD, QUERY_STRING="next=https://evil.example/")
    assert off_site["Location"] == "/"


def test_a_wrong_password_is_said_plainly_and_signs_nobody_in(principal_user, client):
    response = sign_in(client, "principal", "not the password")

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_every_page_offers_the_site_sign_in(db, client):
    html = client.get("/events/").content.decode()

    assert 'href="/accounts/login/?next=/events/"' in html
    assert "/admin/login/" not in html


def test_a_signed_in_user_changes_their_password(principal_user, principal_client):
    response = principal_client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a new and longer passphrase",
            "new_password2": "a new and longer passphrase",
        },
    )

    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    principal_user.refresh_from_db()
    assert principal_user.check_password("a new and longer passphrase")


def test_a_forgotten_password_is_reset_through_an_e_mailed_link(principal_user, client, mailbox):
    principal_user.email = "principal@example.org"
    principal_user.save()

    response = client.post("/accounts/password/reset/", {"email": "principal@example.org"})

    assert response["Location"] == "/accounts/password/reset/sent/"
    body = mailbox.only().get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", body).group(1)
    form = client.get(link, follow=True)
    assert "Choose your password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "a fresh passphrase 42", "new_password2": "a fresh passphrase 42"}
    )
    assert done["Location"] == "/accounts/reset/done/"
    assert sign_in(Client(), "principal", "a fresh passphrase 42").status_code == 302


def test_a_reset_link_leads_to_the_portals_public_address_not_the_host_the_request_named(
    principal_user, client, mailbox, settings
):
    settings.GMG_PUBLIC_URL = "https://gmg.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "app-1.internal"]  # the name a proxy reaches the app by
    principal_user.email = "principal@example.org"
    principal_user.save()

    client.post("/accounts/password/reset/", {"email": "principal@example.org"}, HTTP_HOST="app-1.internal:8000")

    body = mailbox.only().get_body(preferencelist=("plain",)).get_content()
    assert re.search(r"https://gmg\.example\.org/accounts/reset/\S+/", body)
    assert "app-1.internal" not in body


def test_an_address_is_sent_three_resets_an_hour_and_the_form_says_the_same_after(principal_user, client, mailbox):
    principal_user.email = "principal@example.org"
    principal_user.save()

    answers = [client.post("/accounts/password/reset/", {"email": "Principal@example.org "}) for _ in range(5)]

    assert [answer["Location"] for answer in answers] == ["/accounts/password/reset/sent/"] * 5
    assert len(mailbox.messages) == 3  # nobody can fill a mailbox from the form
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(hours=1, minutes=1), tick=False):
        client.post("/accounts/password/reset/", {"email": "principal@example.org"})
    assert len(mailbox.messages) == 4


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(db, client, mailbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert response["Location"] == "/accounts/password/reset/sent/"  # no telling which addresses exist
    assert mailbox.messages == []


def test_five_failures_lock_the_site_sign_in_and_the_admins_alike(secretariat_user):
    attacker = {"REMOTE_ADDR": "203.0.113.7"}
    client = Client()
    statuses = [sign_in(client, "secretariat", "wrong", **attacker).status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]
    locked = sign_in(client, "secretariat", PASSWORD, **attacker)
    assert locked.status_code == 429 and "Sign-in locked" in locked.content.decode()
    admin = client.post("/admin/login/", {"username": "secretariat", "password": PASSWORD}, **attacker)
    assert admin.status_code == 429
    assert not User.objects.get(username="secretariat").last_login
