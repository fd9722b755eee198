"""What the filter forms of the events and outputs pages offer: only the values the records hold.

The filters themselves (workplan/filters.py) still accept every valid value
(any country code, any agency), so the API, the feeds and a bookmarked link
keep working and an empty result is not an error; only the form's selects
are narrowed, so nobody picks among 250 countries to find the three that
have an event. Each option list costs one query, whatever the number of
records. Labels are made in the active language (country names, term dates),
so the lists are remembered per language, and only while the records are unchanged
(gmg_portal.cache): a signed-in reader's page, which no page cache serves, does not query them again.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db.models import Count
from django.db.models import Exists
from django.db.models import Model
from django.db.models import OuterRef
from django.utils import translation
from django_countries import countries

from chairmanship.models import Agency
from chairmanship.models import Chairmanship
from gmg_portal.cache import while_unchanged
from workplan.models import Event
from workplan.models import Output
from workplan.models import WorkingGroup

Options = list[tuple[str, str]]


def _terms_with(model: type[Model]) -> Options:
    """Terms that have a record of `model`, latest first."""
    having = Exists(model.objects.filter(chairmanship=OuterRef("pk")))
    return [(term.slug, str(term)) for term in Chairmanship.objects.filter(having).order_by("-start_date")]


def _years_of(model: type[Model], field: str) -> Options:
    """The years in which a record of `model` is dated, latest first (undated records offer none)."""
    years = model.objects.dates(field, "year", order="DESC")
    return [(str(day.year), str(day.year)) for day in years]


def _agencies_in(model: type[Model], field: str) -> Options:
    """Agencies named in `field` (organisers, producers) of some record of `model`, by acronym."""
    named = Exists(model.objects.filter(**{field: OuterRef("pk")}))
    return [(agency.acronym, str(agency)) for agency in Agency.objects.filter(named).order_by("acronym")]


def _groups_in(model: type[Model], field: str) -> Options:
    """Working groups named in `field` of some record of `model`, by name."""
    named = Exists(model.objects.filter(**{field: OuterRef("pk")}))
    return [(group.slug, str(group)) for group in WorkingGroup.objects.filter(named).order_by("name")]


def _event_countries() -> Options:
    codes = Event.objects.exclude(country="").order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code) or code) for code in codes), key=lambda option: option[1])


def _event_cities() -> Options:
    """Each city once, as most events write it (ties: fewer capitals); the filter ignores case anyway."""
    spellings = Event.objects.exclude(city="").order_by().values_list("city").annotate(events=Count("pk"))
    cities: dict[str, tuple[int, int, str]] = {}
    for city, events in spellings:
        preference = (events, -sum(letter.isupper() for letter in city), city)
        cities[city.casefold()] = max(cities.get(city.casefold(), preference), preference)
    return sorted(
        ((city, city) for _events, _capitals, city in cities.values()), key=lambda option: option[1].casefold()
    )


# Options outlive no change of the records (gmg_portal.cache: the data generation); a day is a backstop.
OPTIONS_TIMEOUT = 24 * 3600


def _remembered(kind: str, compute: Callable[[], dict[str, Options]]) -> dict[str, Options]:
    """The options of `kind`, computed once while the records are unchanged, per language (their labels)."""
    place = while_unchanged(kind, translation.get_language() or settings.LANGUAGE_CODE)
    if place is None:
        return compute()
    options = place.get()
    if options is None:
        options = compute()
        place.set(options, OPTIONS_TIMEOUT)
    return options


def event_filter_options() -> dict[str, Options]:
    """The options of the events filter's selects: six queries, once while the records are unchanged."""
    return _remembered("event-filter-options", _event_filter_options)


def output_filter_options() -> dict[str, Options]:
    """The options of the outputs filter's selects: four queries, once while the records are unchanged."""
    return _remembered("output-filter-options", _output_filter_options)


def _event_filter_options() -> dict[str, Options]:
    return {
        "chairmanship": _terms_with(Event),
        "year": _years_of(Event, "start_date"),
        "country": _event_countries(),
        "city": _event_cities(),
        "working_group": _groups_in(Event, "working_groups"),
        "agency": _agencies_in(Event, "organisers"),
    }


def _output_filter_options() -> dict[str, Options]:
    return {
        "chairmanship": _terms_with(Output),
        "year": _years_of(Output, "date"),
        "working_group": _groups_in(Output, "producer_working_groups"),
        "agency": _agencies_in(Output, "producer_agencies"),
    }
