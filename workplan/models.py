"""The workplan of a chairmanship: plans, objectives, groups, events, outputs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from chairmanship.models import NumberedInTerm
from chairmanship.models import term_foreign_key
from gmg_portal.db import TrackedModel
from gmg_portal.db import date_order_constraint


def descriptive_title_flag() -> models.BooleanField:
    """An event's or an output's flag: the secretariat composed its title, so the report never cites it as formal."""
    return models.BooleanField(
        _("descriptive title"),
        default=False,
        help_text=_(
            "Tick when the secretariat composed the title; the report then does not present it as a formal title."
        ),
    )


class MultiAnnualWorkPlan(TrackedModel):
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))

    # Who changed what and when (the audit app keeps it); the admin can revert to it.
    history = HistoricalRecords(app="audit")

    class Meta:
        verbose_name = _("multi-annual work plan")
        verbose_name_plural = _("multi-annual work plans")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_year__lte=models.F("end_year")),
                name="mawp_start_year_before_end_year",
                violation_error_message=_("The start year must not be after the end year."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        """The title with its years, unless the title says them already ("GMG 2013–2015 Multi-Annual Work Plan")."""
        years = f"{self.start_year}–{self.end_year}"
        return self.title if years in self.title else f"{self.title} ({years})"


class OverarchingObjective(TrackedModel):
    mawp = models.ForeignKey(
        MultiAnnualWorkPlan,
        on_delete=models.CASCADE,
        related_name="overarching_objectives",
        verbose_name=_("multi-annual work plan"),
    )
    ordinal = models.CharField(_("ordinal"), max_length=10, help_text=_("Roman numeral: i, ii, iii…"))
    text = models.TextField(_("text"))

    history = HistoricalRecords(app="audit")

    class Meta:
        verbose_name = _("overarching objective")
        verbose_name_plural = _("overarching objectives")
        ordering = ["mawp", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mawp", "ordinal"], name="overarching_objective_ordinal_unique_in_mawp"),
        ]

    def __str__(self) -> str:
        return f"({self.ordinal}) {self.text[:80]}"


class FocusArea(TrackedModel):
    chairmanship = term_foreign_key("focus_areas")
    letter = models.CharField(_("letter"), max_length=3)
    title = models.CharField(_("title"), max_length=500)

    history = HistoricalRecords(app="audit")

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["chairmanship__start_date", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["chairmanship", "letter"], name="focus_area_letter_unique_in_term"),
        ]

    def __str__(self) -> str:
        return f"{self.letter}. {self.title}"


class Objective(NumberedInTerm):
    text = models.TextField(_("text"))
    overarching_objectives = models.ManyToManyField(
        OverarchingObjective, blank=True, related_name="objectives", verbose_name=_("overarching objectives")
    )

    history = HistoricalRecords(app="audit", m2m_fields=["overarching_objectives"])

    class Meta(NumberedInTerm.Meta):
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        # Pickers (admin selects and autocompletes) list the objectives of every term: the term's slug tells
        # "Objective 1" of 2014 from that of 2015. Where a list shows many, its query joins the term
        # (ObjectiveAdmin.picker_select_related).
        name = gettext("Objective %(number)s") % {"number": self.number}
        label = f"{name}: {self.text[:80]}"
        return f"{self.chairmanship.slug} · {label}" if self.chairmanship_id else label


class WorkingGroup(TrackedModel):
    class Kind(models.TextChoices):
        WORKING_GROUP = "working_group", _("Working group")
        TASK_FORCE = "task_force", _("Task force")

    slug = models.SlugField(_("slug"), max_length=100, unique=True, blank=True)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WORKING_GROUP)
    chair_agencies = models.ManyToManyField(
        "chairmanship.Agency", blank=True, related_name="chaired_working_groups", verbose_name=_("chairs")
    )
    member_agencies = models.ManyToManyField(
        "chairmanship.Agency", blank=True, related_name="working_groups", verbose_name=_("members")
    )
    mandate = models.TextField(_("mandate"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(app="audit", m2m_fields=["chair_agencies", "member_agencies"])

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workplan:working-group-detail", kwargs={"slug": self.slug})

    def derive_slug(self) -> str:
        """'Working Group on Data and Research' → 'data-and-research'."""
        name = self.name
        for prefix in ("GMG Working Group on ", "Working Group on ", "GMG Task Force on ", "Task Force on "):
            if name.lower().startswith(prefix.lower()):
                name = name[len(prefix) :]
                break
        return slugify(name)[:100]

    def clean(self) -> None:
        super().clean()
        if self.slug or not self.name:
            return  # a given slug is checked by validate_unique(); a missing name by clean_fields()
        slug = self.derive_slug()
        if not slug:
            raise ValidationError(
                {"name": _("The name must contain letters or digits: the group's web address uses it.")}
            )
        if WorkingGroup.objects.filter(slug=slug).exists():
            # The slug will be derived from the name, so the name is what to change.
            raise ValidationError(
                {"name": _("A working group with the web address “%(slug)s” already exists.") % {"slug": slug}}
            )

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = self.derive_slug()
        super().save(*args, **kwargs)


class Event(TrackedModel):
    class Kind(models.TextChoices):
        SIDE_EVENT = "side_event", _("Side event")
        MEETING = "meeting", _("Meeting")
        BRIEFING = "briefing", _("Briefing")
        LAUNCH = "launch", _("Launch")
        DEBATE = "debate", _("Debate")
        TELECONFERENCE = "teleconference", _("Teleconference")
        CONFERENCE = "conference", _("Conference")
        OTHER = "other", _("Other")

    class ChairRole(models.TextChoices):
        # The default: most sources name an event without saying what the chair did there, and the report
        # prints a role only where one is recorded.
        UNSPECIFIED = "unspecified", _("Not stated")
        CONVENED = "convened", _("Convened")
        CO_CONVENED = "co_convened", _("Co-convened")
        PARTICIPATED = "participated", _("Participated")

    chairmanship = term_foreign_key("events")
    title = models.CharField(_("title"), max_length=500)
    descriptive_title = descriptive_title_flag()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), help_text=_("The same as the start date for a one-day event."))
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    forum = models.CharField(
        _("forum"), max_length=300, blank=True, help_text=_('E.g. "GFMD Summit 2014", "ECOSOC High-level segment".')
    )
    chair_role = models.CharField(
        _("role of the chair"), max_length=20, choices=ChairRole.choices, default=ChairRole.UNSPECIFIED
    )
    organisers = models.ManyToManyField(
        "chairmanship.Agency",
        blank=True,
        related_name="organised_events",
        verbose_name=_("organisers"),
        help_text=_("Agencies and partners, e.g. a permanent mission recorded as an agency that is not a member."),
    )
    participants = models.TextField(
        _("participants"), blank=True, help_text=_("Notable participants, e.g. the SRSG for International Migration.")
    )
    working_groups = models.ManyToManyField(
        WorkingGroup, blank=True, related_name="events", verbose_name=_("working groups")
    )
    objectives = models.ManyToManyField(Objective, blank=True, related_name="events", verbose_name=_("objectives"))
    url = models.URLField(_("web page"), blank=True)
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords(app="audit", m2m_fields=["organisers", "working_groups", "objectives"])

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "title"]
        constraints = [date_order_constraint("event_start_before_end")]
        indexes = [models.Index(fields=["start_date"], name="event_start_date_idx")]

    def __str__(self) -> str:
        # An event being entered (admin forms, imports) may not have its date yet.
        return f"{self.title} ({self.start_date:%d %b %Y})" if self.start_date else self.title

    def get_absolute_url(self) -> str:
        return reverse("workplan:event-detail", kwargs={"pk": self.pk})

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.country.name if self.country else "") if part)

    def clean(self) -> None:
        super().clean()
        if self.start_date and not self.end_date:
            self.end_date = self.start_date


class Output(TrackedModel):
    class Kind(models.TextChoices):
        COMMUNIQUE = "communique", _("Communiqué")
        REPORT = "report", _("Report")
        POSITION_PAPER = "position_paper", _("Position paper")
        PUBLICATION = "publication", _("Publication")
        STATEMENT = "statement", _("Statement")
        OTHER = "other", _("Other")

    chairmanship = term_foreign_key("outputs")
    title = models.CharField(_("title"), max_length=500)
    descriptive_title = descriptive_title_flag()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    date = models.DateField(_("date"), null=True, blank=True)
    date_note = models.CharField(
        _("date (as worded)"),
        max_length=100,
        blank=True,
        help_text=_('When the day is not known, the report\'s words, e.g. "May 2014".'),
    )
    symbol = models.CharField(_("UN document symbol"), max_length=100, blank=True)
    producer_agencies = models.ManyToManyField(
        "chairmanship.Agency", blank=True, related_name="outputs", verbose_name=_("producing agencies")
    )
    producer_working_groups = models.ManyToManyField(
        WorkingGroup, blank=True, related_name="outputs", verbose_name=_("producing working groups")
    )
    objectives = models.ManyToManyField(Objective, blank=True, related_name="outputs", verbose_name=_("objectives"))
    submitted_to = models.CharField(_("submitted to"), max_length=300, blank=True)
    url = models.URLField(_("web page"), blank=True)
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords(app="audit", m2m_fields=["producer_agencies", "producer_working_groups", "objectives"])

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["-date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workplan:output-detail", kwargs={"pk": self.pk})

    @property
    def when(self) -> str:
        return self.date_note or (date_format(self.date, gettext("j F Y")) if self.date else "")


class Activity(TrackedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="activities", verbose_name=_("objective")
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    lead_agencies = models.ManyToManyField(
        "chairmanship.Agency", blank=True, related_name="led_activities", verbose_name=_("lead agencies")
    )
    lead_working_groups = models.ManyToManyField(
        WorkingGroup, blank=True, related_name="led_activities", verbose_name=_("lead working groups")
    )
    timeline = models.CharField(_("timeline"), max_length=200, blank=True, help_text=_('E.g. "Q2 2014".'))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    events = models.ManyToManyField(Event, blank=True, related_name="activities", verbose_name=_("events"))
    outputs = models.ManyToManyField(Output, blank=True, related_name="activities", verbose_name=_("outputs"))

    history = HistoricalRecords(app="audit", m2m_fields=["lead_agencies", "lead_working_groups", "events", "outputs"])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["objective__number", "pk"]

    def __str__(self) -> str:
        return self.title
