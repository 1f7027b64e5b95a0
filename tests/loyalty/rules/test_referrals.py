"""Invite links: a friend who joins through one and makes a first purchase earns Likes for both."""

import pytest

from loyalty.members.services import enrol_member
from loyalty.rules.models import Referral
from loyalty.rules.services import invite_code_for, record_purchase
from tests.factories import ActionRuleFactory
from tests.loyalty.ledger.helpers import balance_of

pytestmark = pytest.mark.django_db


def first_purchase(member, reference="F-1"):
    return record_purchase(
        member=member, partner="Shop X", order_reference=reference, amount="5", currency="EUR"
    )


def test_every_member_has_one_stable_invite_code(member, other_member):
    assert invite_code_for(member) == invite_code_for(member)
    assert invite_code_for(member) != invite_code_for(other_member)


def test_a_friend_who_joins_through_the_link_and_buys_earns_likes_for_both(member):
    ActionRuleFactory(trigger="referral", likes=200)
    friend = enrol_member(email="friend@example.com", referral_code=invite_code_for(member))

    first_purchase(friend)

    assert balance_of(member) == 200
    assert balance_of(friend) == 200
    assert Referral.objects.get(referred=friend).rewarded_at is not None


def test_the_referral_pays_only_for_the_first_purchase(member):
    ActionRuleFactory(trigger="referral", likes=200)
    friend = enrol_member(email="friend@example.com", referral_code=invite_code_for(member))

    first_purchase(friend, "F-1")
    first_purchase(friend, "F-2")

    assert balance_of(member) == 200


def test_joining_without_buying_earns_no_referral_likes(member):
    ActionRuleFactory(trigger="referral", likes=200)

    enrol_member(email="friend@example.com", referral_code=invite_code_for(member))

    assert balance_of(member) == 0


def test_an_unknown_invite_code_is_ignored_and_the_member_still_joins():
    friend = enrol_member(email="friend@example.com", referral_code="nonsense")

    assert not Referral.objects.filter(referred=friend).exists()
