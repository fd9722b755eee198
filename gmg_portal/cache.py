"""The shared cache and the generations: what may be remembered, for how long, and what happens when it fails.

Whole pages, report versions and rendered PDFs are remembered in Django's
cache (Redis in production, shared by every app server) and in each
process's own memory. Every read and write of them goes through this module.

**While the data is unchanged.** One number, the data generation, changes
whenever a record a page or report can show changes: every save, delete and
many-to-many change of a model of an app that called `track_changes()` (the
domain apps, from their AppConfig.ready; loaddata included) bumps it after
the transaction commits. `while_unchanged(...)` gives the place of a value
under the current generation: pages and report versions are remembered
there and are never read again once anything changes. Writes that bypass
the signals (QuerySet.update(), bulk_create(), raw SQL) call
`data_generation_bump()` themselves.

**While the sign-ins are unchanged.** A second number, the sign-in
generation, is bumped the same way by the auth and sessions apps
(`track_sign_ins`): who is signed in (gmg_portal.signed_in) is kept by each
process, in its own memory, under both numbers (`here_while_unchanged`).

**Where the numbers live.** In the database (gmg_portal.models.Generation),
which every process of a deployment shares — gunicorn's workers, the job
worker, commands: each bumps them there after its commits, in a statement of
its own, and a request reads both in one query, once
(`OneGenerationPerRequest`). On SQLite that read costs less than a trip to
Redis. A bump the database refuses just after a commit (a dropped
connection, a restart) is owed, and made before that process reads or bumps
a number again. Where settings say one process alone serves and writes
(PORTAL_ONE_PROCESS: the test suite) they are counted in its memory.
A connection that wrote and has not committed yet reads no number
(`data_generation()` is None): nothing it reads meanwhile is kept.

**When the cache fails.** A failing cache (Redis down, or slower than the
short connect and read timeouts gmg_portal.env gives its connections) is
reported once and then left alone by this process for OUTAGE_PAUSE seconds:
meanwhile every read misses and every write is dropped, so pages are
rendered afresh (or served from this process's memory) instead of each
waiting on the cache in turn. After the pause the next operation tries
again. No invalidation is ever lost with it: the numbers are not in the
cache.
"""

from __future__ import annotations

import builtins
import contextvars
import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed
from django.db.models.signals import post_delete
from django.db.models.signals import post_save
from django.http import HttpRequest
from django.http import HttpResponse

logger = logging.getLogger(__name__)

OUTAGE_PAUSE = 30.0

_paused_until = 0.0


def available() -> bool:
    """False while this process leaves a failed cache alone (OUTAGE_PAUSE seconds after a failure)."""
    return time.monotonic() >= _paused_until


def resume() -> None:
    """Try the cache again at the next operation (tests; an operator's shell after Redis is back)."""
    global _paused_until
    _paused_until = 0.0


def _failed(operation: str, key: str) -> None:
    global _paused_until
    if available():
        logger.warning(
            "The cache failed to %s %r; it is left alone for %d s and pages are rendered without it",
            operation,
            key,
            OUTAGE_PAUSE,
            exc_info=True,
        )
    _paused_until = time.monotonic() + OUTAGE_PAUSE


def get(key: str, default: Any = None) -> Any:
    if not available():
        return default
    try:
        return cache.get(key, default)
    except Exception:
        _failed("read", key)
        return default


def set(key: str, value: Any, timeout: float | None) -> bool:  # noqa: A001 - the cache's own word
    if not available():
        return False
    try:
        cache.set(key, value, timeout)
    except Exception:
        _failed("write", key)
        return False
    return True


# The data generation ----------------------------------------------------------------

GENERATION_KEY = "data-generation"
# Who is signed in and what they may do (users, groups, sessions: gmg_portal.signed_in) changes apart from
# the records, so that a sign-in does not make every page render afresh.
SIGN_IN_GENERATION_KEY = "sign-in-generation"
_GENERATION_KEYS = (GENERATION_KEY, SIGN_IN_GENERATION_KEY)
_M2M_CHANGES = {"post_add", "post_remove", "post_clear"}


def _fresh_start() -> int:
    # A count that starts again (a new process, an emptied table) starts above any number it reached before
    # (a bump takes far longer than a nanosecond), so values kept under an old number never match again.
    return time.time_ns()


