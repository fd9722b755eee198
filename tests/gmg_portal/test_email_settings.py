"""Where the portal's e-mail goes: EMAIL_URL, else the usual EMAIL_* variables, else the console (make run)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from gmg_portal.env import email_from_env

SMTP = "django.core.mail.backends.smtp.EmailBackend"
VARIABLES = ["EMAIL_URL", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS"]


@pytest.fixture(autouse=True)
def _no_mail_variables(monkeypatch):
    for name in [*VARIABLES, "EMAIL_USE_SSL", "EMAIL_URL_FILE"]:
        monkeypatch.delenv(name, raising=False)


def test_with_nothing_set_mail_is_printed_on_the_console():
    assert email_from_env() == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_an_email_url_names_the_server_its_account_and_tls(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://portal:s3cret@mail.example.org:587/?tls=True")

    config = email_from_env()

    assert config["EMAIL_BACKEND"] == SMTP
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("mail.example.org", 587)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("portal", "s3cret")
    assert config["EMAIL_USE_TLS"] is True and config["EMAIL_USE_SSL"] is False
    assert config["EMAIL_TIMEOUT"] == 10  # a stalled server never holds a request for long


def test_the_usual_django_variables_work_too(monkeypatch):
    monkeypatch.setenv("EMAIL_HOST", "relay.example.org")
    monkeypatch.setenv("EMAIL_PORT", "2525")
    monkeypatch.setenv("EMAIL_USE_TLS", "yes")

    config = email_from_env()

    assert config["EMAIL_BACKEND"] == SMTP
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_USE_TLS"]) == ("relay.example.org", 2525, True)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"EMAIL_URL": "http://mail.example.org"}, "EMAIL_URL must be an smtp://"),
        ({"EMAIL_URL": "smtp://user:pw@mail.example.org:notaport"}, "EMAIL_URL is not a valid e-mail URL"),
        ({"EMAIL_HOST": "relay.example.org", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT must be a whole number"),
        ({"EMAIL_HOST": "relay", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "cannot both be on"),
    ],
)
def test_a_malformed_mail_setting_stops_the_app_naming_it(monkeypatch, variables, message):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=message) as raised:
        email_from_env()
    assert "pw@" not in str(raised.value)  # a password is never printed
