"""Editors in the Wagtail admin: create rules and rewards, change the sharing policy, cancel vouchers."""

import pytest
from django.urls import reverse

from loyalty.ledger import services as ledger
from loyalty.rewards.models import Redemption, Reward
from loyalty.rewards.services import redeem_reward
from loyalty.rules.models import EarningRule
from loyalty.sharing.models import SharingPolicy
from tests.conftest import grant
from tests.factories import RewardFactory
from tests.loyalty.ledger.helpers import balance_of
from tests.site_settings import default_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    grant(
        editor,
        "add_earningrule",
        "change_earningrule",
        "view_earningrule",
        "add_reward",
        "change_reward",
        "view_reward",
        "view_redemption",
        "change_redemption",
        "change_sharingpolicy",
        "change_discountpolicy",
        "view_share",
    )
    client.force_login(editor)
    return client


def inline_management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def rule_form(**fields):
    return {
        "name": "Likes per euro",
        "trigger": "purchase",
        "is_active": "on",
        "likes_per_unit": "10",
        "unit_amount": "1.00",
        "currency": "eur",
        "minimum_spend": "0",
        "rounding": "",
        "pending_days": "14",
        **inline_management("category_multipliers"),
        **fields,
    }


def test_an_editor_creates_a_purchase_rule(editor_client):
    response = editor_client.post(reverse("wagtailsnippets_loyalty_rules_earningrule:add"), rule_form())

    assert response.status_code == 302, response.content.decode()[:2000]
    rule = EarningRule.objects.get()
    assert (rule.likes_per_unit, rule.currency, rule.pending_days) == (10, "EUR", 14)


def test_a_purchase_rule_without_a_rate_is_refused_with_the_reason(editor_client):
    response = editor_client.post(
        reverse("wagtailsnippets_loyalty_rules_earningrule:add"), rule_form(likes_per_unit="")
    )

    assert response.status_code == 200
    assert "A purchase rule needs the Likes per unit spent" in response.content.decode()
    assert EarningRule.objects.count() == 0


def test_an_editor_creates_an_action_rule_with_a_daily_cap(editor_client):
    response = editor_client.post(
        reverse("wagtailsnippets_loyalty_rules_earningrule:add"),
        rule_form(trigger="post", likes_per_unit="", likes="10", cap_per_day="30", name="Posts"),
    )

    assert response.status_code == 302
    assert EarningRule.objects.get().cap_per_day == 30


def test_an_editor_creates_a_reward(editor_client):
    response = editor_client.post(
        reverse("wagtailsnippets_loyalty_rewards_reward:add"),
        {
            "title": "Cinema ticket",
            "description": "Any film",
            "cost": "500",
            "stock": "20",
            "is_active": "on",
            "audience": "all",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Reward.objects.get().stock == 20


def test_a_reward_costing_nothing_is_refused(editor_client):
    response = editor_client.post(
        reverse("wagtailsnippets_loyalty_rewards_reward:add"),
        {"title": "Free", "cost": "0", "is_active": "on", "audience": "all"},
    )

    assert response.status_code == 200
    assert Reward.objects.count() == 0


def test_an_editor_changes_the_sharing_policy(editor_client):
    site = default_site()
    url = reverse("wagtailsettings:edit", args=["loyalty_sharing", "sharingpolicy", site.pk])
    data = {
        "enabled": "on",
        "min_per_share": "5",
        "max_per_share": "200",
        "daily_send_limit": "300",
        "daily_receive_limit": "600",
        "receiver_must_be_active": "on",
        "shared_valid_days": "90",
        "invitation_days": "14",
    }

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    policy = SharingPolicy.for_site(site)
    assert (policy.max_per_share, policy.allow_tips, policy.shared_valid_days) == (200, False, 90)


def test_a_policy_whose_minimum_is_above_its_maximum_is_refused(editor_client):
    site = default_site()
    url = reverse("wagtailsettings:edit", args=["loyalty_sharing", "sharingpolicy", site.pk])

    response = editor_client.post(
        url,
        {
            "min_per_share": "50",
            "max_per_share": "10",
            "daily_send_limit": "1",
            "daily_receive_limit": "1",
            "shared_valid_days": "1",
            "invitation_days": "1",
        },
    )

    assert response.status_code == 200
    assert "cannot be below the least per share" in response.content.decode()


def test_the_loyalty_menu_lists_rules_rewards_vouchers_and_policies(editor_client):
    page = editor_client.get(reverse("wagtailadmin_home")).content.decode()

    for label in ("Earning rules", "Rewards", "Vouchers", "Sharing policy", "Checkout discount"):
        assert label in page


def test_an_editor_cancels_a_voucher_with_a_reason_and_the_likes_come_back(editor_client, member):
    ledger.earn(member=member, amount=300)
    redemption = redeem_reward(member=member, reward=RewardFactory(cost=200, stock=1))
    url = reverse("loyalty_redemptions:cancel", args=[redemption.pk])

    refused = editor_client.post(url, {"reason": ""})
    assert "Cancelling a voucher needs a reason." in refused.content.decode()

    response = editor_client.post(url, {"reason": "Event cancelled"})

    assert response.status_code == 302
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.CANCELLED
    assert balance_of(member) == 300


def test_an_editor_without_permission_cannot_cancel_vouchers(client, viewer, member):
    ledger.earn(member=member, amount=300)
    redemption = redeem_reward(member=member, reward=RewardFactory(cost=200))
    client.force_login(viewer)

    response = client.post(reverse("loyalty_redemptions:cancel", args=[redemption.pk]), {"reason": "x"})

    assert response.status_code in (302, 403)
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.ISSUED


def test_the_voucher_list_does_a_constant_number_of_queries(
    editor_client, member, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ledger.earn(member=member, amount=10_000)
    reward = RewardFactory(cost=10)
    redeem_reward(member=member, reward=reward)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(reverse("loyalty_redemptions:index"))
    for _ in range(10):
        redeem_reward(member=member, reward=reward)

    with django_assert_max_num_queries(len(few)):
        editor_client.get(reverse("loyalty_redemptions:index"))