def _one_process() -> bool:
    return settings.PORTAL_ONE_PROCESS


# The numbers where one process alone serves and writes (PORTAL_ONE_PROCESS).
_in_memory: dict[str, int] = {}


# The generations a request read first, so that its session, its user and its page cost one read of them
# together. Reading them once at the start is as safe as reading them before each value: whatever
# the request remembers is filed under generations read before it read the records. A bump forgets them.
_request_generations: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar(
    "request_generations", default=None
)


class OneGenerationPerRequest:
    """Middleware, first of the stack: the generations are read at most once per request, then reused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_generations.set({})
        try:
            return self.get_response(request)
        finally:
            _request_generations.reset(token)


def _read_generations() -> dict[str, int]:
    if _one_process():
        for key in _GENERATION_KEYS:
            _in_memory.setdefault(key, _fresh_start())
        return dict(_in_memory)
    return _read_database_generations()


def _read_database_generations() -> dict[str, int]:
    from gmg_portal.models import Generation  # the models load after this module (the apps' ready() imports it)

    if _owed_bumps and not connection.in_atomic_block:  # in a writer's transaction it would hold the row
        _pay_owed_bumps()
    # Read on every request: plain SQL, which costs a fraction of compiling the ORM's query each time.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, value FROM {connection.ops.quote_name(Generation._meta.db_table)}")  # noqa: S608
        values = dict(cursor.fetchall())
    missing = [key for key in _GENERATION_KEYS if key not in values]
    if missing:  # a new database, or one emptied (flush)
        fresh = _fresh_start()
        Generation.objects.bulk_create([Generation(name=key, value=fresh) for key in missing], ignore_conflicts=True)
        values = dict(Generation.objects.values_list("name", "value"))
    return values


def _generation(key: str) -> int | None:
    held = _request_generations.get()
    if held and key in held:
        return held[key]
    if not _one_process() and _bump_pending():
        # This connection changed what the number counts and has not committed: the database's number is
        # bumped only after the commit, so nothing read now may be kept under it.
        return None
    values = _read_generations()
    if held is not None:
        held.update(values)
    return values.get(key)


def data_generation() -> int | None:
    """The current generation; None while this connection holds an uncommitted change (keep nothing then)."""
    return _generation(GENERATION_KEY)


def _bump_key(key: str) -> None:
    held = _request_generations.get()
    if held:
        held.clear()
    if _one_process():
        _in_memory[key] = _in_memory.get(key, _fresh_start()) + 1


# The bumps this process owes: the database failed just after a commit (a dropped connection, a restart), so
# the change it counts is committed and not counted yet. Each is made before this process reads or bumps a
# number again, so that every process stops serving what the change replaced as soon as the database is back.
_owed_bumps: builtins.set[str] = builtins.set()  # `set` is this module's cache write


def _bump_in_database(key: str) -> None:
    # Only after a commit, in a statement of its own: inside the writer's transaction the row's lock would
    # be held to its end, and two writers could each wait on the other.
    if not _one_process():
        _owed_bumps.add(key)
        _pay_owed_bumps()


def _pay_owed_bumps() -> None:
    from gmg_portal.models import Generation

    while _owed_bumps:
        # Taken before the update, which then comes after the commit of every bump owed so far; one owed
        # meanwhile is made by its own caller. One bump counts any number of commits before it.
        key = _owed_bumps.pop()
        try:
            Generation.objects.filter(name=key).update(value=F("value") + 1)
        except Exception:
            # Still owed: the writer's change is committed; a reader's request fails as any query would.
            _owed_bumps.add(key)
            raise


def _bump() -> None:
    _bump_key(GENERATION_KEY)
    _bump_in_database(GENERATION_KEY)


def _bump_sign_ins() -> None:
    _bump_key(SIGN_IN_GENERATION_KEY)
    _bump_in_database(SIGN_IN_GENERATION_KEY)


_AFTER_COMMIT = {GENERATION_KEY: _bump, SIGN_IN_GENERATION_KEY: _bump_sign_ins}


def _pending_bumps(using: str = "default") -> list[Callable[[], None]]:
    """The bumps the connection's open transaction will make when it commits."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return []
    bumps = _AFTER_COMMIT.values()
    return [entry[1] for entry in connection.run_on_commit if entry[1] in bumps]


