"""A signed-in visitor's own links in the footer: their name, password change and the sign-out form.

templates/base.html leaves PLACEHOLDER where they go, so that no rendered page names its reader or holds
their CSRF token: the page cache (gmg_portal.page_cache) may then share a signed-in page among readers who
see the same records, and this middleware puts each visitor's links in, on every page, cached or not.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable

from django.http import HttpRequest
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.middleware.csrf import get_token
from django.urls import get_script_prefix
from django.urls import get_urlconf
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

PLACEHOLDER = b"<!-- gmg:account-links -->"
# Where the reader's name and CSRF token go in the links made once per language (no username holds NUL).
_NAME_PLACE = "\x00name\x00"
_CSRF_PLACE = "\x00csrf\x00"


@functools.lru_cache(maxsize=64)
def _shell(language: str | None, prefix: str, urlconf: str | None) -> str:
    """The links with their addresses and words in place, once per language: only the name and token vary."""
    with translation.override(language):
        return _shell_in_active_language(urlconf)


def _shell_in_active_language(urlconf: str | None) -> str:
    return format_html(
        '<li>{}</li>\n<li><a href="{}">{}</a></li>\n<li><form class="sign-out-form" action="{}" method="post">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="link-button">{}</button></form></li>',
        _("Signed in as %(name)s") % {"name": _NAME_PLACE},
        reverse("password_change", urlconf=urlconf),
        _("Change password"),
        reverse("logout", urlconf=urlconf),
        _CSRF_PLACE,
        _("Sign out"),
    )


# A byte below this is a uniform draw from the token's 62 letters and digits; the others are drawn again, as
# secrets.choice does: with a biased mask, many pages' tokens would tell the secret apart.
_UNIFORM_BELOW = 256 - 256 % len(CSRF_ALLOWED_CHARS)


def _mask_offsets() -> list[int]:
    offsets: list[int] = []
    while len(offsets) < CSRF_SECRET_LENGTH:
        draw = secrets.token_bytes(CSRF_SECRET_LENGTH + 8)
        offsets.extend(byte % len(CSRF_ALLOWED_CHARS) for byte in draw if byte < _UNIFORM_BELOW)
    return offsets[:CSRF_SECRET_LENGTH]


def csrf_token(request: HttpRequest) -> str:
    """Django's get_token, its mask drawn in one read of the system's random source instead of 32 (a signed-in
    page's largest cost once it comes from the cache).

    The token Django makes — a fresh random mask, then the secret shifted by it letter by letter — so
    CsrfViewMiddleware accepts it and no two pages carry the same (BREACH); and, as get_token, it marks the
    CSRF cookie to be sent again, renewing its expiry.
    """
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:  # the visitor has no secret yet: Django makes one
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return masked(secret)


def masked(secret: str) -> str:
    """A CSRF token for `secret` (CSRF_SECRET_LENGTH of CSRF_ALLOWED_CHARS) under a fresh uniform mask."""
    chars, size = CSRF_ALLOWED_CHARS, len(CSRF_ALLOWED_CHARS)
    offsets = _mask_offsets()
    mask = "".join(chars[offset] for offset in offsets)
    shifted = zip((chars.index(letter) for letter in secret), offsets, strict=True)
    cipher = "".join(chars[(position + offset) % size] for position, offset in shifted)
    return mask + cipher


def account_links(request: HttpRequest) -> str:
    # The token marks the CSRF cookie for renewal, as {% csrf_token %} does.
    return links_for(get_language(), name=request.user.get_username(), token=csrf_token(request))


def links_for(language: str | None, *, name: str, token: str) -> str:
    """The links of the reader called `name`, in `language`, their sign-out form carrying `token`."""
    shell = _shell(language, get_script_prefix(), get_urlconf())
    # The name goes in last, so that nothing a reader chose is searched for a place.
    return shell.replace(_CSRF_PLACE, conditional_escape(token)).replace(_NAME_PLACE, conditional_escape(name))


class AccountLinksMiddleware:
    """Inside CsrfViewMiddleware and after AuthenticationMiddleware: the token it hands out is sent as a cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and PLACEHOLDER in response.content
            and request.user.is_authenticated
        ):
            # The page as every reader of its audience gets it, for gmg_portal.replay to fill in itself.
            request.page_before_links = response.content
            response.content = response.content.replace(PLACEHOLDER, account_links(request).encode(), 1)
        return response
