"""Two identical API requests racing with one Idempotency-Key have one effect (PostgreSQL)."""

import pytest

from loyalty.api.scopes import SCOPES
from loyalty.api.services import issue_key
from loyalty.rules.models import Purchase
from tests.concurrency import THREADS, run_in_threads, skip_unless_postgres
from tests.factories import MemberFactory, PurchaseRuleFactory
from tests.loyalty.ledger.helpers import balance_of

from .conftest import client_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def test_identical_purchases_racing_with_one_key_book_once_and_answer_alike():
    PurchaseRuleFactory()
    member = MemberFactory()
    key = issue_key(partner_name="Shop X", scopes=list(SCOPES))[1]
    body = {"member": member.number, "order_reference": "R-1", "amount": "10.00", "currency": "EUR"}
    responses = []

    def post(index):
        response = client_for(key).post(
            "/api/v1/purchases/", body, format="json", HTTP_IDEMPOTENCY_KEY="same"
        )
        responses.append((response.status_code, response.json()))

    errors = run_in_threads(post)

    assert errors == []
    assert Purchase.objects.count() == 1
    assert balance_of(member) == 100
    assert {status for status, _ in responses} == {201}
    assert len({body["id"] for _, body in responses}) == 1
    assert len(responses) == THREADS


def test_identical_transfers_racing_with_one_key_share_once():
    sender, receiver = MemberFactory(), MemberFactory()
    from loyalty.ledger import services as ledger

    ledger.earn(member=sender, amount=100)
    key = issue_key(partner_name="Shop X", scopes=list(SCOPES))[1]
    body = {"sender": sender.number, "receiver": receiver.number, "amount": 10}

    errors = run_in_threads(
        lambda index: client_for(key).post(
            "/api/v1/transfers/", body, format="json", HTTP_IDEMPOTENCY_KEY="t"
        )
    )

    assert errors == []
    assert balance_of(receiver) == 10
