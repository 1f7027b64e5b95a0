"""The plugin's own log-in, log-out and password pages: optional. Include them where the member pages
are (``path("club/", include("loyalty.auth_urls"))``) when the site has no log-in pages of its own;
they log in through the site's ``AUTHENTICATION_BACKENDS``."""

from django.urls import path, reverse_lazy

from loyalty.members import auth_views

app_name = "loyalty_auth"

urlpatterns = [
    path("account/login/", auth_views.MemberLoginView.as_view(), name="login"),
    path("account/logout/", auth_views.MemberLogoutView.as_view(), name="logout"),
    path("account/password-reset/", auth_views.MemberPasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name=f"{auth_views.RESET}_done.html"),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=f"{auth_views.RESET}_confirm.html",
            success_url=reverse_lazy("loyalty_auth:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name=f"{auth_views.RESET}_complete.html"),
        name="password_reset_complete",
    ),
]
