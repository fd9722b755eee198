"""The annual report and the handover pack as archival PDFs (WeasyPrint, PDF/A-3u), and the report's cache.

`render_report_pdf()` and `render_handover_pdf()` follow pretix's
exporters: they take the assembled document and return (filename,
content_type, bytes). `cached_report_pdf()` serves the report's triple from
Django's cache when the report's data has not changed since the last
rendering (the pack is dated, so it is rendered on every request). Rendering
never touches the network: `static_url_fetcher()` serves the app's own static
files and refuses everything else.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from urllib.parse import unquote
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest
from django.template.loader import render_to_string

from gmg_portal import cache
from reports.handover import HandoverPack
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
# Relative links in narratives (/working-groups/…/) point at the portal; they
# are written into the PDF as links and never fetched.
DEFAULT_BASE_URL = "http://localhost/"
CACHE_TIMEOUT = 60 * 60 * 24 * 30


class FetchRefused(ValueError):
    """WeasyPrint asked for something that is not one of the app's static files."""


def static_url_fetcher(url: str, *args, **kwargs) -> dict:
    """A WeasyPrint URL fetcher that serves only the app's static files; it never connects anywhere.

    `url` may be absolute (`http://portal/static/reports/report.css`, as
    WeasyPrint resolves it against base_url) or a bare path. Only its path
    counts: if it lies under STATIC_URL and a staticfiles finder finds the
    file, the file is read from disk. Anything else (another path, a data
    or file URL, a missing file) raises FetchRefused.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https"):
        raise FetchRefused(f"Refused to fetch {url!r}: only the app's static files are served.")
    static_prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(parts.path)
    if not path.startswith(static_prefix):
        raise FetchRefused(f"Refused to fetch {url!r}: only the app's static files are served.")
    relative = path[len(static_prefix) :]
    try:
        found = finders.find(relative) if relative and ".." not in relative.split("/") else None
    except SuspiciousFileOperation:
        found = None
    if not found:
        raise FetchRefused(f"Refused to fetch {url!r}: no such static file.")
    if isinstance(found, list):
        found = found[0]
    with open(found, "rb") as handle:
        content = handle.read()
    mime_type, encoding = mimetypes.guess_type(found)
    result = {"string": content, "mime_type": mime_type or "application/octet-stream", "redirected_url": url}
    if encoding:
        result["encoding"] = encoding
    return result


def pdf_filename(slug: str) -> str:
    return f"gmg-chairmanship-report-{slug}.pdf"


def report_print_html(report: AnnualReport, *, request: HttpRequest | None = None) -> str:
    """The standalone HTML the PDF is made from (footnotes set inline, to float to the foot of the page)."""
    return render_to_string(PDF_TEMPLATE, report_context(report, for_print=True), request=request)


def base_url_for(request: HttpRequest | None) -> str:
    if request is not None:
        return request.build_absolute_uri("/")
    return getattr(settings, "PORTAL_BASE_URL", DEFAULT_BASE_URL)


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """WeasyPrint with the static-only fetcher, as PDF/A-3u."""
    from weasyprint import HTML  # imported here: loading WeasyPrint costs time every page does not need

    document = HTML(string=html, base_url=base_url, url_fetcher=static_url_fetcher)
    return document.write_pdf(pdf_variant="pdf/a-3u", uncompressed_pdf=False)


def render_report_pdf(report: AnnualReport, *, request: HttpRequest | None = None) -> tuple[str, str, bytes]:
    """(filename, content_type, bytes) of the report's PDF, rendered now."""
    html = report_print_html(report, request=request)
    content = html_to_pdf(html, base_url=base_url_for(request))
    logger.info("Rendered the PDF of the report %s (%d bytes)", report.slug, len(content))
    return pdf_filename(report.slug), PDF_CONTENT_TYPE, content


def pdf_cache_key(report: AnnualReport, *, base_url: str = DEFAULT_BASE_URL) -> str:
    """The data version: the report's fingerprint (which covers every record shown), its language, the site."""
    return _pdf_cache_key(report.slug, report.language, report.fingerprint, base_url)


def _pdf_cache_key(slug: str, language: str, fingerprint: str, base_url: str) -> str:
    base_hash = hashlib.sha256(base_url.encode()).hexdigest()[:12]
    return f"reports:pdf:{slug}:{language}:{fingerprint}:{base_hash}"


def cached_pdf_bytes(*, slug: str, language: str, fingerprint: str, request: HttpRequest | None = None) -> bytes | None:
    """The PDF of this version of the report if the cache holds it (no assembly, no rendering)."""
    return cache.get(_pdf_cache_key(slug, language, fingerprint, base_url_for(request)))


def cached_report_pdf(report: AnnualReport, *, request: HttpRequest | None = None) -> tuple[str, str, bytes]:
    """The report's PDF from the cache, rendered and stored first if this version is not there yet."""
    key = pdf_cache_key(report, base_url=base_url_for(request))
    content = cache.get(key)
    if content is None:
        _, _, content = render_report_pdf(report, request=request)
        cache.set(key, content, CACHE_TIMEOUT)
    return pdf_filename(report.slug), PDF_CONTENT_TYPE, content


def handover_filename(slug: str) -> str:
    return f"gmg-handover-pack-{slug}.pdf"


def handover_print_html(pack: HandoverPack, *, request: HttpRequest | None = None) -> str:
    """The standalone HTML the pack's PDF is made from."""
    return render_to_string(HANDOVER_PDF_TEMPLATE, {"pack": pack, "document": pack, "print": True}, request=request)


def render_handover_pdf(pack: HandoverPack, *, request: HttpRequest | None = None) -> tuple[str, str, bytes]:
    """(filename, content_type, bytes) of the pack as PDF/A-3u; nothing is fetched but the app's static files."""
    content = html_to_pdf(handover_print_html(pack, request=request), base_url=base_url_for(request))
    return handover_filename(pack.slug), PDF_CONTENT_TYPE, content
