"""No lost updates: every save claims the version it read; a stale save is refused and the other edit stays.

Admin: the change form (and each inline row) carries the version it was
loaded with; two people editing the same record cannot overwrite each other.
API: a detail carries an ETag; a write with a stale If-Match is a 412 and
writes nothing; a write without If-Match still works. Two concurrent
writers on PostgreSQL: exactly one wins.
"""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from chairmanship.models import Chairmanship
from gmg_portal.concurrency import STALE_MESSAGE
from gmg_portal.concurrency import StaleVersion
from gmg_portal.concurrency import claim_version
from tests.api.support import RESOURCES
from tests.factories import EventFactory
from tests.integrity.support import admin_form
from tests.integrity.support import page_errors
from workplan.models import Event
from workplan.models import FocusArea

STALE = str(STALE_MESSAGE)


@pytest.fixture
def second_secretariat_client(db) -> Client:
    """Another member of the secretariat, in a browser of their own."""
    user = User.objects.create_user(username="colleague", password="another long passphrase", is_staff=True)  # noqa: S106
    user.groups.add(Group.objects.get(name="Secretariat"))
    client = Client()
    client.force_login(user)
    return client


def event_url(event: Event) -> str:
    return f"/admin/workplan/event/{event.pk}/change/"


# The admin ------------------------------------------------------------------------------


def test_each_save_through_the_admin_moves_the_record_to_its_next_version(gmg, secretariat_client):
    event = Event.objects.get(title__startswith="Technical Working Level Meeting")
    before = event.version

    for title in ("First wording", "Second wording"):
        form = admin_form(secretariat_client, event_url(event))
        assert form["loaded_version"] == str(Event.objects.get(pk=event.pk).version)  # the form carries it
        response = secretariat_client.post(event_url(event), {**form, "title": title})
        assert response.status_code == 302, page_errors(response)

    event.refresh_from_db()
    assert (event.title, event.version) == ("Second wording", before + 2)


def test_a_stale_admin_save_is_refused_and_the_other_edit_stays(gmg, secretariat_client, second_secretariat_client):
    event = Event.objects.get(title__startswith="Technical Working Level Meeting")
    url = event_url(event)
    mine = admin_form(secretariat_client, url)  # both open the form at the same version
    theirs = admin_form(second_secretariat_client, url)

    saved = second_secretariat_client.post(url, {**theirs, "city": "Turin", "summary": "Their summary."})
    refused = secretariat_client.post(url, {**mine, "title": "My new title"})

    assert saved.status_code == 302
    assert refused.status_code == 200  # the form again, with the message and my unsaved input
    assert page_errors(refused) == [STALE]
    assert STALE in refused.content.decode()
    assert refused.context["adminform"].form["title"].value() == "My new title"
    event.refresh_from_db()
    assert (event.title, event.city, event.summary) == (mine["title"], "Turin", "Their summary.")
    assert event.version == int(mine["loaded_version"]) + 1


def test_after_reloading_the_refused_editor_saves_on_top_of_the_other_edit(
    gmg, secretariat_client, second_secretariat_client
):
    event = Event.objects.get(title__startswith="Technical Working Level Meeting")
    url = event_url(event)
    stale = admin_form(secretariat_client, url)
    second_secretariat_client.post(url, {**admin_form(second_secretariat_client, url), "city": "Turin"})
    assert secretariat_client.post(url, {**stale, "title": "Mine"}).status_code == 200

    reloaded = admin_form(secretariat_client, url)
    response = secretariat_client.post(url, {**reloaded, "title": "Mine"})

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.city) == ("Mine", "Turin")


def test_a_stale_inline_row_is_refused_and_its_other_edit_stays(gmg, secretariat_client, second_secretariat_client):
    term = Chairmanship.objects.get(slug="2014-ilo")
    area = FocusArea.objects.get(chairmanship=term, letter="a")
    term_url = f"/admin/chairmanship/chairmanship/{term.pk}/change/"
    area_url = f"/admin/workplan/focusarea/{area.pk}/change/"
    mine = admin_form(secretariat_client, term_url)
    row = next(
        name.removesuffix("-id") for name, value in mine.items() if name.endswith("-id") and value == str(area.pk)
    )

    # A colleague renames the focus area on its own page, then I save the term's page with the old row changed.
    assert (
        second_secretariat_client.post(
            area_url, {**admin_form(second_secretariat_client, area_url), "title": "Theirs"}
        ).status_code
        == 302
    )
    refused = secretariat_client.post(term_url, {**mine, f"{row}-title": "Mine", "theme": "My theme"})

    assert refused.status_code == 200
    assert STALE in page_errors(refused)
    area.refresh_from_db()
    term.refresh_from_db()
    assert area.title == "Theirs"
    assert term.theme != "My theme"  # nothing of the page was saved