def _bump_pending(using: str = "default") -> bool:
    return bool(_pending_bumps(using))


def _bump_now_and_on_commit(key: str, using: str) -> None:
    # In one process the number moves at once and again after the commit, so that a reader who read the
    # old data between the two leaves nothing stale behind; the database's moves after the commit only.
    _bump_key(key)
    after_commit = _AFTER_COMMIT[key]
    # One bump per transaction is enough (loaddata saves hundreds of records in one).
    if after_commit in _pending_bumps(using):
        return
    # The change is committed whatever the bump meets: a failure is logged, not raised to the writer.
    transaction.on_commit(after_commit, using=using, robust=True)


def data_generation_bump(*, using: str = "default") -> None:
    """Everything remembered while the data was unchanged is forgotten when the transaction commits.

    In one process (PORTAL_ONE_PROCESS) at once too.
    """
    _bump_now_and_on_commit(GENERATION_KEY, using)


def _on_change(sender, using: str = "default", **kwargs) -> None:
    if kwargs.get("action", "post_add") in _M2M_CHANGES:
        _bump_now_and_on_commit(GENERATION_KEY, using)


def _on_sign_in_change(sender, using: str = "default", **kwargs) -> None:
    if kwargs.get("action", "post_add") in _M2M_CHANGES:
        _bump_now_and_on_commit(SIGN_IN_GENERATION_KEY, using)


def _track(app_config: AppConfig, receiver: Callable[..., None], name: str) -> None:
    for model in app_config.get_models():
        post_save.connect(receiver, sender=model, dispatch_uid=f"{name}-save-{model._meta.label}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{name}-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(receiver, sender=through, dispatch_uid=f"{name}-m2m-{through._meta.label}")


def track_changes(app_config: AppConfig) -> None:
    """Bump the generation on every change of the app's models and their many-to-many tables (call from ready())."""
    _track(app_config, _on_change, "generation")


def track_sign_ins(app_config: AppConfig) -> None:
    """Bump the sign-in generation on every change of the app's models (users, groups, sessions)."""
    _track(app_config, _on_sign_in_change, "sign-in-generation")


# What this process read or wrote last under `while_unchanged`, pickled, by key. Every such key names its
# generation, and the generation is read afresh on every request: a value found here is the one the shared
# cache holds for that generation, so a hit saves a trip without ever being stale.
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
class KeptHere:
    """The place of a value this process alone keeps (a copy per read): never in the shared cache."""

    key: str

    def get(self) -> Any:
        data = _nearby_copy(self.key)
        return None if data is None else pickle.loads(data)  # noqa: S301 - our own bytes, pickled by set()

    def set(self, value: Any) -> None:
        _keep_nearby(self.key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


@dataclass(frozen=True)
class Remembered:
    """The place of one value that holds while the data is unchanged (see `while_unchanged`)."""

    key: str

    def get(self) -> Any:
        nearby = KeptHere(self.key)
        value = nearby.get()
        if value is None:
            value = get(self.key)
            if value is not None:
                nearby.set(value)
        return value

    def set(self, value: Any, timeout: float) -> None:
        set(self.key, value, timeout)
        KeptHere(self.key).set(value)  # the key names its generation: true here even if the cache failed


def here_while_unchanged(kind: str, *parts: str) -> KeptHere | None:
    """Where this process keeps a value of `kind` while neither the data nor the sign-ins changed; None: nowhere."""
    generation, sign_ins = data_generation(), _generation(SIGN_IN_GENERATION_KEY)
    if generation is None or sign_ins is None:
        return None
    return KeptHere(key=":".join(("here", kind, str(generation), str(sign_ins), *parts)))


def while_unchanged(kind: str, *parts: str, generation: int | None = None) -> Remembered | None:
    """Where a value of `kind` computed from the records is remembered, under the current data generation.

    None when nothing may be remembered now: the caller computes the value afresh and keeps it nowhere.
    """
    generation = generation if generation is not None else data_generation()
    if generation is None:
        return None
    return Remembered(key=":".join((kind, str(generation), *parts)))
