"""The secretariat's accounts: who signs in, in which role, and which agency a focal point speaks for.

An account is created with its role and, for a focal point, its agency, and
without a password: the person is e-mailed an invitation to choose one
(gmg_portal.accounts.send_invitation). A secretariat member who is not a
superuser manages the readers' and the secretariat's accounts, never a
superuser's, and never grants permissions one by one.
"""

from __future__ import annotations

import logging
import smtplib

from django import forms
from django.contrib import admin
from django.contrib import messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from chairmanship.accounts import Role
from chairmanship.accounts import give_role
from chairmanship.accounts import staff_follows_role
from chairmanship.models import Agency
from chairmanship.models import FocalPoint
from gmg_portal.accounts import send_invitation
from gmg_portal.admin_ids import MalformedIdsMixin

logger = logging.getLogger(__name__)


@admin.register(FocalPoint)
class FocalPointAdmin(MalformedIdsMixin, SimpleHistoryAdmin):
    list_display = ["user", "agency"]
    list_filter = ["agency"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name", "agency__acronym"]
    autocomplete_fields = ["user", "agency"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # The change page's title names the user and the agency (__str__): joined, not read again.
        return super().get_queryset(request).select_related("user", "agency")


class AccountForm(forms.ModelForm):
    """A new account: the person, their role, and for a focal point the agency they speak for."""

    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    agency = forms.ModelChoiceField(
        label=_("agency"),
        queryset=Agency.objects.all(),
        required=False,
        help_text=_("For an agency focal point: the agency they speak for."),
    )

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("The invitation is sent here; it is also the account's user name.")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        taken = User.objects.filter(models.Q(email__iexact=email) | models.Q(username__iexact=email))
        if taken.exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        role, agency = cleaned.get("role"), cleaned.get("agency")
        if role == Role.AGENCY and agency is None:
            self.add_error("agency", _("Choose the agency this focal point speaks for."))
        if role and role != Role.AGENCY and agency is not None:
            self.add_error("agency", _("Only an agency focal point speaks for an agency: leave this empty."))
        return cleaned

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.username = user.email
        user.set_unusable_password()  # until they choose one from the invitation
        if commit:
            user.save()
        return user


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    fields = ["agency"]
    extra = 0
    max_num = 1
    verbose_name = _("agency this focal point speaks for")


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    add_form = AccountForm
    add_form_template = None  # the plain change form: Django's text speaks of choosing a password here
    add_fieldsets = ((None, {"fields": ["email", "first_name", "last_name", "role", "agency"]}),)
    list_display = ["username", "full_name", "roles", "agency", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "focal_point__agency"]
    actions = ["send_invitations"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).select_related("focal_point__agency").prefetch_related("groups")

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, user: User) -> str:
        return user.get_full_name()

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        return ", ".join(str(Role(group.name).label) for group in user.groups.all() if group.name in Role.values)

    @admin.display(description=_("agency"), ordering="focal_point__agency__acronym")
    def agency(self, user: User) -> str:
        focal_point = getattr(user, "focal_point", None)
        return focal_point.agency.acronym if focal_point else ""

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        # Not a superuser: no passwords set by hand (the invitation does it), no permissions one by one.
        return (
            (None, {"fields": ["username"]}),
            (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
            (_("Access"), {"fields": ["is_active", "groups"]}),
            (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None):
        return ["last_login", "date_joined"] if obj is not None and not request.user.is_superuser else []

    def get_inlines(self, request: HttpRequest, obj: User | None):
        return [FocalPointInline] if obj is not None else []

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=Role.values)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # A superuser's account is seen, not changed, by anyone but a superuser: no way up.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = ""):
        if not request.user.is_superuser:
            raise PermissionDenied  # others send an invitation, which lets the person choose
        return super().user_change_password(request, id, form_url)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not change:
            give_role(user, role=Role(form.cleaned_data["role"]), agency=form.cleaned_data["agency"])
            request.accounts_opened = [user]
        else:
            staff_follows_role(user)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None):
        response = super().add_view(request, form_url, extra_context)
        # The invitation leaves once the account is committed, outside the admin's transaction: a slow
        # mail server holds no database lock, and a failure to send loses no account.
        self._invite(request, getattr(request, "accounts_opened", []))
        return response

    @admin.action(description=_("E-mail the selected accounts a link to choose a password"))
    def send_invitations(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        self._invite(request, list(queryset.filter(is_active=True).exclude(email="")))

    def _invite(self, request: HttpRequest, users: list[User]) -> None:
        sent = 0
        for user in users:
            try:
                send_invitation(user, request=request)
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning("Invitation to %s not sent: %s", user.email, exc)
                self.message_user(
                    request,
                    gettext("The invitation to %(email)s could not be sent (%(error)s). Try again later.")
                    % {"email": user.email, "error": exc},
                    messages.ERROR,
                )
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d invitation was e-mailed.", "%(count)d invitations were e-mailed.", sent)
                % {"count": sent},
                messages.SUCCESS,
            )
