"""Doing here what a worker of the job engine does (tests/jobs/test_worker.py drives real workers)."""

from __future__ import annotations

from jobs.engine import run
from jobs.models import Job


def work_off_the_queue() -> list[Job]:
    """Run every queued job in this process, oldest first, as a worker would; the jobs run."""
    jobs = list(Job.objects.filter(status=Job.Status.QUEUED).order_by("requested_at", "pk"))
    for job in jobs:
        run(job.pk)
    return jobs
