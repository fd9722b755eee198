import datetime

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from chairmanship import selectors
from chairmanship.dashboard import dashboard_charts
from chairmanship.filters import CarryForwardIssueFilter, RecommendationFilter
from chairmanship.selectors import rotation_around
from gmg_portal.page_cache import cache_public_response
from workplan.selectors import events_recent, events_upcoming, outputs_latest
from workplan.views import label_empty_choices


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    today = datetime.date.today()
    rotation = rotation_around(today=today)
    context = {
        # The same object serves the base layout, so the terms are read once.
        "rotation": rotation,
        "home_rotation": rotation,
        "upcoming_events": events_upcoming(today=today),
        "recent_events": events_recent(today=today),
        "latest_outputs": outputs_latest(),
        "open_issues": selectors.carry_forward_open_latest(),
    }
    return render(request, "chairmanship/home.html", context)


@require_safe
@cache_public_response(*CarryForwardIssueFilter.base_filters)
def carry_forward(request: HttpRequest) -> HttpResponse:
    """Every carry-forward issue across terms, with counts by status, lineage and age."""
    filterset = label_empty_choices(
        CarryForwardIssueFilter(request.GET, queryset=selectors.carry_forward_issues_for_list())
    )
    issues, counts = [], []
    if filterset.is_valid():
        issues = selectors.carry_forward_tracker(issues=filterset.qs)
        # Counts by status under the other filters, so each count is the size of the list its link shows.
        without_status = request.GET.copy()
        without_status.pop("status", None)
        others = CarryForwardIssueFilter(without_status, queryset=selectors.carry_forward_issues_for_list())
        counts = selectors.carry_forward_status_counts(issues=others.qs)
    query_without_status = request.GET.copy()
    query_without_status.pop("status", None)
    context = {
        "filter": filterset,
        "issues": issues,
        "status_counts": counts,
        "query_without_status": query_without_status.urlencode(),
    }
    return render(request, "chairmanship/carry_forward.html", context)


@require_safe
@cache_public_response(*RecommendationFilter.base_filters)
def recommendation_list(request: HttpRequest) -> HttpResponse:
    """Recommendations with status, source output and endorsement trail."""
    filterset = label_empty_choices(RecommendationFilter(request.GET, queryset=selectors.recommendations_for_list()))
    recommendations = list(filterset.qs) if filterset.is_valid() else []
    return render(
        request,
        "chairmanship/recommendation_list.html",
        {"filter": filterset, "recommendations": recommendations},
    )


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The GMG at a glance: events, carry-forward issues, recommendations and the chairs, as charts and tables."""
    return render(request, "chairmanship/dashboard.html", dashboard_charts(today=datetime.date.today()))


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers; 503 otherwise, so a load balancer takes the server out."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
