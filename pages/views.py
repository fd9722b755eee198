"""The pages across domains: the home page, the dashboard and a focal point's own agency."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from chairmanship.selectors import carry_forward_open_latest
from chairmanship.selectors import rotation_around
from gmg_portal.page_cache import cache_public_response
from gmg_portal.permissions import focal_point_agency_id
from pages.dashboard import dashboard_charts
from pages.my_agency import agency_records
from pages.my_agency_exports import AGENCY_EXPORTS
from pages.my_agency_exports import agency_csv
from workplan.selectors import events_recent
from workplan.selectors import events_upcoming
from workplan.selectors import outputs_latest


@require_safe
@cache_public_response()
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
@cache_public_response()
def dashboard(request: HttpRequest) -> HttpResponse:
    """The GMG at a glance: events, carry-forward issues, recommendations and the chairs, as charts and tables."""
    return render(request, "pages/dashboard.html", dashboard_charts(today=datetime.date.today()))


@require_safe
@login_required
@cache_public_response()
def my_agency(request: HttpRequest) -> HttpResponse:
    """A focal point's agency: its terms, events, outputs, activities, working groups, issues and recommendations.

    Anyone else signed in is told their account speaks for no agency (a 200: nothing is wrong with the request).
    """
    return render(request, "pages/my_agency.html", {"records": agency_records(user=request.user)})


@require_safe
@login_required
def my_agency_csv(request: HttpRequest, name: str) -> HttpResponse:
    """One list of the focal point's agency as CSV (AGENCY_EXPORTS); a 404 for another name or a non-focal point."""
    agency_id = focal_point_agency_id(request.user)
    if agency_id is None or name not in AGENCY_EXPORTS:
        raise Http404(_("No such list of your agency."))
    response = HttpResponse(agency_csv(name=name, agency_id=agency_id), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gmg-my-agency-{name}.csv"'
    return response
