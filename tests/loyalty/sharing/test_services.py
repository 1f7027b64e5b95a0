"""share_likes: the sharing policy, every refusal, once-only shares, notifications and gifts by email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from loyalty.ledger import services as ledger
from loyalty.ledger.exceptions import InsufficientLikes, InvalidAmount, SelfTransfer
from loyalty.ledger.models import Entry, Journal, Lot
from loyalty.ledger.selectors import describe, member_history
from loyalty.members.services import enrol_member, leave_program
from loyalty.sharing.exceptions import (
    AmountOutsideLimits,
    DailyReceiveLimitReached,
    DailySendLimitReached,
    InactiveReceiver,
    SharingDisabled,
    TipsDisabled,
)
from loyalty.sharing.models import Share, SharingPolicy
from loyalty.sharing.services import return_unclaimed_shares, share_likes
from tests.loyalty.ledger.helpers import assert_ledger_consistent, balance_of
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db


def set_policy(**fields) -> SharingPolicy:
    return set_site_setting(SharingPolicy, **fields)


@pytest.fixture
def anna(member):
    ledger.earn(member=member, amount=1_000)
    return member


def latest_line(member) -> str:
    journal = member_history(member).first()
    return describe(journal, journal.amount)


def test_a_share_moves_likes_and_both_histories_say_so(anna, other_member):
    share_likes(sender=anna, receiver=other_member, amount=20, message="Thanks for the tip!")

    assert (balance_of(anna), balance_of(other_member)) == (980, 20)
    assert latest_line(other_member) == "Received 20 Likes from Anna: \u2018Thanks for the tip!\u2019"
    assert latest_line(anna) == "Shared with Bram: \u2018Thanks for the tip!\u2019"
    assert_ledger_consistent()


def test_the_receiver_is_emailed_when_they_want_to_be(anna, other_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        share_likes(sender=anna, receiver=other_member, amount=20, message="Thanks!")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [other_member.user.email]
    assert "Anna shared 20 Likes with you" in mail.outbox[0].subject
    assert Share.objects.get().notified_at is not None


def test_no_email_when_the_receiver_switched_notifications_off(
    anna, other_member, django_capture_on_commit_callbacks
):
    other_member.notify_likes_received = False
    other_member.save()

    with django_capture_on_commit_callbacks(execute=True):
        share_likes(sender=anna, receiver=other_member, amount=20)

    assert mail.outbox == []


def test_shared_likes_stay_valid_as_long_as_the_policy_says(anna, other_member):
    set_policy(shared_valid_days=30)

    share_likes(sender=anna, receiver=other_member, amount=20)

    lot = Lot.objects.get(account__member=other_member)
    assert (lot.expires_at - timezone.now()).days == 29


def test_the_same_form_token_shares_once(anna, other_member):
    first = share_likes(sender=anna, receiver=other_member, amount=20, client_token="abc")
    again = share_likes(sender=anna, receiver=other_member, amount=20, client_token="abc")

    assert again.pk == first.pk and again.replayed
    assert balance_of(anna) == 980


def test_refused_when_sharing_is_switched_off(anna, other_member):
    set_policy(enabled=False)

    with pytest.raises(SharingDisabled, match="switched off"):
        share_likes(sender=anna, receiver=other_member, amount=20)
    assert balance_of(anna) == 1_000


@pytest.mark.parametrize("amount", [4, 101])
def test_refused_when_the_amount_is_outside_the_limits(anna, other_member, amount):
    set_policy(min_per_share=5, max_per_share=100)

    with pytest.raises(AmountOutsideLimits, match="between 5 and 100"):
        share_likes(sender=anna, receiver=other_member, amount=amount)


@pytest.mark.parametrize("amount", [0, -5, 2.5])
def test_refused_when_the_amount_is_not_a_positive_whole_number(anna, other_member, amount):
    with pytest.raises(InvalidAmount):
        share_likes(sender=anna, receiver=other_member, amount=amount)


def test_refused_above_the_daily_limit_saying_what_is_left_today(anna, other_member):
    set_policy(daily_send_limit=50)
    share_likes(sender=anna, receiver=other_member, amount=30)

    with pytest.raises(DailySendLimitReached, match="30 left|20 left") as refusal:
        share_likes(sender=anna, receiver=other_member, amount=30)
    assert refusal.value.details == {"limit": 50, "left": 20, "which": "daily_send"}
    assert balance_of(anna) == 970


def test_yesterdays_shares_do_not_count_against_today(anna, other_member):
    set_policy(daily_send_limit=50)
    share = share_likes(sender=anna, receiver=other_member, amount=50)
    Share.objects.filter(pk=share.pk).update(created_at=timezone.now() - timedelta(days=1))

    share_likes(sender=anna, receiver=other_member, amount=50)

    assert balance_of(other_member) == 100


def test_refused_when_the_receiver_reached_their_daily_receive_limit(anna, other_member):
    set_policy(daily_receive_limit=25)
    share_likes(sender=anna, receiver=other_member, amount=20)

    with pytest.raises(DailyReceiveLimitReached, match="5 more today"):
        share_likes(sender=anna, receiver=other_member, amount=10)


def test_refused_when_sharing_with_yourself(anna):
    with pytest.raises(SelfTransfer, match="yourself"):
        share_likes(sender=anna, receiver=anna, amount=20)


def test_refused_when_the_sender_has_too_few_spendable_likes(member, other_member):
    ledger.earn(member=member, amount=10)
    ledger.earn(member=member, amount=100, available_at=timezone.now() + timedelta(days=5))

    with pytest.raises(InsufficientLikes, match="10 available, 20 needed"):
        share_likes(sender=member, receiver=other_member, amount=20)


def test_refused_when_the_receiver_has_left_and_the_policy_wants_active_members(anna, other_member):
    leave_program(member=other_member)

    with pytest.raises(InactiveReceiver, match="left the program"):
        share_likes(sender=anna, receiver=other_member, amount=20)


def test_a_member_who_left_can_receive_when_the_policy_allows_it(anna, other_member):
    set_policy(receiver_must_be_active=False)
    leave_program(member=other_member)

    share_likes(sender=anna, receiver=other_member, amount=20)

    assert balance_of(other_member) == 20


def test_tips_are_refused_when_the_policy_switches_them_off(anna, other_member):
    set_policy(allow_tips=False)

    with pytest.raises(TipsDisabled):
        share_likes(sender=anna, receiver=other_member, amount=20, context="post:3")


def test_a_share_by_email_to_a_member_is_delivered_at_once(anna, other_member):
    share = share_likes(sender=anna, receiver_email=other_member.user.email.upper(), amount=20)

    assert share.status == Share.Status.DELIVERED
    assert balance_of(other_member) == 20


def test_a_share_by_email_to_a_stranger_waits_and_invites_them(anna, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        share = share_likes(sender=anna, receiver_email="friend@example.com", amount=20, message="Join us!")

    assert share.status == Share.Status.WAITING
    assert balance_of(anna) == 980
    assert latest_line(anna) == "Shared with friend@example.com: \u2018Join us!\u2019"
    assert mail.outbox[0].to == ["friend@example.com"]
    assert f"{reverse('loyalty:signup')}?invite=" in mail.outbox[0].body
    assert_ledger_consistent()


def test_the_sender_cannot_tell_a_member_address_from_a_stranger(anna, other_member):
    share_likes(sender=anna, receiver_email=other_member.user.email, amount=20)
    to_member = latest_line(anna)
    share_likes(sender=anna, receiver_email="nobody@example.com", amount=20)
    to_stranger = latest_line(anna)

    assert to_member == f"Shared with {other_member.user.email}"
    assert to_stranger == "Shared with nobody@example.com"
    assert balance_of(anna) == 960  # both left the sender's account the same way


def test_a_stranger_who_joins_receives_the_waiting_likes(anna):
    share_likes(sender=anna, receiver_email="friend@example.com", amount=20, message="Welcome")

    friend = enrol_member(email="Friend@Example.com", first_name="Femke")

    assert balance_of(friend) == 20
    assert latest_line(friend) == "Received 20 Likes from Anna: \u2018Welcome\u2019"
    assert Share.objects.get().status == Share.Status.DELIVERED
    assert_ledger_consistent()


def test_unclaimed_likes_go_back_to_the_sender_after_the_invitation_period(anna):
    set_policy(invitation_days=30)
    share_likes(sender=anna, receiver_email="friend@example.com", amount=20)

    assert return_unclaimed_shares(now=timezone.now() + timedelta(days=29)) == 0
    assert return_unclaimed_shares(now=timezone.now() + timedelta(days=31)) == 1
    assert return_unclaimed_shares(now=timezone.now() + timedelta(days=31)) == 0

    assert balance_of(anna) == 1_000
    assert "did not claim" in latest_line(anna)
    assert Share.objects.get().status == Share.Status.RETURNED
    held = Entry.objects.filter(account__kind="held").order_by("pk").values_list("amount", flat=True)
    assert list(held) == [20, -20]  # held while waiting, then all of it given back: nothing stays held
    assert_ledger_consistent()


def test_a_share_over_the_receivers_limit_by_email_waits_instead_of_revealing_them(anna, other_member):
    set_policy(daily_receive_limit=10)

    share = share_likes(sender=anna, receiver_email=other_member.user.email, amount=20)

    assert share.status == Share.Status.WAITING
    assert balance_of(other_member) == 0
    assert Journal.objects.filter(kind="transfer").count() == 1


def test_the_notifications_text_part_and_subject_show_the_members_words_unescaped(
    other_member, django_capture_on_commit_callbacks
):
    sender = enrol_member(email="obrien@example.com", first_name="Siobhán O'Brien")
    ledger.earn(member=sender, amount=100)

    with django_capture_on_commit_callbacks(execute=True):
        share_likes(sender=sender, receiver=other_member, amount=5, message="<3 for the tip & more")

    (email,) = mail.outbox
    assert email.subject.startswith("Siobhán O'Brien shared 5 Likes")
    assert "“<3 for the tip & more”" in email.body
    html = email.alternatives[0][0]
    assert "&lt;3 for the tip &amp; more" in html and "<3 for" not in html
