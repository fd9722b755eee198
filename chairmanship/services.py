"""Writes of agencies, terms and what a chair reports, shared by the API, the admin's actions and scripts.

Every write goes through gmg_portal.records.record_save: the whole record
validated, then saved at its next version in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from chairmanship.models import Accomplishment
from chairmanship.models import Agency
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Recommendation
from gmg_portal.records import next_number
from gmg_portal.records import numbered
from gmg_portal.records import record_save

# Agencies and terms -----------------------------------------------------------


def agency_save(*, data: Mapping[str, Any], agency: Agency | None = None) -> Agency:
    """Create an agency (acronym and name are enough) or update one."""
    return record_save(instance=agency or Agency(), data=data)


def _derive_term_slug(term: Chairmanship) -> None:
    if not term.slug and term.agency_id and term.start_date:
        term.slug = term.derive_slug()


def chairmanship_save(*, data: Mapping[str, Any], chairmanship: Chairmanship | None = None) -> Chairmanship:
    """Create a term (agency, dates and theme are enough; the slug is derived) or update one.

    An overlapping term is refused with a message naming the term it
    overlaps (Chairmanship.clean()).
    """
    return record_save(instance=chairmanship or Chairmanship(), data=data, prepare=_derive_term_slug)


# What a chair reports ---------------------------------------------------------


def accomplishment_save(*, data: Mapping[str, Any], accomplishment: Accomplishment | None = None) -> Accomplishment:
    """Create (numbered next in its term when no number is given) or update a key accomplishment."""
    return record_save(
        instance=accomplishment or Accomplishment(),
        data=data,
        prepare=numbered(Accomplishment, "chairmanship"),
    )


def recommendation_save(*, data: Mapping[str, Any], recommendation: Recommendation | None = None) -> Recommendation:
    return record_save(
        instance=recommendation or Recommendation(),
        data=data,
        prepare=numbered(Recommendation, "chairmanship"),
    )


def _prepare_issue(issue: CarryForwardIssue) -> None:
    # An issue raised in the term that hands it over needs no separate origin.
    if issue.origin_id is None and issue.handed_over_in_id is not None:
        issue.origin_id = issue.handed_over_in_id
    numbered(CarryForwardIssue, "handed_over_in")(issue)
    if issue.continues_id is not None and issue.handed_over_in_id is not None:
        if issue.continues_id == issue.pk:
            raise ValidationError({"continues": _("An issue cannot continue itself.")})
        twice = (
            CarryForwardIssue.objects.filter(handed_over_in_id=issue.handed_over_in_id, continues_id=issue.continues_id)
            .exclude(pk=issue.pk)
            .exists()
        )
        if twice:
            raise ValidationError({"continues": _("This issue is already carried forward into that term.")})


def carry_forward_issue_save(*, data: Mapping[str, Any], issue: CarryForwardIssue | None = None) -> CarryForwardIssue:
    """Create or update a carry-forward issue; its origin defaults to the term that hands it over."""
    return record_save(instance=issue or CarryForwardIssue(), data=data, prepare=_prepare_issue)


# Carrying issues forward -------------------------------------------------------


@dataclass(frozen=True)
class CarryForwardResult:
    """What carry_forward_issues() did: the copies it made and how many were there already."""

    source: Chairmanship
    target: Chairmanship
    carried: list[CarryForwardIssue]
    already_there: int

    @property
    def message(self) -> str:
        """'Carried 14 issues from 2014-ilo to 2015-wb; 0 already there.'"""
        return ngettext(
            "Carried %(n)d issue from %(source)s to %(target)s; %(there)d already there.",
            "Carried %(n)d issues from %(source)s to %(target)s; %(there)d already there.",
            len(self.carried),
        ) % {
            "n": len(self.carried),
            "source": self.source.slug,
            "target": self.target.slug,
            "there": self.already_there,
        }


@transaction.atomic
def carry_forward_issues(*, source: Chairmanship, target: Chairmanship) -> CarryForwardResult:
    """Copy every open or in-progress issue handed over in `source` into the list of `target`.

    Each copy is handed over in `target`, continues the original (its
    lineage), and keeps its origin, text, addressee, deadline and status;
    copies are numbered after the target's existing issues, in the source's
    order. An issue already continued into `target` is left alone, so
    running this twice changes nothing. `target` must start after `source`
    ends (a ValidationError on "target" otherwise).
    """
    if target.pk == source.pk or target.start_date <= source.end_date:
        raise ValidationError(
            {
                "target": _("%(target)s does not start after %(source)s ends (%(end)s).")
                % {"target": target.slug, "source": source.slug, "end": source.end_date.isoformat()}
            }
        )
    # Lock the target term so two secretariat members carrying forward at
    # once queue up instead of racing for the same numbers (no-op on SQLite).
    Chairmanship.objects.select_for_update().filter(pk=target.pk).exists()
    originals = list(CarryForwardIssue.objects.filter(handed_over_in=source).unresolved().order_by("number", "pk"))
    continued = set(
        CarryForwardIssue.objects.filter(handed_over_in=target, continues__in=originals).values_list(
            "continues_id", flat=True
        )
    )
    number = next_number(model=CarryForwardIssue, parent_field="handed_over_in", parent=target) - 1
    carried = []
    for original in originals:
        if original.pk in continued:
            continue
        number += 1
        copy = CarryForwardIssue(
            handed_over_in=target,
            origin_id=original.origin_id,
            number=number,
            continues=original,
            **{name: getattr(original, name) for name in CarryForwardIssue.CONTENT_FIELDS},
        )
        copy.full_clean()
        copy.save()
        carried.append(copy)
    return CarryForwardResult(source=source, target=target, carried=carried, already_there=len(continued))
