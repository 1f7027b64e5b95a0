"""record_purchase: Likes per amount spent, rounding, minimum spend, categories, dates, pending, caps."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty.ledger.exceptions import IdempotencyConflict, InactiveMember
from loyalty.ledger.models import Journal, Lot
from loyalty.ledger.selectors import balance_summary
from loyalty.members.services import leave_program
from loyalty.rules.exceptions import InvalidPurchase
from loyalty.rules.models import CategoryMultiplier, Purchase
from loyalty.rules.services import PurchaseItemData, record_purchase
from tests.factories import ActionRuleFactory, ProductCategoryFactory, PurchaseRuleFactory
from tests.loyalty.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db


def buy(member, amount, *, reference="A-1", partner="Shop X", **kwargs):
    return record_purchase(
        member=member, partner=partner, order_reference=reference, amount=amount, currency="EUR", **kwargs
    )


def test_a_purchase_earns_likes_per_unit_spent_and_says_where(member):
    PurchaseRuleFactory()

    purchase = buy(member, "12.30")

    assert purchase.likes_earned == 123
    assert balance_of(member) == 123
    journal = Journal.objects.get(kind=Journal.Kind.EARN)
    assert journal.metadata["partner"] == "Shop X"
    assert Purchase.objects.get().amount == Decimal("12.30")
    assert_ledger_consistent()


@pytest.mark.parametrize(("rounding", "expected"), [("down", 12), ("half_up", 13), ("up", 13)])
def test_the_rule_rounding_mode_decides_fractions(member, rounding, expected):
    PurchaseRuleFactory(likes_per_unit=Decimal("1"), rounding=rounding)

    assert buy(member, "12.60").likes_earned == expected


def test_rounding_falls_back_to_the_currency_setting(member):
    from wagtail.models import Site

    from loyalty.ledger.models import LedgerSettings

    LedgerSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"rounding": "up"}
    )
    PurchaseRuleFactory(likes_per_unit=Decimal("1"))

    assert buy(member, "12.10").likes_earned == 13


def test_a_purchase_below_the_minimum_spend_earns_nothing(member):
    PurchaseRuleFactory(minimum_spend=Decimal("20.00"))

    assert buy(member, "19.99").likes_earned == 0
    assert buy(member, "20.00", reference="A-2").likes_earned == 200


def test_a_purchase_in_another_currency_earns_nothing(member):
    PurchaseRuleFactory()

    purchase = record_purchase(
        member=member, partner="Shop X", order_reference="U-1", amount="10", currency="usd"
    )

    assert purchase.likes_earned == 0
    assert purchase.currency == "USD"


def test_category_multipliers_weigh_each_items_share_of_the_amount(member):
    shoes = ProductCategoryFactory(slug="shoes")
    rule = PurchaseRuleFactory()
    CategoryMultiplier.objects.create(rule=rule, category=shoes, multiplier=Decimal("2"))

    purchase = buy(
        member,
        "30.00",
        items=[
            PurchaseItemData(sku="S1", category="shoes", quantity=1, unit_price=Decimal("20.00")),
            PurchaseItemData(sku="T1", category="tops", quantity=2, unit_price=Decimal("5.00")),
        ],
    )

    # shoes 20.00 x2 + tops 10.00 x1 = 50.00 weighted euros
    assert purchase.likes_earned == 500
    assert purchase.items.count() == 2


def test_a_discounted_order_spreads_the_paid_amount_over_its_items(member):
    shoes = ProductCategoryFactory(slug="shoes")
    rule = PurchaseRuleFactory()
    CategoryMultiplier.objects.create(rule=rule, category=shoes, multiplier=Decimal("2"))

    purchase = buy(
        member,
        "10.00",
        items=[PurchaseItemData(sku="S1", category="shoes", quantity=1, unit_price=Decimal("20.00"))],
    )

    assert purchase.likes_earned == 200  # the 10.00 actually paid, doubled


def test_rules_outside_their_dates_or_switched_off_do_not_apply(member):
    now = timezone.now()
    PurchaseRuleFactory(active_from=now + timedelta(days=1))
    PurchaseRuleFactory(active_until=now - timedelta(days=1), active_from=now - timedelta(days=9))
    PurchaseRuleFactory(is_active=False)

    assert buy(member, "10").likes_earned == 0


def test_a_promotion_rule_adds_to_the_base_rule_while_it_runs(member):
    now = timezone.now()
    PurchaseRuleFactory()
    PurchaseRuleFactory(
        name="Double December", active_from=now - timedelta(days=1), active_until=now + timedelta(days=1)
    )

    assert buy(member, "10").likes_earned == 200
    assert Journal.objects.filter(kind=Journal.Kind.EARN).count() == 2


def test_likes_from_a_purchase_stay_pending_through_the_return_window(member):
    PurchaseRuleFactory(pending_days=14)

    buy(member, "10")

    summary = balance_summary(member)
    assert (summary.balance, summary.spendable, summary.pending) == (100, 0, 100)
    lot = Lot.objects.get()
    assert lot.available_at.date() == (timezone.now() + timedelta(days=14)).date()


def test_a_rule_can_give_likes_a_shorter_life(member):
    PurchaseRuleFactory(valid_days=15)

    buy(member, "10")

    assert (Lot.objects.get().expires_at - timezone.now()).days == 14


def test_a_daily_cap_limits_likes_from_purchases(member):
    PurchaseRuleFactory(cap_per_day=150)

    assert buy(member, "10", reference="A-1").likes_earned == 100
    assert buy(member, "10", reference="A-2").likes_earned == 50
    assert buy(member, "10", reference="A-3").likes_earned == 0
    assert balance_of(member) == 150


def test_the_same_order_reference_books_once(member):
    PurchaseRuleFactory()

    first = buy(member, "10")
    again = buy(member, "10")

    assert again.pk == first.pk and again.replayed
    assert balance_of(member) == 100


def test_the_same_order_reference_with_other_details_is_a_conflict(member):
    PurchaseRuleFactory()
    buy(member, "10")

    with pytest.raises(IdempotencyConflict):
        buy(member, "11")
    assert balance_of(member) == 100


def test_the_first_purchase_earns_the_first_purchase_bonus_once(member):
    PurchaseRuleFactory()
    ActionRuleFactory(trigger="first_purchase", likes=50)

    assert buy(member, "10", reference="A-1").likes_earned == 150
    assert buy(member, "10", reference="A-2").likes_earned == 100


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "-5"}, "zero or more"),
        ({"amount": "ten"}, "amount of money"),
        ({"amount": "1.234"}, "two decimals"),
        ({"currency": "EURO"}, "three-letter"),
        ({"order_reference": " "}, "order reference"),
        ({"items": [PurchaseItemData(sku="X", quantity=0, unit_price=Decimal("1"))]}, "quantity"),
        ({"occurred_at": "in two days"}, "future"),
    ],
)
def test_bad_purchases_are_refused_with_the_reason_and_book_nothing(member, changes, message):
    PurchaseRuleFactory()
    if changes.get("occurred_at") == "in two days":  # relative to the test's clock, not collection time
        changes = {"occurred_at": timezone.now() + timedelta(days=2)}
    data = {"amount": "10", "currency": "EUR", "order_reference": "A-1", **changes}

    with pytest.raises(InvalidPurchase, match=message):
        record_purchase(member=member, partner="Shop X", **data)
    assert Purchase.objects.count() == 0
    assert balance_of(member) == 0


def test_a_member_who_left_cannot_record_purchases(member):
    PurchaseRuleFactory()
    leave_program(member=member)

    with pytest.raises(InactiveMember):
        buy(member, "10")
    assert Purchase.objects.count() == 0
