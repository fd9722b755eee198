"""Frozen editions of the annual report.

A report marked final is an official document: its PDF, its HTML and the
JSON of the data behind it are stored as edition 1, and the portal serves
that edition byte for byte whatever is edited later. A correction is a new
edition (2, 3…) with a corrigendum note; earlier editions stay stored.

An edition is one snapshot of the data (`data`, the JSON of the report in
the default language, stored once) rendered in every language of
settings.LANGUAGES: one ReportEditionRendering (HTML and PDF) per language,
all assembled from the same read of the database. The number alone is
unique within a term; a language is unique within an edition.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chairmanship.models import term_foreign_key
from gmg_portal.db import optional_link

# The stored content; lists and lookups leave it out (ReportEdition.objects.without_content()).
CONTENT_FIELDS = ("data",)
RENDERING_CONTENT_FIELDS = ("pdf", "html")


class ReportEditionQuerySet(models.QuerySet):
    def without_content(self) -> ReportEditionQuerySet:
        """Editions without their JSON (read on access, one query)."""
        return self.defer(*CONTENT_FIELDS)


class ReportEdition(models.Model):
    chairmanship = term_foreign_key("editions")
    number = models.PositiveSmallIntegerField(_("edition"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = optional_link(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("issued by"))
    note = models.TextField(
        _("corrigendum note"),
        blank=True,
        help_text=_("Markdown. What this edition corrects; shown in a Corrigendum box in the report."),
    )
    language = models.CharField(
        _("language"), max_length=10, help_text=_("The language of the stored data (the portal's default language).")
    )
    fingerprint = models.CharField(_("data fingerprint"), max_length=64)
    data = models.JSONField(_("data"), help_text=_("The assembled report (as_dict()) this edition shows."))
    data_read_at = models.DateTimeField(
        _("data read"), null=True, blank=True, help_text=_("When the records this edition shows were read.")
    )
    # The job that rendered it: a job taken again after its worker died finds its edition here and stores
    # no second one (one edition per job).
    job = optional_link("jobs.Job", related_name="edition", verbose_name=_("rendered by job"), one_to_one=True)

    objects = ReportEditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report edition")
        verbose_name_plural = _("report editions")
        ordering = ["-issued_at", "-number"]
        get_latest_by = "number"
        constraints = [
            # One edition N per term: two requests publishing the first edition at once
            # create one row, the other gets an IntegrityError and reads the winner.
            models.UniqueConstraint(fields=["chairmanship", "number"], name="report_edition_number_unique_in_term"),
            # Editions are numbered from 1.
            models.CheckConstraint(condition=models.Q(number__gte=1), name="report_edition_number_from_one"),
        ]

    def __str__(self) -> str:
        return _("%(slug)s, edition %(number)d") % {"slug": self.chairmanship.slug, "number": self.number}

    @property
    def is_corrected(self) -> bool:
        return self.number > 1


class ReportEditionRenderingQuerySet(models.QuerySet):
    def without_content(self) -> ReportEditionRenderingQuerySet:
        """Renderings without their PDF and HTML (read on access, one query each)."""
        return self.defer(*RENDERING_CONTENT_FIELDS)


class ReportEditionRendering(models.Model):
    """An edition in one language: its HTML article and its PDF, rendered when the edition was issued."""

    edition = models.ForeignKey(
        ReportEdition, on_delete=models.CASCADE, related_name="renderings", verbose_name=_("report edition")
    )
    language = models.CharField(_("language"), max_length=10)
    title = models.TextField(_("title"))
    html = models.TextField(_("HTML"))
    pdf = models.BinaryField(_("PDF"))

    objects = ReportEditionRenderingQuerySet.as_manager()

    class Meta:
        verbose_name = _("report edition rendering")
        verbose_name_plural = _("report edition renderings")
        ordering = ["edition", "language"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "language"], name="report_edition_rendering_one_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.edition} ({self.language})"
