"""A worker killed in the middle of rendering an edition: no half edition, the job taken again, one edition stored.

Runs in the fault step of CI's PostgreSQL leg (GMG_FAULT_TESTS=1), on a
throwaway PostgreSQL database: a term of 300 synthetic events is published,
its worker is killed (SIGKILL, the whole process group, as a crashed machine)
while the edition renders, and a second worker takes the job once its lock
expires. Bounded: every wait has a deadline.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import require_service
from tests.jobs.portal import running_portal
from tests.jobs.portal import wait_for
from tests.load.test_faults import postgres_reachable

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("GMG_FAULT_TESTS") != "1",
        reason="fault tests kill processes: run them with GMG_FAULT_TESTS=1 (the PostgreSQL leg of .ci/run does)",
    ),
]

# Long enough for the big term's renderings; the lock expires a few seconds after, and the job is handed on.
WORKER = {"GMG_WORKER_PROCESSES": "1", "GMG_JOB_TIMEOUT": "90", "GMG_JOB_RETRY": "95"}
PUBLISH = """
from chairmanship.models import Chairmanship
from chairmanship.services import chairmanship_save
from reports.jobs import queue_missing_editions
term = Chairmanship.objects.filter(slug__startswith="2101-").order_by("start_date").first()
chairmanship_save(data={"introduction": "A large term.", "report_status": "final"}, chairmanship=term)
[job] = queue_missing_editions(terms=[term])
print(term.pk, job.pk)
"""


def test_a_worker_killed_mid_render_leads_to_exactly_one_stored_edition(tmp_path):
    require_service("PostgreSQL", postgres_reachable(), "postgres://postgres@127.0.0.1:5432")
    with running_portal(tmp_path, postgres=True) as portal:
        portal.manage("generate_history", "--terms", "1", "--events-per-term", "300", "--seed", "7")
        term_id, job_id = map(int, portal.manage("shell", "-v", "0", "-c", PUBLISH).split())

        def job() -> tuple:
            return portal.query("SELECT status, attempts FROM jobs_job WHERE id = %s", (job_id,))[0]

        def editions() -> int:
            return portal.query("SELECT COUNT(*) FROM reports_reportedition WHERE chairmanship_id = %s", (term_id,))[0][
                0
            ]

        first = portal.start_worker(**WORKER)
        wait_for(lambda: job() == ("running", 1), seconds=60, what="the render's start", log=portal.worker_log)
        portal.stop_worker(first, kill=True)
        assert editions() == 0  # nothing half stored
        assert job() == ("running", 1)  # the dead worker never said how it ended

        portal.start_worker(**WORKER)
        wait_for(lambda: job()[0] == "done", seconds=240, what="the job taken again", log=portal.worker_log)

        assert job() == ("done", 2)
        assert editions() == 1
