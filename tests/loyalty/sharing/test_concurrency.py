"""Daily sharing limits and once-only form tokens hold when requests race (PostgreSQL)."""

import contextlib

import pytest

from loyalty.ledger import services as ledger
from loyalty.sharing.exceptions import DailyReceiveLimitReached, DailySendLimitReached
from loyalty.sharing.models import Share, SharingPolicy
from loyalty.sharing.services import share_likes
from tests.concurrency import THREADS, run_in_threads, skip_unless_postgres
from tests.factories import MemberFactory
from tests.loyalty.ledger.helpers import assert_ledger_consistent, balance_of
from tests.site_settings import set_site_setting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def test_racing_shares_never_exceed_the_senders_daily_limit():
    set_site_setting(SharingPolicy, daily_send_limit=50)
    sender = MemberFactory()
    ledger.earn(member=sender, amount=1_000)
    receivers = [MemberFactory() for _ in range(THREADS)]
    refused = []

    def share(index):
        try:
            share_likes(sender=sender, receiver=receivers[index], amount=20)
        except DailySendLimitReached as refusal:
            refused.append(refusal)

    errors = run_in_threads(share)

    assert errors == []
    assert Share.objects.count() == 2 and len(refused) == THREADS - 2
    assert balance_of(sender) == 960
    assert_ledger_consistent()


def test_racing_senders_never_exceed_the_receivers_daily_limit():
    set_site_setting(SharingPolicy, daily_receive_limit=45)
    receiver = MemberFactory()
    senders = [MemberFactory() for _ in range(THREADS)]
    for sender in senders:
        ledger.earn(member=sender, amount=100)

    def share(index):
        with contextlib.suppress(DailyReceiveLimitReached):
            share_likes(sender=senders[index], receiver=receiver, amount=15)

    errors = run_in_threads(share)

    assert errors == []
    assert balance_of(receiver) == 45


def test_a_double_submitted_form_racing_itself_shares_once():
    sender, receiver = MemberFactory(), MemberFactory()
    ledger.earn(member=sender, amount=100)

    errors = run_in_threads(
        lambda index: share_likes(sender=sender, receiver=receiver, amount=10, client_token="same-form")
    )

    assert errors == []
    assert Share.objects.count() == 1
    assert balance_of(receiver) == 10
