"""The trackers across terms: carry-forward issues and recommendations."""

from __future__ import annotations

from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from chairmanship import selectors
from chairmanship.filters import CarryForwardIssueFilter
from chairmanship.filters import RecommendationFilter
from gmg_portal.forms import label_empty_choices
from gmg_portal.page_cache import cache_public_response


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
