"""python manage.py load_real_data: the real dataset (fixtures/gmg.json), into an empty database only.

`make run` calls it every time. The first run loads the dataset; a later
run finds the records and loads nothing, so what the secretariat entered
since (a report marked final or back to draft, a renamed event) is never put
back to the dataset's version: `loaddata` writes by primary key, over
whatever holds the same id. Only the portal's own records count: the role
groups the migrations create and the demo admin account do not.

The check and the load are one transaction: the whole dataset is loaded, or
nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db import models
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs.engine import queue_pending_work

FIXTURE = "gmg"
# The apps whose records the dataset holds; terms first, as the message names the first kind found.
RECORD_APPS = ("chairmanship", "workplan")


def record_kinds() -> list[type[models.Model]]:
    """The kinds of record the real dataset holds (the domain apps' models), chairmanships first."""
    from chairmanship.models import Chairmanship

    kinds = [model for label in RECORD_APPS for model in apps.get_app_config(label).get_models()]
    return sorted(kinds, key=lambda model: model is not Chairmanship)


def counted(model: type[models.Model], count: int) -> str:
    """'15 chairmanships', '1 agency'."""
    name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
    return f"{count} {name}"


def start_afresh_hint(*, vendor: str, name: str | Path) -> str:
    """How to start from an empty database: remove the SQLite file (named as it is given), else use another."""
    name = str(name)
    in_memory = name == ":memory:" or name.startswith("file:") or "mode=memory" in name
    if vendor == "sqlite" and name and not in_memory:
        path = Path(name)
        shown = path.relative_to(settings.BASE_DIR) if path.is_relative_to(settings.BASE_DIR) else path
        return _("To start afresh, remove %(file)s.") % {"file": shown}
    return _("To start afresh, use an empty database.")


class Command(BaseCommand):
    help = (
        "Load the real dataset (fixtures/gmg.json) into a database that holds no records of the portal yet; "
        "otherwise load nothing and say so. Never overwrites what was entered."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            present = [(model, model._default_manager.count()) for model in record_kinds()]
            present = [(model, count) for model, count in present if count]
            if present:
                model, count = present[0]
                hint = start_afresh_hint(vendor=connection.vendor, name=connection.settings_dict["NAME"])
                self.stdout.write(
                    _(
                        "The database already holds %(records)s: the real dataset was not loaded, "
                        "so nothing entered was overwritten. %(hint)s"
                    )
                    % {"records": counted(model, count), "hint": hint}
                )
                return
            call_command("loaddata", FIXTURE, verbosity=0)
            loaded = [(model, model._default_manager.count()) for model in record_kinds()]
            # A final report loaded without its edition gets one queued for a worker.
            queued = queue_pending_work()
        summary = ", ".join(counted(model, count) for model, count in loaded if count)
        self.stdout.write(
            self.style.SUCCESS(
                _("Loaded the real dataset (fixtures/%(fixture)s.json): %(summary)s.")
                % {"fixture": FIXTURE, "summary": summary}
            )
        )
        if queued:
            self.stdout.write(
                ngettext(
                    "%(n)d job queued for a worker (make worker): %(what)s.",
                    "%(n)d jobs queued for a worker (make worker): %(what)s.",
                    len(queued),
                )
                % {"n": len(queued), "what": ", ".join(str(job) for job in queued)}
            )
