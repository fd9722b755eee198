"""Agencies, the rotating chairmanships, and what each chair reports.

A chairmanship is a term of one chair. Terms never overlap; previous and
next terms, the incoming chair and the troika are derived from dates
(chairmanship/rotation.py).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from gmg_portal.dates import dates_label
from gmg_portal.db import TrackedModel
from gmg_portal.db import date_order_constraint
from gmg_portal.db import optional_link
from gmg_portal.permissions import draft_agency_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


class Agency(TrackedModel):
    class Kind(models.TextChoices):
        UN_ENTITY = "un_entity", _("UN entity")
        REGIONAL_COMMISSION = "regional_commission", _("Regional commission")
        INTERNATIONAL_ORGANIZATION = "international_organization", _("International organization")
        GOVERNMENT = "government", _("Government")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        OTHER = "other", _("Other")

    class MembershipStatus(models.TextChoices):
        MEMBER = "member", _("Member")
        APPLICANT = "applicant", _("Applicant")
        NON_MEMBER = "non_member", _("Non-member")
        FORMER = "former", _("Former member")

    # The acronym is the agency's address in the API (/api/v1/agencies/UN%20DESA/): a slash would end it.
    acronym = models.CharField(
        _("acronym"),
        max_length=30,
        unique=True,
        validators=[RegexValidator(r"^[^/]*$", message=_("An acronym cannot hold a slash (/)."))],
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.UN_ENTITY)
    membership_status = models.CharField(
        _("membership status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.MEMBER,
    )
    website = models.URLField(_("website"), blank=True)

    # Who changed what and when (the audit app keeps it); the admin can revert to it.
    history = HistoricalRecords(app="audit")

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["acronym"]

    def __str__(self) -> str:
        return self.acronym

    def natural_key(self) -> tuple[str]:
        return (self.acronym,)


class FocalPoint(models.Model):
    """A person who speaks for an agency: signed in, they see its part of the GMG and its terms' draft reports."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="focal_point", verbose_name=_("user")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="focal_points", verbose_name=_("agency"))

    # Who was given sight of an agency's drafts, by whom and when.
    history = HistoricalRecords(app="audit")

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        ordering = ["agency__acronym", "user__username"]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.agency.acronym})"


class ChairmanshipQuerySet(models.QuerySet):
    def overlapping(self, start: datetime.date, end: datetime.date) -> ChairmanshipQuerySet:
        return self.filter(start_date__lte=end, end_date__gte=start)

    def published(self) -> ChairmanshipQuerySet:
        return self.filter(report_status=Chairmanship.ReportStatus.FINAL)

    def readable_by(self, user: AbstractBaseUser | AnonymousUser) -> ChairmanshipQuerySet:
        """The terms whose report `user` may read: every final one, and the drafts gmg_portal.permissions allows."""
        readable = readable_reports(user)
        return self if readable is None else self.filter(readable)


def readable_reports(user: AbstractBaseUser | AnonymousUser, *, via: str = "") -> models.Q | None:
    """The filter on terms (reached through `via`, e.g. "chairmanship__") whose report `user` reads; None: all."""
    agencies = draft_agency_ids(user)
    if agencies is None:
        return None
    return models.Q(**{f"{via}report_status": Chairmanship.ReportStatus.FINAL}) | models.Q(
        **{f"{via}agency_id__in": agencies}
    )


class ChairmanshipManager(models.Manager.from_queryset(ChairmanshipQuerySet)):
    def get_queryset(self) -> ChairmanshipQuerySet:
        return super().get_queryset().select_related("agency")


