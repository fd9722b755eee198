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
under gunicorn, nothing is remembered (`gmg_portal.cache.shared()` is False)
and every download recomputes the fingerprint: correct, only slower. While
the cache is down nothing is remembered either, and a bump lost in the outage
is made good when it answers again: the generation is forgotten then, so the
next reader starts a new one.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from gmg_portal import cache

GENERATION_KEY = "reports:data-generation"
VERSION_TIMEOUT = 60 * 60 * 24 * 30
DOMAIN_APPS = ("chairmanship", "workplan")
_M2M_CHANGES = {"post_add", "post_remove", "post_clear"}


@dataclass(frozen=True)
class ReportVersion:
    """What the PDF view needs to answer without assembling the report: its ETag and Last-Modified."""

    fingerprint: str
    last_modified: datetime.datetime | None


cache.forget_after_outage(GENERATION_KEY)


def _fresh_start() -> int:
    # After an eviction or a cache flush the count restarts above any number it reached before (a bump
    # takes far longer than a nanosecond), so entries remembered under an old number never match again.
    return time.time_ns()


def data_generation() -> int | None:
    """The current generation, or None when nothing may be remembered (or the cache cannot be read)."""
    if not cache.shared():
        return None
    value = cache.get(GENERATION_KEY)
    if value is None and cache.available():
        cache.add(GENERATION_KEY, _fresh_start(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def _bump() -> None:
    # A key that is not there (no reader yet, or evicted) needs nothing: the next reader starts afresh.
    # A cache that fails has this bump made good when it answers again (gmg_portal.cache).
    cache.incr(GENERATION_KEY)


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
    return cache.get(_version_key(slug, language, generation))


def report_version_remember(*, slug: str, language: str, generation: int | None, version: ReportVersion) -> None:
    if generation is not None:
        cache.set(_version_key(slug, language, generation), version, VERSION_TIMEOUT)
