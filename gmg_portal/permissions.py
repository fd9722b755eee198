"""Who may read and write: the one place the portal decides it.

The GMG's records are public; reports in draft are visible to signed-in
users only; the Secretariat group (or a superuser) writes.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User
from rest_framework import permissions

SECRETARIAT = "Secretariat"
AGENCY = "Agency"
PRINCIPAL = "Principal"


def is_secretariat(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Cached per request object by Django's auth backend is not available
    # for groups, so keep the membership on the user instance.
    cached = getattr(user, "_gmg_is_secretariat", None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT).exists()
        user._gmg_is_secretariat = cached
    return cached


def can_see_drafts(user: User | AnonymousUser) -> bool:
    return user.is_authenticated


class ReadPublicWriteSecretariat(permissions.BasePermission):
    """Anyone reads (scoping of drafts happens in get_queryset); the secretariat writes."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return is_secretariat(request.user)
