"""Member-facing URLs of the loyalty plugin; include them at the site root (they live under /account/)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from loyalty.emails import views as emails
from loyalty.insights.views import survey_answer
from loyalty.ledger.views import account_overview
from loyalty.members.forms import EmailAuthenticationForm
from loyalty.members.views import SignUpView, preferences
from loyalty.rewards import views as rewards
from loyalty.rules.views import invite
from loyalty.sharing.views import ShareView, share_done

app_name = "loyalty"

_reset = "loyalty/members/password_reset"

urlpatterns = [
    path("account/", account_overview, name="account"),
    path("account/join/", SignUpView.as_view(), name="signup"),
    path("account/preferences/", preferences, name="preferences"),
    path("account/invite/", invite, name="invite"),
    path("account/emails/", emails.email_preferences, name="email_preferences"),
    path("emails/unsubscribe/<str:token>/", emails.unsubscribe, name="email_unsubscribe"),
    path("emails/go/<str:token>/", emails.click, name="email_click"),
    path("emails/open/<str:token>/", emails.open_pixel, name="email_open"),
    path("surveys/<str:token>/", survey_answer, name="survey_answer"),
    path("account/share/", ShareView.as_view(), name="share"),
    path("account/share/<int:pk>/", share_done, name="share_done"),
    path("account/rewards/", rewards.reward_list, name="rewards"),
    path("account/rewards/<int:pk>/", rewards.redeem, name="redeem"),
    path("account/vouchers/<str:code>/", rewards.voucher, name="voucher"),
    path(
        "account/login/",
        auth_views.LoginView.as_view(
            template_name="loyalty/members/login.html",
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name=f"{_reset}_form.html",
            email_template_name=f"{_reset}_email.txt",
            subject_template_name=f"{_reset}_subject.txt",
            success_url=reverse_lazy("loyalty:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name=f"{_reset}_done.html"),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=f"{_reset}_confirm.html",
            success_url=reverse_lazy("loyalty:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name=f"{_reset}_complete.html"),
        name="password_reset_complete",
    ),
]
