"""Redeeming rewards for vouchers, cancelling them, and quoting a checkout discount."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from loyalty.ledger import services as ledger
from loyalty.ledger.exceptions import InsufficientLikes, ReasonRequired
from loyalty.rewards.exceptions import AlreadyCancelled, InvalidOrderAmount, OutOfStock, RewardUnavailable
from loyalty.rewards.models import DiscountPolicy, Redemption, Reward
from loyalty.rewards.selectors import discount_quote_for, quote_discount
from loyalty.rewards.services import cancel_redemption, redeem_reward
from tests.factories import RewardFactory
from tests.loyalty.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_member(member):
    ledger.earn(member=member, amount=1_000)
    return member


def test_redeeming_spends_the_cost_and_issues_a_unique_voucher(
    rich_member, django_capture_on_commit_callbacks
):
    reward = RewardFactory(cost=300, stock=5)

    with django_capture_on_commit_callbacks(execute=True):
        redemption = redeem_reward(member=rich_member, reward=reward)

    assert balance_of(rich_member) == 700
    reward.refresh_from_db()
    assert reward.stock == 4
    assert len(redemption.code) == 14 and redemption.status == Redemption.Status.ISSUED
    assert len(mail.outbox) == 1 and redemption.code in mail.outbox[0].body
    assert_ledger_consistent()


def test_an_unlimited_reward_never_runs_out(rich_member):
    reward = RewardFactory(cost=100, stock=None)

    for _ in range(3):
        redeem_reward(member=rich_member, reward=reward)

    reward.refresh_from_db()
    assert reward.stock is None


def test_redeeming_the_same_click_twice_issues_one_voucher(rich_member):
    reward = RewardFactory(cost=300)

    first = redeem_reward(
        member=rich_member, reward=reward, idempotency_source="member:1", idempotency_key="t1"
    )
    again = redeem_reward(
        member=rich_member, reward=reward, idempotency_source="member:1", idempotency_key="t1"
    )

    assert again.pk == first.pk and again.replayed
    assert balance_of(rich_member) == 700


def test_a_reward_out_of_stock_is_refused_and_costs_nothing(rich_member):
    reward = RewardFactory(cost=100, stock=0)

    with pytest.raises(OutOfStock):
        redeem_reward(member=rich_member, reward=reward)
    assert balance_of(rich_member) == 1_000


def test_a_reward_outside_its_dates_or_switched_off_is_refused(rich_member):
    now = timezone.now()
    for reward in (
        RewardFactory(is_active=False),
        RewardFactory(active_from=now + timedelta(days=1)),
        RewardFactory(active_until=now - timedelta(days=1), active_from=now - timedelta(days=5)),
    ):
        with pytest.raises(RewardUnavailable):
            redeem_reward(member=rich_member, reward=reward)
    assert balance_of(rich_member) == 1_000


def test_not_enough_likes_is_refused_and_keeps_the_stock(member):
    ledger.earn(member=member, amount=50)
    reward = RewardFactory(cost=100, stock=1)

    with pytest.raises(InsufficientLikes):
        redeem_reward(member=member, reward=reward)
    reward.refresh_from_db()
    assert reward.stock == 1 and Redemption.objects.count() == 0


def test_an_editor_cancels_a_voucher_and_the_likes_and_stock_come_back(rich_member, editor):
    reward = RewardFactory(cost=300, stock=1)
    redemption = redeem_reward(member=rich_member, reward=reward)

    cancel_redemption(redemption=redemption, editor=editor, reason="Event cancelled")

    assert balance_of(rich_member) == 1_000
    reward.refresh_from_db()
    assert reward.stock == 1
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.CANCELLED and redemption.cancelled_by == editor
    assert_ledger_consistent()


def test_cancelling_needs_a_reason_and_happens_once(rich_member, editor):
    redemption = redeem_reward(member=rich_member, reward=RewardFactory(cost=100))

    with pytest.raises(ReasonRequired):
        cancel_redemption(redemption=redemption, editor=editor, reason=" ")
    cancel_redemption(redemption=redemption, editor=editor, reason="Mistake")
    with pytest.raises(AlreadyCancelled):
        cancel_redemption(redemption=redemption, editor=editor, reason="Mistake")
    assert balance_of(rich_member) == 1_000


def policy(**fields):
    return DiscountPolicy(
        **{"likes_per_step": 10, "value_per_step": Decimal("0.05"), "max_share_of_order": 50, **fields}
    )


def test_a_quote_is_capped_at_the_policys_share_of_the_order():
    quote = quote_discount(spendable=100_000, order_amount=Decimal("20.00"), policy=policy())

    assert (quote.likes, quote.value, quote.max_value) == (2_000, Decimal("10.00"), Decimal("10.00"))


def test_a_quote_uses_only_whole_steps_of_spendable_likes():
    quote = quote_discount(spendable=129, order_amount=Decimal("100.00"), policy=policy())

    assert (quote.likes, quote.value) == (120, Decimal("0.60"))


def test_a_quote_is_zero_when_the_policy_is_switched_off():
    assert (
        quote_discount(spendable=1000, order_amount=Decimal("100"), policy=policy(enabled=False)).likes == 0
    )


def test_a_members_quote_counts_only_spendable_likes(member):
    ledger.earn(member=member, amount=100)
    ledger.earn(member=member, amount=500, available_at=timezone.now() + timedelta(days=3))

    assert discount_quote_for(member, "100.00").likes == 100


@pytest.mark.parametrize("amount", ["0", "-3", "lots", "NaN"])
def test_a_quote_for_a_bad_order_amount_is_refused(member, amount):
    with pytest.raises(InvalidOrderAmount):
        discount_quote_for(member, amount)


def test_rewards_never_show_a_negative_stock_to_the_database(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Reward.objects.create(title="Broken", cost=10, stock=-1)
