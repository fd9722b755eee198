"""The core's own endpoints: /healthz (the database, for load balancers), /healthz/queue (the job queue) and
/favicon.ico (where browsers and crawlers look for the icon whatever the page links)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import HttpResponseRedirect
from django.http import JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from jobs.engine import oldest_waiting_age


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


@never_cache
@require_safe
def healthz_queue(request: HttpRequest) -> HttpResponse:
    """The job queue's health, for monitoring (not the load balancer: a slow queue is no reason to stop serving).

    200 while the oldest queued job has waited at most GMG_QUEUE_MAX_AGE seconds, 503 past it (workers are
    missing, stuck or too few); the age in seconds either way (null when nothing waits).
    """
    age = oldest_waiting_age()
    seconds = round(age.total_seconds(), 1) if age is not None else None
    limit = settings.GMG_QUEUE_MAX_AGE
    healthy = seconds is None or seconds <= limit
    body = {"status": "ok" if healthy else "late", "oldest_queued_seconds": seconds, "max_age_seconds": limit}
    return JsonResponse(body, status=200 if healthy else 503)


@cache_control(max_age=86400, public=True)
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """A redirect to the icon among the static files (its name carries a hash when DEBUG is off, so not permanent)."""
    return HttpResponseRedirect(static("favicon.svg"))
