"""The annual report and the handover pack as archival PDFs (WeasyPrint, tagged PDF/A-3a), and the report's cache.

`render_report_pdf()` and `render_handover_pdf()` follow pretix's
exporters: they take the assembled document and return (filename,
content_type, bytes). `cached_report_pdf()` serves the report's triple from
Django's cache when the report's data has not changed since the last
rendering (the pack is dated, so it is rendered on every request). Rendering
never touches the network: `static_url_fetcher()` serves the app's own static
files and refuses everything else.

Every PDF is tagged (a structure tree of headings, lists, tables with header
cells, figures with their alternative text, in the document's language) and
claims PDF/A-3a. The report's PDF carries the data it shows (the edition's
`data`, or the live report's as_dict()) as an embedded JSON file associated
with the document (AFRelationship /Source), so an archived copy holds its
own machine-readable record. Links to the portal are absolute from
GMG_PUBLIC_URL, or left out when it is unset (reports/public_links.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
from functools import cache as memoized
from typing import Any
from urllib.parse import unquote
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.template.loader import render_to_string

from gmg_portal import cache
from reports.handover import HandoverPack
from reports.public_links import absolute_portal_links
from reports.public_links import public_url
from reports.rendering import report_context
from reports.report_data import AnnualReport

logger = logging.getLogger(__name__)
# WeasyPrint turns fontTools' logger to DEBUG while it subsets fonts (to catch
# warnings with its own handler); without this, every table read propagates to
# the console. WeasyPrint still relays fontTools' warnings through its logger.
logging.getLogger("fontTools").propagate = False

PDF_CONTENT_TYPE = "application/pdf"
PDF_TEMPLATE = "reports/report_pdf.html"
HANDOVER_PDF_TEMPLATE = "reports/handover_pdf.html"
# Tagged (pdf_tags) and archival: PDF/A-3 allows the embedded data file, level A requires the structure tree.
PDF_VARIANT = "pdf/a-3a"
# What WeasyPrint resolves the print templates' /static/… stylesheets against when no public address is
# configured. It is never printed: every link relative to the portal is made absolute or taken out before
# rendering (reports/public_links.py), and the fetcher reads only the path. ".invalid" can never resolve.
INTERNAL_BASE_URL = "http://gmg-portal.invalid/"
# PDF/A-3 relationship of the embedded data to the document: the report is rendered from it.
DATA_RELATIONSHIP = "Source"
CACHE_TIMEOUT = 60 * 60 * 24 * 30


class FetchRefused(ValueError):
    """WeasyPrint asked for something that is not one of the app's static files."""


