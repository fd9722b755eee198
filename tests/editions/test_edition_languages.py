"""An edition in every language: one snapshot of the data, rendered in en, fr and es, each served frozen."""

from __future__ import annotations

import io
import threading
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from chairmanship.models import Chairmanship
from reports.editions import store_edition
from reports.jobs import queue_edition
from reports.models import ReportEdition
from reports.selectors import assemble_report
from tests.conftest import empty_cache
from tests.jobs.support import work_off_the_queue
from workplan.models import Event
from workplan.services import event_save

# Every test here issues editions: each is its report rendered as HTML and PDF in every language.
pytestmark = pytest.mark.slow

LAUNCH = "Launch of the Turkish GFMD Chairmanship"
RENAMED = "Launch of the GFMD Chairmanship of Türkiye"


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def rename_launch(title: str) -> Event:
    event = Event.objects.get(chairmanship__slug="2014-ilo", title=LAUNCH)
    return event_save(data={"title": title}, event=event)


HTML_URL = reverse("reports:report-detail", kwargs={"slug": "2014-ilo"})
PDF_URL = reverse("reports:report-pdf", kwargs={"slug": "2014-ilo"})


@pytest.mark.django_db
def test_each_language_is_served_from_its_own_stored_rendering(gmg_published, django_assert_num_queries):
    english = Client(headers={"accept-language": "en"})
    french_pdf = english.get(PDF_URL, {"lang": "fr"})
    edition = ReportEdition.objects.get()

    stored = {rendering.language: rendering for rendering in edition.renderings.all()}
    assert french_pdf.content == bytes(stored["fr"].pdf)
    assert PdfReader(io.BytesIO(french_pdf.content)).trailer["/Root"]["/Lang"] == "fr"
    assert "Principales réalisations" in pdf_text(french_pdf.content)
    english_pdf = english.get(PDF_URL)
    assert english_pdf.content == bytes(stored["en"].pdf) != french_pdf.content
    # The ETag names the language: a cache never answers French with the English copy.
    assert english_pdf["ETag"] != french_pdf["ETag"]
    assert "Accept-Language" in french_pdf["Vary"]
    # From the page cache: no query. With nothing remembered: 1 the term · 1 the latest edition's French
    # rendering (stored content deferred) · 1 the PDF bytes.
    with django_assert_num_queries(0):
        again = english.get(PDF_URL, {"lang": "fr"})
    assert again.content == french_pdf.content and again["ETag"] == french_pdf["ETag"]
    empty_cache()
    with django_assert_num_queries(3):
        again = english.get(PDF_URL, {"lang": "fr"})
    assert again.content == french_pdf.content and again["ETag"] == french_pdf["ETag"]
    assert english.get(PDF_URL, {"lang": "fr"}, HTTP_IF_NONE_MATCH=english_pdf["ETag"]).status_code == 200

    # Without ?lang=, the page's language chooses the rendering.
    spanish_page = Client(headers={"accept-language": "es"}).get(HTML_URL)
    html = spanish_page.content.decode()
    assert stored["es"].html in html
    assert '<html lang="es">' in html and "II. Principales logros" in unescape(html)
    assert f"<title>{stored['es'].title}" in unescape(html)
    assert stored["es"].title != stored["en"].title == edition.data["title"]


@pytest.mark.django_db
def test_every_language_stays_byte_identical_after_an_edit(gmg_published):
    before = {}
    for language in ("en", "fr", "es"):
        client = Client()
        before[language] = (
            client.get(HTML_URL, {"lang": language}).content.decode(),
            client.get(PDF_URL, {"lang": language}),
        )
    stored = {rendering.language: rendering for rendering in ReportEdition.objects.get().renderings.all()}

    rename_launch(RENAMED)
    term = Chairmanship.objects.get(slug="2014-ilo")
    assert any(entry.title == RENAMED for entry in assemble_report(chairmanship=term).annex_b)  # the data did change

    for language, (html, pdf) in before.items():
        client = Client()
        html_after = client.get(HTML_URL, {"lang": language}).content.decode()
        pdf_after = client.get(PDF_URL, {"lang": language})
        # The stored article, byte for byte, in the page before and after (the layout around it has a fresh CSRF token).
        assert stored[language].html in html and stored[language].html in html_after
        assert pdf_after.content == pdf.content == bytes(stored[language].pdf)
        assert pdf_after["ETag"] == pdf["ETag"]
        assert RENAMED not in html_after and RENAMED not in pdf_text(pdf_after.content)
        assert LAUNCH in html_after
    assert ReportEdition.objects.count() == 1


@pytest.mark.django_db
def test_a_corrected_edition_shows_its_note_in_every_language(gmg_published):
    term = Chairmanship.objects.get(slug="2014-ilo")
    rename_launch(RENAMED)

    queue_edition(chairmanship=term, note="The **launch** now follows the country's name.")
    work_off_the_queue()

    boxes = {"en": "Corrigendum", "fr": "Rectificatif", "es": "Corrección"}
    replaces = {"en": "replaces edition 1", "fr": "remplace l'édition 1", "es": "edición 1"}
    for language, heading in boxes.items():
        client = Client()
        html = unescape(client.get(HTML_URL, {"lang": language}).content.decode())
        assert 'class="corrigendum"' in html and heading in html
        assert "The <strong>launch</strong> now follows the country's name." in html
        assert RENAMED in html
        text = pdf_text(client.get(PDF_URL, {"lang": language}).content)
        assert heading in text and replaces[language] in text
        assert "now follows the country's name" in text and RENAMED in text


@pytest.mark.django_db
def test_an_edition_stored_in_one_language_is_served_frozen_in_every_language(gmg_published):
    """An edition stored before editions had every language keeps its one rendering; nothing is drawn from the data."""
    edition = ReportEdition.objects.get(chairmanship__slug="2014-ilo")
    edition.renderings.exclude(language="en").delete()
    english = edition.renderings.get()
    rename_launch(RENAMED)

    french = Client().get(PDF_URL, {"lang": "fr"})
    page = Client(headers={"accept-language": "es"}).get(HTML_URL).content.decode()

    assert french.content == bytes(english.pdf)
    assert english.html in page and RENAMED not in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_language_is_rendered_from_one_snapshot_of_the_data(postgres_only):
    """An edit committed while the edition is read (here: just before the French read) reaches no language."""
    from django.core.management import call_command
    from django.db import connections

    call_command("loaddata", "gmg", verbosity=0)
    term = Chairmanship.objects.get(slug="2014-ilo")
    edited: list[str] = []

    def rename_elsewhere() -> None:
        try:
            rename_launch(RENAMED)
            edited.append(RENAMED)
        finally:
            connections.close_all()

    def edit_before_the_first_french_query(execute, sql, params, many, context):
        if not edited and translation.get_language() == "fr":
            other = threading.Thread(target=rename_elsewhere)  # its own connection: a real concurrent commit
            other.start()
            other.join()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(edit_before_the_first_french_query):
        edition = store_edition(chairmanship=term)

    assert edited == [RENAMED]
    assert any(entry.title == RENAMED for entry in assemble_report(chairmanship=term).annex_b)  # it was committed
    assert RENAMED not in str(edition.data) and LAUNCH in str(edition.data)
    for rendering in edition.renderings.all():
        assert RENAMED not in rendering.html and LAUNCH in rendering.html, rendering.language
