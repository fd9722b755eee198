"""Who is signed in, kept by each serving process while nothing about them changes.

Before a signed-in reader's page could come from the page cache, Django read
three rows for them on every request: the session, the user and the user's
roles (groups and focal point). Those rows change rarely (a sign-in or
sign-out, a password, a role), so the auth and sessions apps bump a sign-in
generation as the domain apps bump the data generation (`track_sign_ins`,
from the portal's AppConfig.ready), and this process keeps what it read
under both (a focal point is a domain record): in its own memory, never in
the shared cache (`gmg_portal.cache.here_while_unchanged`). Both numbers come
in the request's one read of the generations. A request whose session and
user were read since the last change costs no query for them; a change in
any process makes every process read them afresh.

- `SessionStore` (SESSION_ENGINE = "gmg_portal.signed_in") is Django's
  database store whose load() keeps the session's data with its expiry date;
  an expired session is never served from memory.
- `SignedInMiddleware` replaces Django's AuthenticationMiddleware: the user,
  with their roles read (gmg_portal.permissions), is kept for the session;
  each request gets its own copy, so nothing one request sets on its user
  (permission caches, a changed password) reaches another.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass

from django.apps import apps
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User
from django.contrib.sessions.backends import db
from django.http import HttpRequest
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from gmg_portal.cache import here_while_unchanged
from gmg_portal.cache import track_sign_ins as track_app_sign_ins
from gmg_portal.permissions import roles_read


def track_sign_ins() -> None:
    """Bump the sign-in generation on every change of a user, group, permission or session."""
    track_app_sign_ins(apps.get_app_config("auth"))
    track_app_sign_ins(apps.get_app_config("sessions"))


@dataclass(frozen=True)
class _KeptSession:
    data: dict  # decoded: its signature was checked when it was read from the database
    expire_date: datetime.datetime


class SessionStore(db.SessionStore):
    """Django's database sessions, each read once per process while neither the data nor the sign-ins change."""

    # When the session read from the database (or kept) expires; None if none was read.
    stored_expire_date: datetime.datetime | None = None

    def load(self) -> dict:
        place = here_while_unchanged("session", self.session_key) if self.session_key else None
        kept = place.get() if place is not None else None
        if kept is not None and kept.expire_date > timezone.now():
            self.stored_expire_date = kept.expire_date
            return kept.data
        stored = self._get_session_from_db()
        if stored is None:
            return {}
        self.stored_expire_date = stored.expire_date
        data = self.decode(stored.session_data)
        if place is not None:
            place.set(_KeptSession(data, stored.expire_date))
        return data


@dataclass(frozen=True)
class _KeptUser:
    user: User  # as the database gave it, before any request touched it
    roles: object | None  # gmg_portal.permissions' reading of the user's roles, once a request read them


def _user(request: HttpRequest) -> User | AnonymousUser:
    session_key = request.session.session_key
    place = here_while_unchanged("user", session_key) if session_key else None
    kept = place.get() if place is not None else None
    # The session (kept under the same generations, or read afresh) must still name the kept user.
    if kept is not None and request.session.get(auth.SESSION_KEY) == kept.user._meta.pk.value_to_string(kept.user):
        if kept.roles is not None:
            roles_read(kept.user, kept.roles)
        else:  # kept again only if this request reads the roles
            request._user_to_keep = (place, copy.copy(kept.user), True)
        return kept.user
    user = auth.get_user(request)  # checks the session's password hash, as on every uncached request
    if place is not None and user.is_authenticated:
        request._user_to_keep = (place, copy.copy(user), False)
    return user


def _cached_user(request: HttpRequest) -> User | AnonymousUser:
    if not hasattr(request, "_cached_user"):
        request._cached_user = _user(request)
    return request._cached_user


class SignedInMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with the user read from this process's memory when nothing changed."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # Kept after the response, so that a page that needs no roles (the admin's) reads none for the memory,
        # and from the copy taken when the user was read: nothing the request changed on its user is kept.
        to_keep = getattr(request, "_user_to_keep", None)
        if to_keep is not None:
            place, pristine, kept_already = to_keep
            roles = roles_read(request._cached_user)
            if roles is not None or not kept_already:
                place.set(_KeptUser(pristine, roles))
        return response
