"""The annual report pages: the list of terms, the report as HTML and as PDF, and the handover pack.

A final report is served from its latest stored edition (reports.editions),
byte for byte, in the language asked for (each edition is stored in every
language); a draft is assembled from the live data on every request. The
handover pack is dated (its ages and upcoming events move with the
calendar): it is assembled and rendered on every request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.cache import patch_cache_control
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from chairmanship.models import Chairmanship
from gmg_portal.cache import data_generation
from gmg_portal.page_cache import cache_public_response
from reports.editions import PREPARING
from reports.editions import PREPARING_RETRY_SECONDS
from reports.editions import EditionNotReady
from reports.editions import rendering_served
from reports.freshness import ReportVersion
from reports.freshness import report_version_remember
from reports.freshness import report_version_remembered
from reports.handover import assemble_handover
from reports.listing import report_listings
from reports.models import ReportEditionRendering
from reports.pdf import PDF_CONTENT_TYPE
from reports.pdf import cached_pdf_bytes
from reports.pdf import cached_report_pdf
from reports.pdf import pdf_filename
from reports.pdf import render_handover_pdf
from reports.rendering import report_context
from reports.selectors import assemble_report


def _get_chairmanship_for_user(request: HttpRequest, slug: str) -> Chairmanship:
    """The term, if the requester may read its report: drafts are a 404 for anonymous visitors."""
    return get_object_or_404(Chairmanship.objects.readable_by(request.user), slug=slug)


def _report_language(request: HttpRequest) -> str | None:
    """`?lang=fr` (en, fr, es), else the page's language (Accept-Language or the switcher); None if `lang` is bad."""
    if "lang" not in request.GET:
        return translation.get_language() or settings.LANGUAGE_CODE
    requested = request.GET["lang"]
    return requested if requested in dict(settings.LANGUAGES) else None


def _bad_language() -> HttpResponse:
    codes = ", ".join(code for code, _ in settings.LANGUAGES)
    return HttpResponseBadRequest(f"lang: choose one of {codes}.\n", content_type="text/plain; charset=utf-8")


def edition_etag(rendering: ReportEditionRendering) -> str:
    edition = rendering.edition
    return quote_etag(f"edition-{edition.pk}-{edition.number}-{rendering.language}-{edition.fingerprint[:16]}")


@require_safe
@cache_public_response()
def report_list(request: HttpRequest) -> HttpResponse:
    response = render(request, "reports/report_list.html", {"listings": report_listings(user=request.user)})
    patch_vary_headers(response, ["Cookie"])  # a draft is linked only for those who may read it
    return response


def _in_report_language(view: Callable[[HttpRequest, Chairmanship], HttpResponse]) -> Callable[..., HttpResponse]:
    """A view of the term's report (`slug`), run in the report's language: `?lang=` or the page's (a 400 if unknown)."""

    @functools.wraps(view)
    def in_language(request: HttpRequest, slug: str) -> HttpResponse:
        term = _get_chairmanship_for_user(request, slug)
        language = _report_language(request)
        if language is None:
            return _bad_language()
        with translation.override(language):
            return view(request, term)

    return in_language


def _report_view(view: Callable[[HttpRequest, Chairmanship], HttpResponse]) -> Callable[..., HttpResponse]:
    """A page or file of the term's report: read only, in the report's language, remembered per language."""
    return require_safe(cache_public_response("lang")(_in_report_language(view)))


def _preparing_page(request: HttpRequest, term: Chairmanship) -> HttpResponse:
    """A final report whose first edition a worker is still rendering: said so, to come back shortly."""
    response = render(request, "reports/report_preparing.html", {"term": term, "message": PREPARING})
    response["Retry-After"] = str(PREPARING_RETRY_SECONDS)
    patch_cache_control(response, no_cache=True, no_store=True)  # the edition is minutes away: keep nothing
    return response