class Chairmanship(TrackedModel):
    class ReportStatus(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        blank=True,
        help_text=_("Derived from the start year and the agency: 2014-ilo."),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="chairmanships",
        verbose_name=_("chair agency"),
    )
    chair_label = models.CharField(
        _("chair label"),
        max_length=200,
        blank=True,
        help_text=_('How the chair is named, e.g. "Regional Commissions, coordinated by ESCAP".'),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    theme = models.CharField(_("theme"), max_length=500, blank=True)
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    accomplishments_intro = models.TextField(
        _("introduction to the key accomplishments"), blank=True, help_text=_("Markdown.")
    )
    workplan_narrative = models.TextField(_("workplan narrative"), blank=True, help_text=_("Markdown."))
    handover_narrative = models.TextField(_("handover narrative"), blank=True, help_text=_("Markdown."))
    handover_date = models.DateField(_("handover date"), null=True, blank=True)
    report_status = models.CharField(
        _("report status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )

    # A term is always shown with its agency; join it by default so lists of
    # terms (admin filters, choices) cost one query, not one per term.
    objects = ChairmanshipManager()

    history = HistoricalRecords(app="audit")

    class Meta:
        verbose_name = _("chairmanship")
        verbose_name_plural = _("chairmanships")
        ordering = ["-start_date"]
        constraints = [
            # A term must end on or after the day it starts. Overlapping terms
            # are refused by an exclusion constraint on PostgreSQL (migration
            # 0002) and by clean() everywhere.
            date_order_constraint("chairmanship_start_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.term_label})"

    def get_absolute_url(self) -> str:
        return reverse("reports:report-detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return self.chair_label or self.agency.name

    @property
    def term_label(self) -> str:
        """'1 January – 31 December 2014' in the style of the reports, month names in the active language."""
        return dates_label(self.start_date, self.end_date)

    @property
    def is_final(self) -> bool:
        return self.report_status == self.ReportStatus.FINAL

    def derive_slug(self) -> str:
        base = f"{self.start_date.year}-{slugify(self.agency.acronym)}"
        taken = set(
            Chairmanship.objects.filter(slug__startswith=base).exclude(pk=self.pk).values_list("slug", flat=True)
        )
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return slug

    # The report's prose, in the order of its sections (I–IV).
    REPORT_NARRATIVES = ("introduction", "accomplishments_intro", "workplan_narrative", "handover_narrative")

    def has_something_to_report(self) -> bool:
        """Whether the report would say anything: a narrative that is not blank, or a key accomplishment."""
        if any((getattr(self, name) or "").strip() for name in self.REPORT_NARRATIVES):
            return True
        return self.pk is not None and self.accomplishments.exists()

    def clean(self) -> None:
        super().clean()  # the dates in order (TrackedModel)
        if self.start_date and self.end_date:
            clashes = list(
                Chairmanship.objects.overlapping(self.start_date, self.end_date)
                .exclude(pk=self.pk)
                .order_by("start_date")
            )
            if clashes:
                # Name every term in the way, so the secretariat knows which dates to fix.
                raise ValidationError(
                    {
                        "start_date": _("This term overlaps %(terms)s. Terms of the chair must not overlap.")
                        % {"terms": "; ".join(f"{term} [{term.slug}]" for term in clashes)}
                    }
                )
        # A published report stays published: readers and archives hold its editions, and a correction is a
        # corrected edition (reports.editions), never a draft that would hide it and later serve it unchanged.
        if not self.is_final and self.stored_report_status() == self.ReportStatus.FINAL:
            message = _(
                "This term's report is published and cannot become a draft again. "
                "To correct it, issue a corrected edition."
            )
            raise ValidationError({"report_status": ValidationError(message, code="published")})
        # A final report is published to everyone (edition 1, reports.editions): never an empty one.
        if self.is_final and not self.has_something_to_report():
            message = _(
                "This term's report has nothing to report yet: no narrative and no key accomplishment. "
                "Write the introduction or add an accomplishment before marking it final."
            )
            raise ValidationError({"report_status": ValidationError(message, code="nothing_to_report")})

    def stored_report_status(self) -> str | None:
        """The report status as stored now (None for a new term), whatever this copy of the term says."""
        if self.pk is None:
            return None
        return Chairmanship._base_manager.filter(pk=self.pk).values_list("report_status", flat=True).first()

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = self.derive_slug()
        super().save(*args, **kwargs)


def term_foreign_key(related_name: str) -> models.ForeignKey:
    """A record's term, which lists it as `term.<related_name>`; deleting the term deletes its records."""
    return models.ForeignKey(
        Chairmanship, on_delete=models.CASCADE, related_name=related_name, verbose_name=_("chairmanship")
    )


class NumberedInTerm(TrackedModel):
    """A record a term's report numbers 1, 2, 3…: its term, its number, unique within the term, listed in order."""

    chairmanship = term_foreign_key("%(class)ss")
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        abstract = True
        ordering = ["chairmanship__start_date", "number"]
        constraints = [
            # The report numbers them 1, 2, 3… within a term.
            models.UniqueConstraint(fields=["chairmanship", "number"], name="%(class)s_number_unique_in_term"),
        ]


class AccomplishmentQuerySet(models.QuerySet):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> AccomplishmentQuerySet:
        """The accomplishments `user` may read: a draft report's (its section II) only for those who see that draft."""
        readable = readable_reports(user, via="chairmanship__")
        return self if readable is None else self.filter(readable)


class Accomplishment(NumberedInTerm):
    title = models.CharField(_("title"), max_length=500)
    narrative = models.TextField(_("narrative"), blank=True, help_text=_("Markdown; footnotes allowed."))
    events = models.ManyToManyField(
        "workplan.Event", blank=True, related_name="accomplishments", verbose_name=_("events")
    )
    outputs = models.ManyToManyField(
        "workplan.Output", blank=True, related_name="accomplishments", verbose_name=_("outputs")
    )
    working_groups = models.ManyToManyField(
        "workplan.WorkingGroup", blank=True, related_name="accomplishments", verbose_name=_("working groups")
    )
    list_linked_records = models.BooleanField(
        _("list the linked records"),
        default=True,
        help_text=_(
            "The report lists the linked events and outputs after the narrative. Untick when the narrative "
            "already tells them."
        ),
    )

    # Every reader filters through visible_to(user): a draft term's accomplishments are its unpublished report.
    objects = AccomplishmentQuerySet.as_manager()

    history = HistoricalRecords(app="audit", m2m_fields=["events", "outputs", "working_groups"])

    class Meta(NumberedInTerm.Meta):
        verbose_name = _("key accomplishment")
        verbose_name_plural = _("key accomplishments")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Recommendation(NumberedInTerm):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ENDORSED = "endorsed", _("Endorsed")
        IN_PROGRESS = "in_progress", _("In progress")
        IMPLEMENTED = "implemented", _("Implemented")
        CLOSED = "closed", _("Closed")

    source_output = optional_link("workplan.Output", related_name="recommendations", verbose_name=_("source output"))
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)

    history = HistoricalRecords(app="audit")

    class Meta(NumberedInTerm.Meta):
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"Recommendation {self.number}: {self.text[:80]}"


class Endorsement(TrackedModel):
    """A step in an output's endorsement trail (HLCP considered, CEB endorsed…)."""

    class Outcome(models.TextChoices):
        CONSIDERED = "considered", _("Considered")
        FORWARDED = "forwarded", _("Forwarded")
        ADOPTED = "adopted", _("Adopted")
        ENDORSED = "endorsed", _("Endorsed")

    output = models.ForeignKey(
        "workplan.Output", on_delete=models.CASCADE, related_name="endorsements", verbose_name=_("output")
    )
    body = models.CharField(_("body"), max_length=200, help_text=_("E.g. HLCP, CEB, GMG Principals."))
    session = models.CharField(_("session"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(app="audit")

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["start_date", "pk"]
        constraints = [date_order_constraint("endorsement_start_before_end")]

    def __str__(self) -> str:
        return f"{self.body} {self.session}: {self.get_outcome_display()}".replace("  ", " ")


class CarryForwardIssueQuerySet(models.QuerySet):
    def unresolved(self) -> CarryForwardIssueQuerySet:
        return self.filter(status__in=[CarryForwardIssue.Status.OPEN, CarryForwardIssue.Status.IN_PROGRESS])


class CarryForwardIssue(TrackedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        DROPPED = "dropped", _("Dropped")

    handed_over_in = models.ForeignKey(
        Chairmanship,
        on_delete=models.CASCADE,
        related_name="handed_over_issues",
        verbose_name=_("handed over in"),
        help_text=_("The term whose report lists this issue."),
    )
    origin = models.ForeignKey(
        Chairmanship,
        on_delete=models.PROTECT,
        related_name="originated_issues",
        verbose_name=_("origin"),
        help_text=_("The term that first raised it."),
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Order in the report's list."))
    text = models.TextField(_("text"))
    addressed_to = models.CharField(_("addressed to"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_note = models.CharField(
        _("due (as worded)"),
        max_length=200,
        blank=True,
        help_text=_('The deadline in the report\'s words, e.g. "within the first quarter of 2015".'),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_in = optional_link(Chairmanship, related_name="resolved_issues", verbose_name=_("resolved in"))
    continues = optional_link(
        "self",
        related_name="continuations",
        verbose_name=_("continues"),
        help_text=_("The same issue as listed in an earlier report."),
    )

    objects = CarryForwardIssueQuerySet.as_manager()

    # What the issue says and where it stands, in the order the API and the spreadsheet list them; a copy
    # carried into a later term keeps them all (chairmanship.services.carry_forward_issues).
    CONTENT_FIELDS = ("text", "addressed_to", "due_date", "due_note", "status", "resolution")

    history = HistoricalRecords(app="audit")

    class Meta:
        verbose_name = _("carry-forward issue")
        verbose_name_plural = _("carry-forward issues")
        ordering = ["handed_over_in__start_date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["handed_over_in", "number"], name="carry_forward_number_unique_in_term"),
            # Carrying an issue forward twice into the same term must not duplicate it.
            models.UniqueConstraint(
                fields=["handed_over_in", "continues"],
                condition=models.Q(continues__isnull=False),
                name="carry_forward_continued_once_per_term",
                violation_error_message=_("This term's report already carries that earlier issue forward."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:100]

    def clean(self) -> None:
        """An issue's terms follow the calendar: raised, then listed (and continued from an earlier listing), then
        resolved; otherwise its lineage and age on the tracker contradict each other."""
        super().clean()
        errors = {}
        # Ids compared first: the terms are read only when they differ (an import checks rows without queries).
        if self.origin_id and self.handed_over_in_id and self.origin_id != self.handed_over_in_id:
            if self.origin.start_date > self.handed_over_in.start_date:
                errors["origin"] = _("An issue is raised no later than the term whose report lists it.")
        if self.resolved_in_id and self.origin_id and self.resolved_in_id != self.origin_id:
            if self.resolved_in.start_date < self.origin.start_date:
                errors["resolved_in"] = _("An issue is resolved in the term that raised it or a later one.")
        if self.continues_id and self.handed_over_in_id:
            earlier = self.continues.handed_over_in
            if earlier.pk == self.handed_over_in_id or earlier.start_date > self.handed_over_in.start_date:
                errors["continues"] = _("An issue continues the same issue as listed in an earlier report.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_unresolved(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)
