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


def history_baselines(instances) -> int:
    """`history_baseline` for many records of one model at once (two queries): those without history get one.

    `instances` hold the stored state (and the version it had); the number of entries recorded is returned.
    """
    instances = list(instances)
    if not instances:
        return 0
    model = type(instances[0])
    history = getattr(model, "history", None)
    if history is None:
        return 0
    attname = model._meta.pk.attname
    pks = [instance.pk for instance in instances]
    known: set = set()
    for start in range(0, len(pks), 900):  # SQLite takes 999 parameters a statement
        chunk = pks[start : start + 900]
        known.update(history.filter(**{f"{attname}__in": chunk}).values_list(attname, flat=True).distinct())
    missing = [instance for instance in instances if instance.pk not in known]
    for instance in missing:
        instance._history_user = None  # loaded, not edited by the person changing it now
        if getattr(instance, "updated_at", None) is not None:
            instance._history_date = instance.updated_at  # dated when the record was last updated
    history.bulk_history_create(missing, batch_size=500)
    return len(missing)
