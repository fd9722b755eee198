"""Accounts: a person, their role, and for an agency focal point the agency they speak for.

The secretariat opens accounts in the admin (no self-registration). A role is
a group (gmg_portal.permissions); only the Secretariat is staff, because the
admin is the Secretariat's. What each role may read is decided in
gmg_portal/permissions.py.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.db import models
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chairmanship.models import Agency
from chairmanship.models import FocalPoint
from gmg_portal import permissions


class Role(models.TextChoices):
    # The values are the groups' names.
    AGENCY = permissions.AGENCY, _("Agency focal point")
    PRINCIPAL = permissions.PRINCIPAL, _("Principal")
    SECRETARIAT = permissions.SECRETARIAT, _("Secretariat")


@transaction.atomic
def give_role(user: User, *, role: Role, agency: Agency | None) -> None:
    """Make a saved account one of `role`, a focal point of `agency` for the Agency role (and of none otherwise)."""
    user.groups.set([Group.objects.get(name=role)])
    if role == Role.AGENCY and agency is not None:
        FocalPoint.objects.update_or_create(user=user, defaults={"agency": agency})
    else:
        FocalPoint.objects.filter(user=user).delete()
    staff_follows_role(user)


def staff_follows_role(user: User) -> None:
    """Only the Secretariat (and superusers) are staff: the admin is theirs."""
    is_staff = user.is_superuser or user.groups.filter(name=permissions.SECRETARIAT).exists()
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
