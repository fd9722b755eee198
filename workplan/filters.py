"""FilterSets shared by the pages, the feeds and the API: one definition of each filter."""

from __future__ import annotations

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.contrib.postgres.search import SearchRank
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Q
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from chairmanship.filters import agency_filter
from chairmanship.filters import term_filter
from chairmanship.filters import year_filter
from workplan.models import Event
from workplan.models import Output
from workplan.models import WorkingGroup

SEARCH_FIELDS = ("title", "summary", "city", "venue", "forum")


def search_events(queryset: QuerySet[Event], text: str) -> QuerySet[Event]:
    """Full-text search ranked by relevance on PostgreSQL; a contains-search elsewhere."""
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("forum", "city", "venue", weight="B", config="english")
            + SearchVector("summary", weight="C", config="english")
        )
        query = SearchQuery(text, search_type="websearch", config="english")
        # Match with @@ (every word must be found); ts_rank alone scores partial matches above 0 too.
        return (
            queryset.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(search=query)
            .order_by("-rank", "-start_date")
        )
    condition = Q()
    for word in text.split():
        word_condition = Q()
        for field in SEARCH_FIELDS:
            word_condition |= Q(**{f"{field}__icontains": word})
        condition &= word_condition
    return queryset.filter(condition)


def group_filter(label: str, *, field_name: str) -> django_filters.ModelChoiceFilter:
    """A working group by its slug (`data-and-research`)."""
    return django_filters.ModelChoiceFilter(
        label=label, queryset=WorkingGroup.objects.all(), to_field_name="slug", field_name=field_name
    )


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    chairmanship = term_filter()
    year = year_filter(field_name="start_date", lookup_expr="year")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Event.Kind.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=countries)
    city = django_filters.CharFilter(label=_("City"), field_name="city", lookup_expr="iexact")
    working_group = group_filter(_("Working group"), field_name="working_groups")
    agency = agency_filter(_("Organiser"), field_name="organisers")

    class Meta:
        model = Event
        fields = ["q", "chairmanship", "year", "kind", "country", "city", "working_group", "agency"]

    def filter_q(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        return search_events(queryset, value)


class OutputFilter(django_filters.FilterSet):
    chairmanship = term_filter()
    year = year_filter(field_name="date", lookup_expr="year")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Output.Kind.choices)
    working_group = group_filter(_("Working group"), field_name="producer_working_groups")
    agency = agency_filter(_("Producer"), field_name="producer_agencies")

    class Meta:
        model = Output
        fields = ["chairmanship", "year", "kind", "working_group", "agency"]
