"""A visitor's walk through the portal in a real browser, in English, French and Spanish.

home → events → filter → event detail → working group → workplan →
carry-forward tracker → report → the report's PDF, and the language switcher;
axe-core checks every page on the way (no serious or critical violation).
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.browser.conftest import Walker
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The main navigation in each language, as base.html and the catalogs name it.
NAV = {
    "en": ["Home", "Workplan", "Events", "Working groups", "Carry-forward issues", "Recommendations", "Reports"],
    "fr": [
        "Accueil",
        "Plan de travail",
        "Événements",
        "Groupes de travail",
        "Questions reportées",
        "Recommandations",
        "Rapports",
    ],
    "es": [
        "Inicio",
        "Plan de trabajo",
        "Eventos",
        "Grupos de trabajo",
        "Cuestiones pendientes",
        "Recomendaciones",
        "Informes",
    ],
}
# Every English label the navigation may show (the pages add links over time: none may stay in English).
ENGLISH_NAV = set(NAV["en"]) | {"Dashboard", "Edit (admin)"}
SIDE_EVENT = {"en": "Side event", "fr": "Manifestation parallèle", "es": "Evento paralelo"}
REPORT_HEADING = {"en": "Key accomplishments", "fr": "Principales réalisations", "es": "Principales logros"}


def nav_link(walker: Walker, language: str, index: int):
    return walker.page.locator("nav.site-nav").get_by_role("link", name=NAV[language][index], exact=True)


def assert_in_language(walker: Walker, language: str) -> None:
    page = walker.page
    assert page.locator("html").get_attribute("lang") == language
    links = page.locator("nav.site-nav a").all_inner_texts()
    assert [text for text in links if text in NAV[language]] == NAV[language]
    if language != "en":
        assert set(links) & ENGLISH_NAV == set()
    if language != "en":
        chrome = " ".join(page.locator("header, footer, .skip-link").all_inner_texts())
        for english in ("Skip to main content", "Change language", "Events", "Working groups", "Sign in"):
            assert english not in chrome


def walk(walker: Walker, language: str) -> None:
    """From the home page to the report's PDF, by the links and forms a visitor uses."""
    page = walker.page
    assert_in_language(walker, language)

    nav_link(walker, language, 2).click()
    walker.arrived(f"{language} events")
    assert_in_language(walker, language)

    # Filter the list by kind with the form, as a visitor does.
    page.locator("#id_kind").select_option("side_event")
    page.locator("form.filters button[type=submit]").click()
    walker.arrived(f"{language} events filtered")
    assert "kind=side_event" in page.url
    items = page.locator("ul.item-list > li.event")
    assert items.count() == 3  # the three side events of the 2014 report
    assert items.locator(".badge").all_inner_texts() == [SIDE_EVENT[language]] * 3

    title = items.first.locator("a.item-title").inner_text()
    items.first.locator("a.item-title").click()
    walker.arrived(f"{language} event detail")
    assert page.locator("h1").inner_text() == title  # record content as entered, whatever the language

    nav_link(walker, language, 3).click()
    walker.arrived(f"{language} working groups")
    page.get_by_role("link", name="Working Group on Data and Research").click()
    walker.arrived(f"{language} working group")
    assert page.locator("h1").inner_text() == "Working Group on Data and Research"

    nav_link(walker, language, 1).click()
    # The current term (World Bank 2015) has no workplan yet: the menu opens the latest that has one, the ILO's.
    walker.arrived(f"{language} workplan 2014-ilo")
    assert page.url.endswith("/workplan/2014-ilo/")
    assert page.locator("#objective-1").count() == 1

    nav_link(walker, language, 4).click()
    walker.arrived(f"{language} carry-forward tracker")
    assert page.locator("table tbody tr").count() == 14  # the fourteen issues of the 2014 report

    nav_link(walker, language, 5).click()
    walker.arrived(f"{language} recommendations")

    nav_link(walker, language, 6).click()
    walker.arrived(f"{language} reports")
    page.locator("a[href$='/reports/2014-ilo/']").click()
    walker.arrived(f"{language} report 2014-ilo")
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("heading", name=re.compile(REPORT_HEADING[language])).count() >= 1

    with page.expect_download() as download_info:
        page.locator("a[href$='/reports/2014-ilo.pdf']").first.click()
    download = download_info.value
    assert download.suggested_filename == "gmg-chairmanship-report-2014-ilo.pdf"
    pdf = PdfReader(io.BytesIO(download.path().read_bytes()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) > 5
    assert "Global Migration Group" in text or "GMG" in text
    assert REPORT_HEADING[language].lower() in text.lower().replace("\n", " ")


def switch_language(walker: Walker, language: str) -> None:
    """Choose a language with the switcher in the header; the same page comes back in that language."""
    page = walker.page
    before = page.url
    page.locator("#language-select").select_option(language)
    page.locator("form.language-form button[type=submit]").click()
    walker.arrived(f"{language} after switching")
    assert page.url == before
    assert_in_language(walker, language)


def test_walk_in_english_with_the_pdf(walker: Walker):
    walker.goto("/", "en home")
    walk(walker, "en")


@pytest.mark.parametrize("language", ["fr", "es"])
def test_switch_language_then_walk(walker: Walker, language: str):
    walker.goto("/", "en home")
    switch_language(walker, language)
    walk(walker, language)
    # The choice stays for the session: a fresh visit to the home page is still in that language.
    walker.goto("/", f"{language} home again")
    assert_in_language(walker, language)


def test_the_browser_language_chooses_the_page_language(walker: Walker):
    """Accept-Language alone (no switcher used) picks French."""
    context = walker.page.context.browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(walker.base_url + "/events/")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("h1").inner_text() == "Événements"
    finally:
        context.close()


def test_the_accessibility_check_catches_a_serious_violation(walker: Walker):
    """The harness itself: a page with an unlabelled form field and an image without text fails the check."""
    walker.page.set_content('<html lang="en"><body><main><h1>x</h1><img src="data:,"><input></main></body></html>')

    with pytest.raises(AssertionError, match=r"image-alt \(critical\)[\s\S]*label \(critical\)"):
        assert_accessible(walker.page, walker.axe, "broken page")
