"""The first entry of a record's history, for records that arrived without one.

`loaddata` (the real dataset, fixtures/gmg.json) saves raw rows, and
django-simple-history records nothing for a raw save. Without a first entry,
the first edit of such a record would have nothing to show its changes
against and nothing to revert to. So before a record is changed, its stored
state is recorded if its history is empty: dated when the record was last
updated, by nobody (it was loaded, not edited).
"""

from __future__ import annotations

from django.db import models


def history_baseline(*, instance: models.Model, version: int | None = None) -> bool:
    """Record the stored state of `instance` as its first history entry if it has none; True if it did.

    `version`: the version the stored state had, when the caller has already moved it on.
    """
    history = getattr(type(instance), "history", None)
    if history is None or instance.pk is None or history.filter(**{instance._meta.pk.attname: instance.pk}).exists():
        return False
    stored = type(instance)._base_manager.filter(pk=instance.pk).first()
    if stored is None:
        return False
    if version is not None:
        stored.version = version
    stored._history_user = None  # loaded, not edited by the person changing it now
    history.bulk_history_create([stored], default_date=getattr(stored, "updated_at", None))
    return True
