"""The pages in French and Spanish: language from Accept-Language or the switcher, no English chrome left."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from workplan.models import Event

# The interface's own words in base.html and the page headings: none may be left in English.
ENGLISH_LABELS = [
    "Skip to main content",
    "Home",
    "Workplan",
    "Events",
    "Working groups",
    "Carry-forward issues",
    "Recommendations",
    "Reports",
    "Language",
    "Change language",
    "Current chairmanship",
    "API documentation",
    "Calendar of all events (iCal)",
    "Sign in",
    "Troika",
    "Theme",
    "Apply filters",
    "Clear all filters",
]

TRANSLATED = {
    "fr": {"Events": "Événements", "Workplan": "Plan de travail", "Carry-forward issues": "Questions reportées"},
    "es": {"Events": "Eventos", "Workplan": "Plan de trabajo", "Carry-forward issues": "Cuestiones pendientes"},
}

PAGES = [
    ("pages:home", []),
    ("workplan:event-list", []),
    ("workplan:working-group-list", []),
    ("workplan:working-group-detail", ["data-and-research"]),
    ("workplan:workplan-detail", ["2014-ilo"]),
    ("chairmanship:carry-forward", []),
    ("chairmanship:recommendation-list", []),
    ("reports:report-list", []),
]


class _Text(HTMLParser):
    """The text a reader meets: element text, plus aria-label, title, alt and placeholder values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self.lang = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang", "")
        if tag in {"script", "style"}:
            self._skip += 1
        for name in ("aria-label", "title", "alt", "placeholder"):
            if attributes.get(name):
                self.parts.append(attributes[name])

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def page_text(response) -> _Text:
    parser = _Text()
    parser.feed(response.content.decode())
    return parser


# Spanish writes the UN's "troika" as English does.
SAME_IN = {"fr": set(), "es": {"Troika"}}


def english_labels_in(parts: list[str], language: str) -> list[str]:
    """English labels that stand as a whole text node or attribute (record content is allowed to contain words)."""
    labels = set(ENGLISH_LABELS) - SAME_IN[language]
    return sorted({part for part in parts if part.rstrip(":") in labels})


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize(("name", "args"), PAGES)
@time_machine.travel(datetime.date(2014, 6, 1))
def test_a_page_asked_for_in_french_or_spanish_has_no_english_label(gmg, language, name, args):
    response = Client(headers={"accept-language": language}).get(reverse(name, args=args))

    assert response.status_code == 200
    assert response["Content-Language"] == language
    text = page_text(response)
    assert text.lang == language
    assert english_labels_in(text.parts, language) == []
    for english, translated in TRANSLATED[language].items():
        assert translated in text.parts, f"{english} → {translated}"


@pytest.mark.parametrize("language", ["fr", "es"])
@time_machine.travel(datetime.date(2014, 6, 1))
def test_event_detail_translates_the_interface_and_keeps_the_record_as_entered(gmg, language):
    event = Event.objects.get(title="Migration and Youth: Challenges and Opportunities")

    response = Client(headers={"accept-language": language}).get(reverse("workplan:event-detail", args=[event.pk]))

    text = page_text(response)
    assert text.lang == language
    assert english_labels_in(text.parts, language) == []
    assert event.title in text.parts  # record content stays in the language it was entered in
    kind = {"fr": "Manifestation parallèle", "es": "Evento paralelo"}[language]
    assert kind in text.parts  # choice labels are translated


def test_the_english_page_still_reads_in_english(gmg):
    response = Client(headers={"accept-language": "en"}).get(reverse("workplan:event-list"))

    text = page_text(response)
    assert text.lang == "en"
    assert {"Events", "Workplan", "Skip to main content", "Apply filters"} <= set(text.parts)


@time_machine.travel(datetime.date(2014, 6, 1))
def test_dates_are_written_in_the_language_of_the_page(gmg):
    french = Client(headers={"accept-language": "fr"}).get(reverse("workplan:workplan-detail", args=["2014-ilo"]))
    spanish = Client(headers={"accept-language": "es"}).get(reverse("workplan:workplan-detail", args=["2014-ilo"]))
    english = Client(headers={"accept-language": "en"}).get(reverse("workplan:workplan-detail", args=["2014-ilo"]))

    assert "1 janvier 2014 – 31 décembre 2014" in french.content.decode()
    assert "1 de enero de 2014 – 31 de diciembre de 2014" in spanish.content.decode()
    assert "1 January 2014 – 31 December 2014" in english.content.decode()
    # The timeline's title uses the term label, months named in the page's language.
    assert "1 janvier – 31 décembre 2014" in french.content.decode()


@time_machine.travel(datetime.date(2014, 6, 1))
@pytest.mark.parametrize(
    ("language", "labels"),
    [("fr", ["Présidence\u00a0:", "Thème\u00a0:"]), ("es", ["Presidencia:", "Tema:"]), ("en", ["Chair:", "Theme:"])],
)
def test_a_label_is_followed_by_its_colon_as_the_language_writes_it(gmg, language, labels):
    html = Client(headers={"accept-language": language}).get(reverse("pages:home")).content.decode()

    for label in labels:
        assert label in html  # French sets a no-break space before the colon


@time_machine.travel(datetime.date(2014, 6, 1))
def test_the_language_switcher_remembers_the_choice_and_returns_to_the_page(gmg):
    client = Client(headers={"accept-language": "en"})
    events = reverse("workplan:event-list") + "?kind=side_event"

    response = client.post(reverse("set_language"), {"language": "es", "next": events})

    assert response.status_code == 302
    assert response["Location"] == events
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = client.get(events)
    text = page_text(page)
    assert text.lang == "es"
    assert "Eventos" in text.parts
    # The switcher marks the current language and names each language in its own words.
    html = page.content.decode()
    assert '<option value="es" lang="es" selected>Español</option>' in html
    assert '<option value="fr" lang="fr">Français</option>' in html


def test_the_switcher_refuses_an_unknown_language_without_an_error(gmg):
    client = Client()

    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert page_text(client.get("/")).lang == "en"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_filter_errors_are_explained_in_the_language_of_the_page(gmg, language):
    response = Client(headers={"accept-language": language}).get(reverse("workplan:event-list"), {"year": "abc"})

    assert response.status_code == 200
    text = " ".join(page_text(response).parts)
    label, message = {"fr": ("Année", "Saisissez un nombre"), "es": ("Año", "Introduzca un número")}[language]
    assert label in text
    assert message in text  # Django's own messages come from its catalogs
