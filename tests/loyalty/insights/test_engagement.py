"""Engagement levels from the editor's weights, and loyalty compared between levels with 95% intervals."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from loyalty.insights.engagement import (
    Proportion,
    activity_retention,
    difference_of_nps,
    difference_of_proportions,
    engaged_versus_not,
    loyalty_by_level,
    with_engagement,
)
from loyalty.insights.metrics import Nps
from loyalty.insights.models import EngagementSettings
from loyalty.insights.services import record_activity, record_survey_response
from loyalty.members.models import Member
from loyalty.members.services import leave_program
from loyalty.rules.services import record_purchase
from tests.factories import MemberFactory
from tests.site_settings import set_site_setting

AMS = ZoneInfo("Europe/Amsterdam")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def member_since(joined: datetime | None = None):
    member = MemberFactory()
    member.joined_at = joined or at(2025, 6, 1)
    member.save(update_fields=["joined_at"])
    return member


def purchases(member, *days, month=(2025, 12)):
    for day in days:
        record_purchase(
            member=member,
            partner="shop",
            order_reference=f"{member.pk}-{month}-{day}",
            amount="10.00",
            currency="EUR",
            occurred_at=at(*month, day, 12),
        )


def level_of(member, when) -> tuple[int, str]:
    annotated = with_engagement(Member.objects.filter(pk=member.pk), at=when).get()
    return annotated.engagement, annotated.level


# --------------------------------------------------------------------------- pure functions


def test_the_difference_of_two_shares_has_a_95_percent_interval():
    result = difference_of_proportions(Proportion(80, 100), Proportion(60, 100))

    # se = sqrt(0.8 x 0.2 / 100 + 0.6 x 0.4 / 100) = 0.06325; x 1.96 = 12.4 points
    assert result.value == pytest.approx(20)
    assert (result.low, result.high) == (pytest.approx(7.60, abs=0.01), pytest.approx(32.40, abs=0.01))
    assert difference_of_proportions(Proportion(1, 2), Proportion(0, 0)).value is None


def test_the_difference_of_two_nps_scores_adds_their_variances():
    result = difference_of_nps(Nps(100, 60, 20, 20), Nps(100, 30, 40, 30))

    assert result.value == pytest.approx(40)
    # var a = (0.8 - 0.16) / 100 = 0.0064; var b = (0.6 - 0) / 100 = 0.006; sqrt(0.0124) x 196 = 21.8
    assert result.high - result.value == pytest.approx(21.83, abs=0.01)


# --------------------------------------------------------------------------- from the database


@pytest.mark.django_db
def test_points_follow_the_editors_weights_and_window():
    set_site_setting(
        EngagementSettings, window_days=30, purchase_weight=3, email_click_weight=1, high_from=10
    )
    member = member_since()
    purchases(member, 10, 20)  # 2 x 3 points
    purchases(member, 1, month=(2025, 10))  # outside the window
    record_activity(member=member, kind="email_click", occurred_at=at(2025, 12, 28))

    assert level_of(member, at(2026, 1, 1)) == (7, "low")
    set_site_setting(EngagementSettings, window_days=30, purchase_weight=5, high_from=10)
    assert level_of(member, at(2026, 1, 1)) == (11, "high")
    assert level_of(member_since(), at(2026, 1, 1)) == (0, "none")


@pytest.mark.django_db
@pytest.mark.community
def test_community_activity_counts_when_the_community_is_installed():
    from community.services import write_post

    set_site_setting(EngagementSettings, post_weight=4)
    member = member_since()
    write_post(author=member, title="Hello", body="First post")

    points, level = level_of(member, datetime.now(AMS))
    assert points == 4 and level == "low"


@pytest.mark.django_db
def test_loyalty_by_level_compares_retention_repeat_purchases_and_nps():
    set_site_setting(EngagementSettings, window_days=90, purchase_weight=3, high_from=10)
    staying_fan, leaving_fan, occasional, quiet, leaving_quiet = (member_since() for _ in range(5))
    purchases(staying_fan, 1, 2, 3, 4)
    purchases(leaving_fan, 5, 6, 7, 8)
    purchases(occasional, 9)
    purchases(staying_fan, 5, 20, month=(2026, 1))
    purchases(leaving_fan, 6, month=(2026, 1))
    for member, score in [(staying_fan, 10), (leaving_fan, 9), (occasional, 7), (quiet, 3)]:
        record_survey_response(member=member, kind="nps", score=score, occurred_at=at(2026, 1, 3))
    leave_program(member=leaving_fan, left_at=at(2026, 1, 15))
    leave_program(member=leaving_quiet, left_at=at(2026, 1, 10))

    table = loyalty_by_level(date(2026, 1, 1), date(2026, 1, 31))

    high, low, none = table["high"], table["low"], table["none"]
    assert (high.members, high.retention, high.repeat) == (2, Proportion(1, 2), Proportion(1, 2))
    assert (low.members, low.retention, low.nps.score) == (1, Proportion(1, 1), 0)
    assert (none.members, none.retention, none.repeat.whole) == (2, Proportion(1, 2), 0)
    assert (high.nps.score, none.nps.score) == (100, -100)
    gaps = engaged_versus_not(table)
    assert gaps["retention"].value == 0 and gaps["retention"].high == pytest.approx(98.0, abs=0.1)
    assert gaps["nps"].value == 200 and gaps["repeat"].value is None


@pytest.mark.django_db
def test_activity_retention_counts_members_active_before_and_again_at_the_end():
    set_site_setting(EngagementSettings, window_days=30, purchase_weight=1)
    again, once = member_since(), member_since()
    member_since()  # never active: not in the base
    purchases(again, 10)
    purchases(again, 20, month=(2026, 1))
    purchases(once, 12)

    result = activity_retention(date(2026, 1, 1), date(2026, 1, 31))

    assert result == Proportion(1, 2)
