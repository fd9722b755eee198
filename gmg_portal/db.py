"""Building blocks shared by every domain model."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# (start, end) field pairs that must be in order wherever a model has them. The database refuses a
# reversed pair (date_order_constraint); clean() says so first, on the end field, in the reader's words.
DATE_PAIRS = (("start_date", "end_date"), ("start_year", "end_year"))
# The days a record of the GMG can speak of. A date outside is a slip of the keyboard ("9999"): refused,
# before calendars, feeds and charts have to count to it.
EARLIEST_DAY, LATEST_DAY = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)


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

    def clean(self) -> None:
        super().clean()
        implausible = {
            field.name: _("Give a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_DAY.isoformat(), "latest": LATEST_DAY.isoformat()}
            for field in self._meta.concrete_fields
            if type(field) is models.DateField
            and isinstance(getattr(self, field.attname), datetime.date)
            and not EARLIEST_DAY <= getattr(self, field.attname) <= LATEST_DAY
        }
        if implausible:
            raise ValidationError(implausible)
        for start_name, end_name in DATE_PAIRS:
            start, end = getattr(self, start_name, None), getattr(self, end_name, None)
            if start is not None and end is not None and start > end:
                what = _("date") if start_name.endswith("date") else _("year")
                raise ValidationError(
                    {end_name: _("The end %(what)s must not be before the start %(what)s.") % {"what": what}}
                )


# The widest integer every supported database stores (a 64-bit signed integer).
_INTEGER_LIMIT = 2**63


def is_id(field: models.Field, value: object) -> bool:
    """Whether `value` can be a value of `field` (a primary key, a relation's target) in the database."""
    try:
        parsed = field.to_python(value)
    except ValidationError:
        return False
    return not isinstance(parsed, int) or -_INTEGER_LIMIT <= parsed < _INTEGER_LIMIT


def date_order_constraint(name: str, start: str = "start_date", end: str = "end_date") -> models.CheckConstraint:
    """Start must not come after end; either may be empty where the record allows it."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{start}__isnull": True})
        | models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{start}__lte": models.F(end)}),
        name=name,
        violation_error_message=_("The start date must not be after the end date."),
    )


def optional_link(
    to: type[models.Model] | str, *, related_name: str, verbose_name: str, one_to_one: bool = False, **options
) -> models.ForeignKey:
    """A link the record may lack, emptied when what it points to is deleted: the record outlives its target."""
    field = models.OneToOneField if one_to_one else models.ForeignKey
    return field(
        to,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )
