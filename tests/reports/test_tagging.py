"""What the PDF door (reports.pdf.html_to_pdf) tags beyond the report's own elements: figures keep their
alternative text. (Narratives allow no images, so the report itself has none today; a chart added to a
printed document must still reach a screen reader.)"""

from __future__ import annotations

import io

from pypdf import PdfReader

from reports.pdf import html_to_pdf
from tests.reports.pdf_reading import pdfa_identification
from tests.reports.pdf_reading import structure_elements

CHART = (
    '<html lang="fr"><head><meta charset="utf-8"><title>Tableau</title></head><body><h1>Titre</h1>'
    '<svg width="120" height="40" role="img"><title>Événements par mois, 2014</title>'
    '<rect width="120" height="40" fill="#0b4f8a"/></svg><p>Texte.</p></body></html>'
)


def test_a_figure_is_tagged_with_its_alternative_text_in_the_documents_language():
    reader = PdfReader(io.BytesIO(html_to_pdf(CHART)))

    figures = [element for element in structure_elements(reader) if element["/S"] == "/Figure"]
    assert [str(figure["/Alt"]) for figure in figures] == ["Événements par mois, 2014"]
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert pdfa_identification(reader) == ("3", "A")
    assert reader.attachments == {}  # data is embedded only when there is data to carry
