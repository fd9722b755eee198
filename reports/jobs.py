"""Editions are rendered by workers: what is queued, when, and what a worker does with it.

Rendering an edition (the report in every language, HTML and PDF) takes
seconds for a real term and most of a minute for a large one, so no request
ever does it. Marking a term final (admin, API), loading the real dataset,
and starting a worker queue the missing first editions (`queue_missing_editions`);
the secretariat's corrected edition is queued from the admin. A worker runs
`render_edition(job=…)`: it reads the term's data in one transaction, renders,
and stores the edition with its renderings in one insert, tagged with the job,
so a job taken again after its worker died never stores a second edition.
Until a term's first edition is stored, its report page says it is being
prepared and its PDF answers 503; while a corrected edition renders, the
previous one stays served.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from chairmanship.models import Chairmanship
from jobs.engine import enqueue
from jobs.models import Job
from reports.editions import store_edition
from reports.models import ReportEdition

KIND = "edition"
HANDLER = "reports.jobs.render_edition"


class EditionStatus:
    """What `edition_status` says of a term (the API's field, the admin's column)."""

    NONE = "none"
    QUEUED = "queued"
    RUNNING = "running"
    STORED = "stored"
    FAILED = "failed"


def queue_edition(*, chairmanship: Chairmanship, user: AbstractBaseUser | None = None, note: str = "") -> Job:
    """Queue the next edition of a final report: edition 1, or a corrected one when `note` says what it corrects."""
    if not chairmanship.is_final:
        raise ValidationError({"chairmanship": _("Only a final report has editions; this report is still a draft.")})
    if not note.strip() and ReportEdition.objects.filter(chairmanship=chairmanship).exists():
        raise ValidationError({"note": _("Say what this edition corrects: the note is shown in the report.")})
    return enqueue(
        handler=HANDLER,
        kind=KIND,
        subject=chairmanship.slug,
        params={"chairmanship": chairmanship.pk, "note": note.strip()},
        user=user,
    )


def queue_missing_editions(
    *, user: AbstractBaseUser | None = None, terms: Iterable[Chairmanship] | None = None
) -> list[Job]:
    """Queue edition 1 of every final term that has no edition and none queued or running; the jobs queued.

    Called when a term is marked final (admin, API), after the real dataset is loaded, and when a worker
    starts (settings.GMG_WORKER_STARTUP), so a final report never waits for an edition nobody queued.
    """
    candidates = terms if terms is not None else Chairmanship.objects.published()
    finals = [term for term in candidates if term.is_final]
    stored = set(ReportEdition.objects.filter(chairmanship__in=finals).values_list("chairmanship_id", flat=True))
    waiting = set(Job.objects.waiting().filter(kind=KIND).values_list("subject", flat=True))
    return [
        queue_edition(chairmanship=term, user=user)
        for term in finals
        if term.pk not in stored and term.slug not in waiting
    ]


def render_edition(*, job: Job) -> dict[str, Any]:
    """What a worker does: store the next edition of the job's term, unless this job already stored one."""
    done = ReportEdition.objects.filter(job=job).values_list("number", flat=True).first()
    if done is not None:
        return {"edition": done, "already_stored": True}
    term = Chairmanship.objects.select_related("agency").get(pk=job.params["chairmanship"])
    if not term.is_final:
        return {"edition": None, "skipped": "the report went back to draft before it was rendered"}
    note = job.params.get("note", "")
    if not note and ReportEdition.objects.filter(chairmanship=term).exists():
        return {"edition": None, "already_stored": True}  # edition 1 came from another job meanwhile
    try:
        edition = store_edition(chairmanship=term, note=note, user=job.requested_by, job=job)
    except IntegrityError:
        # Another worker stored it meanwhile (the engine handed the job out twice, or two jobs raced for
        # edition 1): say so, unless the clash was something else.
        stored = ReportEdition.objects.filter(job=job).values_list("number", flat=True).first()
        if stored is None and (note or not ReportEdition.objects.filter(chairmanship=term).exists()):
            raise
        return {"edition": stored, "already_stored": True}
    return {"edition": edition.number, "data_read_at": edition.data_read_at.isoformat()}


def edition_statuses(terms: Iterable[Chairmanship]) -> dict[int, str]:
    """`edition_status` of each term, in two queries whatever their number."""
    terms = list(terms)
    stored: set[int] = set()
    stored_by: set[int] = set()
    editions = ReportEdition.objects.filter(chairmanship__in=terms)
    for term_id, job_id in editions.values_list("chairmanship_id", "job_id"):
        stored.add(term_id)
        stored_by.add(job_id)
    latest: dict[str, tuple[int, str]] = {}
    jobs = Job.objects.filter(kind=KIND, subject__in=[term.slug for term in terms]).order_by("requested_at", "pk")
    for subject, job_id, status in jobs.values_list("subject", "pk", "status"):
        latest[subject] = (job_id, status)
    result = {}
    for term in terms:
        job_id, job_status = latest.get(term.slug, (None, None))
        if job_status == Job.Status.RUNNING and job_id in stored_by:
            # The worker has stored its edition (the PDF is served) and is about to record the job done.
            result[term.pk] = EditionStatus.STORED
        elif job_status in (Job.Status.QUEUED, Job.Status.RUNNING):
            result[term.pk] = job_status
        elif term.pk in stored:
            result[term.pk] = EditionStatus.STORED
        elif job_status == Job.Status.FAILED:
            result[term.pk] = EditionStatus.FAILED
        else:
            result[term.pk] = EditionStatus.NONE
    return result
