"""The shared cache, reached so that its failure costs speed and never an answer.

Whole pages, report versions and rendered PDFs are remembered in Django's
cache (Redis in production, shared by every app server). Every read and write
of them goes through this module:

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
import time
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

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
