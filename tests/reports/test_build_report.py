"""python manage.py build_report <slug> --format pdf|html --output FILE"""

from __future__ import annotations

import pytest
from django.core.management import CommandError
from django.core.management import call_command
from pypdf import PdfReader


@pytest.mark.django_db
def test_build_report_writes_a_pdf_and_an_html_file(gmg, tmp_path):
    pdf_path, html_path = tmp_path / "report.pdf", tmp_path / "report.html"
    call_command("build_report", "2014-ilo", "--format", "pdf", "--output", str(pdf_path))
    call_command("build_report", "2014-ilo", "--format", "html", "--output", str(html_path))

    reader = PdfReader(pdf_path)
    assert len(reader.pages) > 1
    assert "International Labour Organization" in reader.metadata.title
    html = html_path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "From IOM&#x27;s Chairmanship:" in html


@pytest.mark.django_db
def test_build_report_names_the_unknown_slug(gmg, tmp_path):
    with pytest.raises(CommandError, match="slug: no chairmanship 'nope'"):
        call_command("build_report", "nope", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="output: the folder"):
        call_command("build_report", "2014-ilo", "--output", str(tmp_path / "missing" / "x.pdf"))
