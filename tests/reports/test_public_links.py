"""Links to the portal in documents that leave the server: absolute from GMG_PUBLIC_URL, or none — never localhost,
never the host a request happened to come through."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from pypdf import PdfReader

from reports.pdf import render_report_pdf
from reports.public_links import absolute_portal_links
from reports.selectors import assemble_report
from tests.factories import ChairmanshipFactory
from tests.reports.pdf_reading import link_uris

NARRATIVE = (
    "Read [the group's page](/working-groups/data-and-research/), [the ILO](https://www.ilo.org/) "
    "and [the secretariat](mailto:gmg@example.org)."
)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="/reports/">All reports</a>', '<a href="https://gmg.example.org/reports/">All reports</a>'),
        (
            '<a href="/reports/2014-ilo.pdf" download>PDF</a>',
            '<a href="https://gmg.example.org/reports/2014-ilo.pdf" download>PDF</a>',
        ),
        ('<a href="#section-2">II.</a>', '<a href="#section-2">II.</a>'),
        (
            '<a href="https://www.ilo.org/" rel="noopener">ILO</a>',
            '<a href="https://www.ilo.org/" rel="noopener">ILO</a>',
        ),
        ('<a href="mailto:gmg@example.org">mail</a>', '<a href="mailto:gmg@example.org">mail</a>'),
        ('<a href="//cdn.example.org/x">x</a>', '<a href="//cdn.example.org/x">x</a>'),
    ],
)
def test_portal_links_become_absolute_from_the_public_address(html, expected):
    assert absolute_portal_links(html, base="https://gmg.example.org/") == expected


def test_without_a_public_address_portal_links_are_taken_out_and_their_text_kept():
    html = (
        '<p class="report__actions"><a href="/reports/x.pdf" download>PDF</a> · <a href="/reports/">All</a></p>'
        '<p>See <a href="/working-groups/data/" rel="noopener noreferrer">the <em>group</em></a>, '
        '<a href="https://www.ilo.org/">the ILO</a> and <a href="#fn-1">1</a>.</p>'
    )

    assert absolute_portal_links(html, base="") == (
        '<p>See the <em>group</em>, <a href="https://www.ilo.org/">the ILO</a> and <a href="#fn-1">1</a>.</p>'
    )


@pytest.fixture
def term_with_links(db):
    return ChairmanshipFactory(introduction=NARRATIVE, report_status="draft")


def test_a_pdf_without_a_public_address_prints_no_portal_link(term_with_links, settings):
    settings.GMG_PUBLIC_URL = ""
    _, _, content = render_report_pdf(assemble_report(chairmanship=term_with_links))

    reader = PdfReader(io.BytesIO(content))
    assert sorted(link_uris(reader)) == ["https://www.ilo.org/", "mailto:gmg@example.org"]
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "the group's page" in text  # the words stay, without a dead link
    assert "localhost" not in text and "invalid" not in text


def test_a_pdf_with_a_public_address_links_there(term_with_links, settings):
    settings.GMG_PUBLIC_URL = "https://gmg.example.org/portal"
    _, _, content = render_report_pdf(assemble_report(chairmanship=term_with_links))

    uris = link_uris(PdfReader(io.BytesIO(content)))
    assert "https://gmg.example.org/portal/working-groups/data-and-research/" in uris
    assert "https://www.ilo.org/" in uris


@pytest.mark.parametrize("public_url", ["", "https://gmg.example.org"])
def test_a_downloaded_pdf_never_links_to_the_host_the_request_came_through(
    term_with_links, secretariat_client, public_url
):
    with override_settings(GMG_PUBLIC_URL=public_url, ALLOWED_HOSTS=["portal.internal"]):
        response = secretariat_client.get(f"/reports/{term_with_links.slug}.pdf", HTTP_HOST="portal.internal")

    assert response.status_code == 200
    uris = link_uris(PdfReader(io.BytesIO(response.content)))
    assert not [uri for uri in uris if "portal.internal" in uri or "localhost" in uri]
    group_page = [uri for uri in uris if uri.endswith("/working-groups/data-and-research/")]
    assert group_page == ([f"{public_url}/working-groups/data-and-research/"] if public_url else [])
