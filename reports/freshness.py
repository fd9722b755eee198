"""The data generation: one number in the cache that changes whenever a record a report can show changes.

Every save, delete and many-to-many change of a chairmanship or workplan
model (loaddata included) bumps it, once at once and once more when the
transaction commits (so a reader who assembled the old data between the two
never leaves a stale entry behind). Keyed on it, a report's version (its
fingerprint and last change) is remembered: a cached PDF download then costs
a cache read or two instead of assembling the whole report (~25 queries).

Writes that bypass the signals (QuerySet.update(), bulk_create(), raw SQL)
must call `data_generation_bump()` themselves; `generate_history` and its
removal create and delete through bulk paths and are followed by a bump.

The generation lives in the cache, so it must be seen by every process that
serves reports: with a cache shared by all (Redis), or in one process
(runserver, tests, management commands). With the per-process locmem cache
under gunicorn, nothing is remembered (`remembering()` is False) and every
download recomputes the fingerprint, as before: correct, only slower.
"""

from __future__ import annotations

import datetime
import logging
import os
import time
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

GENERATION_KEY = "reports:data-generation"
VERSION_TIMEOUT = 60 * 60 * 24 * 30
DOMAIN_APPS = ("chairmanship", "workplan")
_M2M_CHANGES = {"post_add", "post_remove", "post_clear"}


@dataclass(frozen=True)
class ReportVersion:
    """What the PDF view needs to answer without assembling the report: its ETag and Last-Modified."""

    fingerprint: str
    last_modified: datetime.datetime | None


def remembering() -> bool:
    """Whether the generation is visible to every process that serves reports (see the module's note)."""
    # `cache` is a proxy: the backend's class is that of caches["default"].
    backend = caches["default"]
    if isinstance(backend, DummyCache):
        return False
    under_gunicorn = os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn")
    return not (isinstance(backend, LocMemCache) and under_gunicorn)


def _fresh_start() -> int:
    # After an eviction or a cache flush the count restarts above any number it reached before (a bump
    # takes far longer than a nanosecond), so entries remembered under an old number never match again.
    return time.time_ns()


def data_generation() -> int | None:
    """The current generation, or None when nothing may be remembered (or the cache cannot be read)."""
    if not remembering():
        return None
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, _fresh_start(), timeout=None)
            value = cache.get(GENERATION_KEY)
    except Exception:  # a cache outage costs speed, never correctness
        logger.warning("The data generation could not be read from the cache", exc_info=True)
        return None
    return value


def _bump() -> None:
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there (no reader yet, or evicted): the next reader starts afresh
            pass
    except Exception:
        logger.warning("The data generation could not be bumped; clearing remembered report versions")
        try:
            cache.delete(GENERATION_KEY)
        except Exception:
            logger.exception("The cache is unreachable: remembered report versions may be stale until it returns")


def data_generation_bump(*, using: str = "default") -> None:
    """Every remembered report version is forgotten: now, and again when the current transaction commits."""
    _bump()
    connection = transaction.get_connection(using)
    # One bump per transaction is enough (loaddata saves hundreds of records in one).
    if connection.in_atomic_block and any(entry[1] is _bump for entry in connection.run_on_commit):
        return
    transaction.on_commit(_bump, using=using)


def _on_change(sender, using: str = "default", **kwargs) -> None:
    if kwargs.get("action", "post_add") in _M2M_CHANGES:
        data_generation_bump(using=using)


def connect_signals() -> None:
    """Called once from ReportsConfig.ready(): every domain model, and every many-to-many table of one."""
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            post_save.connect(_on_change, sender=model, dispatch_uid=f"freshness-save-{model._meta.label}")
            post_delete.connect(_on_change, sender=model, dispatch_uid=f"freshness-delete-{model._meta.label}")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(_on_change, sender=through, dispatch_uid=f"freshness-m2m-{through._meta.label}")


def _version_key(slug: str, language: str, generation: int) -> str:
    return f"reports:version:{slug}:{language}:{generation}"


def report_version_remembered(*, slug: str, language: str, generation: int | None) -> ReportVersion | None:
    if generation is None:
        return None
    try:
        return cache.get(_version_key(slug, language, generation))
    except Exception:
        logger.warning("A report version could not be read from the cache", exc_info=True)
        return None


def report_version_remember(*, slug: str, language: str, generation: int | None, version: ReportVersion) -> None:
    if generation is None:
        return
    try:
        cache.set(_version_key(slug, language, generation), version, VERSION_TIMEOUT)
    except Exception:
        logger.warning("A report version could not be stored in the cache", exc_info=True)
