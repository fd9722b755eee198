"""The pages across domains: the home page and the dashboard."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from chairmanship.selectors import carry_forward_open_latest
from chairmanship.selectors import rotation_around
from pages.dashboard import dashboard_charts
from workplan.selectors import events_recent
from workplan.selectors import events_upcoming
from workplan.selectors import outputs_latest


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The current chair, theme and troika, upcoming and recent events, latest outputs, open issues."""
    today = datetime.date.today()
    rotation = rotation_around(today=today)
    context = {
        # The same object serves the base layout, so the terms are read once.
        "rotation": rotation,
        "home_rotation": rotation,
        "upcoming_events": events_upcoming(today=today),
        "recent_events": events_recent(today=today),
        "latest_outputs": outputs_latest(),
        "open_issues": carry_forward_open_latest(),
    }
    return render(request, "pages/home.html", context)


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The GMG at a glance: events, carry-forward issues, recommendations and the chairs, as charts and tables."""
    return render(request, "pages/dashboard.html", dashboard_charts(today=datetime.date.today()))