@_report_view
def report_detail(request: HttpRequest, term: Chairmanship) -> HttpResponse:
    # A final report: the latest edition's stored HTML in the language asked for, whatever was edited since.
    try:
        rendering = rendering_served(chairmanship=term, language=translation.get_language(), content=("html",))
    except EditionNotReady:
        return _preparing_page(request, term)
    if rendering is not None:
        response = render(request, "reports/edition_detail.html", {"edition": rendering, "title": rendering.title})
        patch_vary_headers(response, ["Cookie"])
        return response
    report = assemble_report(chairmanship=term)
    context = report_context(report, for_print=False)
    response = render(request, "reports/report_detail.html", context)
    patch_vary_headers(response, ["Cookie"])
    return response


@_report_view
def report_pdf(request: HttpRequest, term: Chairmanship) -> HttpResponse:
    """The PDF, from the cache while the data behind it is unchanged; 304 when the client's copy is current."""
    try:
        rendering = rendering_served(chairmanship=term, language=translation.get_language())
    except EditionNotReady:
        response = HttpResponse(f"{PREPARING}\n", status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(PREPARING_RETRY_SECONDS)
        return response
    if rendering is not None:
        return _edition_pdf(request, rendering)
    # While no record has changed, the report's version is remembered (reports.freshness): a download
    # whose PDF is cached then assembles nothing.
    language = translation.get_language()
    generation = data_generation()
    report = None
    version = report_version_remembered(slug=term.slug, language=language, generation=generation)
    if version is None:
        report = assemble_report(chairmanship=term)
        version = ReportVersion(fingerprint=report.fingerprint, last_modified=report.last_modified)
        report_version_remember(slug=term.slug, language=language, generation=generation, version=version)
    etag = quote_etag(f"{version.fingerprint[:40]}-{language}")
    last_modified = version.last_modified.timestamp() if version.last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        content = cached_pdf_bytes(slug=term.slug, language=language, fingerprint=version.fingerprint)
        if content is None:
            report = report or assemble_report(chairmanship=term)
            _, _, content = cached_report_pdf(report, request=request)
        response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{pdf_filename(term.slug)}"'
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return _revalidated(response, private=not term.is_final)


def _edition_pdf(request: HttpRequest, rendering: ReportEditionRendering) -> HttpResponse:
    """A final report's stored PDF in one language; its bytes are read only when the client's copy is not current."""
    edition = rendering.edition
    etag = edition_etag(rendering)
    last_modified = edition.issued_at.timestamp()
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(bytes(rendering.pdf), content_type=PDF_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{pdf_filename(edition.chairmanship.slug)}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # The same bytes for everyone asking in this language: shared caches may keep them, revalidating.
    patch_cache_control(response, no_cache=True, public=True)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


# The handover pack ------------------------------------------------------------------


@require_safe
@cache_public_response()
def handover_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pack = assemble_handover(chairmanship=_get_chairmanship_for_user(request, slug))
    response = render(request, "reports/handover.html", {"pack": pack, "document": pack, "print": False})
    patch_vary_headers(response, ["Cookie"])
    return response


@require_safe
@cache_public_response()
def handover_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The pack as PDF, rendered once per day and data generation for each audience (the page cache keeps it; a
    draft's, private, is rendered for each of its few readers): its ages and upcoming events move with the calendar.
    """
    pack = assemble_handover(chairmanship=_get_chairmanship_for_user(request, slug))
    filename, content_type, content = render_handover_pdf(pack, request=request)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _revalidated(response, private=pack.is_draft)


def _revalidated(response: HttpResponse, *, private: bool) -> HttpResponse:
    """A document's caching: revalidated every time (cheap: no rendering when unchanged), a draft's kept out of
    shared caches; it varies with the reader and the language."""
    patch_cache_control(response, no_cache=True)
    if private:
        patch_cache_control(response, private=True)  # private=False would be written out as "private=False"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response
