"""Headless Chromium (Debian's package) driven by Playwright, against the app on a free local port.

Playwright's own browser download does not work here, so the browser is
/usr/bin/chromium (`.ci/run` installs it when missing). Without Chromium or
the playwright package the tests skip with a message, and fail under CI=true.

Each test gets the real dataset (fixtures/gmg.json) in a transactional
database that pytest-django's live server can see, then a fresh browser.
On failure, the screenshot of every page the test visited is written to
test-artifacts/<test name>/.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pytest
from django.conf import settings

from tests import real_data
from tests.conftest import require_service

try:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Page
    from playwright.sync_api import sync_playwright
except ImportError:  # reported by require_service below
    sync_playwright = None

CHROMIUM = os.environ.get("GMG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
# axe-core impact levels that fail a page.
BLOCKING_IMPACTS = {"serious", "critical"}

pytestmark = pytest.mark.browser


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def live_gmg(transactional_db, django_db_serialized_rollback, live_server, published_dataset) -> str:
    """The live server's address, with the real dataset (its final report's first edition rendered) committed."""
    real_data.install(published_dataset)
    return live_server.url


def _require_browser() -> None:
    require_service("Playwright for Python", sync_playwright is not None, "pip install -e '.[dev]'")
    require_service("Chromium", Path(CHROMIUM).exists(), f"apt-get install chromium ({CHROMIUM} is missing)")


@dataclass
class Visit:
    name: str
    url: str
    screenshot: bytes


@dataclass
class Walker:
    """A browser tab that checks every page it reaches with axe-core and keeps a screenshot of it."""

    page: Page
    base_url: str
    axe: Axe
    visits: list[Visit] = field(default_factory=list)

    def arrived(self, name: str) -> Page:
        """Record the page just reached; fail on any serious or critical accessibility violation."""
        self.page.wait_for_load_state("load")
        self.visits.append(Visit(name, self.page.url, self.page.screenshot(full_page=True)))
        assert_accessible(self.page, self.axe, name)
        return self.page

    def goto(self, path: str, name: str) -> Page:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{name}: {path} answered {response and response.status}"
        return self.arrived(name)


def assert_accessible(page: Page, axe: Axe, name: str) -> None:
    results = axe.run(page, options={"resultTypes": ["violations"]})
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s), e.g. {v['nodes'][0]['target']}"
        for v in blocking
    ]
    assert lines == [], f"{name} ({page.url}) in {page.locator('html').get_attribute('lang')}:\n" + "\n".join(lines)


@pytest.fixture
def walker(request, live_gmg: str) -> Iterator[Walker]:
    """A fresh browser for each test, started after the data is loaded and stopped before it is flushed.

    (Playwright's sync API runs an event loop in this thread while it is open, and Django refuses database
    calls from a thread with a running loop.)
    """
    _require_browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(accept_downloads=True, locale="en-GB", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        walker = Walker(page=context.new_page(), base_url=live_gmg, axe=Axe())
        try:
            yield walker
        finally:
            if any(_failed(request.node, when) for when in ("setup", "call")):
                _save_screenshots(request.node.name, walker)
            browser.close()


def _failed(node, when: str) -> bool:
    report = getattr(node, f"report_{when}", None)
    return bool(report and report.failed)


def _save_screenshots(test_name: str, walker: Walker) -> None:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", test_name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for number, visit in enumerate(walker.visits, start=1):
        stem = re.sub(r"[^\w-]+", "_", visit.name)
        (folder / f"{number:02d}-{stem}.png").write_bytes(visit.screenshot)
    try:  # the page as it was when the test failed
        (folder / "failure.png").write_bytes(walker.page.screenshot(full_page=True))
    except Exception:  # noqa: BLE001, S110 - a closed page has no screenshot; the visits are saved already
        pass
    (folder / "pages.txt").write_text("\n".join(f"{v.name}\t{v.url}" for v in walker.visits) + "\n")
