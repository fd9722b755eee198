"""The figures of the dashboard (/dashboard/), each aggregated in the database in one query.

Five queries whatever the number of records: events by month and kind,
carry-forward issues by term and status, the ageing of unresolved issues,
recommendations by status, and the chair's terms.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from chairmanship.models import CarryForwardIssue
from chairmanship.models import Chairmanship
from chairmanship.models import Recommendation
from gmg_portal.svg import Series
from gmg_portal.svg import Span
from gmg_portal.svg import bar_chart
from gmg_portal.svg import stacked_bar_chart
from gmg_portal.svg import timeline_chart
from workplan.models import Event

TIMELINE_SINCE = datetime.date(2006, 1, 1)

# Age of an unresolved issue: time since the start of the term that first raised it.
AGE_BUCKETS = (
    ("under_6_months", _("Under 6 months")),
    ("6_to_12_months", _("6–12 months")),
    ("1_to_2_years", _("1–2 years")),
    ("over_2_years", _("Over 2 years")),
)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def age_bucket_bounds(today: datetime.date) -> dict[str, Q]:
    """For each bucket, the condition on the origin term's start date."""
    six, twelve, twenty_four = (months_before(today, n) for n in (6, 12, 24))
    start = "origin__start_date"
    return {
        "under_6_months": Q(**{f"{start}__gt": six}),
        "6_to_12_months": Q(**{f"{start}__lte": six, f"{start}__gt": twelve}),
        "1_to_2_years": Q(**{f"{start}__lte": twelve, f"{start}__gt": twenty_four}),
        "over_2_years": Q(**{f"{start}__lte": twenty_four}),
    }


@dataclass(frozen=True)
class TermRow:
    slug: str
    acronym: str
    start_date: datetime.date


def events_by_month_and_kind() -> dict[tuple[datetime.date, str], int]:
    """{(first day of the month, kind): number of events starting that month}; one query."""
    rows = (
        Event.objects.order_by()
        .annotate(month=TruncMonth("start_date"))
        .values_list("month", "kind")
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple[datetime.date, str], int] = {}
    for month, kind, n in rows:
        if isinstance(month, datetime.datetime):
            month = month.date()
        counts[(month, kind)] = counts.get((month, kind), 0) + n
    return counts


def carry_forward_by_term_and_status() -> tuple[list[TermRow], dict[tuple[str, str], int]]:
    """The terms whose reports list issues (oldest first) and {(term slug, status): count}; one query."""
    rows = (
        CarryForwardIssue.objects.order_by()
        .values_list("handed_over_in__slug", "handed_over_in__agency__acronym", "handed_over_in__start_date", "status")
        .annotate(n=Count("pk"))
    )
    terms: dict[str, TermRow] = {}
    counts: dict[tuple[str, str], int] = {}
    for slug, acronym, start, status, n in rows:
        terms[slug] = TermRow(slug=slug, acronym=acronym, start_date=start)
        counts[(slug, status)] = n
    return sorted(terms.values(), key=lambda term: term.start_date), counts


def carry_forward_ageing(*, today: datetime.date) -> dict[str, int]:
    """Unresolved issues as last listed (each lineage once), by age since first raised; one query."""
    bounds = age_bucket_bounds(today)
    unresolved = CarryForwardIssue.objects.unresolved().filter(continuations__isnull=True)
    return unresolved.aggregate(**{key: Count("pk", filter=condition) for key, condition in bounds.items()})


def recommendations_by_status() -> dict[str, int]:
    """{status: count}; one query."""
    return dict(Recommendation.objects.order_by().values_list("status").annotate(n=Count("pk")))


def chair_terms(*, since: datetime.date = TIMELINE_SINCE) -> list[Chairmanship]:
    """Every term that ended on or after `since`, oldest first, with its agency; one query."""
    return list(Chairmanship.objects.filter(end_date__gte=since).select_related("agency").order_by("start_date"))


# The charts ---------------------------------------------------------------------


def _count_of_events(count: int) -> str:
    return ngettext("%(count)d event", "%(count)d events", count) % {"count": count}


def _count_of_months(count: int) -> str:
    return ngettext("%(count)d month", "%(count)d months", count) % {"count": count}


def _count_of_issues(count: int) -> str:
    return ngettext("%(count)d issue", "%(count)d issues", count) % {"count": count}


def _count_of_terms(count: int) -> str:
    return ngettext("%(count)d term", "%(count)d terms", count) % {"count": count}


