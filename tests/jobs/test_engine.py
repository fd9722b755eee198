"""A job is recorded and queued together, run by a worker with its attempts counted, retried, then failed.

These tests call `jobs.engine.run` as a worker of the engine does (the
engine's own workers are driven in tests/jobs/test_worker.py).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_q.models import OrmQ

from jobs.engine import enqueue
from jobs.engine import max_attempts
from jobs.engine import oldest_waiting_age
from jobs.engine import progress
from jobs.engine import run
from jobs.models import Job

pytestmark = pytest.mark.django_db

COUNT = "tests.jobs.handlers.count_words"
FAIL = "tests.jobs.handlers.always_fail"


def test_a_job_is_recorded_and_queued_for_a_worker_together(secretariat_user):
    job = enqueue(handler=COUNT, kind="count", subject="words", params={"text": "a b c"}, user=secretariat_user)

    assert job.status == Job.Status.QUEUED
    assert job.requested_by == secretariat_user
    assert OrmQ.objects.count() == 1  # the engine's queue is a table of the same database


def test_a_handler_that_does_not_exist_is_refused_when_queued():
    with pytest.raises(ImportError):
        enqueue(handler="tests.jobs.handlers.no_such_handler", kind="count")

    assert not Job.objects.exists()
    assert not OrmQ.objects.exists()


def test_a_worker_records_the_attempt_the_progress_and_the_result():
    job = enqueue(handler=COUNT, kind="count", params={"text": "migrants and migration"})

    assert run(job.pk) == {"words": 3}

    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (Job.Status.DONE, 1, {"words": 3})
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.started_at is not None and job.finished_at is not None


def test_a_failing_job_is_queued_again_until_its_last_attempt_then_failed():
    job = enqueue(handler=FAIL, kind="count")

    for attempt in range(1, max_attempts()):
        with pytest.raises(RuntimeError):
            run(job.pk)
        job.refresh_from_db()
        assert (job.status, job.attempts) == (Job.Status.QUEUED, attempt)
        assert "the archive is unreachable" in job.error
    with pytest.raises(RuntimeError):
        run(job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.FAILED, max_attempts())
    assert job.finished_at is not None


def test_a_finished_job_taken_again_is_not_run_again():
    job = enqueue(handler=COUNT, kind="count", params={"text": "one"})
    run(job.pk)

    assert run(job.pk) is None
    job.refresh_from_db()
    assert job.attempts == 1


def test_progress_never_passes_its_end():
    job = enqueue(handler=COUNT, kind="count")
    progress(job, done=5, total=10)

    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (5, 10)


def test_the_oldest_waiting_job_gives_the_queue_its_age():
    assert oldest_waiting_age() is None
    now = timezone.now()
    old = enqueue(handler=COUNT, kind="count")
    Job.objects.filter(pk=old.pk).update(requested_at=now - datetime.timedelta(minutes=7))
    enqueue(handler=COUNT, kind="count")

    assert oldest_waiting_age(now=now) == datetime.timedelta(minutes=7)
