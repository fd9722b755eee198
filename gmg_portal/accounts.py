"""The site's sign-in for focal points and principals (the secretariat may use it too), and invitations.

Django's own auth views and password-reset machinery, in the site's layout:
an invitation is a password-reset link sent to an account that has no
password yet. The admin keeps its own sign-in page; both share the
brute-force lockout (django-axes counts every authenticate()).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.urls import path
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from gmg_portal import cache as shared_cache
from gmg_portal.permissions import focal_point_agency_id

logger = logging.getLogger(__name__)


# Reset e-mails one address may be sent in RESET_WINDOW seconds: enough for a person who asks again, too few
# to fill someone's mailbox from the form.
RESET_LIMIT = 3
RESET_WINDOW = 3600


def reset_allowed(email: str) -> bool:
    """Count a reset asked for `email`; False once RESET_LIMIT were asked within RESET_WINDOW.

    Kept in the cache (shared by the app servers when CACHE_URL is Redis); without a cache, always True.
    """
    key = "accounts:reset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
    asked = shared_cache.get(key, 0)
    if asked >= RESET_LIMIT:
        return False
    shared_cache.set(key, asked + 1, RESET_WINDOW)
    return True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"

    def form_valid(self, form):
        if not reset_allowed(form.cleaned_data["email"]):
            logger.warning("Password reset not sent: %d already asked for this address within the hour", RESET_LIMIT)
            # The same answer as when an e-mail is sent: the form tells nobody which addresses have accounts.
            return HttpResponseRedirect(self.get_success_url())
        # The link leads to the portal's public address, as an invitation's does, not to the host this request
        # named (behind a proxy, an internal name the reader cannot reach).
        self.extra_email_context = {"portal": portal_address(self.request)}
        return super().form_valid(form)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # A focal point's first page is its own agency's; everyone else starts at home.
        if focal_point_agency_id(self.request.user) is not None:
            return resolve_url("pages:my-agency")
        return resolve_url(settings.LOGIN_REDIRECT_URL)


# Django's password pages in the site's layout: address, view, URL name and template (accounts/…).
_PASSWORD_PAGES = (
    ("password/", auth_views.PasswordChangeView, "password_change", "password_change_form"),
    ("password/done/", auth_views.PasswordChangeDoneView, "password_change_done", "password_change_done"),
    ("password/reset/sent/", auth_views.PasswordResetDoneView, "password_reset_done", "password_reset_done"),
    (
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView,
        "password_reset_confirm",
        "password_reset_confirm",
    ),
    ("reset/done/", auth_views.PasswordResetCompleteView, "password_reset_complete", "password_reset_complete"),
)

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", PasswordResetView.as_view(), name="password_reset"),
    *(
        path(route, view.as_view(template_name=f"accounts/{template}.html"), name=name)
        for route, view, name, template in _PASSWORD_PAGES
    ),
]


def portal_address(request: HttpRequest) -> str:
    """Where links in an e-mail point: GMG_PUBLIC_URL when set, else the address the request came to."""
    return settings.GMG_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")


def send_invitation(user: User, *, request: HttpRequest) -> None:
    """E-mail `user` a link to set their password (Django's reset token: valid once, for PASSWORD_RESET_TIMEOUT)."""
    address = portal_address(request)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "user": user,
        "set_password_url": address + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}),
        "sign_in_url": address + reverse("login"),
        "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
    }
    subject = render_to_string("accounts/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])
