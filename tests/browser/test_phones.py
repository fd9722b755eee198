"""Every public page on a 390 px phone and on a 1280 px screen, as an agency reader meets them.

At both widths the page never scrolls sideways (a wide table scrolls in its own box, a chart scales) and a
date in a table stays on one line. On the phone axe-core finds no violation at all (not only no serious
one) and the main menu is folded behind a button; on the wide screen the menu shows whole, on one row.
(axe runs on the phone only: the markup is the same at both widths, axe is most of a page's time, and
test_walk.py runs it at 1280 px on the pages of its walk.)

One test per width walks every page: installing the dataset and starting the browser cost about 2 s a
test, so a test per page would cost more than the checks themselves. Every failing page is reported at once.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Visit
from tests.browser.conftest import Walker

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
EVENT_PAGE = "an event's page"  # found from /events/ (its id depends on the load)
PUBLIC_PAGES = (
    "/",
    "/workplan/2014-ilo/",
    "/events/",
    EVENT_PAGE,
    "/outputs/",
    "/working-groups/",
    "/working-groups/data-and-research/",
    "/carry-forward/",
    "/recommendations/",
    "/dashboard/",
    "/reports/",
    "/reports/2014-ilo/",
    "/accounts/login/",
)
NAV_LINKS = "nav.site-nav ul a"
MENU_BUTTON = "nav.site-nav summary"

# For each table date, the number of boxes it is laid out in (more than one: it wraps).
DATE_BOXES = "els => els.map(e => [e.textContent, e.getClientRects().length])"
# For each menu link: shown, and the top of its box.
# (checkVisibility: the links of a closed <details> keep their boxes, but are not rendered.)
NAV_BOXES = "els => els.map(e => [e.checkVisibility(), Math.round(e.getBoundingClientRect().top)])"


def menu_expanded(page: Page) -> bool | None:
    """The Menu button's expanded state as Chromium exposes it to assistive technology."""
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    for node in tree:
        properties = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        if node.get("name", {}).get("value") == "Menu" and "expanded" in properties:
            return properties["expanded"]
    return None


def page_problems(page: Page, walker: Walker, *, phone: bool) -> list[str]:
    """What is wrong with the page just loaded, as sentences (none: nothing)."""
    problems = []
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > inner_width:
        problems.append(f"scrolls sideways: {scroll_width} px wide in a {inner_width} px window")
    if phone:
        violations = walker.axe.run(page, options={"resultTypes": ["violations"]}).response["violations"]
        problems += [f"axe {v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in violations]
    problems += [
        f"the date {text!r} wraps" for text, boxes in page.eval_on_selector_all("td time", DATE_BOXES) if boxes > 1
    ]
    links = page.eval_on_selector_all(NAV_LINKS, NAV_BOXES)
    button_shown = page.locator(MENU_BUTTON).is_visible()
    if phone and (not button_shown or any(shown for shown, _top in links)):
        problems.append("the menu is not folded behind its button")
    if not phone and (button_shown or not all(shown for shown, _top in links) or len({top for _s, top in links}) > 1):
        problems.append(f"the menu is not shown whole on one row: {links}")
    return problems


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["390px", "1280px"])
def test_every_public_page_fits_the_screen(walker: Walker, viewport: dict[str, int]):
    page = walker.page
    page.set_viewport_size(viewport)
    failures = {}
    for path in PUBLIC_PAGES:
        if path == EVENT_PAGE:
            path = page.locator("ul.item-list a.item-title").first.get_attribute("href")  # on /events/
        response = page.goto(walker.base_url + path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        problems = page_problems(page, walker, phone=viewport is PHONE)
        if problems:
            failures[path] = problems
            walker.visits.append(Visit(path, page.url, page.screenshot(full_page=True)))
    assert failures == {}


def test_the_phone_menu_opens_from_the_keyboard(walker: Walker):
    """Tab reaches the Menu button, its state is announced, Enter opens it and Tab goes on into the links.

    (And, on the way, the page's icon: the one linked and /favicon.ico, asked for unlinked, are the same SVG.)
    """
    page = walker.page
    page.set_viewport_size(PHONE)
    walker.goto("/", "home on a phone")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    for path in (icon, "/favicon.ico"):
        response = page.request.get(walker.base_url + path)
        assert response.ok and response.headers["content-type"].startswith("image/svg+xml"), path
        assert response.url.endswith(icon)

    assert menu_expanded(page) is False  # the state is the <details>' own, kept by the browser, not by a script
    for _ in range(10):
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"

    page.keyboard.press("Enter")
    assert menu_expanded(page) is True
    assert all(shown for shown, _top in page.eval_on_selector_all(NAV_LINKS, NAV_BOXES))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Home"
    walker.arrived("home with the menu open")  # axe on the open menu too

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert menu_expanded(page) is False
    assert not any(shown for shown, _top in page.eval_on_selector_all(NAV_LINKS, NAV_BOXES))
