"""Frozen report editions: publishing edition 1, issuing corrected editions, and what changed since.

A final report is served from its latest stored edition (PDF, HTML, JSON),
never from the live data; drafts keep following the data. Edition 1 is
stored when a term is marked final (the admin and the API call
`publish_edition()` after saving a term) or, for a term that was already
final (loaded from the fixture), on the first request for its report.
`issue_corrected_edition()` stores edition 2, 3… with a corrigendum note;
`edition_diff()` lists what changed in the data since the latest edition.

An edition is one snapshot of the data rendered in every language of
settings.LANGUAGES (one ReportEditionRendering each, HTML and PDF), with the
site's configured base URL, so the stored bytes never depend on who asked
first or in which language; its JSON is stored once, in the default
language. `rendering_served()` is what the report pages serve.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Max, Q, When
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chairmanship.models import Chairmanship
from gmg_portal.markdown import render_markdown
from reports.models import CONTENT_FIELDS, RENDERING_CONTENT_FIELDS, ReportEdition, ReportEditionRendering
from reports.pdf import PDF_TEMPLATE, base_url_for, html_to_pdf
from reports.rendering import report_context
from reports.selectors import AnnualReport, assemble_report

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


def edition_served(*, chairmanship: Chairmanship, content: tuple[str, ...] = ()) -> ReportEdition | None:
    """What the report pages serve: None for a draft; a final term's latest edition, published first if none."""
    if not chairmanship.is_final:
        return None
    edition = edition_latest(chairmanship=chairmanship, content=content)
    if edition is None:
        edition = publish_edition(chairmanship=chairmanship)
    return edition


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

    A final term's latest edition (published first if it has none), in the
    language asked for. An edition stored before editions were rendered in
    every language has only its own language's rendering: that one is served,
    frozen, rather than anything rendered from the current data. Only the
    named stored fields ("html", "pdf") are loaded; one query when the edition
    exists.
    """
    if not chairmanship.is_final:
        return None
    rendering = _rendering_latest(chairmanship=chairmanship, language=language, content=content)
    if rendering is None:
        publish_edition(chairmanship=chairmanship)
        rendering = _rendering_latest(chairmanship=chairmanship, language=language, content=content)
    return rendering


def report_data(*, chairmanship: Chairmanship) -> dict[str, Any]:
    """The report as JSON: a final term's stored edition data, a draft's live data."""
    edition = edition_served(chairmanship=chairmanship, content=("data",))
    if edition is None:
        return assemble_report(chairmanship=chairmanship).as_dict()
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


def _assemble_snapshot(*, chairmanship: Chairmanship) -> dict[str, AnnualReport]:
    """The report in every edition language, assembled from one read of the data (see _one_snapshot)."""
    with _one_snapshot():
        reports = {}
        for language in edition_languages():
            with translation.override(language):
                reports[language] = assemble_report(chairmanship=chairmanship)
    return reports


def _render_language(*, report: AnnualReport, number: int, issued_at: datetime.datetime, note: str) -> RenderedLanguage:
    """The HTML article and the PDF of one language; the caller activates the language. No query."""
    issued = date_format(timezone.localtime(issued_at).date(), "j F Y")
    corrigendum = None
    if number > 1 or note:
        corrigendum = Corrigendum(
            number=number, issued=issued, replaces=number - 1, note_html=str(render_markdown(note))
        )
    extra = {"corrigendum": corrigendum, "edition_number": number, "edition_issued": issued}
    html = render_to_string(ARTICLE_TEMPLATE, {**report_context(report, for_print=False), **extra})
    print_html = render_to_string(PDF_TEMPLATE, {**report_context(report, for_print=True), **extra})
    pdf = html_to_pdf(print_html, base_url=base_url_for(None))
    return RenderedLanguage(language=report.language, title=report.title, html=html, pdf=pdf)


def _render(*, chairmanship: Chairmanship, number: int, issued_at: datetime.datetime, note: str) -> RenderedEdition:
    """The edition's JSON (default language) and its HTML and PDF in every language, from one snapshot of the data.

    Every language is rendered from the same read of the records (so no edit
    can land between two languages); the data stored is the default
    language's as_dict(). The PDFs are rendered after the transaction ends.
    """
    reports = _assemble_snapshot(chairmanship=chairmanship)
    renderings = []
    for language, report in reports.items():
        with translation.override(language):
            renderings.append(_render_language(report=report, number=number, issued_at=issued_at, note=note))
    default = reports[settings.LANGUAGE_CODE]
    logger.info(
        "Rendered edition %d of the report %s in %s (%d bytes of PDF)",
        number,
        default.slug,
        ", ".join(reports),
        sum(len(rendering.pdf) for rendering in renderings),
    )
    return RenderedEdition(
        language=default.language, fingerprint=default.fingerprint, data=default.as_dict(), renderings=renderings
    )


def _store(
    *,
    chairmanship: Chairmanship,
    number: int,
    note: str,
    user: AbstractBaseUser | None,
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
        )
        ReportEditionRendering.objects.bulk_create(
            ReportEditionRendering(
                edition=edition, language=item.language, title=item.title, html=item.html, pdf=item.pdf
            )
            for item in rendered.renderings
        )
    return edition


# Writing ------------------------------------------------------------------------


def publish_edition(*, chairmanship: Chairmanship, user: AbstractBaseUser | None = None) -> ReportEdition | None:
    """Store edition 1 of a final report if it has none yet; None for a draft.

    Safe to call after every save of a term and from concurrent requests:
    the data is read in one short transaction and the PDFs are rendered
    outside any transaction, and the insert relies on the
    unique (term, number) constraint, so of two first requests one stores
    the edition and the other reads it.
    """
    if not chairmanship.is_final:
        return None
    existing = edition_latest(chairmanship=chairmanship)
    if existing is not None:
        return existing
    try:
        return _store(chairmanship=chairmanship, number=1, note="", user=user)
    except IntegrityError:
        logger.info("Edition 1 of %s was published by a concurrent request", chairmanship.slug)
        edition = edition_latest(chairmanship=chairmanship)
        if edition is None:  # the failure was something else than the race
            raise
        return edition


def issue_corrected_edition(
    *, chairmanship: Chairmanship, note: str, user: AbstractBaseUser | None = None
) -> ReportEdition:
    """Store the next edition of a final report from its current data, with a corrigendum note.

    Bad input is a ValidationError naming the field: the note is required,
    and only a final report has editions.
    """
    note = (note or "").strip()
    if not chairmanship.is_final:
        raise ValidationError({"chairmanship": _("Only a final report has editions; this report is still a draft.")})
    if not note:
        raise ValidationError({"note": _("Say what this edition corrects: the note is shown in the report.")})
    highest = ReportEdition.objects.filter(chairmanship=chairmanship).aggregate(n=Max("number"))["n"] or 0
    try:
        return _store(chairmanship=chairmanship, number=highest + 1, note=note, user=user)
    except IntegrityError as exc:
        raise ValidationError(
            {
                "note": _("Edition %(number)d was issued by someone else meanwhile; review the changes again.")
                % {"number": highest + 1}
            }
        ) from exc


# What changed ---------------------------------------------------------------------

# Top-level keys of AnnualReport.as_dict() the diff names, in reading order.
SECTION_LABELS = {
    "title": gettext_lazy("Title"),
    "chair": gettext_lazy("Chair"),
    "chair_acronym": gettext_lazy("Chair"),
    "chair_name": gettext_lazy("Chair"),
    "term": gettext_lazy("Term"),
    "start_date": gettext_lazy("Term"),
    "end_date": gettext_lazy("Term"),
    "years": gettext_lazy("Term"),
    "theme": gettext_lazy("Theme"),
    "status": gettext_lazy("Report status"),
    "status_label": gettext_lazy("Report status"),
    "is_draft": gettext_lazy("Report status"),
    "language": gettext_lazy("Language"),
    "introduction": gettext_lazy("I. Introduction"),
    "accomplishments_intro": gettext_lazy("II. Key accomplishments"),
    "accomplishments_note": gettext_lazy("II. Key accomplishments"),
    "accomplishments": gettext_lazy("II. Key accomplishments"),
    "workplan": gettext_lazy("III. Workplan, objectives and thematic focus areas"),
    "mawp": gettext_lazy("III. Workplan, objectives and thematic focus areas"),
    "mawp_note": gettext_lazy("III. Workplan, objectives and thematic focus areas"),
    "focus_areas": gettext_lazy("III. Workplan, objectives and thematic focus areas"),
    "objectives": gettext_lazy("III. Workplan, objectives and thematic focus areas"),
    "incoming_chair": gettext_lazy("IV. Handover"),
    "incoming_chair_acronym": gettext_lazy("IV. Handover"),
    "incoming_term_slug": gettext_lazy("IV. Handover"),
    "handover_heading": gettext_lazy("IV. Handover"),
    "handover_date": gettext_lazy("IV. Handover"),
    "handover_date_label": gettext_lazy("IV. Handover"),
    "handover": gettext_lazy("IV. Handover"),
    "issue_groups": gettext_lazy("IV. Handover"),
    "annex_b": gettext_lazy("Annex B. Activities and outputs"),
    "footnotes": gettext_lazy("Notes"),
}
# Not content: when the data last changed says nothing about what the report shows.
IGNORED_KEYS = {"last_modified"}
# How items of a list are matched between the two versions, tried in order.
ITEM_KEYS = (
    ("id",),
    ("number",),
    ("letter",),
    ("origin_slug",),
    ("ordinal",),
    ("kind", "title", "date"),
    ("body", "session"),
)
MAX_VALUE = 120


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed" or "changed"
    where: str  # e.g. "accomplishments › 2. Strengthening… › events › Launch of…"
    what: str  # e.g. "title: 'Old' → 'New'"


@dataclass
class SectionChanges:
    section: str
    changes: list[Change] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Change]:
        return [change for change in self.changes if change.kind == kind]

    @property
    def added(self) -> list[Change]:
        return self.of_kind("added")

    @property
    def removed(self) -> list[Change]:
        return self.of_kind("removed")

    @property
    def changed(self) -> list[Change]:
        return self.of_kind("changed")


@dataclass(frozen=True)
class EditionDiff:
    edition: ReportEdition | None
    sections: list[SectionChanges]

    @property
    def has_changes(self) -> bool:
        return any(section.changes for section in self.sections)

    @property
    def count(self) -> int:
        return sum(len(section.changes) for section in self.sections)


def _short(value: Any) -> str:
    if isinstance(value, list) and value and all(isinstance(item, dict) and "html" in item for item in value):
        value = " ".join(strip_tags(item["html"]) for item in value)  # narrative blocks: their text
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _item_key(item: Any) -> tuple | None:
    if not isinstance(item, dict):
        return None
    for names in ITEM_KEYS:
        if all(name in item and item[name] not in (None, "") for name in names):
            return tuple(item[name] for name in names)
    return None


def _item_label(item: Any) -> str:
    if not isinstance(item, dict):
        return _short(item)
    name = item.get("title") or item.get("heading") or item.get("text") or item.get("body") or ""
    number = item.get("number") or item.get("letter") or item.get("ordinal")
    label = f"{number}. {name}" if number not in (None, "") and name else str(name or number or "")
    return _short(label) or _short(item)


def _keyed(items: list[dict]) -> dict[tuple, dict]:
    """Items by their identity (id, number…; else their whole content), the nth repeat of a key told apart."""
    keyed: dict[tuple, dict] = {}
    for item in items:
        key = _item_key(item) or (json.dumps(item, sort_keys=True),)
        n = 0
        while (*key, n) in keyed:
            n += 1
        keyed[(*key, n)] = item
    return keyed


def _diff(old: Any, new: Any, where: list[str], out: list[Change]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old.keys(), *(k for k in new if k not in old)]:
            _diff(old.get(key), new.get(key), [*where, key], out)
        return
    if isinstance(old, list) and isinstance(new, list) and all(isinstance(x, dict) for x in (*old, *new)):
        if all("html" in item for item in (*old, *new)):  # narrative blocks: compared as one text
            out.append(Change("changed", " › ".join(where[:-1]), f"{where[-1]}: {_short(old)} → {_short(new)}"))
            return
        old_items, new_items = _keyed(old), _keyed(new)
        for key, item in old_items.items():
            if key not in new_items:
                out.append(Change("removed", " › ".join(where), _item_label(item)))
            else:
                _diff(item, new_items[key], [*where, _item_label(item)], out)
        for key, item in new_items.items():
            if key not in old_items:
                out.append(Change("added", " › ".join(where), _item_label(item)))
        return
    where_text = " › ".join(where[:-1]) if len(where) > 1 else ""
    out.append(Change("changed", where_text, f"{where[-1]}: {_short(old)} → {_short(new)}"))


def data_diff(old: dict[str, Any], new: dict[str, Any]) -> list[SectionChanges]:
    """Added, removed and changed items per section between two versions of as_dict()."""
    sections: dict[str, SectionChanges] = {}
    for key in [*old.keys(), *(k for k in new if k not in old)]:
        if key in IGNORED_KEYS:
            continue
        changes: list[Change] = []
        _diff(old.get(key), new.get(key), [key], changes)
        if changes:
            label = str(SECTION_LABELS.get(key, key))
            sections.setdefault(label, SectionChanges(section=label)).changes.extend(changes)
    return list(sections.values())


def edition_diff(*, chairmanship: Chairmanship) -> EditionDiff:
    """What changed in the data since the latest edition; no sections when there is no edition yet."""
    edition = edition_latest(chairmanship=chairmanship, content=("data",))
    if edition is None:
        return EditionDiff(edition=None, sections=[])
    with translation.override(edition.language):
        current = assemble_report(chairmanship=chairmanship).as_dict()
    return EditionDiff(edition=edition, sections=data_diff(edition.data, current))
