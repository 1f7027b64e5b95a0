"""Balance, transactions (cursor pagination, filters) and the checkout-discount quote."""

from datetime import timedelta

import pytest
from django.utils import timezone

from loyalty.ledger import services as ledger

pytestmark = pytest.mark.django_db


def test_balance_shows_spendable_pending_and_expiring(api, member):
    now = timezone.now()
    ledger.earn(member=member, amount=100, expires_at=now + timedelta(days=10))
    ledger.earn(member=member, amount=40, available_at=now + timedelta(days=3))

    body = api.get(f"/api/v1/members/{member.number}/balance/").json()

    assert (body["balance"], body["spendable"], body["pending"]) == (140, 100, 40)
    assert [e["amount"] for e in body["expiring"]] == [100]


def test_transactions_are_paginated_by_cursor_newest_first(api, member, other_member):
    for n in range(5):
        ledger.earn(member=member, amount=10 + n, metadata={"partner": "Shop X"})
    ledger.transfer(sender=member, receiver=other_member, amount=5, message="hi")

    first = api.get(f"/api/v1/members/{member.number}/transactions/", {"page_size": 4}).json()
    second = api.get(first["next"]).json()

    rows = first["results"] + second["results"]
    assert [r["amount"] for r in rows] == [-5, 14, 13, 12, 11, 10]
    assert rows[0]["description"] == "Shared with Bram: \u2018hi\u2019"
    assert rows[1]["description"] == "Purchase at Shop X"
    assert second["next"] is None


def test_transactions_filter_by_kind_and_time(api, member, other_member):
    ledger.earn(member=member, amount=10)
    ledger.transfer(sender=member, receiver=other_member, amount=5)

    kinds = api.get(f"/api/v1/members/{member.number}/transactions/", {"kind": "transfer"}).json()
    future = api.get(
        f"/api/v1/members/{member.number}/transactions/",
        {"since": (timezone.now() + timedelta(days=1)).isoformat()},
    ).json()

    assert [r["kind"] for r in kinds["results"]] == ["transfer"]
    assert future["results"] == []


@pytest.mark.parametrize(("params", "field"), [({"kind": "gift"}, "kind"), ({"since": "yesterday"}, "since")])
def test_bad_transaction_filters_name_the_field(api, member, params, field):
    response = api.get(f"/api/v1/members/{member.number}/transactions/", params)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_transactions_do_a_constant_number_of_queries(api, member, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ledger.earn(member=member, amount=1)
    with CaptureQueriesContext(connection) as few:
        api.get(f"/api/v1/members/{member.number}/transactions/")
    for _ in range(20):
        ledger.earn(member=member, amount=1)

    with django_assert_max_num_queries(len(few)):
        api.get(f"/api/v1/members/{member.number}/transactions/")


def test_a_discount_quote_follows_the_policy(api, member):
    ledger.earn(member=member, amount=5_000)

    body = api.get(f"/api/v1/members/{member.number}/discount-quote/", {"order_amount": "20.00"}).json()

    assert body == {
        "likes": 2000,
        "value": "10.00",
        "currency": "EUR",
        "max_value": "10.00",
        "spendable": 5000,
    }


@pytest.mark.parametrize("amount", ["", "abc", "-1", "0"])
def test_a_quote_for_a_bad_order_amount_is_400(api, member, amount):
    response = api.get(f"/api/v1/members/{member.number}/discount-quote/", {"order_amount": amount})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_order_amount"
