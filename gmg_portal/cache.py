"""The shared cache: what may be remembered, for how long, and what happens when it fails. One module.

Whole pages, report versions and rendered PDFs are remembered in Django's
cache (Redis in production, shared by every app server). Every read and write
of them goes through this module.

**While the data is unchanged.** One number in the cache, the data
generation, changes whenever a record a page or report can show changes:
every save, delete and many-to-many change of a model of an app that called
`track_changes()` (the domain apps, from their AppConfig.ready; loaddata
included) bumps it, once at once and once more when the transaction commits
(so a reader who read the old data between the two never leaves a stale
entry behind). `while_unchanged(...)` gives the place of a value under the
current generation: pages and report versions are remembered there and are
never read again once anything changes. Writes that bypass the signals
(QuerySet.update(), bulk_create(), raw SQL) call `data_generation_bump()`
themselves.

**When it fails.**

- A failing cache (Redis down, or slower than the short connect and read
  timeouts gmg_portal.env gives its connections) is reported once and then
  left alone by this process for OUTAGE_PAUSE seconds: meanwhile every read
  misses and every write is dropped, so pages are rendered afresh instead of
  each waiting on the cache in turn. After the pause the next operation tries
  again.
- A write that was lost during an outage may have been an invalidation: the
  keys named with `forget_after_outage` are deleted first when the cache
  answers again, so nothing remembered before the outage outlives the data it
  was made from.
- `shared()` says whether the cache is one that every serving process sees:
  only then may a page or a report version be remembered for others.
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.apps import AppConfig
from django.core.cache import cache
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed
from django.db.models.signals import post_delete
from django.db.models.signals import post_save

logger = logging.getLogger(__name__)

OUTAGE_PAUSE = 30.0
MISSING = object()

_paused_until = 0.0
_forget_after_outage: set[str] = set()
_recovery_due = False


def shared() -> bool:
    """Whether every serving process sees this cache: not a dummy one, not a per-process locmem under gunicorn.

    `django.core.cache.cache` is a proxy, never an instance of a backend class: judge `caches["default"]`.
    """
    backend = caches["default"]
    if isinstance(backend, DummyCache):
        return False
    under_gunicorn = os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn")
    return not (isinstance(backend, LocMemCache) and under_gunicorn)


def available() -> bool:
    """False while this process leaves a failed cache alone (OUTAGE_PAUSE seconds after a failure)."""
    return time.monotonic() >= _paused_until


def resume() -> None:
    """Try the cache again at the next operation (tests; an operator's shell after Redis is back)."""
    global _paused_until
    _paused_until = 0.0


def forget_after_outage(key: str) -> None:
    """Delete `key` when the cache answers again after an outage, before anything else reads it."""
    _forget_after_outage.add(key)


def _failed(operation: str, key: str) -> None:
    global _paused_until, _recovery_due
    if available():
        logger.warning(
            "The cache failed to %s %r; it is left alone for %d s and pages are rendered without it",
            operation,
            key,
            OUTAGE_PAUSE,
            exc_info=True,
        )
    _paused_until = time.monotonic() + OUTAGE_PAUSE
    _recovery_due = True


def _usable() -> bool:
    global _recovery_due
    if not available():
        return False
    if _recovery_due:
        try:
            cache.delete_many(sorted(_forget_after_outage))
        except Exception:  # still failing: try again when the next pause ends
            _failed("recover", ", ".join(sorted(_forget_after_outage)))
            return False
        _recovery_due = False
    return True


def get(key: str, default: Any = None) -> Any:
    if not _usable():
        return default
    try:
        return cache.get(key, default)
    except Exception:
        _failed("read", key)
        return default


def set(key: str, value: Any, timeout: float | None) -> bool:  # noqa: A001 - the cache's own word
    if not _usable():
        return False
    try:
        cache.set(key, value, timeout)
    except Exception:
        _failed("write", key)
        return False
    return True


def add(key: str, value: Any, timeout: float | None) -> bool:
    """Store `value` unless the key holds one; False when it does (or the cache failed)."""
    if not _usable():
        return False
    try:
        return cache.add(key, value, timeout)
    except Exception:
        _failed("add", key)
        return False


def incr(key: str) -> int | None:
    """The key's number plus one, stored; None when the key holds nothing (or the cache failed)."""
    if not _usable():
        return None
    try:
        return cache.incr(key)
    except ValueError:  # not there
        return None
    except Exception:
        _failed("increment", key)
        return None


def delete(key: str) -> bool:
    if not _usable():
        return False
    try:
        cache.delete(key)
    except Exception:
        _failed("delete", key)
        return False
    return True


# The data generation ----------------------------------------------------------------

GENERATION_KEY = "data-generation"
_M2M_CHANGES = {"post_add", "post_remove", "post_clear"}

forget_after_outage(GENERATION_KEY)


def _fresh_start() -> int:
    # After an eviction or a cache flush the count restarts above any number it reached before (a bump
    # takes far longer than a nanosecond), so entries remembered under an old number never match again.
    return time.time_ns()


def data_generation() -> int | None:
    """The current generation, or None when nothing may be remembered (an unshared cache, or one that failed)."""
    if not shared():
        return None
    value = get(GENERATION_KEY)
    if value is None and available():
        add(GENERATION_KEY, _fresh_start(), timeout=None)
        value = get(GENERATION_KEY)
    return value


def _bump() -> None:
    # A key that is not there (no reader yet, or evicted) needs nothing: the next reader starts afresh.
    # A cache that fails has this bump made good when it answers again (forget_after_outage).
    incr(GENERATION_KEY)


def data_generation_bump(*, using: str = "default") -> None:
    """Everything remembered while the data was unchanged is forgotten: now, and again when the transaction commits."""
    _bump()
    connection = transaction.get_connection(using)
    # One bump per transaction is enough (loaddata saves hundreds of records in one).
    if connection.in_atomic_block and any(entry[1] is _bump for entry in connection.run_on_commit):
        return
    transaction.on_commit(_bump, using=using)


def _on_change(sender, using: str = "default", **kwargs) -> None:
    if kwargs.get("action", "post_add") in _M2M_CHANGES:
        data_generation_bump(using=using)


def track_changes(app_config: AppConfig) -> None:
    """Bump the generation on every change of the app's models and their many-to-many tables (call from ready())."""
    for model in app_config.get_models():
        post_save.connect(_on_change, sender=model, dispatch_uid=f"generation-save-{model._meta.label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"generation-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_on_change, sender=through, dispatch_uid=f"generation-m2m-{through._meta.label}")


# What this process read or wrote last under `while_unchanged`, pickled, by key. Every such key names its
# generation, and the generation is read from the shared cache on every request: a value found here is the
# one the shared cache holds for that generation, so a hit saves a trip without ever being stale.
NEARBY_BYTES = 32 * 1024 * 1024
_nearby: OrderedDict[str, bytes] = OrderedDict()
_nearby_size = 0
_nearby_lock = threading.Lock()  # the development server and live-server tests answer in threads


def _keep_nearby(key: str, data: bytes) -> None:
    global _nearby_size
    if len(data) > NEARBY_BYTES // 16:  # a rare giant (a 500-event workplan) would push out everything else
        return
    with _nearby_lock:
        _nearby_size += len(data) - len(_nearby.pop(key, b""))
        _nearby[key] = data
        while _nearby_size > NEARBY_BYTES:
            _nearby_size -= len(_nearby.popitem(last=False)[1])


def _nearby_copy(key: str) -> bytes | None:
    with _nearby_lock:
        data = _nearby.get(key)
        if data is not None:
            _nearby.move_to_end(key)
        return data


def forget_nearby() -> None:
    """Drop this process's copies (tests that pin a generation; after a cache flush nothing is needed)."""
    global _nearby_size
    with _nearby_lock:
        _nearby.clear()
        _nearby_size = 0


@dataclass(frozen=True)
class Remembered:
    """The place of one value that holds while the data is unchanged (see `while_unchanged`)."""

    key: str

    def get(self) -> Any:
        data = _nearby_copy(self.key)
        if data is not None:
            return pickle.loads(data)  # noqa: S301 - our own bytes, pickled by _keep_nearby
        value = get(self.key)
        if value is not None:
            _keep_nearby(self.key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        return value

    def set(self, value: Any, timeout: float) -> None:
        if set(self.key, value, timeout):
            _keep_nearby(self.key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def while_unchanged(kind: str, *parts: str, generation: int | None = None) -> Remembered | None:
    """Where a value of `kind` computed from the records is remembered, under the current data generation.

    None when nothing may be remembered now: the caller computes the value afresh and keeps it nowhere.
    """
    generation = generation if generation is not None else data_generation()
    if generation is None:
        return None
    return Remembered(key=":".join((kind, str(generation), *parts)))
