"""Whole responses of the portal's pages and API reads, remembered per audience until the data changes.

A GET or HEAD of a page that uses `cache_public_response` (the lists and
details, the home page, the dashboard, the reports, a focal point's agency)
and of every API list and detail (`PublicReadCacheMixin`) is stored in the
cache under the data generation (gmg_portal.cache), the visitor's audience,
the active language, the scheme and host, the path, the query parameters
the page uses, the Accept header (the API negotiates JSON or the browsable
HTML) and today's date (the current term depends on it). Any save, delete or
many-to-many change of a domain record or a report edition bumps the
generation, so the next request renders afresh; entries of older
generations are never read again and expire after ENTRY_TIMEOUT.

The audience (gmg_portal.permissions.audience) is everything about a
visitor that changes what a page shows besides their name: anonymous, or
which drafts they read, the agency they speak for and whether the admin is
theirs. Signed-in readers of one audience share a page, so the secretariat,
principals and focal points are served as fast as anonymous visitors. Their
name and sign-out form are not in the stored page: templates/base.html
leaves a placeholder that gmg_portal.account_links fills per request.

Nobody can make others see a page rendered for their own request:
- the host and scheme are part of the key, so a page whose links were built
  for `Host: localhost` (the API's `next` links are absolute) is only ever
  served to requests for that host;
- query parameters the page does not use are removed from the request
  before it is rendered, so they neither create entries nor reach the page's
  own links; `?utm_source=…` and no parameter at all share one entry.

Nothing is stored or served:
- when `data_generation()` is None (a write of this request not yet
  committed): nobody could tell when the entry went stale;
- for a request with an Authorization header (an API token: DRF judges
  it inside the view, after this cache would have answered);
- for a request that carries a pending message (the messages cookie, or
  the session when the cookie could not hold them);
- for a response other than 200, a streaming one, one that sets a cookie, or
  one whose rendering used the visitor's CSRF token (which would then be
  served to others), one that asks not to be kept (Cache-Control no-store)
  or is for one reader only (private), or, for a signed-in visitor, an HTML
  page without the account placeholder (the browsable API names its user).

The language switcher in templates/base.html leaves its token out of a page
that may be shared (`request.page_cache_shared`); Django's set_language is
exempt from CSRF (gmg_portal/urls.py), so the switcher works from such a
page too.

The middleware still runs on a response served from the cache, so it gets
the same Vary (Cookie, Accept-Language), security and CSP headers as a fresh
one, and a remembered response with an ETag or Last-Modified still answers
a conditional request with a 304. A response served or stored here is
marked shared (`request.page_cache_audience`): gmg_portal.replay then keeps
it as it left the stack, headers included, and answers a repeat of the same
request before the stack runs. A HEAD is answered from the GET's entry
and vice versa: Django renders the same response for both (the server drops
the body of a HEAD).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import QueryDict
from django.utils.cache import get_conditional_response
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language

from gmg_portal.account_links import PLACEHOLDER
from gmg_portal.cache import data_generation
from gmg_portal.cache import while_unchanged
from gmg_portal.permissions import audience

# Old generations' entries are never read again; they only wait to expire. Bounded so that many query
# strings cannot fill the cache for long.
ENTRY_TIMEOUT = 60 * 30

View = Callable[..., HttpResponse]


def may_share(request: HttpRequest) -> bool:
    """No API token, no pending message in a cookie: what the request alone tells (gmg_portal.replay asks too)."""
    if request.META.get("HTTP_AUTHORIZATION"):
        return False
    # A pending message is shown once, to this visitor.
    return CookieStorage.cookie_name not in request.COOKIES


def _shareable_visitor(request: HttpRequest) -> bool:
    """No API token, no pending message: a page for this request may be one remembered for its audience."""
    if not may_share(request):
        return False
    user = getattr(request, "user", None)
    # Messages too long for their cookie wait in the session.
    return not (user is not None and user.is_authenticated and SessionStorage.session_key in request.session)


def request_digest(
    request: HttpRequest, *, language: str | None = None, uri: str | None = None, today: datetime.date | None = None
) -> str:
    """What tells this request's page from another's: language (the active one), scheme, host, path and query
    (its absolute URI), Accept, today."""
    today = today or datetime.date.today()
    parts = "\n".join(
        [
            language or get_language() or "",
            uri or request.build_absolute_uri(),
            request.META.get("HTTP_ACCEPT", ""),
            today.isoformat(),
        ]
    )
    return hashlib.sha256(parts.encode()).hexdigest()


def keep_only(request: HttpRequest, params: frozenset[str]) -> None:
    """Remove from the request every query parameter not in `params`, as if it had never been sent."""
    if all(name in params for name in request.GET):
        return
    kept = QueryDict(mutable=True)
    for name in sorted(params & request.GET.keys()):
        kept.setlist(name, request.GET.getlist(name))
    request.GET = kept.copy()  # immutable, like the original
    request.META["QUERY_STRING"] = kept.urlencode()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    signed_in = request.user.is_authenticated
    return (
        response.status_code == 200
        # One asked not to be kept (the "being prepared" page of a report) or kept for one reader (a draft's
        # PDF) is not. "no-cache" asks browsers to revalidate with us: a remembered copy does.
        and not {"no-store", "private"} & set(re.split(r"[,\s=]+", response.get("Cache-Control", "")))
        and not response.streaming
        and not response.cookies
        # The page showed the visitor's CSRF token (CsrfViewMiddleware will set the cookie): never share it.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Set-Cookie")
        # A signed-in user's HTML page is shared only when it names nobody: its account links were left as
        # the placeholder (templates/base.html). The browsable API, naming its user, never is; JSON and a
        # stored edition's PDF name nobody.
        and (
            not signed_in
            or not response.get("Content-Type", "").startswith("text/html")
            or PLACEHOLDER in response.content
        )
    )


# The request headers that can make a remembered response a 304 (or a 412).
_CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def is_conditional(request: HttpRequest) -> bool:
    return any(name in request.META for name in _CONDITIONS)


def _unless_not_modified(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A 304 when the remembered response carries an ETag or Last-Modified the client already holds."""
    if not is_conditional(request):
        return response
    etag = response.get("ETag")
    last_modified = parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
    if etag is None and last_modified is None:
        return response
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


