"""A job: heavy work asked for by a person or the portal, done by a worker, followed from the admin.

The job engine (django-q2, jobs/engine.py) keeps its own queue; this record
keeps what the engine does not: what the job is about, who asked and when,
its status and progress, how many attempts it took, its result or error, and
any file uploaded for it (so a worker on another machine can read it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def waiting(self) -> JobQuerySet:
        """Jobs not finished yet: queued (perhaps between attempts) or running."""
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40, help_text=_("What the job does, e.g. edition, import."))
    handler = models.CharField(_("handler"), max_length=200, help_text=_("The function a worker runs."))
    subject = models.CharField(_("subject"), max_length=200, blank=True, help_text=_("What it is about."))
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("of"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    upload = models.BinaryField(_("uploaded file"), null=True, blank=True)
    upload_name = models.CharField(_("file name"), max_length=255, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "requested_at"], name="job_status_requested_idx")]
        constraints = [
            # A progress bar never passes its end.
            models.CheckConstraint(
                condition=Q(progress_total__isnull=True) | Q(progress_done__lte=models.F("progress_total")),
                name="job_progress_within_total",
            ),
        ]

    def __str__(self) -> str:
        about = f" ({self.subject})" if self.subject else ""
        return f"{self.kind} #{self.pk}{about}: {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
