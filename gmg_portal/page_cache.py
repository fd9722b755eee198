"""Whole responses of the public pages and API reads, remembered for anonymous visitors until the data changes.

An anonymous GET or HEAD of a public list or detail (the pages that use
`cache_public_response`, and every API list and detail through
`PublicReadCacheMixin`) is stored in the cache under the data generation
(reports/freshness.py), the active language, the scheme and host, the path,
the query parameters the page uses, the Accept header (the API negotiates
JSON or the browsable HTML) and today's date (the current term depends on
it). Any save, delete or many-to-many change of a domain record bumps the
generation, so the next request renders afresh; entries of older
generations are never read again and expire after ENTRY_TIMEOUT.

Nobody can make others see a page rendered for their own request:
- the host and scheme are part of the key, so a page whose links were built
  for `Host: localhost` (the API's `next` links are absolute) is only ever
  served to requests for that host;
- query parameters the page does not use are removed from the request
  before it is rendered, so they neither create entries nor reach the page's
  own links; `?utm_source=…` and no parameter at all share one entry.

Nothing is stored or served:
- when the cache is not shared by every serving process (locmem under
  gunicorn, a dummy cache: `gmg_portal.cache.shared()`) or
  `data_generation()` is None (a cache outage): each worker would keep its
  own stale copy;
- for a signed-in user (session) or a request with an Authorization header
  (an API token): they may see drafts, and their pages name them;
- for a request that carries a pending message (the messages cookie);
- for a response other than 200, a streaming one, one that sets a cookie, or
  one whose rendering used the visitor's CSRF token (which would then be
  served to others). The language switcher in templates/base.html leaves its
  token out of a page that may be shared (`request.page_cache_shared`);
  Django's set_language is exempt from CSRF (gmg_portal/urls.py), so the
  switcher works from such a page too.

The middleware still runs on a response served from the cache, so it gets
the same Vary (Cookie, Accept-Language), security and CSP headers as a fresh
one. A HEAD is answered from the GET's entry and vice versa: Django renders
the same response for both (the server drops the body of a HEAD).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import QueryDict
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from gmg_portal.cache import data_generation
from gmg_portal.cache import while_unchanged

# Old generations' entries are never read again; they only wait to expire. Bounded so that many query
# strings cannot fill the cache for long.
ENTRY_TIMEOUT = 60 * 30

View = Callable[..., HttpResponse]


def _anonymous(request: HttpRequest) -> bool:
    if request.headers.get("Authorization"):
        return False
    if CookieStorage.cookie_name in request.COOKIES:  # a pending message is shown once, to this visitor
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def request_digest(request: HttpRequest, *, today: datetime.date | None = None) -> str:
    """What tells this request's page from another's: language, scheme, host, path and query, Accept, today."""
    today = today or datetime.date.today()
    parts = "\n".join(
        [
            get_language() or "",
            request.build_absolute_uri(),
            request.headers.get("Accept", ""),
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
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The page showed the visitor's CSRF token (CsrfViewMiddleware will set the cookie): never share it.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Set-Cookie")
    )


def serve_cached(request: HttpRequest, render: Callable[[], HttpResponse], *, params: frozenset[str]) -> HttpResponse:
    """The response `render()` gives, from the cache when this request may share a remembered one.

    `params`: the query parameters the page uses; the others are removed before anything reads them.
    """
    if request.method not in ("GET", "HEAD") or not _anonymous(request):
        return render()
    generation = data_generation()
    if generation is None:
        return render()
    keep_only(request, params)
    # The page may be shown to others: templates/base.html leaves the switcher's CSRF token out.
    request.page_cache_shared = True
    place = while_unchanged("page", request_digest(request), generation=generation)
    cached = place.get()
    if cached is not None:
        # The same Vary as a fresh anonymous render (which reads the session to see who is asking).
        patch_vary_headers(cached, ("Cookie",))
        return cached
    response = render()
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response = response.render()
    if _storable(request, response):
        patch_vary_headers(response, ("Cookie",))
        place.set(response, ENTRY_TIMEOUT)
    return response


def cache_public_response(*params: str) -> Callable[[View], View]:
    """Decorate a public page's view: anonymous GET/HEAD answered from the cache while the data is unchanged.

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

    The wrapper runs outside DRF, on Django's request: anonymity is judged by
    the session user and the absence of an Authorization header (a token). A
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
