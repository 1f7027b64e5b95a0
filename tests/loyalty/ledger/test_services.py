"""Specification of the ledger services: earn, redeem, transfer, adjust, reverse, expire_due."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from loyalty.ledger import services
from loyalty.ledger.exceptions import (
    AlreadyReversed,
    IdempotencyConflict,
    InactiveMember,
    InsufficientLikes,
    InvalidAmount,
    NotReversible,
    ReasonRequired,
    SelfTransfer,
)
from loyalty.ledger.models import Account, AppendOnlyError, Entry, Journal, Lot
from loyalty.ledger.selectors import balance_summary, system_balances
from loyalty.members.services import leave_program

from .helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db


def days(n):
    return timedelta(days=n)


# ---------------------------------------------------------------- earn


def test_earn_credits_member_from_issued_account(member):
    journal = services.earn(member=member, amount=120, description="Welcome")

    assert balance_of(member) == 120
    assert sorted(journal.entries.values_list("amount", flat=True)) == [-120, 120]
    assert system_balances()[Account.Kind.ISSUED] == -120
    assert_ledger_consistent()


def test_earn_creates_a_lot_expiring_after_the_configured_lifetime(member):
    services.earn(member=member, amount=10)

    lot = Lot.objects.get(account__member=member)
    assert lot.remaining == 10
    assert (lot.expires_at - lot.available_at).days == 365


@pytest.mark.parametrize("amount", [0, -5, 2.5, "10", True, None])
def test_earn_refuses_an_amount_that_is_not_a_positive_whole_number(member, amount):
    with pytest.raises(InvalidAmount):
        services.earn(member=member, amount=amount)
    assert Journal.objects.count() == 0


def test_earn_refuses_a_member_who_left(member):
    leave_program(member=member)

    with pytest.raises(InactiveMember):
        services.earn(member=member, amount=10)
    assert Journal.objects.count() == 0


def test_pending_likes_show_in_balance_but_cannot_be_spent(member):
    now = timezone.now()
    services.earn(member=member, amount=50, available_at=now + days(14))

    summary = balance_summary(member)
    assert (summary.balance, summary.pending, summary.spendable) == (50, 50, 0)
    with pytest.raises(InsufficientLikes):
        services.redeem(member=member, amount=1)


def test_pending_likes_become_spendable_when_the_return_window_ends(member):
    now = timezone.now()
    services.earn(member=member, amount=50, available_at=now - days(1))

    services.redeem(member=member, amount=50)
    assert balance_of(member) == 0


# ---------------------------------------------------------------- idempotency


def test_earn_with_a_reused_idempotency_key_posts_once_and_returns_the_original(member):
    first = services.earn(member=member, amount=10, idempotency_source="shop", idempotency_key="o-1")
    again = services.earn(member=member, amount=10, idempotency_source="shop", idempotency_key="o-1")

    assert again.pk == first.pk
    assert again.replayed is True
    assert balance_of(member) == 10


def test_reused_idempotency_key_with_a_different_payload_is_a_conflict(member):
    services.earn(member=member, amount=10, idempotency_source="shop", idempotency_key="o-1")

    with pytest.raises(IdempotencyConflict):
        services.earn(member=member, amount=11, idempotency_source="shop", idempotency_key="o-1")
    assert balance_of(member) == 10


def test_the_same_key_from_another_source_is_a_different_request(member):
    services.earn(member=member, amount=10, idempotency_source="shop-a", idempotency_key="o-1")
    services.earn(member=member, amount=10, idempotency_source="shop-b", idempotency_key="o-1")

    assert balance_of(member) == 20


def test_a_retried_redemption_returns_the_original_even_when_the_likes_are_gone(member):
    services.earn(member=member, amount=10)
    first = services.redeem(member=member, amount=10, idempotency_source="m", idempotency_key="r")

    again = services.redeem(member=member, amount=10, idempotency_source="m", idempotency_key="r")

    assert again.pk == first.pk
    assert balance_of(member) == 0


# ---------------------------------------------------------------- redeem


def test_redeem_spends_the_oldest_expiring_lots_first(member):
    now = timezone.now()
    late = services.earn(member=member, amount=30, expires_at=now + days(300))
    early = services.earn(member=member, amount=20, expires_at=now + days(10))

    services.redeem(member=member, amount=25)

    assert Lot.objects.get(journal=early).remaining == 0
    assert Lot.objects.get(journal=late).remaining == 25
    assert balance_of(member) == 25
    assert_ledger_consistent()


def test_redeem_refuses_more_than_the_spendable_likes_and_says_how_many_there_are(member):
    services.earn(member=member, amount=10)

    with pytest.raises(InsufficientLikes) as refusal:
        services.redeem(member=member, amount=11)

    assert refusal.value.details == {"available": 10, "requested": 11}
    assert balance_of(member) == 10
    assert Journal.objects.filter(kind=Journal.Kind.REDEEM).count() == 0


def test_redeem_never_uses_likes_past_their_expiry_even_before_the_expiry_run(member):
    now = timezone.now()
    services.earn(member=member, amount=10, available_at=now - days(30), expires_at=now - days(1))

    with pytest.raises(InsufficientLikes):
        services.redeem(member=member, amount=1)


def test_redeem_refuses_a_member_who_left(member):
    services.earn(member=member, amount=10)
    leave_program(member=member)

    with pytest.raises(InactiveMember):
        services.redeem(member=member, amount=5)


# ---------------------------------------------------------------- transfer


def test_transfer_moves_likes_and_gives_the_receiver_a_new_lot(member, other_member):
    services.earn(member=member, amount=100)

    journal = services.transfer(sender=member, receiver=other_member, amount=40, message="Thanks!")

    assert balance_of(member) == 60
    assert balance_of(other_member) == 40
    assert Lot.objects.get(journal=journal).account.member == other_member
    assert journal.metadata["message"] == "Thanks!"
    assert_ledger_consistent()


def test_transfer_to_yourself_is_refused(member):
    services.earn(member=member, amount=100)

    with pytest.raises(SelfTransfer):
        services.transfer(sender=member, receiver=member, amount=10)


def test_transfer_refuses_more_than_the_sender_can_spend(member, other_member):
    services.earn(member=member, amount=5)

    with pytest.raises(InsufficientLikes):
        services.transfer(sender=member, receiver=other_member, amount=6)
    assert (balance_of(member), balance_of(other_member)) == (5, 0)


def test_transfer_refuses_a_receiver_who_left(member, other_member):
    services.earn(member=member, amount=50)
    leave_program(member=other_member)

    with pytest.raises(InactiveMember):
        services.transfer(sender=member, receiver=other_member, amount=10)
    assert balance_of(member) == 50


def test_transfer_cannot_share_pending_likes(member, other_member):
    services.earn(member=member, amount=50, available_at=timezone.now() + days(14))

    with pytest.raises(InsufficientLikes):
        services.transfer(sender=member, receiver=other_member, amount=10)


def test_transferred_likes_expire_as_the_caller_says(member, other_member):
    services.earn(member=member, amount=50)
    until = timezone.now() + days(30)

    journal = services.transfer(sender=member, receiver=other_member, amount=10, expires_at=until)

    assert Lot.objects.get(journal=journal).expires_at == until


# ---------------------------------------------------------------- adjust


def test_adjust_adds_likes_and_records_reason_and_editor(member, editor):
    journal = services.adjust(member=member, amount=15, reason="Missed purchase", editor=editor)

    assert balance_of(member) == 15
    assert (journal.reason, journal.created_by) == ("Missed purchase", editor)
    assert system_balances()[Account.Kind.ADJUSTMENTS] == -15


def test_adjust_can_take_likes_away_including_pending_ones(member, editor):
    services.earn(member=member, amount=20, available_at=timezone.now() + days(5))

    services.adjust(member=member, amount=-20, reason="Test order", editor=editor)

    assert balance_of(member) == 0
    assert_ledger_consistent()


def test_adjust_cannot_drive_a_balance_below_zero(member, editor):
    services.earn(member=member, amount=5)

    with pytest.raises(InsufficientLikes):
        services.adjust(member=member, amount=-6, reason="Too much", editor=editor)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_adjust_requires_a_reason(member, editor, reason):
    with pytest.raises(ReasonRequired):
        services.adjust(member=member, amount=5, reason=reason, editor=editor)


def test_adjust_refuses_zero(member, editor):
    with pytest.raises(InvalidAmount):
        services.adjust(member=member, amount=0, reason="Nothing", editor=editor)


# ---------------------------------------------------------------- reverse


def test_reversing_an_earn_takes_the_likes_back_and_points_at_the_original(member):
    earned = services.earn(member=member, amount=30)

    reversal = services.reverse(journal=earned, reason="Order cancelled")

    assert reversal.reverses == earned
    assert balance_of(member) == 0
    assert system_balances()[Account.Kind.ISSUED] == 0
    assert_ledger_consistent()


def test_reversing_a_redemption_returns_likes_to_the_lots_they_came_from(member):
    earned = services.earn(member=member, amount=30)
    redeemed = services.redeem(member=member, amount=30)

    services.reverse(journal=redeemed)

    assert Lot.objects.get(journal=earned).remaining == 30
    assert balance_of(member) == 30
    assert_ledger_consistent()


def test_reversing_a_transfer_moves_the_likes_back(member, other_member):
    services.earn(member=member, amount=30)
    shared = services.transfer(sender=member, receiver=other_member, amount=10)

    services.reverse(journal=shared)

    assert (balance_of(member), balance_of(other_member)) == (30, 0)
    assert_ledger_consistent()


def test_reversing_an_earn_already_spent_is_refused(member):
    earned = services.earn(member=member, amount=30)
    services.redeem(member=member, amount=25)

    with pytest.raises(InsufficientLikes):
        services.reverse(journal=earned)
    assert balance_of(member) == 5


def test_reversing_an_earn_takes_from_other_lots_when_its_own_lot_was_spent(member):
    earned = services.earn(member=member, amount=30)
    services.redeem(member=member, amount=10)
    services.earn(member=member, amount=20)

    services.reverse(journal=earned)

    assert balance_of(member) == 10
    assert_ledger_consistent()


def test_a_journal_can_be_reversed_only_once(member):
    earned = services.earn(member=member, amount=30)
    services.reverse(journal=earned)

    with pytest.raises(AlreadyReversed):
        services.reverse(journal=earned)


def test_reversals_and_expiries_cannot_be_reversed(member):
    earned = services.earn(member=member, amount=30)
    reversal = services.reverse(journal=earned)

    with pytest.raises(NotReversible):
        services.reverse(journal=reversal)


# ---------------------------------------------------------------- expire_due


def test_expire_due_posts_what_is_left_of_due_lots_to_expired(member):
    now = timezone.now()
    services.earn(member=member, amount=40, available_at=now - days(400), expires_at=now - days(1))
    services.earn(member=member, amount=15)

    expired = services.expire_due()

    assert expired == 40
    assert balance_of(member) == 15
    assert system_balances()[Account.Kind.EXPIRED] == 40
    assert Journal.objects.filter(kind=Journal.Kind.EXPIRY).count() == 1
    assert_ledger_consistent()


def test_expire_due_twice_expires_nothing_twice(member):
    now = timezone.now()
    services.earn(member=member, amount=40, available_at=now - days(400), expires_at=now - days(1))

    assert services.expire_due() == 40
    assert services.expire_due() == 0
    assert Journal.objects.filter(kind=Journal.Kind.EXPIRY).count() == 1


def test_expire_due_only_expires_what_was_not_spent(member):
    now = timezone.now()
    services.earn(member=member, amount=40, available_at=now - days(10), expires_at=now + days(1))
    services.redeem(member=member, amount=30)

    assert services.expire_due(now=now + days(2)) == 10
    assert balance_of(member) == 0


# ---------------------------------------------------------------- the database guards its rows


def test_entries_are_append_only(member):
    services.earn(member=member, amount=10)
    entry = Entry.objects.first()

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        Entry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        Journal.objects.update(description="changed")


def test_database_refuses_a_negative_member_balance(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(member=member).update(balance=-1)


def test_on_postgresql_earn_posts_in_one_database_call(member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("the one-round-trip earn is PostgreSQL's fast path; SQLite uses the ORM path")
    services.earn(member=member, amount=1)  # warms the system-account id cache

    with CaptureQueriesContext(connection) as queries:
        services.earn(member=member, amount=5)

    postings = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(postings) == 1 and "loyalty_earn" in postings[0]
    assert balance_of(member) == 6


def test_earn_opens_the_account_of_a_member_enrolled_without_the_members_service():
    from loyalty.members.models import Member
    from tests.factories import UserFactory

    member = Member.objects.create(user=UserFactory(email="imported@example.com"))

    services.earn(member=member, amount=12)

    assert balance_of(member) == 12
    assert_ledger_consistent()
