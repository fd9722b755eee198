"""FilterSets shared by the pages, the feeds and the API: one definition of each filter."""

from __future__ import annotations

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.contrib.postgres.search import SearchRank
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import F
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

# What a search reads, by weight (A counts most): the title first, then the place or addressee, then the summary.
EVENT_SEARCH = {"A": ("title",), "B": ("forum", "city", "venue"), "C": ("summary",)}
OUTPUT_SEARCH = {"A": ("title", "symbol"), "B": ("submitted_to",), "C": ("summary",)}


def search_records(queryset: QuerySet, text: str, *, fields: dict[str, tuple[str, ...]], newest: str) -> QuerySet:
    """Full-text search over `fields` ranked by relevance on PostgreSQL (then `newest` first); contains elsewhere."""
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        vector = None
        for weight, names in fields.items():
            part = SearchVector(*names, weight=weight, config="english")
            vector = part if vector is None else vector + part
        query = SearchQuery(text, search_type="websearch", config="english")
        # Match with @@ (every word must be found); ts_rank alone scores partial matches above 0 too.
        return (
            queryset.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(search=query)
            .order_by("-rank", F(newest).desc(nulls_last=True))
        )
    condition = Q()
    for word in text.split():
        word_condition = Q()
        for names in fields.values():
            for field in names:
                word_condition |= Q(**{f"{field}__icontains": word})
        condition &= word_condition
    return queryset.filter(condition)


def search_events(queryset: QuerySet[Event], text: str) -> QuerySet[Event]:
    return search_records(queryset, text, fields=EVENT_SEARCH, newest="start_date")


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
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    chairmanship = term_filter()
    year = year_filter(field_name="date", lookup_expr="year")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Output.Kind.choices)
    working_group = group_filter(_("Working group"), field_name="producer_working_groups")
    agency = agency_filter(_("Producer"), field_name="producer_agencies")

    class Meta:
        model = Output
        fields = ["q", "chairmanship", "year", "kind", "working_group", "agency"]

    def filter_q(self, queryset: QuerySet[Output], name: str, value: str) -> QuerySet[Output]:
        return search_records(queryset, value, fields=OUTPUT_SEARCH, newest="date")