def test_an_inline_row_saved_from_its_parent_page_moves_to_its_next_version(gmg, secretariat_client):
    term = Chairmanship.objects.get(slug="2015-wb")  # a draft: saving it publishes nothing
    area = FocusArea.objects.create(chairmanship=term, letter="a", title="Data")
    url = f"/admin/chairmanship/chairmanship/{term.pk}/change/"
    form = admin_form(secretariat_client, url)
    row = next(
        name.removesuffix("-id") for name, value in form.items() if name.endswith("-id") and value == str(area.pk)
    )

    response = secretariat_client.post(url, {**form, f"{row}-title": "Data and research"})

    assert response.status_code == 302, page_errors(response)
    area.refresh_from_db()
    term.refresh_from_db()
    assert (area.title, area.version) == ("Data and research", 2)
    assert term.version == 2


def test_a_post_without_the_loaded_version_still_saves(gmg, secretariat_client):
    """Like a write without If-Match: no precondition, the version read when saving is claimed."""
    event = Event.objects.get(title__startswith="Technical Working Level Meeting")
    form = admin_form(secretariat_client, event_url(event))
    del form["loaded_version"]

    response = secretariat_client.post(event_url(event), {**form, "title": "Without a version"})

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.version) == ("Without a version", 2)


def test_claiming_a_version_someone_else_moved_on_is_refused(db):
    event = EventFactory()
    stale = Event.objects.get(pk=event.pk)
    assert claim_version(instance=event, expected=1) == 2

    with pytest.raises(StaleVersion):
        claim_version(instance=stale, expected=1)
    assert Event.objects.get(pk=event.pk).version == 2


# The API ------------------------------------------------------------------------------------


