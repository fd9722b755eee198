"""A secretariat officer imports 10,000 events through the admin in a real browser, watching the progress bar.

The portal runs in its own processes (tests/jobs/portal.py's pieces: gunicorn
on a throwaway database of the suite's kind, the real data loaded) with a
real worker of the job engine (`manage.py worker`). No request reads the
file's rows: the upload opens the preview job's page, whose bar moves as the
worker checks the rows (static/admin/js/import-progress.js, without
reloading), then the preview; confirming opens the import job's page, and
then its outcome.

The portal runs with DJANGO_DEBUG=1, unlike tests/jobs: static files are
then served from the source folders (no collectstatic, the slowest part of
starting a production-like portal) and cookies are not marked Secure, which a
browser would not send back over plain HTTP; neither matters to what is tested.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator

import pytest

from tests.bench.harness import base_env
from tests.bench.harness import gunicorn_server
from tests.browser.conftest import CHROMIUM
from tests.browser.conftest import CHROMIUM_ARGS
from tests.browser.conftest import _require_browser
from tests.browser.conftest import sync_playwright
from tests.jobs.portal import Portal
from tests.jobs.portal import throwaway_database
from tests.workflows.support import many_events

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVENTS = 10_000
USERNAME, PASSWORD = "import-officer", "a long passphrase for imports"
# The jobs can take a while on a busy two-core machine; the test fails, naming what did not happen, after this.
JOB_SECONDS = 240


def _events_file() -> bytes:
    rows = many_events(EVENTS)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


@pytest.fixture
def portal(tmp_path) -> Iterator[Portal]:
    """The real data, a secretariat officer, gunicorn, and a worker (two processes: one may render the
    2014 edition that a starting worker queues)."""
    _require_browser()
    with throwaway_database(tmp_path) as database_url:
        env = base_env(database_url=database_url, static_root=tmp_path / "static") | {"DJANGO_DEBUG": "1"}
        portal = Portal(env=env, folder=tmp_path)
        portal.manage("migrate", "--noinput", "-v0")
        portal.manage("loaddata", "gmg", "-v0")
        script = (
            "from django.contrib.auth.models import Group, User; "
            f"u = User.objects.create_user({USERNAME!r}, password={PASSWORD!r}, is_staff=True); "
            "u.groups.add(Group.objects.get(name='Secretariat'))"
        )
        portal.manage("shell", "-v", "0", "-c", script)
        with gunicorn_server(env, tmp_path / "gunicorn.log", workers=2) as server:
            portal.server = server
            worker = portal.start_worker(GMG_WORKER_PROCESSES="2")
            try:
                yield portal
            finally:
                portal.stop_worker(worker, kill=True)


class ProgressSeen:
    """Every answer the page's script got from the job's progress endpoint."""

    def __init__(self) -> None:
        self.states: list[dict] = []

    def __call__(self, response) -> None:
        if response.url.endswith("/progress/") and response.ok:
            self.states.append(response.json())

    def moving(self) -> set[int]:
        """The values the bar showed while the work was going on (rows checked, strictly between 0 and all)."""
        return {s["done"] for s in self.states if not s["finished"] and s["total"] and 0 < s["done"] < s["total"]}


def test_a_10000_row_file_imports_through_the_admin_with_a_moving_progress_bar(portal):
    base = f"http://127.0.0.1:{portal.server.port}"
    before = int(portal.query("SELECT COUNT(*) FROM workplan_event")[0][0])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="en-GB").new_page()
            page.set_default_timeout(JOB_SECONDS * 1000)
            seen = ProgressSeen()
            page.on("response", seen)

            page.goto(f"{base}/admin/login/")
            page.fill("#id_username", USERNAME)
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url(f"{base}/admin/")

            page.goto(f"{base}/admin/workplan/event/import/")
            page.set_input_files(
                "#id_import_file", files=[{"name": "events.csv", "mimeType": "text/csv", "buffer": _events_file()}]
            )
            page.select_option("#id_format", label="csv")
            started = time.monotonic()
            page.click("input[type=submit][value=Submit]")

            # The preview job's page: the bar, moved by the page's script while a worker checks the rows.
            page.wait_for_url("**/admin/workplan/event/import/*/")
            assert page.locator("progress#import-progress-bar").count() == 1
            confirm = page.get_by_role("button", name="Confirm import")
            confirm.wait_for()
            assert f"{EVENTS} rows: {EVENTS} new, 0 updated, 0 unchanged, 0 with errors." in page.content()
            assert int(portal.query("SELECT COUNT(*) FROM workplan_event")[0][0]) == before  # nothing written yet

            confirm.click()
            page.get_by_text("Import finished (events).").wait_for()
            took = time.monotonic() - started
        finally:
            browser.close()

    assert int(portal.query("SELECT COUNT(*) FROM workplan_event")[0][0]) == before + EVENTS
    moving = seen.moving()
    assert len(moving) >= 2, f"the bar showed {sorted(moving)} while moving, in {took:.0f} s: {seen.states}"
    assert all(s["total"] in (None, EVENTS) for s in seen.states)
