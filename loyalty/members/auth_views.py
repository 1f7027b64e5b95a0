"""The plugin's optional log-in, log-out and password-reset views (``loyalty.auth_urls``)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views
from django.contrib.auth.views import (
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
)
from django.shortcuts import resolve_url
from django.urls import get_script_prefix, reverse, reverse_lazy
from django.utils.translation import gettext as _

from .forms import MemberAuthenticationForm

RESET = "loyalty/members/password_reset"

__all__ = [
    "MemberLoginView",
    "MemberLogoutView",
    "MemberPasswordResetView",
    "PasswordResetCompleteView",
    "PasswordResetConfirmView",
    "PasswordResetDoneView",
]


class MemberLoginView(views.LoginView):
    """Log in with an email address (or a username, on a site whose users have one). Afterwards
    members land on ?next= or their account page, never Django's /accounts/profile/."""

    template_name = "loyalty/members/login.html"
    authentication_form = MemberAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("loyalty:account")


class MemberLogoutView(views.LogoutView):
    """Log out (POST) and land on ?next=, the site's ``LOGOUT_REDIRECT_URL``, or the home page,
    with a message; never Django admin's "Logged out" page."""

    def get_default_redirect_url(self):
        return resolve_url(settings.LOGOUT_REDIRECT_URL or get_script_prefix())

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are logged out. See you soon!"))
        return response


class MemberPasswordResetView(views.PasswordResetView):
    template_name = f"{RESET}_form.html"
    email_template_name = f"{RESET}_email.txt"
    subject_template_name = f"{RESET}_subject.txt"
    success_url = reverse_lazy("loyalty_auth:password_reset_done")
