"""Caps on earning hold when a member's actions are awarded at the same moment (PostgreSQL)."""

import pytest

from loyalty.rules.models import Award
from loyalty.rules.services import award_for_action
from tests.concurrency import run_in_threads, skip_unless_postgres
from tests.factories import ActionRuleFactory, MemberFactory
from tests.loyalty.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def test_racing_comments_never_earn_more_than_the_daily_cap():
    ActionRuleFactory(trigger="comment", likes=10, cap_per_day=30)
    member = MemberFactory()

    errors = run_in_threads(
        lambda index: award_for_action(member=member, action="comment", reference=f"comment:{index}")
    )

    assert errors == []
    assert balance_of(member) == 30
    assert Award.objects.count() == 3
    assert_ledger_consistent()
