"""Who may read and write: the one place the portal decides it.

The GMG's records are public. Reports are the exception: a term's draft
report is read by the Secretariat, by Principals, and by the focal points
of the agency chairing that term (a focal point is a user linked to one
agency: chairmanship.FocalPoint). Everyone else sees what the public sees.
The Secretariat group (or a superuser) writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User
from rest_framework import permissions

SECRETARIAT = "Secretariat"
AGENCY = "Agency"
PRINCIPAL = "Principal"


class Report(Protocol):
    """What the rule needs of a term (a Chairmanship); the core does not import the domain."""

    agency_id: int
    is_final: bool


@dataclass(frozen=True)
class _Roles:
    groups: frozenset[str]
    agency_id: int | None  # the agency a focal point speaks for


def _roles(user: User) -> _Roles:
    # Read once per request, in one query (every signed-in page asks: the page cache keys on the audience);
    # Django's auth backend caches neither groups nor the focal point.
    cached = getattr(user, "_gmg_roles", None)
    if cached is None:
        rows = User.objects.filter(pk=user.pk).values_list("groups__name", "focal_point__agency_id")
        cached = _Roles(
            groups=frozenset(name for name, _ in rows if name),
            agency_id=next((agency_id for _, agency_id in rows if agency_id is not None), None),
        )
        user._gmg_roles = cached
    return cached


def roles_read(user: User, roles: _Roles | None = None) -> _Roles | None:
    """The roles this request already read for `user` (None if none); with `roles`, hand them to it first.

    gmg_portal.signed_in keeps them with the user in memory while no user, group, session or record changes.
    """
    if roles is not None:
        user._gmg_roles = roles
    return getattr(user, "_gmg_roles", None)


def is_secretariat(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or SECRETARIAT in _roles(user).groups


def is_principal(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and PRINCIPAL in _roles(user).groups


def focal_point_agency_id(user: User | AnonymousUser) -> int | None:
    """The agency `user` speaks for, if they are a focal point, else None.

    A focal point holds the Agency role and a link to one agency (chairmanship.FocalPoint). The link alone grants
    nothing: it outlives a change of role, and the secretariat may link any account.
    """
    if not user.is_authenticated:
        return None
    roles = _roles(user)
    return roles.agency_id if AGENCY in roles.groups else None


def draft_agency_ids(user: User | AnonymousUser) -> frozenset[int] | None:
    """Whose draft reports `user` reads: None for every term's, else the chairing agencies' (often none)."""
    if is_secretariat(user) or is_principal(user):
        return None
    agency_id = focal_point_agency_id(user)
    return frozenset() if agency_id is None else frozenset({agency_id})


# The audience of everyone not signed in.
PUBLIC_AUDIENCE = "public"


def audience(user: User | AnonymousUser) -> str:
    """Everything about `user` that changes what a page shows, besides their name: a page is shared within it.

    Which drafts they read (draft_agency_ids), the agency they speak for (the "My agency" link and page) and
    whether the admin is theirs ("Edit (admin)"). The page cache (gmg_portal.page_cache) keys on it.
    """
    if not user.is_authenticated:
        return PUBLIC_AUDIENCE
    drafts = draft_agency_ids(user)
    readable = "all" if drafts is None else ",".join(str(pk) for pk in sorted(drafts))
    return f"drafts={readable};agency={focal_point_agency_id(user) or ''};staff={int(user.is_staff)}"


def can_see_report(user: User | AnonymousUser, term: Report) -> bool:
    """A final report is public; a draft is read only by those draft_agency_ids allows."""
    if term.is_final:
        return True
    agencies = draft_agency_ids(user)
    return agencies is None or term.agency_id in agencies


class ReadPublicWriteSecretariat(permissions.BasePermission):
    """Anyone reads (scoping of drafts happens in get_queryset); the secretariat writes."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return is_secretariat(request.user)
