"""Member-facing URLs of the loyalty plugin. Include them under any prefix the site chooses
(``path("club/", include("loyalty.urls"))``) or at the root; the plugin's own log-in pages are in
``loyalty.auth_urls``, which is optional."""

from django.urls import path

from loyalty.emails import views as emails
from loyalty.insights.views import survey_answer
from loyalty.ledger.views import account_overview
from loyalty.members.views import SignUpView, preferences
from loyalty.rewards import views as rewards
from loyalty.rules.views import invite
from loyalty.sharing.views import ShareView, share_done

app_name = "loyalty"

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
]
