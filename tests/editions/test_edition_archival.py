"""A stored edition's PDFs stand alone: tagged PDF/A-3a in their own language, carrying the edition's data as
their source, with a cover that gives the report's date and the edition's issue date."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from reports.models import ReportEdition
from tests.reports.pdf_reading import associated_files
from tests.reports.pdf_reading import pdfa_identification
from tests.reports.pdf_reading import structure_types


@pytest.mark.django_db
def test_every_language_of_an_edition_carries_the_editions_data_in_a_tagged_pdf_a_3a(gmg_published):
    edition = ReportEdition.objects.get(chairmanship__slug="2014-ilo")
    renderings = {rendering.language: rendering for rendering in edition.renderings.all()}
    assert sorted(renderings) == ["en", "es", "fr"]

    for language, rendering in renderings.items():
        reader = PdfReader(io.BytesIO(bytes(rendering.pdf)))
        assert reader.trailer["/Root"]["/Lang"] == language
        assert pdfa_identification(reader) == ("3", "A"), language
        assert "/H1" in structure_types(reader) and "/Table" in structure_types(reader), language
        # The same record in every language: what the edition stores (and the report's JSON serves).
        relationship, content = associated_files(reader)["gmg-chairmanship-report-2014-ilo.json"]
        assert relationship == "/Source"
        assert json.loads(content) == edition.data, language


@pytest.mark.django_db
def test_an_editions_cover_gives_the_report_date_and_the_issue_date_and_nothing_else(gmg_published):
    edition = ReportEdition.objects.get(chairmanship__slug="2014-ilo")
    english = edition.renderings.get(language="en")
    reader = PdfReader(io.BytesIO(bytes(english.pdf)))
    cover = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    issued = date_format(timezone.localtime(edition.issued_at).date(), "j F Y")

    assert "Report date 16 December 2014" in cover
    assert f"Issued {issued} (edition 1)" in cover
    assert "Page " not in cover and "GMG Chairmanship Report —" not in cover
    assert "Page 2 of" in reader.pages[1].extract_text()
    # The web page's cover says the same.
    assert f"{issued} (edition 1)" in english.html
