"""The annual report in each language: `?lang=` or the page's language; headings translated, records as entered."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags
from pypdf import PdfReader

from reports.models import ReportEditionRendering
from workplan.models import Event
from workplan.services import event_save

HEADINGS = {
    "en": ["II. Key accomplishments", "Annex B. Activities and outputs", "From ESCAP's Chairmanship:"],
    "fr": ["II. Principales réalisations", "Annexe B. Activités et produits", "Issues de la présidence ESCAP\u00a0:"],
    "es": ["II. Principales logros", "Anexo B. Actividades y productos", "Procedentes de la presidencia de ESCAP:"],
}


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_report_asked_for_with_lang_has_translated_headings(gmg_published, language):
    response = Client(headers={"accept-language": "en"}).get(
        reverse("reports:report-detail", args=["2014-ilo"]), {"lang": language}
    )

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert f'<html lang="{language}">' in html
    for heading in HEADINGS[language]:
        assert heading in html
    for heading in HEADINGS["en"]:
        assert heading not in html
    # Record content stays as entered: the theme of the ILO's term is in English in every language.
    assert "Fostering Migration and Development Cooperation in Support of Migrant Workers" in html or (
        "International Labour Organization" in html
    )


# Words the report composes around the records, as each language writes them.
COMPOSED = {
    "fr": ["IV. Passation à World Bank et", "1 janvier – 31 décembre 2014", "stakeholders ; et (ii)"],
    "es": ["IV. Traspaso a World Bank y", "1 de enero – 31 de diciembre de 2014", "stakeholders; y (ii)"],
}


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_words_around_the_records_are_in_the_reports_language(gmg_published, language):
    html = Client().get(reverse("reports:report-detail", args=["2014-ilo"]), {"lang": language}).content.decode()
    text = " ".join(strip_tags(unescape(html)).split())  # no-break spaces become spaces too

    for words in COMPOSED[language]:
        assert words in text
    # No English article before a name, "and" in a list, or month without its Spanish "de" (the narratives
    # stay as entered, in English).
    for english in ["à the World Bank", "a the World Bank", "; and (ii)", " 1 enero"]:
        assert english not in text
    # A title that starts with its kind in English is not announced by the kind again in another language.
    assert "Launch of the Turkish GFMD Chairmanship" in text
    assert not re.search(r"\w+\s?:\s?Launch of the Turkish", text)


def test_a_draft_is_marked_draft_in_the_language_of_the_page(gmg, principal_client):
    html = principal_client.get(reverse("reports:report-detail", args=["2015-wb"]), {"lang": "fr"}).content.decode()

    assert "<strong>PROJET</strong>" in html
    assert ">DRAFT<" not in html


def test_the_report_follows_the_page_language_without_lang(gmg_published):
    response = Client(headers={"accept-language": "es"}).get(reverse("reports:report-detail", args=["2014-ilo"]))

    html = unescape(response.content.decode())
    assert '<html lang="es">' in html
    assert "II. Principales logros" in html


def test_the_english_report_is_unchanged_by_translation(gmg_published):
    response = Client(headers={"accept-language": "en"}).get(reverse("reports:report-detail", args=["2014-ilo"]))

    html = unescape(response.content.decode())
    assert '<html lang="en">' in html
    for heading in HEADINGS["en"]:
        assert heading in html


@pytest.mark.parametrize("path", ["reports:report-detail", "reports:report-pdf"])
def test_an_unknown_lang_is_a_400_naming_the_field(gmg_published, path):
    response = Client().get(reverse(path, args=["2014-ilo"]), {"lang": "xx"})

    assert response.status_code == 400
    assert response.content.decode().startswith("lang: choose one of en, fr, es")


@pytest.mark.slow
def test_the_pdf_in_french_has_french_headings_and_language(gmg_published):
    response = Client().get(reverse("reports:report-pdf", args=["2014-ilo"]), {"lang": "fr"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert pdf.trailer["/Root"]["/Lang"] == "fr"
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Principales réalisations" in text
    assert "Key accomplishments" not in text
    outline = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert "Annexe A. Plan de travail" in outline
    # A second language is a second cached rendering, not the first one reused.
    english = Client().get(reverse("reports:report-pdf", args=["2014-ilo"]), {"lang": "en"})
    assert PdfReader(io.BytesIO(english.content)).trailer["/Root"]["/Lang"] == "en"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_final_report_in_french_or_spanish_does_not_change_after_an_edit(gmg_published, language):
    """The final 2014 report is a stored edition in every language: an edit reaches none of them."""
    html_url = reverse("reports:report-detail", args=["2014-ilo"])
    pdf_url = reverse("reports:report-pdf", args=["2014-ilo"])
    page_before = Client(headers={"accept-language": language}).get(html_url).content.decode()
    pdf_before = Client().get(pdf_url, {"lang": language})
    stored = ReportEditionRendering.objects.get(edition__chairmanship__slug="2014-ilo", language=language)

    launch = Event.objects.get(chairmanship__slug="2014-ilo", title="Launch of the Turkish GFMD Chairmanship")
    event_save(data={"title": "Launch of the GFMD Chairmanship of Türkiye"}, event=launch)

    page_after = Client(headers={"accept-language": language}).get(html_url).content.decode()
    pdf_after = Client().get(pdf_url, {"lang": language})
    assert stored.html in page_before and stored.html in page_after
    assert "Türkiye" not in page_after and "Launch of the Turkish GFMD Chairmanship" in page_after
    assert HEADINGS[language][0] in unescape(page_after)
    assert pdf_after.content == pdf_before.content == bytes(stored.pdf)
    assert pdf_after["ETag"] == pdf_before["ETag"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_after.content)).pages)
    assert "Türkiye" not in text
