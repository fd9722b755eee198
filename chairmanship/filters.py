"""FilterSets for the trackers, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Recommendation


class CarryForwardIssueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CarryForwardIssue.Status.choices)
    origin = django_filters.ModelChoiceFilter(
        label=_("Raised under"), queryset=Chairmanship.objects.all(), to_field_name="slug"
    )
    handed_over_in = django_filters.ModelChoiceFilter(
        label=_("Handed over in"), queryset=Chairmanship.objects.all(), to_field_name="slug"
    )

    class Meta:
        model = CarryForwardIssue
        fields = ["status", "origin", "handed_over_in"]


class RecommendationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Recommendation.Status.choices)
    chairmanship = django_filters.ModelChoiceFilter(
        label=_("Chairmanship"), queryset=Chairmanship.objects.all(), to_field_name="slug"
    )

    class Meta:
        model = Recommendation
        fields = ["status", "chairmanship"]
