"""Rendering never touches the network: the URL fetcher serves the app's static files only."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings
from pypdf import PdfReader

from reports.pdf import FetchRefused
from reports.pdf import html_to_pdf
from reports.pdf import render_report_pdf
from reports.pdf import static_url_fetcher
from reports.selectors import assemble_report
from tests.factories import AccomplishmentFactory
from tests.factories import ChairmanshipFactory


@pytest.fixture
def listener():
    """A real TCP listener on 127.0.0.1; the test asserts nobody ever connected to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def _connections(server: socket.socket) -> int:
    accepted = 0
    while True:
        try:
            connection, _ = server.accept()
        except BlockingIOError:
            return accepted
        connection.close()
        accepted += 1


def test_the_listener_would_notice_a_connection(listener):
    """The check below is real: a connection to the listener is counted."""
    port = listener.getsockname()[1]
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    assert _connections(listener) == 1


@pytest.mark.django_db
def test_rendering_a_narrative_that_points_at_a_server_never_connects_to_it(listener):
    port = listener.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    term = ChairmanshipFactory(
        introduction=(
            f'An image ![chart]({base}/chart.png) and a raw one <img src="{base}/raw.png">, '
            f'a stylesheet <link rel="stylesheet" href="{base}/evil.css">, '
            f"and [a link to the server]({base}/page)."
        ),
        report_status="final",
    )
    AccomplishmentFactory(chairmanship=term, narrative=f"See [the page]({base}/other).")
    report = assemble_report(chairmanship=term)

    _, content_type, content = render_report_pdf(report)

    assert _connections(listener) == 0
    assert content_type == "application/pdf"
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(content)).pages
        for annotation in page.get("/Annots") or []
        if "/URI" in annotation.get_object().get("/A", {})
    ]
    assert f"{base}/page" in uris  # the link is kept, as a link, not fetched


def test_weasyprint_asked_for_remote_resources_gets_nothing(listener):
    """Even HTML that sanitising would never let through cannot reach the network through the fetcher."""
    port = listener.getsockname()[1]
    html = (
        f'<html lang="en"><head><title>t</title><link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">'
        f"<style>@import url(http://127.0.0.1:{port}/i.css); body {{ background: url(http://127.0.0.1:{port}/b.png) }}"
        f'</style></head><body><img src="http://127.0.0.1:{port}/x.png" alt="x"><p>Text</p></body></html>'
    )
    content = html_to_pdf(html, base_url=f"http://127.0.0.1:{port}/")
    assert content.startswith(b"%PDF")
    assert _connections(listener) == 0


def test_the_fetcher_serves_the_apps_static_files():
    expected = (Path(settings.BASE_DIR) / "static" / "reports" / "report-print.css").read_bytes()
    for url in ("/static/reports/report-print.css", "http://portal.example/static/reports/report-print.css"):
        result = static_url_fetcher(url)
        assert result["string"] == expected
        assert result["mime_type"] == "text/css"


def _production_static(root: Path) -> override_settings:
    """Static files as production serves them (DJANGO_DEBUG=0): collected in `root`, named by their content's hash.

    The manifest storage, which production's (whitenoise's) extends with compressed copies under the same names.
    """
    backend = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    return override_settings(STATIC_ROOT=root, STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": backend}})


@pytest.fixture(scope="module")
def collected_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("static")
    with _production_static(root):
        call_command("collectstatic", "--noinput", "-v0")
    return root


@pytest.fixture
def collected_static(collected_root):
    with _production_static(collected_root):
        yield


def test_in_production_the_fetcher_serves_the_stylesheet_by_its_hashed_name(collected_static):
    url = static("reports/report-print.css")
    assert url != "/static/reports/report-print.css"  # the manifest's name, which no app directory holds
    expected = (Path(settings.BASE_DIR) / "static" / "reports" / "report-print.css").read_bytes()
    assert static_url_fetcher(f"http://portal.example{url}")["string"] == expected


@pytest.mark.django_db
def test_in_production_the_pdf_is_laid_out_by_its_print_stylesheet(collected_static):
    term = ChairmanshipFactory(report_status="final")
    AccomplishmentFactory.create_batch(12, chairmanship=term)

    _, _, content = render_report_pdf(assemble_report(chairmanship=term))

    # The running header report-print.css repeats at the top of every page after the cover.
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) > 2
    for page in pages[1:]:
        assert f"GMG Chairmanship Report — {term.agency.acronym}" in page.extract_text()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/static/../../etc/passwd",
        "/static/../gmg_portal/settings.py",
        "/static/reports/no-such-file.css",
        "file:///etc/passwd",
        "ftp://127.0.0.1/static/reports/report-print.css",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(FetchRefused):
        static_url_fetcher(url)