def static_url_fetcher(url: str, *args, **kwargs) -> dict:
    """What WeasyPrint may fetch: only the app's static files, read from disk; it never connects anywhere.

    `url` may be absolute (`http://portal/static/reports/report.css`, as
    WeasyPrint resolves it against base_url) or a bare path. Only its path
    counts: if it lies under STATIC_URL and names one of the app's static
    files (by its own name, or by the hashed name production's manifest
    gives it), the file is read from disk. Anything else (another path, a data
    or file URL, a missing file) raises FetchRefused. WeasyPrint calls it
    through StaticFilesFetcher.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https"):
        raise FetchRefused(f"Refused to fetch {url!r}: only the app's static files are served.")
    static_prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(parts.path)
    if not path.startswith(static_prefix):
        raise FetchRefused(f"Refused to fetch {url!r}: only the app's static files are served.")
    found = _static_file(path[len(static_prefix) :])
    if not found:
        raise FetchRefused(f"Refused to fetch {url!r}: no such static file.")
    with open(found, "rb") as handle:
        content = handle.read()
    mime_type, encoding = mimetypes.guess_type(found)
    result = {"string": content, "mime_type": mime_type or "application/octet-stream", "redirected_url": url}
    if encoding:
        result["encoding"] = encoding
    return result


def _static_file(relative: str) -> str | None:
    """The file on disk behind a path under STATIC_URL, or None.

    As the apps hold it (development), else as collected: in production `{% static %}` names the collected
    copy by its content hash (the manifest storage), a name only STATIC_ROOT knows.
    """
    if not relative or ".." in relative.split("/"):
        return None
    try:
        found = finders.find(relative)
        if not found and staticfiles_storage.exists(relative):
            found = staticfiles_storage.path(relative)
    except SuspiciousFileOperation:
        return None
    return found[0] if isinstance(found, list) else found


@memoized
def _static_files_fetcher_class() -> type:
    """WeasyPrint's fetcher deciding by static_url_fetcher (since WeasyPrint 68 a URLFetcher, no longer a function).

    Built on first use: importing WeasyPrint costs time that the pages which never render a PDF do not need.
    """
    from weasyprint.urls import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            found = static_url_fetcher(url)
            return URLFetcherResponse(
                found["redirected_url"], body=found["string"], headers={"Content-Type": found["mime_type"]}
            )

    return StaticFilesFetcher


def static_files_fetcher() -> Any:
    """A fetcher for one rendering (WeasyPrint's fetchers keep per-request state)."""
    return _static_files_fetcher_class()()


def pdf_filename(slug: str) -> str:
    return f"gmg-chairmanship-report-{slug}.pdf"


def data_filename(slug: str) -> str:
    return f"gmg-chairmanship-report-{slug}.json"


def report_print_html(report: AnnualReport, *, request: HttpRequest | None = None, **extra: Any) -> str:
    """The HTML the PDF is made from (footnotes set inline, to float to the foot of the page).

    `extra` adds to the template context: an edition's number, issue date and corrigendum.
    """
    context = {**report_context(report, for_print=True), **extra}
    return render_to_string(PDF_TEMPLATE, context, request=request)


def html_to_pdf(
    html: str, *, base_url: str | None = None, data: dict[str, Any] | None = None, data_name: str = "data.json"
) -> bytes:
    """WeasyPrint with the static-only fetcher, as tagged PDF/A-3a; `data` embedded as the document's source.

    Links relative to the portal are made absolute from GMG_PUBLIC_URL (or
    taken out) first, so `base_url` only locates the stylesheets.
    """
    from weasyprint import HTML  # imported here: loading WeasyPrint costs time every page does not need
    from weasyprint import Attachment

    html = absolute_portal_links(html)
    base_url = base_url or public_base_url()
    attachments = []
    if data is not None:
        attachments.append(
            Attachment(
                string=json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode(),
                name=data_name,
                description="The records this document shows, as JSON (GMG Portal)",
                relationship=DATA_RELATIONSHIP,
            )
        )
    document = HTML(string=html, base_url=base_url, url_fetcher=static_files_fetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False, attachments=attachments)


def public_base_url() -> str:
    """The base WeasyPrint resolves against: the public address, else an internal name that is never printed."""
    configured = public_url()
    return f"{configured}/" if configured else INTERNAL_BASE_URL


def render_report_pdf(
    report: AnnualReport, *, request: HttpRequest | None = None, data: dict[str, Any] | None = None
) -> tuple[str, str, bytes]:
    """(filename, content_type, bytes) of the report's PDF, rendered now from the live data.

    The embedded data is the report's as_dict() unless `data` is given.
    """
    html = report_print_html(report, request=request)
    content = html_to_pdf(html, data=report.as_dict() if data is None else data, data_name=data_filename(report.slug))
    logger.info("Rendered the PDF of the report %s (%d bytes)", report.slug, len(content))
    return pdf_filename(report.slug), PDF_CONTENT_TYPE, content


def pdf_cache_key(report: AnnualReport) -> str:
    """The data version: the report's fingerprint (which covers every record shown), its language, the links."""
    return _pdf_cache_key(report.slug, report.language, report.fingerprint)


def _pdf_cache_key(slug: str, language: str, fingerprint: str) -> str:
    # The public address is printed in every link: a PDF rendered under another one is another PDF.
    base_hash = hashlib.sha256(public_url().encode()).hexdigest()[:12]
    return f"reports:pdf:{slug}:{language}:{fingerprint}:{base_hash}"


def cached_pdf_bytes(*, slug: str, language: str, fingerprint: str) -> bytes | None:
    """The PDF of this version of the report if the cache holds it (no assembly, no rendering)."""
    return cache.get(_pdf_cache_key(slug, language, fingerprint))


def cached_report_pdf(report: AnnualReport, *, request: HttpRequest | None = None) -> tuple[str, str, bytes]:
    """The report's PDF from the cache, rendered and stored first if this version is not there yet."""
    key = pdf_cache_key(report)
    content = cache.get(key)
    if content is None:
        _, _, content = render_report_pdf(report, request=request)
        cache.set(key, content, CACHE_TIMEOUT)
    return pdf_filename(report.slug), PDF_CONTENT_TYPE, content


def handover_filename(slug: str) -> str:
    return f"gmg-handover-pack-{slug}.pdf"


def handover_print_html(pack: HandoverPack, *, request: HttpRequest | None = None) -> str:
    """The standalone HTML the pack's PDF is made from."""
    context = {"pack": pack, "document": pack, "print": True}
    return render_to_string(HANDOVER_PDF_TEMPLATE, context, request=request)


def render_handover_pdf(pack: HandoverPack, *, request: HttpRequest | None = None) -> tuple[str, str, bytes]:
    """(filename, content_type, bytes) of the pack as tagged PDF/A-3a; nothing is fetched but the app's static files."""
    content = html_to_pdf(handover_print_html(pack, request=request))
    logger.info("Rendered the PDF of the handover pack %s (%d bytes)", pack.slug, len(content))
    return handover_filename(pack.slug), PDF_CONTENT_TYPE, content