def detail(world, resource: str) -> str:
    return f"/api/v1/{resource}/{world.ids[resource]}/"


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_detail_carries_an_etag_that_a_write_moves_on(world, api_secretariat, resource):
    url = detail(world, resource)
    read = api_secretariat.get(url)
    assert read["ETag"].startswith('"') and read["ETag"].endswith(f'-{read.json()["version"]}"')

    written = api_secretariat.patch(url, {}, format="json", HTTP_IF_MATCH=read["ETag"])

    assert written.status_code == 200
    assert written.json()["version"] == read.json()["version"] + 1
    assert written["ETag"] != read["ETag"]
    assert api_secretariat.get(url)["ETag"] == written["ETag"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_write_with_a_stale_if_match_is_a_412_and_writes_nothing(world, api_secretariat, resource):
    url = detail(world, resource)
    stale = api_secretariat.get(url)["ETag"]
    api_secretariat.patch(url, {}, format="json")  # someone else's write
    current = api_secretariat.get(url).json()

    patched = api_secretariat.patch(url, {"version": 99}, format="json", HTTP_IF_MATCH=stale)
    deleted = api_secretariat.delete(url, HTTP_IF_MATCH=stale)

    assert (patched.status_code, deleted.status_code) == (412, 412)
    assert "detail" in patched.json()
    assert api_secretariat.get(url).json() == current


def test_a_stale_put_writes_nothing(world, api_secretariat):
    url = detail(world, "events")
    read = api_secretariat.get(url)
    api_secretariat.patch(url, {"title": "Someone else's title"}, format="json")
    body = {**read.json(), "title": "My title"}

    response = api_secretariat.put(url, body, format="json", HTTP_IF_MATCH=read["ETag"])

    assert response.status_code == 412
    assert Event.objects.get(pk=world.event.pk).title == "Someone else's title"


def test_a_matching_if_match_lets_put_patch_and_delete_through(world, api_secretariat):
    url = detail(world, "events")
    read = api_secretariat.get(url)

    put = api_secretariat.put(url, {**read.json(), "title": "Renamed"}, format="json", HTTP_IF_MATCH=read["ETag"])
    patched = api_secretariat.patch(url, {"city": "Geneva"}, format="json", HTTP_IF_MATCH=put["ETag"])
    weak = api_secretariat.patch(url, {"city": "Turin"}, format="json", HTTP_IF_MATCH=f"W/{patched['ETag']}")
    deleted = api_secretariat.delete(url, HTTP_IF_MATCH=weak["ETag"])

    assert [r.status_code for r in (put, patched, weak, deleted)] == [200, 200, 200, 204]
    assert not Event.objects.filter(pk=world.event.pk).exists()


def test_a_write_without_if_match_still_works(world, api_secretariat):
    url = detail(world, "events")

    response = api_secretariat.patch(url, {"title": "No precondition"}, format="json")

    assert response.status_code == 200
    assert response.json()["title"] == "No precondition"
    assert response["ETag"] == f'"{world.event.pk}-2"'


def test_an_admin_save_makes_an_api_callers_etag_stale(world, api_secretariat, secretariat_client):
    url = detail(world, "events")
    etag = api_secretariat.get(url)["ETag"]
    admin_url = event_url(world.event)
    assert (
        secretariat_client.post(admin_url, {**admin_form(secretariat_client, admin_url), "city": "Turin"}).status_code
        == 302
    )

    response = api_secretariat.patch(url, {"city": "Geneva"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert Event.objects.get(pk=world.event.pk).city == "Turin"


# Two writers at once (PostgreSQL: row locks between real connections) ------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_concurrent_api_writers_exactly_one_wins(postgres_only):
    from tests.api.conftest import token_client

    # A transactional test may start after another emptied the tables (the roles too): a superuser writes.
    secretariat_user = User.objects.create_superuser(username="chief", password="a long passphrase")  # noqa: S106
    event = EventFactory()
    history_before = event.history.count()
    clients = [token_client(secretariat_user), token_client(secretariat_user)]
    etags = [client.get(f"/api/v1/events/{event.pk}/")["ETag"] for client in clients]
    assert etags[0] == etags[1] == f'"{event.pk}-1"'  # both have read version 1
    start = threading.Barrier(2)
    results: dict[str, int] = {}
    errors: list[BaseException] = []

    def write(client: APIClient, title: str, etag: str) -> None:
        try:
            start.wait()
            response = client.patch(f"/api/v1/events/{event.pk}/", {"title": title}, format="json", HTTP_IF_MATCH=etag)
            results[title] = response.status_code
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=(client, title, etag))
        for client, title, etag in zip(clients, ["Writer A", "Writer B"], etags, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sorted(results.values()) == [200, 412]
    winner = next(title for title, code in results.items() if code == 200)
    event.refresh_from_db()
    assert (event.title, event.version) == (winner, 2)
    assert event.history.count() == history_before + 1  # the winner's change; the loser left no trace


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_concurrent_claims_the_second_waits_for_the_first_and_fails(postgres_only):
    """The claim's UPDATE locks the row: the other writer's claim waits for the first to commit, then finds no row."""
    event = EventFactory()
    claimed = threading.Event()
    outcome: list[str] = []

    def first() -> None:
        from django.db import transaction

        try:
            with transaction.atomic():
                claim_version(instance=Event.objects.get(pk=event.pk), expected=1)
                claimed.set()
                Event.objects.filter(pk=event.pk).update(title="First")
                threading.Event().wait(0.5)  # hold the lock while the second writer tries
        finally:
            connection.close()

    def second() -> None:
        from django.db import transaction

        claimed.wait()
        try:
            with transaction.atomic():
                claim_version(instance=Event(pk=event.pk, version=1), expected=1)
                Event.objects.filter(pk=event.pk).update(title="Second")
            outcome.append("saved")
        except StaleVersion:
            outcome.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcome == ["refused"]
    event.refresh_from_db()
    assert (event.title, event.version) == ("First", 2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_concurrent_admin_saves_exactly_one_wins(postgres_only):
    from django.core.management import call_command

    call_command("loaddata", "gmg", verbosity=0)
    # A transactional test may start after another emptied the tables (the roles too): superusers edit.
    users = [User.objects.create_superuser(username=name, password="a long passphrase") for name in ("one", "two")]  # noqa: S106
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    event = Event.objects.get(title__startswith="Technical Working Level Meeting")
    forms = [admin_form(client, event_url(event)) for client in clients]
    start = threading.Barrier(2)
    results: dict[str, tuple[int, list[str]]] = {}
    errors: list[BaseException] = []

    def save(client: Client, form: dict, title: str) -> None:
        try:
            start.wait()
            response = client.post(event_url(event), {**form, "title": title})
            results[title] = (response.status_code, page_errors(response) if response.status_code == 200 else [])
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(client, form, title))
        for client, form, title in zip(clients, forms, ["Title A", "Title B"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sorted(status for status, _ in results.values()) == [200, 302]
    winner = next(title for title, (status, _) in results.items() if status == 302)
    loser = next(title for title, (status, _) in results.items() if status == 200)
    assert results[loser][1] == [STALE]
    event.refresh_from_db()
    assert (event.title, event.version) == (winner, int(forms[0]["loaded_version"]) + 1)
