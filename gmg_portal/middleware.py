"""Refusing request bodies larger than the configured limit with a clear 413.

Django refuses a form body above DATA_UPLOAD_MAX_MEMORY_SIZE only when a
view reads it, and with a bare 400; Django REST Framework's parsers read the
stream directly and do not look at the limit at all. This middleware looks
at Content-Length before anything reads the body and answers 413 Payload Too
Large, in JSON for the API and in plain text elsewhere, naming the limit.
A body sent without a Content-Length (chunked) that turns out too big when
Django reads it gets the same answer.

A multipart/form-data body (a file upload: the admin's spreadsheet import)
may be larger: up to GMG_IMPORT_MAX_BYTES plus MULTIPART_ALLOWANCE, so that
a file a little over the import cap reaches the import form, which refuses
it naming its size and the cap. Django still holds the non-file part of such
a body to DATA_UPLOAD_MAX_MEMORY_SIZE and streams the files to disk.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse

# Room in a multipart body beyond the import cap: the form's other fields, the
# multipart framing, and a file a little over the cap (the form names the cap).
MULTIPART_ALLOWANCE = 1024 * 1024


def body_limit(request: HttpRequest) -> int | None:
    """The largest body the request may carry (None: no limit)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and request.content_type == "multipart/form-data":
        return max(limit, settings.GMG_IMPORT_MAX_BYTES + MULTIPART_ALLOWANCE)
    return limit


def body_too_large_response(request: HttpRequest, *, limit: int) -> HttpResponse:
    message = f"The request body is larger than the limit of {limit} bytes."
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message, "limit_bytes": limit}, status=413)
    else:
        response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    # The rest of the body is not read here; the server discards it (gunicorn and runserver both do). No
    # "Connection: close": a WSGI application may not set a hop-by-hop header (runserver answered 500).
    return response


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request)
        if limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return HttpResponse(
                    "The Content-Length header is not a number.", status=400, content_type="text/plain; charset=utf-8"
                )
            if length > limit:
                return body_too_large_response(request, limit=limit)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):
            return body_too_large_response(request, limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for django-axes (AXES_CLIENT_IP_CALLABLE).

    Served directly, it is REMOTE_ADDR. Behind DJANGO_PROXY_COUNT proxies
    (load balancers) that each append the address they received from to
    X-Forwarded-For, it is the entry the outermost of our proxies appended:
    the PROXY_COUNT-th from the right. Entries left of it come from the
    client and can be forged, so they are never used.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.GMG_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
