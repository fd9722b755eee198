"""Who may read and write: the one place the portal decides it.

The GMG's records are public. Reports are the exception: a term's draft
report is read by the Secretariat, by Principals, and by the focal points
of the agency chairing that term (a focal point is a user linked to one
agency: chairmanship.FocalPoint). Everyone else sees what the public sees.
The Secretariat group (or a superuser) writes.
"""

from __future__ import annotations

from typing import Protocol

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist
from rest_framework import permissions

SECRETARIAT = "Secretariat"
AGENCY = "Agency"
PRINCIPAL = "Principal"


class Report(Protocol):
    """What the rule needs of a term (a Chairmanship); the core does not import the domain."""

    agency_id: int
    is_final: bool


def _groups(user: User) -> frozenset[str]:
    # Group membership is not cached by Django's auth backend: keep it on the user for the request.
    cached = getattr(user, "_gmg_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._gmg_groups = cached
    return cached


def is_secretariat(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or SECRETARIAT in _groups(user)


def is_principal(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and PRINCIPAL in _groups(user)


def focal_point_agency_id(user: User | AnonymousUser) -> int | None:
    """The agency `user` speaks for, if they are a focal point (chairmanship.FocalPoint), else None."""
    if not user.is_authenticated:
        return None
    try:
        return user.focal_point.agency_id
    except ObjectDoesNotExist:
        return None


def draft_agency_ids(user: User | AnonymousUser) -> frozenset[int] | None:
    """Whose draft reports `user` reads: None for every term's, else the chairing agencies' (often none)."""
    if is_secretariat(user) or is_principal(user):
        return None
    agency_id = focal_point_agency_id(user)
    return frozenset() if agency_id is None else frozenset({agency_id})


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
