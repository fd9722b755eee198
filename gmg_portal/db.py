"""Building blocks shared by every domain model."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackedModel(models.Model):
    """A record the secretariat edits: when it changed, and its version.

    The version lets an edit made from a stale copy be refused instead of
    silently overwriting someone else's work.
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


def date_order_constraint(name: str, start: str = "start_date", end: str = "end_date") -> models.CheckConstraint:
    """Start must not come after end; either may be empty where the record allows it."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{start}__isnull": True})
        | models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{start}__lte": models.F(end)}),
        name=name,
        violation_error_message=_("The start date must not be after the end date."),
    )
