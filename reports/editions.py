"""Frozen report editions: publishing edition 1, issuing corrected editions, and what changed since.

A final report is served from its latest stored edition (PDF, HTML, JSON),
never from the live data; drafts keep following the data. Editions are
rendered and stored by workers (reports/jobs.py queues them;
`store_edition()` is what a worker does), never in a request: until a final
term's first edition is stored, `rendering_served()` has nothing to serve and
the pages say the report is being prepared. Edition 1 has no note; editions
2, 3… carry a corrigendum note. `edition_diff()` lists what changed in the
data since the latest edition (compared and named by reports.edition_diff).

An edition is one snapshot of the data rendered in every language of
settings.LANGUAGES (one ReportEditionRendering each, HTML and PDF), with the
portal's public address (GMG_PUBLIC_URL), so the stored bytes never depend on who asked
first or in which language; its JSON is stored once, in the default
language. `rendering_served()` is what the report pages serve.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case
from django.db.models import F
from django.db.models import Max
from django.db.models import Q
from django.db.models import When
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chairmanship.models import Chairmanship
from gmg_portal.markdown import render_markdown
from jobs.models import Job
from reports.edition_diff import SectionChanges
from reports.edition_diff import data_diff
from reports.models import CONTENT_FIELDS
from reports.models import RENDERING_CONTENT_FIELDS
from reports.models import ReportEdition
from reports.models import ReportEditionRendering
from reports.pdf import data_filename
from reports.pdf import html_to_pdf
from reports.pdf import report_print_html
from reports.rendering import report_context
from reports.report_data import AnnualReport
from reports.selectors import assemble_report

logger = logging.getLogger(__name__)

ARTICLE_TEMPLATE = "reports/snippets/edition_article.html"


# Reading ------------------------------------------------------------------------


def edition_latest(*, chairmanship: Chairmanship, content: tuple[str, ...] = ()) -> ReportEdition | None:
    """The term's latest edition, with its data loaded only if `content` names "data"; one query."""
    deferred = [name for name in CONTENT_FIELDS if name not in content]
    return (
        ReportEdition.objects.filter(chairmanship=chairmanship)
        .select_related("chairmanship")
        .defer(*deferred)
        .order_by("-number")
        .first()
    )


class EditionNotReady(Exception):
    """A final report whose first edition a worker has not stored yet: there is nothing to serve but a wait."""


# What the report's page, PDF and JSON say meanwhile (a worker renders an edition in seconds to a minute).
PREPARING = gettext_lazy(
    "This report is final and its first edition is being prepared: it will be here in a minute or two."
)
PREPARING_RETRY_SECONDS = 30


def _rendering_latest(
    *, chairmanship: Chairmanship, language: str, content: tuple[str, ...]
) -> ReportEditionRendering | None:
    """The latest edition's rendering in `language`, else in the edition's own language; one query."""
    deferred = [name for name in RENDERING_CONTENT_FIELDS if name not in content]
    return (
        ReportEditionRendering.objects.filter(edition__chairmanship=chairmanship)
        .filter(Q(language=language) | Q(language=F("edition__language")))
        .select_related("edition__chairmanship")
        .defer(*deferred, "edition__data")
        .order_by("-edition__number", Case(When(language=language, then=0), default=1))
        .first()
    )


def rendering_served(
    *, chairmanship: Chairmanship, language: str, content: tuple[str, ...] = ()
) -> ReportEditionRendering | None:
    """The stored HTML and PDF the report pages serve in `language`: None for a draft.

    A final term's latest edition, in the language asked for; EditionNotReady
    while its first edition is still being rendered. An edition stored before editions were rendered in
    every language has only its own language's rendering: that one is served,
    frozen, rather than anything rendered from the current data. Only the
    named stored fields ("html", "pdf") are loaded; one query when the edition
    exists.
    """
    if not chairmanship.is_final:
        return None
    rendering = _rendering_latest(chairmanship=chairmanship, language=language, content=content)
    if rendering is None:
        raise EditionNotReady(chairmanship.slug)
    return rendering


def report_data(*, chairmanship: Chairmanship) -> dict[str, Any]:
    """The report as JSON: a final term's stored edition (EditionNotReady until stored), a draft's live data."""
    if not chairmanship.is_final:
        return assemble_report(chairmanship=chairmanship).as_dict()
    edition = edition_latest(chairmanship=chairmanship, content=("data",))
    if edition is None:
        raise EditionNotReady(chairmanship.slug)
    return edition.data


# Rendering ------------------------------------------------------------------------


@dataclass(frozen=True)
class Corrigendum:
    """What the Corrigendum box of a corrected edition says."""

    number: int
    issued: str
    replaces: int
    note_html: str


@dataclass(frozen=True)
class RenderedLanguage:
    language: str
    title: str
    html: str
    pdf: bytes


@dataclass(frozen=True)
class RenderedEdition:
    language: str  # of the data
    fingerprint: str
    data: dict[str, Any]
    data_read_at: datetime.datetime
    renderings: list[RenderedLanguage]


