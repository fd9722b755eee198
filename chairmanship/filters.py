"""FilterSets for the trackers, shared by the pages and the API, and the filters of a term and an agency.

`term_filter` (a term by slug), `agency_filter` (an agency by acronym) and
`year_filter` are the one definition of those filters for every app's pages
and API.
"""

from typing import Any

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.filterset import filterset_factory

from chairmanship.models import Agency
from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Recommendation


def term_filter(label: str = _("Chairmanship"), *, field_name: str | None = None) -> django_filters.ModelChoiceFilter:
    """A term by its slug (`2014-ilo`); `field_name` defaults to the filter's name."""
    return django_filters.ModelChoiceFilter(
        label=label, queryset=Chairmanship.objects.all(), to_field_name="slug", field_name=field_name
    )


def agency_filter(label: str, *, field_name: str | None = None) -> django_filters.ModelChoiceFilter:
    """An agency by its acronym (`ILO`, `UN DESA`); `field_name` defaults to the filter's name."""
    return django_filters.ModelChoiceFilter(
        label=label, queryset=Agency.objects.all(), to_field_name="acronym", field_name=field_name
    )


def year_filter(label: str = _("Year"), **kwargs: Any) -> django_filters.NumberFilter:
    """A year: bounded (1–9999, whole numbers), since a date lookup outside them raises instead of matching nothing."""
    return django_filters.NumberFilter(label=label, min_value=1, max_value=9999, decimal_places=0, **kwargs)


class TermRecordFilter(django_filters.FilterSet):
    """The records of a term: `chairmanship` is the term's slug."""

    chairmanship = term_filter()


def term_records_filter(model: type[models.Model], *fields: str) -> type[django_filters.FilterSet]:
    """The FilterSet of a term's records of `model`: by the term's slug, then by `fields`."""
    return filterset_factory(model, filterset=TermRecordFilter, fields=["chairmanship", *fields])


class CarryForwardIssueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CarryForwardIssue.Status.choices)
    origin = term_filter(_("Raised under"))
    handed_over_in = term_filter(_("Handed over in"))

    class Meta:
        model = CarryForwardIssue
        fields = ["status", "origin", "handed_over_in"]


class RecommendationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Recommendation.Status.choices)
    chairmanship = term_filter()

    class Meta:
        model = Recommendation
        fields = ["status", "chairmanship"]
