"""Reads for rewards: what a member can redeem, their vouchers, and what their Likes buy at checkout."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.db.models import Prefetch
from wagtail.images import get_image_model

from loyalty.core.money import MAX_MONEY
from loyalty.ledger.conf import default_site_setting
from loyalty.ledger.selectors import balance_summary

from .exceptions import InvalidOrderAmount
from .models import DiscountPolicy, Redemption, Reward

CARD_RENDITION = "fill-480x300"  # the spec list.html uses; keep the two the same


def rewards_for_member(member):
    """Rewards on offer now, with their card images' renditions fetched in the same few queries."""
    images = get_image_model().objects.prefetch_renditions(CARD_RENDITION)
    return Reward.objects.available().prefetch_related(Prefetch("image", queryset=images))


def vouchers_of(member):
    return Redemption.objects.filter(member=member).select_related("reward")


@dataclass(frozen=True)
class DiscountQuote:
    """How many Likes a member can put towards an order, and what they are worth."""

    likes: int
    value: Decimal
    currency: str
    spendable: int
    max_value: Decimal


def discount_policy() -> DiscountPolicy:
    return default_site_setting(DiscountPolicy)


def quote_discount(*, spendable: int, order_amount: Decimal, policy: DiscountPolicy) -> DiscountQuote:
    """Whole steps of Likes only, never more than the member can spend or the policy's share of the order."""
    cap = (order_amount * policy.max_share_of_order / 100).quantize(Decimal("0.01"), ROUND_FLOOR)
    if not policy.enabled:
        return DiscountQuote(0, Decimal("0.00"), policy.currency, spendable, Decimal("0.00"))
    steps = min(spendable // policy.likes_per_step, int(cap // policy.value_per_step))
    return DiscountQuote(
        likes=steps * policy.likes_per_step,
        value=(steps * policy.value_per_step).quantize(Decimal("0.01")),
        currency=policy.currency,
        spendable=spendable,
        max_value=cap,
    )


def discount_quote_for(member, order_amount) -> DiscountQuote:
    """The checkout quote partners ask for before redeeming (``order_amount`` in the policy's currency)."""
    try:
        amount = Decimal(str(order_amount))
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidOrderAmount() from None
    if (
        not amount.is_finite() or amount <= 0 or amount > MAX_MONEY
    ):  # beyond it a quote has no meaning, and overflows
        raise InvalidOrderAmount()
    return quote_discount(
        spendable=balance_summary(member).spendable, order_amount=amount, policy=discount_policy()
    )
