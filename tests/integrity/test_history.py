"""Audit history: who changed what and when, for every domain record, through the admin and the API; revert.

django-simple-history keeps a historical row per save (with the many-to-many
links as they were); its models live in the `audit` app. The admin's
"History" page lists the changes with their author, and its revert form
restores an earlier version as a new version of the record.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from chairmanship.models import Agency
from gmg_portal.concurrency import STALE_MESSAGE
from tests.integrity.support import admin_form
from tests.integrity.support import page_errors
from workplan.models import Event

DOMAIN_MODELS = [model for app in ("chairmanship", "workplan") for model in apps.get_app_config(app).get_models()]


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.label)
def test_every_domain_model_keeps_its_history_in_the_audit_app(model):
    history = model.history.model

    assert history._meta.app_label == "audit"
    tracked = {field.name for field in history.tracked_fields}
    assert {field.name for field in model._meta.concrete_fields} <= tracked
    # Many-to-many links are kept with each version.
    assert {field.name for field in history._history_m2m_fields} == {field.name for field in model._meta.many_to_many}


def the_event() -> Event:
    return Event.objects.get(title__startswith="Technical Working Level Meeting")


def change_in_admin(client, event: Event, **fields) -> None:
    url = f"/admin/workplan/event/{event.pk}/change/"
    response = client.post(url, {**admin_form(client, url), **fields})
    assert response.status_code == 302, page_errors(response)


def test_an_admin_change_is_recorded_with_who_what_and_when(gmg, secretariat_client, secretariat_user):
    event = the_event()
    iom = Agency.objects.get(acronym="IOM")
    assert iom not in event.organisers.all()
    before = event.history.count()

    change_in_admin(secretariat_client, event, city="Turin", organisers=[str(iom.pk)])

    latest = event.history.latest()
    assert event.history.count() > before
    assert (latest.history_user, latest.history_type, latest.city) == (secretariat_user, "~", "Turin")
    assert [link.agency for link in latest.organisers.all()] == [iom]  # the links as they were then
    changed = {change.field for change in latest.diff_against(event.history.exclude(city="Turin").latest()).changes}
    assert {"city", "organisers"} <= changed
    page = secretariat_client.get(f"/admin/workplan/event/{event.pk}/history/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "secretariat" in html and "Turin" in html


def test_the_admin_reverts_a_record_to_an_earlier_version(gmg, secretariat_client, secretariat_user):
    event = the_event()
    original = event.title
    change_in_admin(secretariat_client, event, title="A wrong title", city="Nowhere")
    earlier = event.history.filter(title=original).latest()
    now = Event.objects.get(pk=event.pk).version
    url = f"/admin/workplan/event/{event.pk}/history/{earlier.history_id}/"

    form = admin_form(secretariat_client, url)  # the revert form shows the earlier version
    assert (form["title"], form["loaded_version"]) == (original, str(now))
    response = secretariat_client.post(url, form)

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.city) == (original, earlier.city)
    assert event.version == now + 1  # a revert is a new version, never a step back
    latest = event.history.latest()
    assert (latest.history_user, latest.title) == (secretariat_user, original)


def test_a_record_loaded_from_the_fixture_can_be_reverted_to_its_loaded_state(
    gmg, secretariat_client, secretariat_user
):
    """loaddata records no history; the first change records the stored state first, as loaded, by nobody."""
    ilo = Agency.objects.get(acronym="ILO")
    loaded_name = ilo.name
    assert not ilo.history.exists()
    url = f"/admin/chairmanship/agency/{ilo.pk}/change/"
    assert secretariat_client.post(url, {**admin_form(secretariat_client, url), "name": "Renamed"}).status_code == 302

    first, change = ilo.history.order_by("history_id")
    assert (first.name, first.version, first.history_user) == (loaded_name, 1, None)
    assert (change.name, change.version, change.history_user) == ("Renamed", 2, secretariat_user)

    revert_url = f"/admin/chairmanship/agency/{ilo.pk}/history/{first.history_id}/"
    assert secretariat_client.post(revert_url, admin_form(secretariat_client, revert_url)).status_code == 302
    ilo.refresh_from_db()
    assert (ilo.name, ilo.version) == (loaded_name, 3)


def test_a_revert_over_someone_elses_newer_edit_is_refused(gmg, secretariat_client):
    event = the_event()
    original = event.title
    change_in_admin(secretariat_client, event, title="Second title")
    url = f"/admin/workplan/event/{event.pk}/history/{event.history.filter(title=original).latest().history_id}/"
    revert = admin_form(secretariat_client, url)
    change_in_admin(secretariat_client, event, title="Third title")  # someone saves meanwhile

    response = secretariat_client.post(url, revert)

    assert response.status_code == 200
    assert page_errors(response) == [str(STALE_MESSAGE)]
    assert Event.objects.get(pk=event.pk).title == "Third title"


def test_api_writes_with_a_token_record_the_tokens_user(world, api_secretariat, secretariat_user):
    url = f"/api/v1/events/{world.event.pk}/"

    patched = api_secretariat.patch(url, {"title": "Renamed through the API", "organisers": []}, format="json")
    created = api_secretariat.post(
        "/api/v1/events/",
        {"chairmanship": world.term.slug, "title": "New", "start_date": "2101-02-03"},
        format="json",
    )

    assert (patched.status_code, created.status_code) == (200, 201)
    latest = world.event.history.latest()
    assert (latest.history_user, latest.title) == (secretariat_user, "Renamed through the API")
    assert list(latest.organisers.all()) == []
    assert Event.objects.get(pk=created.json()["id"]).history.earliest().history_user == secretariat_user
    assert api_secretariat.delete(url).status_code == 204
    gone = Event.history.filter(id=world.event.pk).latest()
    assert (gone.history_type, gone.history_user) == ("-", secretariat_user)


def test_an_anonymous_attempt_leaves_no_history(world, api_anonymous):
    before = Event.history.count()

    response = api_anonymous.patch(f"/api/v1/events/{world.event.pk}/", {"title": "Vandalised"}, format="json")

    assert response.status_code == 401
    assert Event.history.count() == before


def test_the_history_of_every_user_is_kept_when_the_user_is_removed(world, api_secretariat, secretariat_user):
    api_secretariat.patch(f"/api/v1/events/{world.event.pk}/", {"title": "Kept"}, format="json")

    User.objects.filter(pk=secretariat_user.pk).delete()

    latest = world.event.history.latest()
    assert (latest.title, latest.history_user) == ("Kept", None)