def serve_cached(request: HttpRequest, render: Callable[[], HttpResponse], *, params: frozenset[str]) -> HttpResponse:
    """The response `render()` gives, from the cache when this request may share a remembered one.

    `params`: the query parameters the page uses; the others are removed before anything reads them.
    """
    if request.method not in ("GET", "HEAD") or not _shareable_visitor(request):
        return render()
    generation = data_generation()
    if generation is None:
        return render()
    keep_only(request, params)
    # The page may be shown to others: templates/base.html leaves the switcher's CSRF token and the
    # signed-in user's account links out (gmg_portal.account_links puts them in per request).
    request.page_cache_shared = True
    reader_audience = audience(request.user)
    place = while_unchanged("page", request_digest(request), reader_audience, generation=generation)
    cached = place.get()
    if cached is not None:  # stored with the same Vary as a fresh render (below)
        request.page_cache_audience = reader_audience
        return _unless_not_modified(request, cached)
    response = render()
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response = response.render()
    if _storable(request, response):
        # Vary as a fresh render (which reads the session to see who is asking), on every copy served.
        patch_vary_headers(response, ("Cookie",))
        place.set(response, ENTRY_TIMEOUT)
        request.page_cache_audience = reader_audience  # the same page for the whole audience: replayable
    return response


def cache_public_response(*params: str) -> Callable[[View], View]:
    """Decorate a public page's view: GET/HEAD answered from the cache for the reader's audience while the data holds.

    `params` names the query parameters the page reads (its filters, `page`); `@cache_public_response()`
    for a page that reads none.
    """
    used = frozenset(params)

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return serve_cached(request, lambda: view(request, *args, **kwargs), params=used)

        return wrapper

    return decorate


# What DRF reads from the query string besides a list's filters.
API_LIST_PARAMS = ("ordering", "page", "page_size", "format")


class PublicReadCacheMixin:
    """For a DRF viewset: its list and detail routes (GET) are wrapped in `cache_public_response`.

    The wrapper runs outside DRF, on Django's request: the audience is judged
    by the session user, and a request with an Authorization header (a token)
    is never served from the cache. A
    list's parameters are its FilterSet's filters and DRF's own; a detail reads
    only `format`.
    """

    @classmethod
    def as_view(cls, actions: dict[str, str] | None = None, **initkwargs: Any) -> View:
        view = super().as_view(actions, **initkwargs)  # type: ignore[misc]
        if not actions:
            return view
        if actions.get("get") == "list":
            return cache_public_response(*cls._filter_params(), *API_LIST_PARAMS)(view)
        if actions.get("get") == "retrieve":
            return cache_public_response("format")(view)
        return view

    @classmethod
    def _filter_params(cls) -> list[str]:
        filterset = getattr(cls, "filterset_class", None)
        if filterset is not None:
            return list(filterset.base_filters)
        return list(getattr(cls, "filterset_fields", None) or [])
