"""Refunds take back the purchase's share of Likes; Likes already spent become a debt, never a minus."""

from decimal import Decimal

import pytest

from loyalty.ledger import services as ledger
from loyalty.ledger.models import Account, Journal
from loyalty.ledger.selectors import balance_summary
from loyalty.rules.exceptions import InvalidRefund
from loyalty.rules.services import record_purchase, refund_purchase
from tests.factories import PurchaseRuleFactory
from tests.loyalty.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def purchase(member):
    PurchaseRuleFactory()
    return record_purchase(
        member=member, partner="Shop X", order_reference="A-1", amount="40.00", currency="EUR"
    )


def debt_of(member) -> int:
    return Account.objects.get(member=member).debt


def test_a_whole_refund_takes_back_every_like_the_purchase_earned(member, purchase):
    refund = refund_purchase(purchase=purchase, amount="40.00")

    assert refund.likes_reversed == 400 and refund.likes_owed == 0
    assert balance_of(member) == 0
    assert_ledger_consistent()


def test_a_partial_refund_takes_back_the_proportional_likes(member, purchase):
    refund_purchase(purchase=purchase, amount="10.00")

    assert balance_of(member) == 300
    purchase.refresh_from_db()
    assert purchase.refunded_amount == Decimal("10.00") and purchase.likes_reversed == 100


def test_partial_refunds_add_up_to_exactly_the_likes_earned(member):
    PurchaseRuleFactory(likes_per_unit=Decimal("1"))
    purchase = record_purchase(
        member=member, partner="Shop X", order_reference="B", amount="10.00", currency="EUR"
    )

    for _ in range(3):
        refund_purchase(purchase=purchase, amount="3.00")
    refund_purchase(purchase=purchase, amount="1.00")

    assert balance_of(member) == 0
    purchase.refresh_from_db()
    assert purchase.likes_reversed == purchase.likes_earned == 10


def test_likes_already_spent_become_a_debt_and_the_balance_stays_at_zero(member, purchase):
    ledger.redeem(member=member, amount=350)

    refund = refund_purchase(purchase=purchase, amount="40.00")

    assert refund.likes_owed == 350
    assert balance_of(member) == 0
    assert debt_of(member) == 350
    assert balance_summary(member).debt == 350
    assert_ledger_consistent()


def test_the_next_earnings_pay_off_the_debt_first(member, purchase):
    ledger.redeem(member=member, amount=350)
    refund_purchase(purchase=purchase, amount="40.00")

    record_purchase(member=member, partner="Shop X", order_reference="A-2", amount="50.00", currency="EUR")

    assert debt_of(member) == 0
    assert balance_of(member) == 150
    paid = Journal.objects.filter(kind=Journal.Kind.REFUND).order_by("-pk").first()
    assert paid.metadata["debt_paid"] == 350
    assert_ledger_consistent()


def test_the_same_refund_reference_refunds_once(member, purchase):
    first = refund_purchase(purchase=purchase, amount="10.00", reference="R-1")
    again = refund_purchase(purchase=purchase, amount="10.00", reference="R-1")

    assert again.pk == first.pk and again.replayed
    assert balance_of(member) == 300


@pytest.mark.parametrize(
    ("amount", "message"), [("0", "more than zero"), ("40.01", "left to refund"), ("x", "money")]
)
def test_bad_refunds_are_refused_and_change_nothing(member, purchase, amount, message):
    with pytest.raises(Exception, match=message):
        refund_purchase(purchase=purchase, amount=amount)

    assert balance_of(member) == 400
    purchase.refresh_from_db()
    assert purchase.refunded_amount == 0


def test_refunding_more_than_what_is_left_after_a_partial_refund_is_refused(member, purchase):
    refund_purchase(purchase=purchase, amount="30.00")

    with pytest.raises(InvalidRefund, match="10.00"):
        refund_purchase(purchase=purchase, amount="20.00")


def test_pending_likes_of_the_refunded_purchase_are_taken_back_first(member):
    PurchaseRuleFactory(pending_days=14)
    ledger.earn(member=member, amount=500)
    purchase = record_purchase(
        member=member, partner="Shop X", order_reference="P", amount="10.00", currency="EUR"
    )

    refund_purchase(purchase=purchase, amount="10.00")

    summary = balance_summary(member)
    assert (summary.balance, summary.spendable, summary.pending) == (500, 500, 0)
