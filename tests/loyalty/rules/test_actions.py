"""award_for_action: Likes for sign-up, posts, comments, surveys and birthdays, with caps."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from loyalty.ledger.models import Lot
from loyalty.members.services import enrol_member, leave_program
from loyalty.rules.exceptions import UnknownAction
from loyalty.rules.models import Award
from loyalty.rules.services import award_birthdays, award_for_action, members_with_birthday
from tests.factories import ActionRuleFactory, MemberFactory
from tests.loyalty.ledger.helpers import assert_ledger_consistent, balance_of

pytestmark = pytest.mark.django_db


def test_a_new_member_earns_the_sign_up_likes():
    ActionRuleFactory(trigger="signup", likes=25)

    member = MemberFactory()

    assert balance_of(member) == 25
    assert_ledger_consistent()


def test_an_imported_member_with_an_earlier_join_date_earns_no_sign_up_likes():
    ActionRuleFactory(trigger="signup", likes=25)

    member = enrol_member(email="old@example.com", joined_at=timezone.now() - timedelta(days=400))

    assert balance_of(member) == 0


def test_a_post_earns_likes_once_per_post(member):
    ActionRuleFactory(trigger="post", likes=10)

    award_for_action(member=member, action="post", reference="post:1")
    award_for_action(member=member, action="post", reference="post:1")
    award_for_action(member=member, action="post", reference="post:2")

    assert balance_of(member) == 20


def test_the_daily_cap_stops_farming_and_gives_what_is_left(member):
    ActionRuleFactory(trigger="comment", likes=4, cap_per_day=10)

    for n in range(5):
        award_for_action(member=member, action="comment", reference=f"comment:{n}")

    assert balance_of(member) == 10
    assert sorted(Award.objects.values_list("likes", flat=True)) == [2, 4, 4]


def test_the_daily_cap_starts_again_the_next_day(member):
    ActionRuleFactory(trigger="comment", likes=5, cap_per_day=5)
    yesterday = timezone.now() - timedelta(days=1)

    award_for_action(member=member, action="comment", reference="comment:1", occurred_at=yesterday)
    award_for_action(member=member, action="comment", reference="comment:2")

    assert balance_of(member) == 10


def test_the_monthly_cap_counts_the_whole_calendar_month(member):
    ActionRuleFactory(trigger="survey", likes=30, cap_per_month=50)

    award_for_action(member=member, action="survey", reference="survey:1")
    award_for_action(member=member, action="survey", reference="survey:2")
    award_for_action(member=member, action="survey", reference="survey:3")

    assert balance_of(member) == 50


def test_the_lifetime_cap_holds_for_ever(member):
    ActionRuleFactory(trigger="post", likes=10, cap_per_member=15)
    long_ago = timezone.now() - timedelta(days=400)

    award_for_action(member=member, action="post", reference="post:1", occurred_at=long_ago)
    award_for_action(member=member, action="post", reference="post:2")
    award_for_action(member=member, action="post", reference="post:3")

    assert balance_of(member) == 15


def test_caps_are_per_member(member, other_member):
    ActionRuleFactory(trigger="post", likes=10, cap_per_day=10)

    award_for_action(member=member, action="post", reference="post:1")
    award_for_action(member=other_member, action="post", reference="post:2")

    assert (balance_of(member), balance_of(other_member)) == (10, 10)


def test_an_unknown_action_is_refused(member):
    with pytest.raises(UnknownAction):
        award_for_action(member=member, action="dancing", reference="x")


def test_a_member_who_left_earns_nothing_for_actions(member):
    ActionRuleFactory(trigger="post", likes=10)
    leave_program(member=member)

    assert award_for_action(member=member, action="post", reference="post:1") == []


def test_birthday_likes_arrive_once_and_last_as_long_as_the_rule_says():
    ActionRuleFactory(trigger="birthday", likes=100, valid_days=15)
    today = timezone.localdate()
    celebrating = MemberFactory()
    celebrating.birth_date = today.replace(year=1988)  # a leap year, so 29 February is a date too
    celebrating.save()
    MemberFactory()

    assert award_birthdays(day=today) == 1
    award_birthdays(day=today)

    assert balance_of(celebrating) == 100
    assert (Lot.objects.get().expires_at - timezone.now()).days == 14


def test_leap_day_birthdays_are_celebrated_on_28_february_in_other_years():
    leapling = MemberFactory()
    leapling.birth_date = date(2000, 2, 29)
    leapling.save()

    assert list(members_with_birthday(date(2027, 2, 28))) == [leapling]
    assert list(members_with_birthday(date(2028, 2, 28))) == []
    assert list(members_with_birthday(date(2028, 2, 29))) == [leapling]
