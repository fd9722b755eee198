"""`load_real_data`, which `make run` calls every time: the real dataset goes into an empty database only.

A second `make run` must never put fixtures/gmg.json back over what the
secretariat entered since the first one (a final report back to draft, a
renamed event back to its old title).
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models.signals import post_save

from chairmanship.management.commands.load_real_data import start_afresh_hint
from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from chairmanship.services import chairmanship_save
from workplan.models import Event
from workplan.services import event_save


def load_real_data() -> str:
    out = StringIO()
    call_command("load_real_data", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_an_empty_database_gets_the_real_dataset():
    output = load_real_data()

    assert Chairmanship.objects.count() == 15
    assert Chairmanship.objects.get(slug="2014-ilo").is_final
    assert Event.objects.filter(chairmanship__slug="2014-ilo").count() == 13
    # It says what it loaded.
    assert output.startswith("Loaded the real dataset (fixtures/gmg.json):")
    assert "15 chairmanships" in output and "13 events" in output


@pytest.mark.django_db
def test_the_demo_admin_and_the_role_groups_alone_do_not_stop_the_load():
    call_command("ensure_demo_admin", stdout=StringIO())
    assert set(Group.objects.values_list("name", flat=True)) >= {"Secretariat", "Agency", "Principal"}
    assert User.objects.filter(username="admin").exists()

    output = load_real_data()

    assert output.startswith("Loaded the real dataset")
    assert Chairmanship.objects.count() == 15


@pytest.mark.django_db
def test_a_second_run_overwrites_nothing_and_says_so():
    load_real_data()
    ilo = Chairmanship.objects.get(slug="2014-ilo")
    chairmanship_save(data={"theme": "Entered by the secretariat"}, chairmanship=ilo)
    event = Event.objects.filter(chairmanship=ilo).order_by("pk").first()
    event_save(data={"title": "Renamed by the secretariat"}, event=event)

    output = load_real_data()

    assert output.startswith(
        "The database already holds 15 chairmanships: the real dataset was not loaded, "
        "so nothing entered was overwritten. To start afresh, "
    )
    assert Chairmanship.objects.get(slug="2014-ilo").theme == "Entered by the secretariat"
    assert Event.objects.get(pk=event.pk).title == "Renamed by the secretariat"
    assert Chairmanship.objects.count() == 15


@pytest.mark.django_db
def test_records_of_any_kind_stop_the_load():
    # An agency entered before any term would be overwritten by the dataset's agency with the same id.
    Agency.objects.create(acronym="NEW", name="An agency entered by hand")

    output = load_real_data()

    assert output.startswith("The database already holds 1 agency: the real dataset was not loaded")
    assert list(Agency.objects.values_list("acronym", flat=True)) == ["NEW"]
    assert not Chairmanship.objects.exists()


@pytest.mark.django_db
def test_the_load_is_all_or_nothing():
    def fail_on_the_tenth_event(sender, instance, **kwargs):
        if Event.objects.count() == 10:
            raise RuntimeError("the disk is full")

    post_save.connect(fail_on_the_tenth_event, sender=Event)
    try:
        with pytest.raises(RuntimeError, match="the disk is full"):
            load_real_data()
    finally:
        post_save.disconnect(fail_on_the_tenth_event, sender=Event)

    assert not Event.objects.exists()
    assert not Chairmanship.objects.exists()
    assert not Agency.objects.exists()


@pytest.mark.parametrize(
    ("vendor", "name", "hint"),
    [
        ("sqlite", settings.BASE_DIR / "db.sqlite3", "To start afresh, remove db.sqlite3."),
        ("sqlite", "/srv/gmg/portal.sqlite3", "To start afresh, remove /srv/gmg/portal.sqlite3."),
        ("sqlite", "file:memorydb_default?mode=memory&cache=shared", "To start afresh, use an empty database."),
        ("postgresql", "gmg", "To start afresh, use an empty database."),
    ],
)
def test_the_skip_message_says_how_to_start_afresh(vendor, name, hint):
    assert start_afresh_hint(vendor=vendor, name=name) == hint


@pytest.mark.django_db
def test_the_demo_admin_is_told_the_address_make_run_serves_on():
    """`make run` passes its HOST:PORT (PORT=8101 make run must not say 8000)."""
    output = StringIO()
    call_command("ensure_demo_admin", "--address", "127.0.0.1:8101", stdout=output)
    assert "Sign in at http://127.0.0.1:8101/admin/ " in output.getvalue()

    call_command("ensure_demo_admin", stdout=(default := StringIO()))
    assert "Sign in at http://127.0.0.1:8000/admin/ " in default.getvalue()
