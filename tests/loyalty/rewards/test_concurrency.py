"""Many members racing for the last rewards in stock: exactly the stock is sold (PostgreSQL)."""

import pytest

from loyalty.ledger import services as ledger
from loyalty.ledger.exceptions import LedgerError
from loyalty.rewards.exceptions import OutOfStock
from loyalty.rewards.models import Redemption, Reward
from loyalty.rewards.services import redeem_reward
from tests.concurrency import THREADS, run_in_threads, skip_unless_postgres
from tests.factories import MemberFactory, RewardFactory
from tests.loyalty.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def test_racing_redemptions_sell_exactly_the_stock_and_charge_only_the_winners():
    reward = RewardFactory(cost=100, stock=3)
    members = [MemberFactory() for _ in range(THREADS)]
    for member in members:
        ledger.earn(member=member, amount=100)
    refused = []

    def redeem(index):
        try:
            redeem_reward(member=members[index], reward=reward)
        except OutOfStock as refusal:
            refused.append(refusal)

    errors = run_in_threads(redeem)

    assert errors == []
    assert Redemption.objects.count() == 3 and len(refused) == THREADS - 3
    assert Reward.objects.get(pk=reward.pk).stock == 0
    assert sorted(balance_of(m) for m in members) == [0] * 3 + [100] * (THREADS - 3)
    assert_ledger_consistent()


def test_one_member_racing_for_two_rewards_never_spends_likes_twice():
    member = MemberFactory()
    ledger.earn(member=member, amount=100)
    rewards = [RewardFactory(cost=100, stock=5) for _ in range(THREADS)]
    refused = []

    def redeem(index):
        try:
            redeem_reward(member=member, reward=rewards[index])
        except LedgerError as refusal:
            refused.append(refusal)

    errors = run_in_threads(redeem)

    assert errors == []
    assert Redemption.objects.count() == 1 and len(refused) == THREADS - 1
    assert balance_of(member) == 0
    assert sum(Reward.objects.values_list("stock", flat=True)) == 5 * THREADS - 1
