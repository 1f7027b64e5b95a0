"""The program at awkward instants: New Year's Eve, summer time changes, 29 February, a month's last evening.

Amsterdam runs an hour or two ahead of UTC, so late in the evening the UTC date (and year) has rolled
over while the members' has not. Caps, limits, expiry dates, roll-ups and birthdays follow the
members' clock.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from loyalty.insights.models import DailyLikes
from loyalty.insights.snapshots import roll_up_likes
from loyalty.ledger import services as ledger
from loyalty.ledger.models import Lot
from loyalty.rules.services import award_birthdays, award_for_action
from loyalty.sharing.exceptions import DailySendLimitReached
from loyalty.sharing.models import SharingPolicy
from loyalty.sharing.services import share_likes
from tests.factories import ActionRuleFactory, MemberFactory
from tests.loyalty.ledger.helpers import balance_of
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _amsterdam(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"


def at(*args) -> time_machine.travel:
    return time_machine.travel(datetime(*args, tzinfo=AMS), tick=False)


def test_a_monthly_cap_starts_again_at_local_midnight_on_new_years_day(member):
    ActionRuleFactory(trigger="post", likes=10, cap_per_month=10)

    with at(2026, 12, 31, 23, 40):
        assert [a.likes for a in award_for_action(member=member, action="post", reference="post:1")] == [10]
        assert award_for_action(member=member, action="post", reference="post:2") == []  # December is full
    with at(2027, 1, 1, 0, 10):  # still 31 December in UTC
        assert [a.likes for a in award_for_action(member=member, action="post", reference="post:3")] == [10]

    assert balance_of(member) == 20


def test_a_daily_cap_counts_the_members_day_on_the_last_evening_of_a_30_day_month(member):
    ActionRuleFactory(trigger="comment", likes=5, cap_per_day=5)

    with at(2027, 4, 30, 23, 30):
        award_for_action(member=member, action="comment", reference="comment:1")
    with at(2027, 5, 1, 0, 15):  # 22:15 UTC on 30 April
        award_for_action(member=member, action="comment", reference="comment:2")
        award_for_action(member=member, action="comment", reference="comment:3")

    assert balance_of(member) == 10


def test_the_daily_sharing_limit_frees_up_at_local_midnight(member, other_member):
    set_site_setting(SharingPolicy, daily_send_limit=100)
    with at(2026, 12, 31, 23, 50):
        ledger.earn(member=member, amount=500)
        share_likes(sender=member, receiver=other_member, amount=100)
        with pytest.raises(DailySendLimitReached):
            share_likes(sender=member, receiver=other_member, amount=1)
    with at(2027, 1, 1, 0, 5):
        share_likes(sender=member, receiver=other_member, amount=100)

    assert balance_of(other_member) == 200


def test_likes_valid_for_15_days_expire_on_the_15th_local_day_across_the_end_of_summer_time(member):
    ActionRuleFactory(trigger="survey", likes=20, valid_days=15)

    with at(2027, 10, 20, 0, 30):
        award_for_action(member=member, action="survey", reference="survey:1")

    expires = timezone.localtime(Lot.objects.get(account__member=member).expires_at)
    assert (expires.date(), expires.hour, expires.minute) == (date(2027, 11, 4), 0, 30)


def test_expiry_runs_neither_a_day_early_nor_a_day_late_across_the_end_of_summer_time(member):
    ActionRuleFactory(trigger="survey", likes=20, valid_days=15)
    with at(2027, 10, 20, 0, 30):
        award_for_action(member=member, action="survey", reference="survey:1")

    assert ledger.expire_due(now=datetime(2027, 11, 3, 23, 59, tzinfo=AMS)) == 0
    assert ledger.expire_due(now=datetime(2027, 11, 4, 0, 30, tzinfo=AMS)) == 20


def test_a_leapling_celebrates_on_29_february_in_a_leap_year_even_after_utc_midnight():
    ActionRuleFactory(trigger="birthday", likes=50)
    leapling = MemberFactory()
    leapling.birth_date = date(2000, 2, 29)
    leapling.save()

    with at(2028, 2, 29, 0, 30):  # 23:30 UTC on 28 February
        assert award_birthdays() == 1
    with at(2028, 2, 29, 23, 30):  # late evening: the same birthday, not a second one
        assert award_birthdays() == 0

    assert balance_of(leapling) == 50


def test_a_leapling_celebrates_on_28_february_in_other_years():
    ActionRuleFactory(trigger="birthday", likes=50)
    leapling = MemberFactory()
    leapling.birth_date = date(2000, 2, 29)
    leapling.save()

    with at(2027, 2, 28, 23, 30):
        assert award_birthdays() == 1
    with at(2027, 3, 1, 0, 30):
        assert award_birthdays() == 0


def test_birthday_likes_on_new_years_eve_count_for_the_local_year(member):
    ActionRuleFactory(trigger="birthday", likes=50)
    member.birth_date = date(1990, 12, 31)
    member.save()

    with at(2026, 12, 31, 23, 40):
        assert award_birthdays() == 1
    with at(2027, 12, 31, 0, 10):  # a year later: a new birthday
        assert award_birthdays() == 1

    assert balance_of(member) == 100


def test_likes_per_day_roll_up_the_23_hour_day_summer_time_starts_without_losing_an_hour(member):
    for when, amount in [
        (datetime(2027, 3, 28, 0, 30, tzinfo=AMS), 1),
        (datetime(2027, 3, 28, 3, 30, tzinfo=AMS), 10),  # just after the clocks went forward
        (datetime(2027, 3, 28, 23, 59, tzinfo=AMS), 100),
        (datetime(2027, 3, 29, 0, 0, tzinfo=AMS), 1000),
    ]:
        with time_machine.travel(when, tick=False):
            ledger.earn(member=member, amount=amount)

    with at(2027, 3, 30, 0, 5):
        assert roll_up_likes() == 2

    issued = dict(DailyLikes.objects.values_list("day", "issued"))
    assert issued == {date(2027, 3, 28): 111, date(2027, 3, 29): 1000}


def test_the_roll_up_on_new_years_day_covers_new_years_eve_but_not_the_day_still_going_on(member):
    with at(2026, 12, 30, 12, 0):
        ledger.earn(member=member, amount=5)
    with at(2026, 12, 31, 23, 40):
        ledger.earn(member=member, amount=7)
    with at(2027, 1, 1, 0, 20):
        ledger.earn(member=member, amount=9)
        assert roll_up_likes() == 2

    assert dict(DailyLikes.objects.values_list("day", "issued")) == {
        date(2026, 12, 30): 5,
        date(2026, 12, 31): 7,
    }
    assert timezone.localdate(datetime(2027, 1, 1, 0, 20, tzinfo=AMS)) - timedelta(days=1) == date(
        2026, 12, 31
    )