def edition_languages() -> list[str]:
    """The languages every edition is rendered in: the default language first, then settings.LANGUAGES."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [settings.LANGUAGE_CODE, *(code for code in codes if code != settings.LANGUAGE_CODE)]


@contextmanager
def _one_snapshot() -> Iterator[None]:
    """A transaction whose reads all see the same committed data.

    SQLite keeps its read lock (or its WAL snapshot) for the whole
    transaction; PostgreSQL needs REPEATABLE READ, which can be set only as
    the first statement of a transaction: inside a caller's transaction (the
    admin's save) the reads share that transaction instead.
    """
    connection = transaction.get_connection()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _assemble_snapshot(*, chairmanship: Chairmanship) -> tuple[dict[str, AnnualReport], datetime.datetime]:
    """The report in every edition language, assembled from one read of the data, and when it was read."""
    with _one_snapshot():
        read_at = timezone.now()
        reports = {}
        for language in edition_languages():
            with translation.override(language):
                reports[language] = assemble_report(chairmanship=chairmanship)
    return reports, read_at


def _render_language(
    *, report: AnnualReport, number: int, issued_at: datetime.datetime, note: str, data: dict[str, Any]
) -> RenderedLanguage:
    """The HTML article and the PDF of one language, the PDF carrying the edition's `data`; no query.

    The caller activates the language.
    """
    issued = date_format(timezone.localtime(issued_at).date(), "j F Y")
    corrigendum = None
    if number > 1 or note:
        corrigendum = Corrigendum(
            number=number, issued=issued, replaces=number - 1, note_html=str(render_markdown(note))
        )
    extra = {"corrigendum": corrigendum, "edition_number": number, "edition_issued": issued}
    html = render_to_string(ARTICLE_TEMPLATE, {**report_context(report, for_print=False), **extra})
    pdf = html_to_pdf(report_print_html(report, **extra), data=data, data_name=data_filename(report.slug))
    return RenderedLanguage(language=report.language, title=report.title, html=html, pdf=pdf)


def _render(*, chairmanship: Chairmanship, number: int, issued_at: datetime.datetime, note: str) -> RenderedEdition:
    """The edition's JSON (default language) and its HTML and PDF in every language, from one snapshot of the data.

    Every language is rendered from the same read of the records (so no edit
    can land between two languages); the data stored is the default
    language's as_dict(). The PDFs are rendered after the transaction ends.
    """
    reports, read_at = _assemble_snapshot(chairmanship=chairmanship)
    default = reports[settings.LANGUAGE_CODE]
    # What the edition stores is what every language's PDF carries inside it.
    data = default.as_dict()
    renderings = []
    for language, report in reports.items():
        with translation.override(language):
            renderings.append(_render_language(report=report, number=number, issued_at=issued_at, note=note, data=data))
    logger.info(
        "Rendered edition %d of the report %s in %s (%d bytes of PDF)",
        number,
        default.slug,
        ", ".join(reports),
        sum(len(rendering.pdf) for rendering in renderings),
    )
    return RenderedEdition(
        language=default.language,
        fingerprint=default.fingerprint,
        data=data,
        data_read_at=read_at,
        renderings=renderings,
    )


def _store(
    *,
    chairmanship: Chairmanship,
    number: int,
    note: str,
    user: AbstractBaseUser | None,
    job: Job | None,
) -> ReportEdition:
    """Render and insert edition `number` with its renderings; IntegrityError if that number exists by then."""
    issued_at = timezone.now()
    rendered = _render(chairmanship=chairmanship, number=number, issued_at=issued_at, note=note)
    with transaction.atomic():
        edition = ReportEdition.objects.create(
            chairmanship=chairmanship,
            number=number,
            issued_at=issued_at,
            issued_by=user if user is not None and user.is_authenticated else None,
            note=note,
            language=rendered.language,
            fingerprint=rendered.fingerprint,
            data=rendered.data,
            data_read_at=rendered.data_read_at,
            job=job,
        )
        ReportEditionRendering.objects.bulk_create(
            ReportEditionRendering(
                edition=edition, language=item.language, title=item.title, html=item.html, pdf=item.pdf
            )
            for item in rendered.renderings
        )
    return edition


# Writing ------------------------------------------------------------------------


def store_edition(
    *, chairmanship: Chairmanship, note: str = "", user: AbstractBaseUser | None = None, job: Job | None = None
) -> ReportEdition:
    """Render and store the next edition of a final report (what a worker does; reports/jobs.py queues it).

    Edition 1 has no note; a corrected edition says what it corrects. The data
    is read in one short transaction, the PDFs are rendered outside any, and
    the edition and its renderings are inserted together: a worker killed
    midway leaves nothing behind. Of two workers storing the same number, the
    unique (term, number) constraint lets one in; the other gets an
    IntegrityError (its job is tried again and finds the edition there).
    """
    note = (note or "").strip()
    if not chairmanship.is_final:
        raise ValidationError({"chairmanship": _("Only a final report has editions; this report is still a draft.")})
    highest = ReportEdition.objects.filter(chairmanship=chairmanship).aggregate(n=Max("number"))["n"] or 0
    if highest and not note:
        raise ValidationError({"note": _("Say what this edition corrects: the note is shown in the report.")})
    return _store(chairmanship=chairmanship, number=highest + 1, note=note, user=user, job=job)


# What changed ---------------------------------------------------------------------


@dataclass(frozen=True)
class EditionDiff:
    edition: ReportEdition | None
    sections: list[SectionChanges]

    @property
    def has_changes(self) -> bool:
        return any(section.changes for section in self.sections)


def edition_diff(*, chairmanship: Chairmanship) -> EditionDiff:
    """What changed in the data since the latest edition; no sections when there is no edition yet."""
    edition = edition_latest(chairmanship=chairmanship, content=("data",))
    if edition is None:
        return EditionDiff(edition=None, sections=[])
    with translation.override(edition.language):
        current = assemble_report(chairmanship=chairmanship).as_dict()
    return EditionDiff(edition=edition, sections=data_diff(edition.data, current))
