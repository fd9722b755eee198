"""What a visitor is told when the portal itself fails: a database outage is a 503 to retry, not a 500.

Django calls `server_error` (settings: handler500 in gmg_portal/urls.py) for
any exception no view handled, while the exception is being handled, so it
can see what failed. When the database cannot be reached (or refuses work
for the moment: a restart, a lock that did not clear in time), the answer is
503 Service Unavailable with Retry-After, a plain page in the visitor's
language or a JSON body for the API; both are made without the database and
without templates, which might need it. Anything else stays a 500.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError
from django.db import OperationalError
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_OUTAGES = (OperationalError, InterfaceError)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, else a page that needs neither the database nor a template."""
    message = _("The portal cannot reach its database at the moment. Nothing was changed. Please try again shortly.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        title = _("Temporarily unavailable")
        page = (
            f'<!DOCTYPE html><html lang="{escape(get_language() or "en")}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
            f"<p>{escape(message)}</p></main></body></html>"
        )
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_OUTAGES):
        logger.error("The database could not be reached: %s", error)
        return database_unavailable(request)
    return defaults.server_error(request)
