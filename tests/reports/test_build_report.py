"""python manage.py build_report <slug> --format pdf|html --output FILE [--live]

A final report is written as the portal serves it (its stored edition) unless --live; the HTML is one
self-contained page that reads like /reports/<slug>/ when opened from a disk.
"""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.management import CommandError
from django.core.management import call_command
from pypdf import PdfReader

from chairmanship.models import Chairmanship
from reports.editions import rendering_served
from reports.public_links import absolute_portal_links


def build(*args: str) -> str:
    out = io.StringIO()
    call_command("build_report", *args, stdout=out)
    return out.getvalue()


def stored_rendering():
    return rendering_served(
        chairmanship=Chairmanship.objects.get(slug="2014-ilo"), language="en", content=("html", "pdf")
    )


@pytest.mark.django_db
def test_build_report_writes_a_pdf_and_an_html_file(gmg_published, tmp_path):
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


@pytest.mark.django_db
def test_build_report_says_when_its_output_cannot_be_a_file(gmg_published, tmp_path):
    with pytest.raises(CommandError, match="is a folder; name the file to write"):
        call_command("build_report", "2014-ilo", "--output", str(tmp_path))
    with pytest.raises(CommandError, match="could not be written"):
        call_command("build_report", "2014-ilo", "--format", "html", "--output", "/dev/full")


@pytest.mark.django_db
def test_a_final_report_is_written_as_the_portal_serves_it(gmg_published, tmp_path, settings):
    settings.GMG_PUBLIC_URL = "https://gmg.example.org"
    pdf_path, html_path = tmp_path / "report.pdf", tmp_path / "report.html"

    said = build("2014-ilo", "--format", "pdf", "--output", str(pdf_path))
    build("2014-ilo", "--format", "html", "--output", str(html_path))

    rendering = stored_rendering()
    assert said.strip() == f"Wrote the PDF report of 2014-ilo (edition 1) to {pdf_path}"
    assert pdf_path.read_bytes() == bytes(rendering.pdf)  # byte for byte what /reports/2014-ilo.pdf serves
    html = html_path.read_text(encoding="utf-8")
    # The stored article, its links to the portal made absolute.
    assert absolute_portal_links(rendering.html) in html
    assert "(edition 1)" in html


@pytest.mark.django_db
def test_live_builds_a_final_report_from_the_records_as_they_are_now(gmg_published, tmp_path):
    pdf_path, html_path = tmp_path / "report.pdf", tmp_path / "report.html"

    said = build("2014-ilo", "--format", "pdf", "--output", str(pdf_path), "--live")
    build("2014-ilo", "--format", "html", "--output", str(html_path), "--live")

    assert "(the live records)" in said
    assert pdf_path.read_bytes() != bytes(stored_rendering().pdf)
    cover = PdfReader(pdf_path).pages[0].extract_text()
    assert "Not issued: built from the records as they are now." in re.sub(r"\s+", " ", cover)
    html = html_path.read_text(encoding="utf-8")
    assert "Edition 1, issued" not in html and "(edition 1)" not in html
    assert "Not issued: built from the records as they are now." in html


@pytest.mark.django_db
def test_a_final_report_without_a_stored_edition_is_an_error_naming_the_way_out(gmg, tmp_path):
    path = tmp_path / "report.pdf"

    with pytest.raises(CommandError, match=r"edition: 2014-ilo is final but no edition of it is stored yet") as error:
        call_command("build_report", "2014-ilo", "--output", str(path))

    assert "--live" in str(error.value)
    assert not path.exists()


@pytest.fixture
def standalone(gmg_published, tmp_path, settings) -> str:
    settings.GMG_PUBLIC_URL = ""
    path = tmp_path / "report.html"
    call_command("build_report", "2014-ilo", "--format", "html", "--output", str(path), stdout=io.StringIO())
    return path.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_the_html_stands_alone_with_its_styles_inlined(standalone):
    assert standalone.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in standalone
    # Nothing to fetch: no stylesheet link, no script, no image; the site's and the report's styles are inside.
    assert "<link" not in standalone and "<script" not in standalone and "src=" not in standalone
    for name in ("css/portal.css", "reports/report-web.css"):
        css = (settings.BASE_DIR / "static" / name).read_text(encoding="utf-8").strip()
        assert css in standalone, name
    # It reads like the report's page: the site's header, the report's article.
    assert '<header class="site-header">' in standalone
    assert '<article class="report report--edition" lang="en">' in standalone


@pytest.mark.django_db
def test_the_html_sets_footnotes_as_footnotes(standalone):
    # The heading keeps its reference (a number), and the note's text is listed with the notes.
    assert re.search(
        r'II\. Key accomplishments<sup class="fn-ref" id="fnref-1"><a href="#fn-1">1</a></sup></h2>', standalone
    )
    assert "Key accomplishmentsSee Annex B" not in standalone
    notes = standalone[standalone.index('<section class="notes"') :]
    assert '<li id="fn-1" value="1">' in notes
    assert "See Annex B for a comprehensive list" in notes


@pytest.mark.django_db
def test_without_a_public_address_the_html_links_only_within_itself_and_elsewhere(standalone):
    hrefs = re.findall(r'href="([^"]*)"', standalone)
    assert hrefs
    portal = [href for href in hrefs if not href.startswith(("#", "https://", "http://", "mailto:"))]
    assert portal == []
    assert "localhost" not in standalone
    assert 'class="report__actions"' not in standalone  # a line of links with none left says nothing


@pytest.mark.django_db
def test_with_a_public_address_the_html_links_to_the_portal_there(gmg_published, tmp_path, settings):
    settings.GMG_PUBLIC_URL = "https://gmg.example.org"
    path = tmp_path / "report.html"
    call_command("build_report", "2014-ilo", "--format", "html", "--output", str(path), stdout=io.StringIO())

    html = path.read_text(encoding="utf-8")
    assert 'href="https://gmg.example.org/reports/2014-ilo.pdf"' in html
    assert 'href="https://gmg.example.org/working-groups/data-and-research/"' in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert not [href for href in hrefs if href.startswith("/")]
