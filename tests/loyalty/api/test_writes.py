"""Purchases, refunds, redemptions and transfers through the API, with idempotent retries."""

import pytest

from loyalty.ledger import services as ledger
from loyalty.rewards.models import Redemption
from loyalty.rules.models import Purchase
from loyalty.sharing.models import Share, SharingPolicy
from tests.factories import PurchaseRuleFactory, RewardFactory
from tests.loyalty.ledger.helpers import balance_of
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db


def purchase_body(who, **changes):
    return {
        "member": who.number,
        "order_reference": "A-1",
        "amount": "25.00",
        "currency": "EUR",
        "occurred_at": "2026-11-20T10:00:00Z",
        "items": [{"sku": "S1", "category": "plants", "quantity": 1, "unit_price": "25.00"}],
        **changes,
    }


def test_a_purchase_earns_likes_and_returns_the_balance(api, member):
    PurchaseRuleFactory()

    response = api.post("/api/v1/purchases/", purchase_body(member), format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["likes_earned"], body["balance"], body["amount"]) == (250, 250, "25.00")
    assert Purchase.objects.get().partner == "shop-x"


def test_a_retry_with_the_same_idempotency_key_returns_the_original_and_books_nothing(api, member):
    PurchaseRuleFactory()

    first = api.post("/api/v1/purchases/", purchase_body(member), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/api/v1/purchases/", purchase_body(member), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert balance_of(member) == 250


def test_the_same_key_with_a_different_body_is_409(api, member):
    api.post("/api/v1/purchases/", purchase_body(member), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    response = api.post(
        "/api/v1/purchases/", purchase_body(member, amount="26.00"), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"


def test_a_refused_request_can_be_corrected_and_retried_with_the_same_key(api, member):
    bad = api.post(
        "/api/v1/purchases/", purchase_body(member, currency="EURO"), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    good = api.post("/api/v1/purchases/", purchase_body(member), format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert (bad.status_code, good.status_code) == (400, 201)


def test_the_same_order_reference_without_a_key_books_once(api, member):
    PurchaseRuleFactory()

    api.post("/api/v1/purchases/", purchase_body(member), format="json")
    again = api.post("/api/v1/purchases/", purchase_body(member), format="json")

    assert again.status_code == 200
    assert balance_of(member) == 250


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "-1"}, "amount"),
        ({"amount": "1.234"}, "amount"),
        ({"currency": "EURO"}, "currency"),
        ({"items": [{"sku": "S", "quantity": 0, "unit_price": "1"}]}, "items.0.quantity"),
        ({"occurred_at": "last tuesday"}, "occurred_at"),
        ({"member": ""}, "member"),
    ],
)
def test_bad_purchases_name_the_field_and_book_nothing(api, member, changes, field):
    response = api.post("/api/v1/purchases/", purchase_body(member, **changes), format="json")

    assert response.status_code == 400
    if field == "amount":
        assert response.json()["code"] == "invalid_amount"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Purchase.objects.count() == 0


def test_a_purchase_for_an_unknown_member_is_404(api, member):
    response = api.post("/api/v1/purchases/", purchase_body(member, member="0000000000"), format="json")

    assert (response.status_code, response.json()["code"]) == (404, "unknown_member")


def test_a_body_that_is_not_json_is_a_clear_400(api):
    response = api.generic("POST", "/api/v1/purchases/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_refund_takes_back_likes_and_reports_any_debt(api, member):
    PurchaseRuleFactory()
    purchase_id = api.post("/api/v1/purchases/", purchase_body(member), format="json").json()["id"]
    ledger.earn(member=member, amount=1)
    ledger.redeem(member=member, amount=201)

    response = api.post(f"/api/v1/purchases/{purchase_id}/refunds/", {"amount": "25.00"}, format="json")

    assert response.status_code == 201
    assert response.json() == {
        "id": response.json()["id"],
        "amount": "25.00",
        "likes_reversed": 250,
        "likes_owed": 200,
        "balance": 0,
    }


def test_a_partner_cannot_refund_another_partners_purchase(api, key_with, member):
    purchase_id = api.post("/api/v1/purchases/", purchase_body(member), format="json").json()["id"]

    response = key_with("purchases:write", partner="Shop Y").post(
        f"/api/v1/purchases/{purchase_id}/refunds/", {"amount": "5.00"}, format="json"
    )

    assert response.status_code == 404


def test_refunding_more_than_is_left_is_400(api, member):
    purchase_id = api.post("/api/v1/purchases/", purchase_body(member), format="json").json()["id"]

    response = api.post(f"/api/v1/purchases/{purchase_id}/refunds/", {"amount": "30.00"}, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "invalid_refund")


def test_redeeming_a_reward_returns_the_voucher_and_the_balance(api, member):
    ledger.earn(member=member, amount=300)
    reward = RewardFactory(cost=100)

    response = api.post("/api/v1/redemptions/", {"member": member.number, "reward": reward.pk}, format="json")

    assert response.status_code == 201
    assert response.json()["balance"] == 200
    assert response.json()["voucher_code"] == Redemption.objects.get().code


def test_redeeming_an_amount_needs_a_reason(api, member):
    ledger.earn(member=member, amount=300)

    refused = api.post("/api/v1/redemptions/", {"member": member.number, "amount": 50}, format="json")
    done = api.post(
        "/api/v1/redemptions/", {"member": member.number, "amount": 50, "reason": "Discount"}, format="json"
    )

    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "reason"
    assert done.json()["balance"] == 250


def test_redeeming_more_than_the_member_has_is_422_insufficient_likes(api, member):
    response = api.post(
        "/api/v1/redemptions/", {"member": member.number, "amount": 50, "reason": "x"}, format="json"
    )

    assert response.status_code == 422
    assert response.json()["code"] == "insufficient_likes"
    assert response.json()["meta"] == {"available": 0, "requested": 50}


def test_a_transfer_shares_on_the_senders_behalf(api, member, other_member):
    ledger.earn(member=member, amount=100)

    response = api.post(
        "/api/v1/transfers/",
        {"sender": member.number, "receiver": other_member.number, "amount": 20, "message": "Thanks!"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["sender_balance"] == 80
    assert balance_of(other_member) == 20


@pytest.mark.parametrize(
    ("setup", "body", "code"),
    [
        (
            lambda m, o: None,
            lambda m, o: {"sender": m.number, "receiver": m.number, "amount": 5},
            "self_transfer",
        ),
        (
            lambda m, o: None,
            lambda m, o: {"sender": m.number, "receiver": "0000000000", "amount": 5},
            "unknown_member",
        ),
        (
            lambda m, o: None,
            lambda m, o: {"sender": m.number, "receiver": o.number, "amount": 500},
            "insufficient_likes",
        ),
        (
            lambda m, o: set_site_setting(SharingPolicy, daily_send_limit=10),
            lambda m, o: {"sender": m.number, "receiver": o.number, "amount": 20},
            "sharing_limit_reached",
        ),
    ],
)
def test_transfer_refusals_use_stable_codes(api, member, other_member, setup, body, code):
    ledger.earn(member=member, amount=100)
    setup(member, other_member)

    response = api.post("/api/v1/transfers/", body(member, other_member), format="json")

    assert response.json()["code"] == code
    assert Share.objects.count() == 0


def test_a_transfer_from_a_member_who_left_is_inactive_member(api, member, other_member):
    from loyalty.members.services import leave_program

    ledger.earn(member=member, amount=100)
    leave_program(member=member)

    response = api.post(
        "/api/v1/transfers/",
        {"sender": member.number, "receiver": other_member.number, "amount": 5},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (422, "inactive_member")


def test_a_zero_amount_is_a_validation_error(api, member, other_member):
    response = api.post(
        "/api/v1/transfers/",
        {"sender": member.number, "receiver": other_member.number, "amount": 0},
        format="json",
    )

    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "amount"
    assert response.json()["code"] == "invalid_amount"


LONG_KEY = "k" * 250


def test_transfers_whose_keys_differ_only_after_character_60_are_two_transfers(api, member, other_member):
    ledger.earn(member=member, amount=100)
    body = {"sender": member.number, "receiver": other_member.number, "amount": 5}

    first = api.post("/api/v1/transfers/", body, format="json", HTTP_IDEMPOTENCY_KEY=LONG_KEY + "-1")
    second = api.post("/api/v1/transfers/", body, format="json", HTTP_IDEMPOTENCY_KEY=LONG_KEY + "-2")

    assert (first.status_code, second.status_code) == (201, 201)
    assert Share.objects.count() == 2
    assert second.json()["sender_balance"] == 90


def test_the_longest_idempotency_key_works_on_every_write(api, member):
    PurchaseRuleFactory()
    ledger.earn(member=member, amount=300)
    purchase = api.post(
        "/api/v1/purchases/", purchase_body(member), format="json", HTTP_IDEMPOTENCY_KEY="p" * 255
    )
    refund = api.post(
        f"/api/v1/purchases/{purchase.json()['id']}/refunds/",
        {"amount": "5.00"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="f" * 255,
    )
    redemption = api.post(
        "/api/v1/redemptions/",
        {"member": member.number, "amount": 10, "reason": "Order A-9"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="r" * 255,
    )

    assert (purchase.status_code, refund.status_code, redemption.status_code) == (201, 201, 201)


def test_a_key_over_255_characters_is_refused_with_a_stable_code_and_books_nothing(api, member):
    response = api.post(
        "/api/v1/redemptions/",
        {"member": member.number, "amount": 10, "reason": "Order A-9"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="x" * 256,
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
