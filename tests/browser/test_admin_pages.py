"""The secretariat's admin at 1280 px in a real browser: the events list reads (no column cut, titles on a
few lines, a bounded country filter, dates in the page's language), a success message wraps between words,
and a narrative's Markdown preview shows the report's sanitised HTML.

One browser session walks every check (a handful of page loads) to keep the suite's time small.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.models import User

from chairmanship.models import Accomplishment
from tests.browser.conftest import Walker

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test persona's
LAUNCH = {"en": "18 December 2014", "fr": "18 décembre 2014", "es": "18 de diciembre de 2014"}
USA = {"en": "United States of America", "fr": "États-Unis d'Amérique", "es": "Estados Unidos de América"}


@pytest.fixture
def secretariat_account(live_gmg: str) -> int:
    """A secretariat officer who signs in with a password; the accomplishment whose narrative is previewed."""
    user = User.objects.create_user(username="officer", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Secretariat"))
    return Accomplishment.objects.order_by("pk").values_list("pk", flat=True).first()


def visit(walker: Walker, path: str, name: str):
    """Load an admin page (axe-core's check is the public pages' walk).

    No screenshot per page: they cost time and, on a loaded machine, Chromium may refuse one; the
    harness keeps a screenshot of the page where a check failed (test-artifacts/).
    """
    response = walker.page.goto(walker.base_url + path)
    assert response is not None and response.ok, f"{name}: {path} answered {response and response.status}"
    return walker.page


# Measured in the page: widths and heights in CSS pixels.
MEASURE = """() => {
  const results = document.querySelector('#changelist .results');
  const titles = [...document.querySelectorAll('#result_list td.field-title, #result_list th.field-title')];
  const lineHeight = parseFloat(getComputedStyle(titles[0]).lineHeight);
  const filter = [...document.querySelectorAll('#changelist-filter details')]
    .find((d) => d.querySelector('a[href*="country="]'));
  return {
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    resultsOverflow: results.scrollWidth - results.clientWidth,
    tallestTitleLines: Math.max(...titles.map((cell) => cell.querySelector('a').getClientRects().length)),
    tallestTitle: Math.max(...titles.map((cell) => cell.querySelector('a').getBoundingClientRect().height)),
    lineHeight: lineHeight,
    countryFilterHeight: filter.getBoundingClientRect().height,
    pageHeight: document.documentElement.scrollHeight,
  };
}"""

# Every word of the element's text, with how many line boxes it takes (2 or more: broken mid-word).
BROKEN_WORDS = """(element) => {
  const broken = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


def assert_events_list_reads(walker: Walker, language: str) -> None:
    page = visit(walker, "/admin/workplan/event/", f"{language} events list")
    assert page.locator("html").get_attribute("lang") == language
    sizes = page.evaluate(MEASURE)

    assert sizes["pageWidth"] <= sizes["viewport"], sizes  # nothing beyond the window's right edge
    assert sizes["resultsOverflow"] <= 1, sizes  # no column cut inside the list (no sideways scrolling)
    assert sizes["tallestTitleLines"] <= 3, sizes  # titles on at most three lines (ten before)
    assert sizes["tallestTitle"] <= 3 * sizes["lineHeight"] + 2, sizes
    assert sizes["countryFilterHeight"] <= 320, sizes  # countries in use, not the world's 249
    assert sizes["pageHeight"] <= 2000, sizes  # 7,335 px before
    dates = page.locator("#result_list td.field-dates").all_inner_texts()
    assert LAUNCH[language] in dates
    assert "Dec. 18, 2014" not in dates
    filter_choices = page.locator("#changelist-filter a[href*='country=']").all_inner_texts()
    assert USA[language] in filter_choices


def test_the_secretariat_admin_reads_at_1280_px(secretariat_account: int, walker: Walker):
    page = walker.page
    assert page.viewport_size == {"width": 1280, "height": 900}

    visit(walker, "/admin/login/", "sign in")
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("#site-name").count() == 1

    # The home page: the records' sections first.
    captions = page.locator("#content-main .module caption").all_inner_texts()
    assert [caption.strip().lower() for caption in captions[:3]] == [
        "terms and reports",
        "workplan",
        "events and outputs",
    ]

    assert_events_list_reads(walker, "en")
    # The other record lists fit too: terms by their slug, titles and related names wrap.
    for model in (
        "workplan/output",
        "workplan/objective",
        "chairmanship/carryforwardissue",
        "chairmanship/recommendation",
        "chairmanship/endorsement",
        "chairmanship/accomplishment",
    ):
        page = visit(walker, f"/admin/{model}/", model)
        overflow = page.evaluate(
            "() => [document.documentElement.scrollWidth - window.innerWidth,"
            " document.querySelector('#changelist .results').scrollWidth"
            " - document.querySelector('#changelist .results').clientWidth]"
        )
        assert overflow[0] <= 0 and overflow[1] <= 1, (model, overflow)

    # A success message wraps between words.
    page.locator("#result_list .field-title a").first.click()
    page.locator("input[name=_save]").click()
    page.wait_for_load_state("load")
    message = page.locator("ul.messagelist li.success")
    assert "was changed successfully" in message.inner_text()
    assert message.evaluate(BROKEN_WORDS) == []

    # A narrative's Markdown preview: the report's sanitiser, through the admin's preview view.
    visit(walker, f"/admin/chairmanship/accomplishment/{secretariat_account}/change/", "accomplishment")
    narrative = page.locator("#id_narrative")
    narrative.fill(
        "A **bold** claim with [a link](https://www.ilo.org)[^1].\n\n<script>alert(1)</script>\n\n[^1]: Note."
    )
    page.locator("button.markdown-preview-button").click()
    preview = page.locator("#id_narrative-preview")
    preview.locator("strong").wait_for()
    assert preview.locator("strong").inner_text() == "bold"
    assert preview.locator("a[href='https://www.ilo.org']").count() == 1
    assert preview.locator("script").count() == 0
    assert "Note." in preview.inner_text()
    assert "No images, scripts, styles or frames" in page.locator("#id_narrative_helptext").inner_text()

    # The same list in French and Spanish (the language the admin follows: the site's language cookie).
    for language in ("fr", "es"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": walker.base_url}])
        assert_events_list_reads(walker, language)
