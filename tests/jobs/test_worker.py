"""Real workers of the job engine, beside a real server: no request renders an edition; workers do, once each.

One portal (tests/jobs/portal.py: gunicorn and `manage.py worker` processes on
127.0.0.1, on a throwaway database of the suite's kind) serves the module's
tests, each starting and stopping its own worker: a term marked final through
the API is answered at once and published by the worker, and a job that cannot
succeed is tried again and then shown as failed.
"""

from __future__ import annotations

import json

import pytest

from tests.jobs.portal import running_portal
from tests.jobs.portal import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("jobs-portal")]

# Short enough for a test, long enough for the real data's three renderings on a busy machine.
WORKER = {"GMG_WORKER_PROCESSES": "1", "GMG_JOB_TIMEOUT": "60", "GMG_JOB_RETRY": "65"}
# For the job that cannot succeed: tried twice, again a second after its lock expires.
QUICK_RETRIES = {"GMG_WORKER_PROCESSES": "1", "GMG_JOB_TIMEOUT": "1", "GMG_JOB_RETRY": "2", "GMG_JOB_MAX_ATTEMPTS": "2"}


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with running_portal(tmp_path_factory.mktemp("jobs")) as running:
        yield running


def edition_count(portal, slug: str) -> int:
    sql = (
        "SELECT COUNT(*) FROM reports_reportedition e JOIN chairmanship_chairmanship c ON c.id = e.chairmanship_id "
        "WHERE c.slug = %s"
    )
    return portal.query(sql, (slug,))[0][0]


def test_a_term_marked_final_is_answered_at_once_and_published_by_a_worker(portal):
    token = portal.token()
    change = {"report_status": "final", "introduction": "The World Bank chaired the GMG in 2015."}

    status, term = portal.request("PATCH", "/api/v1/chairmanships/2015-wb/", change, token=token)

    # Answered before any PDF exists: no worker is running yet.
    assert status == 200, term
    assert term["edition_status"] == "queued"
    assert edition_count(portal, "2015-wb") == 0
    status, _, body = portal.get("/reports/2015-wb/")
    assert status == 200 and b"first edition is being prepared" in body
    status, headers, _ = portal.get("/reports/2015-wb.pdf")
    assert (status, headers["Retry-After"]) == (503, "30")
    status, _, body = portal.get("/healthz/queue")
    assert status == 200 and json.loads(body)["oldest_queued_seconds"] is not None

    worker = portal.start_worker(**WORKER)
    try:
        served = lambda: portal.get("/reports/2015-wb.pdf")[0] == 200  # noqa: E731
        wait_for(served, seconds=120, what="the 2015 edition", log=portal.worker_log)
    finally:
        portal.stop_worker(worker)

    status, headers, body = portal.get("/reports/2015-wb.pdf")
    assert body.startswith(b"%PDF") and headers["Content-Type"] == "application/pdf"
    assert b"The World Bank chaired the GMG in 2015." in portal.get("/reports/2015-wb/")[2]
    assert portal.request("GET", "/api/v1/chairmanships/2015-wb/")[1]["edition_status"] == "stored"
    assert edition_count(portal, "2015-wb") == 1


def test_a_job_that_cannot_succeed_is_tried_again_then_shown_as_failed(portal):
    # A term removed after its edition was queued.
    script = (
        "from jobs.engine import enqueue; "
        "print(enqueue(handler='reports.jobs.render_edition', kind='edition', subject='2099-gone', "
        "params={'chairmanship': 999999}).pk)"
    )
    job_id = int(portal.manage("shell", "-v", "0", "-c", script).strip())
    worker = portal.start_worker(**QUICK_RETRIES)

    def finished():
        rows = portal.query("SELECT status, attempts, error FROM jobs_job WHERE id = %s", (job_id,))
        return rows[0] if rows and rows[0][0] == "failed" else None

    try:
        status, attempts, error = wait_for(finished, seconds=90, what="the job's failure", log=portal.worker_log)
    finally:
        portal.stop_worker(worker)
    assert attempts == 2
    assert "DoesNotExist" in error


def test_a_record_changed_in_another_process_shows_on_every_app_worker_at_once(portal):
    """The app workers keep pages in their own memory (a locmem cache), under the database's count of changes."""
    (event_id,) = portal.query("SELECT id FROM workplan_event ORDER BY id LIMIT 1")[0]
    page = f"/events/{event_id}/"
    for _ in range(6):  # each app worker keeps the page
        assert portal.get(page)[0] == 200
    script = (
        f"from workplan.models import Event; event = Event.objects.get(pk={event_id}); "
        "event.title = 'Renamed by an officer elsewhere'; event.save()"
    )
    portal.manage("shell", "-v", "0", "-c", script)
    for _ in range(6):
        status, _, body = portal.get(page)
        assert status == 200 and b"Renamed by an officer elsewhere" in body
