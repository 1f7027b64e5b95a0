"""Correctness under concurrency, proven on PostgreSQL (SQLite serialises all writers)."""

import random
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from loyalty.ledger import services
from loyalty.ledger.exceptions import LedgerError
from loyalty.ledger.models import Account, Journal
from loyalty.ledger.selectors import system_balances
from tests.concurrency import THREADS, run_in_threads, skip_unless_postgres
from tests.factories import MemberFactory

from .helpers import assert_ledger_consistent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

OPERATIONS_PER_THREAD = 60


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def test_concurrent_transfers_and_redemptions_conserve_likes_and_never_go_negative():
    members = [MemberFactory() for _ in range(4)]
    for member in members:
        services.earn(member=member, amount=1_000)
    refusals = []

    def hammer(index):
        rng = random.Random(index)
        for _ in range(OPERATIONS_PER_THREAD):
            sender, receiver = rng.sample(members, 2)
            try:
                if rng.random() < 0.75:
                    services.transfer(sender=sender, receiver=receiver, amount=rng.randint(1, 120))
                else:
                    services.redeem(member=sender, amount=rng.randint(1, 80))
            except LedgerError as refusal:  # insufficient Likes is a correct answer
                refusals.append(refusal)

    errors = run_in_threads(hammer)

    assert errors == []
    held = Account.objects.filter(kind=Account.Kind.MEMBER).aggregate(total=Sum("balance"))["total"]
    assert held + system_balances()[Account.Kind.REDEEMED] == 4_000
    assert not Account.objects.filter(kind=Account.Kind.MEMBER, balance__lt=0).exists()
    assert Journal.objects.filter(kind__in=["transfer", "redeem"]).count() + len(refusals) == (
        THREADS * OPERATIONS_PER_THREAD
    )
    assert_ledger_consistent()


def test_identical_requests_racing_with_one_idempotency_key_post_once():
    member = MemberFactory()
    results = []

    def earn(index):
        results.append(
            services.earn(member=member, amount=25, idempotency_source="shop", idempotency_key="o-9")
        )

    errors = run_in_threads(earn)

    assert errors == []
    assert len({journal.pk for journal in results}) == 1
    assert Account.objects.get(member=member).balance == 25


def test_two_expiry_runs_at_once_expire_each_lot_once():
    now = timezone.now()
    members = [MemberFactory() for _ in range(6)]
    for member in members:
        services.earn(
            member=member,
            amount=10,
            available_at=now - timedelta(days=400),
            expires_at=now - timedelta(days=1),
        )
    expired = []

    errors = run_in_threads(lambda index: expired.append(services.expire_due()), count=2)

    assert errors == []
    assert sum(expired) == 60
    assert system_balances()[Account.Kind.EXPIRED] == 60
    assert_ledger_consistent()
