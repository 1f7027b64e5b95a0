"""Metrics on small hand-computed cases, including the edges the README documents."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from loyalty.insights import metrics
from loyalty.insights.metrics import Ces, Csat, Nps, Retention
from loyalty.insights.services import record_survey_response
from loyalty.members.services import leave_program, rejoin_program
from tests.factories import MemberFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)


# --------------------------------------------------------------------------- pure formulas


def test_nps_is_promoters_minus_detractors_with_its_margin_of_error():
    result = Nps(responses=10, promoters=5, passives=3, detractors=2)

    assert result.score == 30
    # p = 0.5, d = 0.2: sqrt((0.7 - 0.09) / 10) = 0.24698; x 1.96 = 48.4 points
    assert result.margin == pytest.approx(48.41, abs=0.01)


def test_all_promoters_is_100_with_no_spread_and_no_answers_is_no_score():
    assert (Nps(4, 4, 0, 0).score, Nps(4, 4, 0, 0).margin) == (100, 0)
    assert (Nps(0, 0, 0, 0).score, Nps(0, 0, 0, 0).margin) == (None, None)
    assert Nps(3, 0, 0, 3).score == -100


def test_ces_and_csat_shares():
    assert Ces(responses=4, mean=5.5, easy=3).easy_percent == 75
    assert Ces(responses=0, mean=None, easy=0).easy_percent is None
    assert Csat(responses=5, satisfied=4).percent == 80
    assert Csat(responses=0, satisfied=0).percent is None


def test_retention_rate_formula_and_an_empty_start():
    assert Retention(start=100, end=95, new=10).rate == 85
    assert Retention(start=0, end=5, new=5).rate is None


# --------------------------------------------------------------------------- from the database


@pytest.mark.django_db
def test_survey_metrics_count_the_period_inclusively_and_by_touchpoint():
    member = MemberFactory()
    answers = [
        (10, at(2026, 1, 1, 0, 0), "shop"),  # the first moment of the period
        (9, at(2026, 1, 15, 12, 0), "web"),
        (3, at(2026, 1, 31, 23, 59), "shop"),  # the last minute of the period
        (10, at(2026, 2, 1, 0, 0), "shop"),  # just after
    ]
    for score, when, touchpoint in answers:
        record_survey_response(
            member=member, kind="nps", score=score, occurred_at=when, touchpoint=touchpoint
        )

    january = metrics.nps(date(2026, 1, 1), date(2026, 1, 31))
    assert (january.responses, january.promoters, january.detractors) == (3, 2, 1)
    assert metrics.nps(date(2026, 1, 1), date(2026, 1, 31), touchpoint="shop").responses == 2
    assert metrics.nps(date(2025, 1, 1), date(2025, 12, 31)).score is None


@pytest.mark.django_db
def test_ces_and_csat_from_answers():
    member = MemberFactory()
    for score in (7, 5, 2):
        record_survey_response(member=member, kind="ces", score=score, occurred_at=at(2026, 3, 3, 12))
    for score in (5, 4, 1, 3):
        record_survey_response(member=member, kind="csat", score=score, occurred_at=at(2026, 3, 3, 12))

    effort = metrics.ces(date(2026, 3, 1), date(2026, 3, 31))
    assert (effort.responses, effort.mean, effort.easy) == (3, pytest.approx(14 / 3), 2)
    assert metrics.csat(date(2026, 3, 1), date(2026, 3, 31)).percent == 50


def member_joined(joined: datetime, left: datetime | None = None):
    member = MemberFactory()
    member.joined_at = joined
    member.left_at = left
    member.save(update_fields=["joined_at", "left_at"])
    return member


@pytest.mark.django_db
def test_retention_with_boundary_days_leavers_and_a_rejoin():
    member_joined(at(2025, 12, 1))  # in S and E
    member_joined(at(2025, 12, 15), left=at(2026, 1, 10))  # in S, left: not in E
    member_joined(at(2025, 11, 1), left=at(2026, 1, 1, 0, 0))  # leaves at the first moment: counted in S
    member_joined(at(2026, 1, 5))  # new
    member_joined(at(2026, 1, 1, 0, 0))  # joins on the first day: new, not in S
    member_joined(at(2026, 1, 31, 23, 59))  # joins on the last day: new and in E
    member_joined(at(2026, 2, 1, 0, 0))  # after the period: nowhere
    returning = member_joined(at(2025, 3, 1), left=at(2025, 6, 1))
    rejoin_program(member=returning, joined_at=at(2026, 1, 20))  # counts by the current membership: new

    january = metrics.retention(date(2026, 1, 1), date(2026, 1, 31))

    assert (january.start, january.end, january.new) == (3, 5, 4)
    assert january.rate == pytest.approx(100 * (5 - 4) / 3)


@pytest.mark.django_db
def test_retention_of_an_empty_program_is_no_data():
    assert metrics.retention(date(2026, 1, 1), date(2026, 1, 31)).rate is None


@pytest.mark.django_db
def test_a_member_who_left_during_the_period_is_not_retained():
    member = member_joined(at(2025, 1, 1))
    leave_program(member=member, left_at=at(2026, 1, 15))

    assert metrics.retention(date(2026, 1, 1), date(2026, 1, 31)).rate == 0


@pytest.mark.django_db
def test_monthly_cohorts_show_the_share_still_members_at_each_month_end():
    member_joined(at(2026, 1, 5))
    member_joined(at(2026, 1, 20), left=at(2026, 2, 10))
    member_joined(at(2026, 1, 31, 23, 0), left=at(2026, 3, 2))  # joins late on the last day: January
    member_joined(at(2026, 2, 1, 0, 0))
    member_joined(at(2026, 2, 28), left=at(2026, 4, 1, 0, 0))  # leaves at the first moment of April

    table = metrics.cohort_retention(date(2026, 1, 1), date(2026, 3, 1), now=at(2026, 4, 10))

    january, february, march = table
    assert (january.month, january.size) == (date(2026, 1, 1), 3)
    assert january.retained == [100, pytest.approx(200 / 3), pytest.approx(100 / 3)]
    assert (february.size, february.retained) == (2, [100, 100])
    assert (march.size, march.retained) == (0, [None])


@pytest.mark.django_db
def test_cohort_months_not_over_yet_have_no_figure():
    member_joined(at(2026, 1, 5))

    (january,) = metrics.cohort_retention(date(2026, 1, 1), date(2026, 1, 1), now=at(2026, 1, 20))

    assert january.retained == [None]