def _events_chart() -> SafeString:
    events = events_by_month_and_kind()
    months = sorted({month for month, _kind in events})
    month_labels = {month: date_format(month, "M Y") for month in months}
    kinds = [Series(key=value, label=str(label)) for value, label in Event.Kind.choices]
    kinds = [kind for kind in kinds if any(k == kind.key for _m, k in events)]
    return stacked_bar_chart(
        ident="chart-events",
        title=gettext("Events per month, by kind"),
        description=gettext(
            "%(events)s in %(months)s, across every term; one bar per month with events, split by kind. "
            "Months without events are left out. The table below gives the same figures."
        )
        % {"events": _count_of_events(sum(events.values())), "months": _count_of_months(len(months))},
        categories=[month_labels[month] for month in months],
        category_label=gettext("Month"),
        series=kinds,
        values={(month_labels[month], kind): n for (month, kind), n in events.items()},
    )


def _issues_chart() -> SafeString:
    terms, issue_counts = carry_forward_by_term_and_status()
    statuses = [Series(key=value, label=str(label)) for value, label in CarryForwardIssue.Status.choices]
    term_labels = {term.slug: f"{term.acronym} {term.start_date.year} ({term.slug})" for term in terms}
    return stacked_bar_chart(
        ident="chart-carry-forward",
        title=gettext("Carry-forward issues by status, per term"),
        description=gettext(
            "%(issues)s listed in the reports of %(terms)s; one bar per term whose report lists issues, "
            "split by status. The table below gives the same figures."
        )
        % {"issues": _count_of_issues(sum(issue_counts.values())), "terms": _count_of_terms(len(terms))},
        categories=[term_labels[term.slug] for term in terms],
        category_label=gettext("Term"),
        series=statuses,
        values={(term_labels[slug], status): n for (slug, status), n in issue_counts.items()},
    )


def _ageing_chart(*, today: datetime.date) -> SafeString:
    ageing = carry_forward_ageing(today=today)
    return bar_chart(
        ident="chart-ageing",
        title=gettext("Unresolved carry-forward issues by age"),
        description=ngettext(
            "%(count)d open or in-progress issue, counted once as last listed, by the time since the start "
            "of the term that first raised it. The table below gives the same figures.",
            "%(count)d open or in-progress issues, each counted once as last listed, by the time since the start "
            "of the term that first raised them. The table below gives the same figures.",
            sum(ageing.values()),
        )
        % {"count": sum(ageing.values())},
        bars=[(str(label), ageing[key]) for key, label in AGE_BUCKETS],
        value_label=gettext("Issues"),
        category_label=gettext("Age"),
    )


def _recommendations_chart() -> SafeString:
    recommendations = recommendations_by_status()
    return bar_chart(
        ident="chart-recommendations",
        title=gettext("Recommendations by status"),
        description=ngettext(
            "%(count)d recommendation of every term, by status. The table below gives the same figures.",
            "%(count)d recommendations of every term, by status. The table below gives the same figures.",
            sum(recommendations.values()),
        )
        % {"count": sum(recommendations.values())},
        bars=[(str(label), recommendations.get(value, 0)) for value, label in Recommendation.Status.choices],
        value_label=gettext("Recommendations"),
        category_label=gettext("Status"),
    )


def _chairs_chart() -> SafeString:
    chair_rows = chair_terms()
    return timeline_chart(
        ident="chart-chairs",
        title=gettext("The chair, term by term, since 2006"),
        description=ngettext(
            "%(count)d term of the rotating chair from %(first)s to %(last)s, one bar per term placed by its dates; "
            "gaps between bars are periods with no recorded chair. The table below lists the same term.",
            "%(count)d terms of the rotating chair from %(first)s to %(last)s, one bar per term placed by its dates; "
            "gaps between bars are periods with no recorded chair. The table below lists the same terms.",
            len(chair_rows),
        )
        % {
            "count": len(chair_rows),
            "first": chair_rows[0].start_date.year if chair_rows else "—",
            "last": chair_rows[-1].end_date.year if chair_rows else "—",
        },
        spans=[
            Span(label=term.agency.acronym, start=term.start_date, end=term.end_date, detail=term.display_name)
            for term in chair_rows
        ],
    )


def dashboard_charts(*, today: datetime.date) -> dict[str, SafeString]:
    """The four figures of the dashboard as SVG charts with their tables; five queries."""
    return {
        "events_chart": _events_chart(),
        "issues_chart": _issues_chart(),
        "ageing_chart": _ageing_chart(today=today),
        "recommendations_chart": _recommendations_chart(),
        "timeline_chart": _chairs_chart(),
    }
