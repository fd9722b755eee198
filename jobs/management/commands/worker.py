"""`python manage.py worker` (`make worker`): a worker of the job engine, in the foreground.

First it queues the work the records are waiting for
(settings.GMG_PENDING_WORK: the first edition of every final report that has
none and none queued), then it becomes django-q2's cluster (`qcluster`): a few processes
that take jobs from the queue in the database, as many as
GMG_WORKER_PROCESSES. Stop it with Ctrl-C or SIGTERM: a job in flight is
finished, or, if the worker dies, handed to another worker once its lock
expires (GMG_JOB_RETRY seconds).
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs.engine import queue_pending_work


class Command(BaseCommand):
    help = "Run a worker of the job engine (editions, imports) in the foreground."

    def handle(self, *args, **options) -> None:
        queued = queue_pending_work()
        self.stdout.write(f"Queued {len(queued)} job(s) the records were waiting for; taking jobs.")
        call_command("qcluster")
