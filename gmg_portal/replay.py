"""A page the page cache shares, answered again ahead of the middleware stack while nothing changed.

The page cache (gmg_portal.page_cache) answers a remembered page from inside
the view, so every request still runs the whole middleware stack first:
sessions, language, CSRF, the user, messages, history, security headers. On
a stored edition that stack is most of the request's cost (`/healthz`, which
runs it too, is 0.6 of a bare Django view). This middleware, second in the
stack, keeps in this process's memory the response as it left the stack —
headers included — of every request the page cache answered with a page
shared by the reader's audience, and answers the same request with it
before the rest of the stack runs. A request for a path it never kept
(`/healthz`, static files, the admin, a write) costs it one set lookup.

Kept under both generations (gmg_portal.cache.here_while_unchanged), as the
signed-in reader is: a change of any record, user, role or session in any
process makes every process go through the stack again. A response is kept
under the request as it arrived (language as LocaleMiddleware would choose
it, scheme, host, path and query, Accept, today) and the reader's audience:

- no session cookie: the anonymous audience;
- a session cookie: the reader the stack last found behind it (kept with
  its audience, name and the session's expiry); a cookie this process has
  not seen signed in, or whose session expired, goes through the stack.

The stack still answers, and so decides everything, for: a method other
than GET and HEAD; a request with a body, an Authorization header, a pending
message, or a condition (If-None-Match…: the page cache's 304 comes with the
stack's headers); a host Django refuses; and, for a signed-in reader, a
missing or malformed CSRF cookie. A response is kept only if the page cache
marked it shared (`request.page_cache_audience`), it is a 200 and it sets no
cookie but the CSRF cookie's renewal. A signed-in reader's page is kept
without their links; a replay puts them in (gmg_portal.account_links) with a
fresh mask of the CSRF secret their cookie holds. It does not send that
cookie again: the browser just sent it, it lasts CSRF_COOKIE_AGE (a year)
and sign-in renewed it, so it outlives the session.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.utils import timezone
from django.utils import translation

from gmg_portal.account_links import PLACEHOLDER
from gmg_portal.account_links import links_for
from gmg_portal.account_links import masked
from gmg_portal.cache import here_while_unchanged
from gmg_portal.errors import DATABASE_OUTAGES
from gmg_portal.page_cache import is_conditional
from gmg_portal.page_cache import may_share
from gmg_portal.page_cache import request_digest
from gmg_portal.permissions import PUBLIC_AUDIENCE

# The paths this process ever kept a response for: any other request (/healthz, static files, the admin)
# passes straight on, without reading the generations or hashing itself. Emptied if it ever grows past
# MAX_PATHS (paths of deleted records, probes): a path then only waits for its next keep.
MAX_PATHS = 10_000
_kept_paths: set[str] = set()

_SECRET_LETTERS = frozenset(CSRF_ALLOWED_CHARS)


@dataclass(frozen=True)
class _Reader:
    """Who the stack found behind a session cookie: all a replay needs of them."""

    audience: str
    name: str
    expire_date: datetime.datetime


ANONYMOUS = _Reader(audience=PUBLIC_AUDIENCE, name="", expire_date=datetime.datetime.max.replace(tzinfo=datetime.UTC))


@dataclass(frozen=True)
class _Kept:
    """A 200 as it left the stack."""

    headers: tuple[tuple[str, str], ...]  # all but Content-Length, set again from the content
    content: bytes
    links: bool  # the reader's account links go into PLACEHOLDER


def _request_key(request: HttpRequest, query: str) -> tuple[str, str] | None:
    """What tells this request's response from another's, and its language; None when the stack must answer.

    `query`: the query string as it arrived (the page cache removes the parameters a page does not use).
    """
    if request.method not in ("GET", "HEAD") or not may_share(request):
        return None
    if request.META.get("CONTENT_LENGTH", "0") not in ("", "0") or "HTTP_TRANSFER_ENCODING" in request.META:
        return None
    if is_conditional(request):
        return None
    # As LocaleMiddleware chooses it (the portal has no language prefixes in its paths).
    language = translation.get_language_from_request(request)
    try:
        uri = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    except DisallowedHost:  # the stack answers 400
        return None
    return request_digest(request, language=language, uri=uri), language


def _reader(request: HttpRequest) -> _Reader | None:
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if session_key is None:
        return ANONYMOUS
    place = here_while_unchanged("reader", session_key)
    reader = place.get() if place is not None else None
    if reader is None or reader.expire_date <= timezone.now():
        return None
    return reader


def _csrf_secret(request: HttpRequest) -> str | None:
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if len(secret) != CSRF_SECRET_LENGTH or not _SECRET_LETTERS.issuperset(secret):
        return None
    return secret


def _replay(request: HttpRequest, key: str, language: str) -> HttpResponse | None:
    reader = _reader(request)
    if reader is None:
        return None
    place = here_while_unchanged("replay", key, reader.audience)
    kept = place.get() if place is not None else None
    if kept is None:
        return None
    content = kept.content
    if kept.links:
        secret = _csrf_secret(request)
        if secret is None:
            return None
        links = links_for(language, name=reader.name, token=masked(secret))
        content = content.replace(PLACEHOLDER, links.encode(), 1)
    response = HttpResponse(content, headers=dict(kept.headers))
    response["Content-Length"] = str(len(content))
    return response


def _keep(request: HttpRequest, key: str, response: HttpResponse) -> None:
    audience = request.page_cache_audience
    if response.status_code != 200 or response.streaming or not set(response.cookies) <= {settings.CSRF_COOKIE_NAME}:
        return
    user = request.user
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if user.is_authenticated:
        expire_date = getattr(request.session, "stored_expire_date", None)
        if session_key is None or session_key != request.session.session_key or expire_date is None:
            return
        place = here_while_unchanged("reader", session_key)
        if place is None:
            return
        place.set(_Reader(audience=audience, name=user.get_username(), expire_date=expire_date))
    content = getattr(request, "page_before_links", None)
    headers = tuple((name, value) for name, value in response.items() if name.lower() != "content-length")
    kept = _Kept(headers, response.content if content is None else content, content is not None)
    place = here_while_unchanged("replay", key, audience)
    if place is not None:
        place.set(kept)
        if len(_kept_paths) >= MAX_PATHS:
            _kept_paths.clear()
        _kept_paths.add(request.path)


class ReplayMiddleware:
    """Second in the stack, after OneGenerationPerRequest (it reads the generations the request reads)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        known = request.path in _kept_paths
        request_key = _request_key(request, query) if known else None
        if request_key is not None:
            try:
                replayed = _replay(request, *request_key)
            except DATABASE_OUTAGES:  # the generations could not be read: the stack answers the outage (a 503)
                replayed = None
            if replayed is not None:
                return replayed
        response = self.get_response(request)
        if getattr(request, "page_cache_audience", None) is not None:
            # A known path's key was made above (None: a request the stack must answer, never kept).
            request_key = request_key if known else _request_key(request, query)
            if request_key is not None:
                _keep(request, request_key[0], response)
        return response
