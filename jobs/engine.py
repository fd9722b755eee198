"""The one module that knows the job engine: django-q2, whose queue is the portal's own database (its ORM broker).

Why django-q2: its ORM broker keeps the queue in the database the portal
already has (SQLite under `make run`, PostgreSQL in production), so no new
service is needed; any number of workers (`make worker`, on any machine that
reaches the database) take tasks from it; a task whose worker died is handed
to another once its lock expires (`retry` seconds); a failing task is tried
again, at most `max_attempts` times (settings.Q_CLUSTER).

What the portal asks of it is small: `enqueue()` records a Job (jobs.models)
and queues it, in one transaction, so a job exists exactly when its task
does; a worker runs `run(job_id)`, which calls the job's handler — a
function named by its dotted path (`reports.jobs.render_edition`), so the
apps above this one are never imported here — and records the attempts,
progress, result or error on the Job.
"""

from __future__ import annotations

import datetime
import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.tasks import async_task

from jobs.models import Job

logger = logging.getLogger(__name__)

Handler = Callable[..., Any]


def max_attempts() -> int:
    return settings.Q_CLUSTER["max_attempts"]


@transaction.atomic
def enqueue(
    *,
    handler: str,
    kind: str,
    subject: str = "",
    params: dict[str, Any] | None = None,
    user: AbstractBaseUser | None = None,
    upload: bytes | None = None,
    upload_name: str = "",
) -> Job:
    """Record a job and queue it for a worker; both or neither (the queue is a table of the same database)."""
    import_string(handler)  # a handler that does not exist is refused now, not by a worker later
    job = Job.objects.create(
        kind=kind,
        handler=handler,
        subject=subject,
        params=params or {},
        requested_by=user if user is not None and user.is_authenticated else None,
        upload=upload,
        upload_name=upload_name,
    )
    async_task("jobs.engine.run", job.pk, task_name=f"{kind}-{job.pk}")
    return job


def progress(job: Job, *, done: int, total: int | None) -> None:
    """Say how far a running job has come (read by the admin's progress bar)."""
    Job.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)
    job.progress_done, job.progress_total = done, total


def run(job_id: int) -> Any:
    """What a worker does with a queued job: its handler, once more, with the attempt recorded.

    A handler that raises has the job queued again for the engine's next
    attempt (the error kept), or failed after the last one; the exception is
    raised again so the engine tries again (or records the failure).
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None  # removed, or done by a worker that died before the engine heard of it
        job.attempts += 1
        job.status = Job.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["attempts", "status", "started_at"])
    try:
        result = import_string(job.handler)(job=job)
    except Exception as error:
        final = job.attempts >= max_attempts()
        # A job another worker finished meanwhile stays done.
        Job.objects.filter(pk=job.pk).exclude(status=Job.Status.DONE).update(
            status=Job.Status.FAILED if final else Job.Status.QUEUED,
            error="".join(traceback.format_exception_only(error)).strip(),
            finished_at=timezone.now() if final else None,
        )
        logger.warning("Job %s failed (attempt %d of %d)", job, job.attempts, max_attempts(), exc_info=True)
        raise
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, result=result, error="", finished_at=timezone.now())
    return result


def queue_pending_work() -> list[Job]:
    """Queue whatever the records wait for (settings.GMG_PENDING_WORK); the jobs queued."""
    queued: list[Job] = []
    for path in settings.GMG_PENDING_WORK:
        queued.extend(import_string(path)())
    return queued


def oldest_waiting_age(*, now: datetime.datetime | None = None) -> datetime.timedelta | None:
    """How long the oldest queued job has waited (None when none waits)."""
    oldest = (
        Job.objects.filter(status=Job.Status.QUEUED).order_by("requested_at").values_list("requested_at", flat=True)
    )
    first = oldest.first()
    return (now or timezone.now()) - first if first else None
