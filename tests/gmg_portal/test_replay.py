"""A page the page cache shares is answered again before the rest of the middleware stack (gmg_portal.replay).

Each test puts a spy just after the replay: the spy sees every request the rest of the stack answers. A
replayed response must be the one the stack would give — same bytes, same headers, the reader's own links —
and everything the stack decides per request (conditions, tokens, messages, hosts) must still reach it.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client

from workplan.models import Event

EVENTS = "/events/"
REPLAY = "gmg_portal.replay.ReplayMiddleware"
SIGN_OUT_TOKEN = re.compile(r'class="sign-out-form".*?name="csrfmiddlewaretoken" value="([^"]+)"', re.S)

stack_saw: list[str] = []


class StackSpy:
    """Notes the path of every request that reaches the rest of the stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        stack_saw.append(request.path)
        return self.get_response(request)


@pytest.fixture(autouse=True)
def spy(settings):
    stack = list(settings.MIDDLEWARE)
    stack.insert(stack.index(REPLAY) + 1, f"{__name__}.StackSpy")
    settings.MIDDLEWARE = stack
    stack_saw.clear()
    return stack_saw


def _twice(client: Client, path: str, **extra):
    """The stack's answer and the replay's, checking that only the first reached the stack."""
    first = client.get(path, **extra)
    assert first.status_code == 200, (path, first.status_code)
    seen = len(stack_saw)
    again = client.get(path, **extra)
    assert again.status_code == 200, (path, again.status_code)
    assert len(stack_saw) == seen, f"{path} went through the stack again"
    return first, again


def test_an_anonymous_repeat_gets_the_same_bytes_and_headers_without_the_stack(gmg, client):
    first, again = _twice(client, EVENTS)
    assert again.content == first.content
    assert dict(again.headers) == dict(first.headers)
    # The security headers come from middleware the replay skipped: they were kept with the page.
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Vary", "Content-Language"):
        assert again[header] == first[header]


def test_a_signed_in_repeat_names_its_reader_with_a_fresh_token_that_signs_out(gmg, secretariat_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_user)
    first, again = _twice(client, EVENTS)
    page = again.content.decode()
    assert f"Signed in as {secretariat_user.get_username()}" in page
    assert "Edit (admin)" in page
    token = SIGN_OUT_TOKEN.search(page)[1]
    assert token != SIGN_OUT_TOKEN.search(first.content.decode())[1]  # a fresh mask on every page (BREACH)
    assert int(again["Content-Length"]) == len(again.content)
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "Signed in as" not in client.get(EVENTS).content.decode()


def test_readers_of_one_audience_each_get_their_own_name(gmg, secretariat_client, secretariat_user, django_user_model):
    colleague = django_user_model.objects.create_user(username="second-secretariat", is_staff=True)
    colleague.groups.add(Group.objects.get(name="Secretariat"))
    theirs = Client()
    theirs.force_login(colleague)
    _twice(secretariat_client, EVENTS)
    _, again = _twice(theirs, EVENTS)
    page = again.content.decode()
    assert "Signed in as second-secretariat" in page
    assert f"Signed in as {secretariat_user.get_username()}<" not in page


def test_the_account_links_are_in_the_pages_language(gmg, secretariat_client):
    _, again = _twice(secretariat_client, EVENTS, HTTP_ACCEPT_LANGUAGE="fr")
    page = again.content.decode()
    assert again["Content-Language"] == "fr"
    assert "Se déconnecter" in page
    _, english = _twice(secretariat_client, EVENTS, HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign out" in english.content.decode()


def test_each_query_string_is_its_own_page(gmg, client):
    _, everything = _twice(client, EVENTS)
    _, filtered = _twice(client, EVENTS, data={"q": "no event is called this"})
    assert filtered.content != everything.content


@pytest.mark.parametrize("path", ["/reports/2014-ilo/", "/reports/2014-ilo.pdf"])
def test_a_stored_edition_is_replayed_for_every_visitor(gmg_published, client, principal_client, path):
    first, again = _twice(client, path)
    assert again.content == first.content
    assert dict(again.headers) == dict(first.headers)
    _, signed_in = _twice(principal_client, path)
    if path.endswith(".pdf"):
        assert signed_in.content == first.content
    else:
        assert "Signed in as" in signed_in.content.decode()


def test_a_conditional_request_is_answered_by_the_stack(gmg_published, client):
    first, _ = _twice(client, "/reports/2014-ilo.pdf")
    seen = len(stack_saw)
    current = client.get("/reports/2014-ilo.pdf", HTTP_IF_NONE_MATCH=first["ETag"])
    assert current.status_code == 304
    assert len(stack_saw) == seen + 1
    assert current["X-Frame-Options"] == "DENY"


def test_a_reader_without_a_csrf_cookie_goes_through_the_stack_and_gets_one(gmg, secretariat_client):
    _twice(secretariat_client, EVENTS)
    del secretariat_client.cookies[settings.CSRF_COOKIE_NAME]
    seen = len(stack_saw)
    page = secretariat_client.get(EVENTS)
    assert len(stack_saw) == seen + 1
    assert settings.CSRF_COOKIE_NAME in page.cookies
    assert SIGN_OUT_TOKEN.search(page.content.decode())


def test_a_pending_message_is_shown_by_the_stack(gmg, client):
    _twice(client, EVENTS)
    client.cookies[CookieStorage.cookie_name] = "anything"
    seen = len(stack_saw)
    client.get(EVENTS)
    assert len(stack_saw) == seen + 1


def test_a_session_this_process_never_saw_signed_in_goes_through_the_stack(gmg, client):
    _twice(client, EVENTS)
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-nobody-signed-in-with"
    seen = len(stack_saw)
    page = client.get(EVENTS)
    assert len(stack_saw) == seen + 1
    assert "Sign in" in page.content.decode()


def test_a_refused_host_is_still_a_400(gmg, client):
    _twice(client, EVENTS)
    assert client.get(EVENTS, HTTP_HOST="attacker.invalid").status_code == 400


def test_a_change_to_the_records_is_on_the_next_page(gmg, client):
    _twice(client, EVENTS)
    event = Event.objects.order_by("pk").first()
    event.title = "A title recorded since the page was kept"
    event.save()
    seen = len(stack_saw)
    page = client.get(EVENTS).content.decode()
    assert len(stack_saw) == seen + 1
    assert "A title recorded since the page was kept" in page


def test_a_write_is_never_replayed(gmg, secretariat_client):
    _twice(secretariat_client, EVENTS)
    seen = len(stack_saw)
    secretariat_client.post(EVENTS)
    secretariat_client.head(EVENTS)
    assert len(stack_saw) == seen + 1  # the POST reached the stack; the HEAD is the GET's page


def test_a_readers_name_is_escaped_in_a_replayed_page(gmg, django_user_model):
    reader = Client()
    reader.force_login(django_user_model.objects.create_user(username="<b>o'brien</b>"))
    _, again = _twice(reader, EVENTS)
    page = again.content.decode()
    assert "Signed in as &lt;b&gt;o&#x27;brien&lt;/b&gt;" in page
    assert "<b>o'brien</b>" not in page


def test_the_csrf_cookie_outlives_every_session_so_a_replay_need_not_renew_it():
    # A replay masks the secret the browser sent without sending the cookie again; sign-in set it anew.
    assert settings.CSRF_COOKIE_AGE >= settings.SESSION_COOKIE_AGE
