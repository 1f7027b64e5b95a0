"""Nightly snapshots: every current member's persona and engagement level in one statement."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Min
from django.utils import timezone

from loyalty.insights import dashboard
from loyalty.insights.models import EngagementSettings, MemberSnapshot, PersonaSettings, SurveyResponse
from loyalty.insights.services import record_survey_response
from loyalty.insights.snapshots import latest_snapshot_day, roll_up_likes, take_snapshot
from loyalty.members.services import leave_program
from loyalty.rules.services import record_purchase
from tests.factories import MemberFactory
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def joined_long_ago():
    member = MemberFactory()
    member.joined_at = datetime(2025, 1, 1, tzinfo=AMS)
    member.save(update_fields=["joined_at"])
    return member


def test_a_snapshot_holds_each_current_members_persona_and_level():
    set_site_setting(EngagementSettings, survey_weight=10)  # one answer makes a member highly engaged
    set_site_setting(PersonaSettings, ambassador_min_purchases=0)
    fan, buyer, gone = joined_long_ago(), joined_long_ago(), joined_long_ago()
    record_survey_response(member=fan, kind="nps", score=10, occurred_at=datetime(2026, 1, 20, tzinfo=AMS))
    record_purchase(
        member=buyer,
        partner="shop",
        order_reference="B-1",
        amount="10.00",
        currency="EUR",
        occurred_at=datetime(2026, 1, 25, tzinfo=AMS),
    )
    leave_program(member=gone, left_at=datetime(2026, 1, 10, tzinfo=AMS))

    assert take_snapshot(date(2026, 1, 31)) == 2

    rows = {row.member_id: row for row in MemberSnapshot.objects.filter(day=date(2026, 1, 31))}
    assert set(rows) == {fan.pk, buyer.pk}
    assert rows[fan.pk].persona == "ambassador"
    assert (rows[buyer.pk].engagement, rows[buyer.pk].level) == (3, "low")
    assert (rows[fan.pk].engagement, rows[fan.pk].level) == (10, "high")  # a survey answer


def test_taking_a_days_snapshot_again_replaces_it():
    joined_long_ago()
    take_snapshot(date(2026, 1, 31))
    take_snapshot(date(2026, 1, 31))

    assert MemberSnapshot.objects.count() == 1
    assert latest_snapshot_day(date(2026, 2, 15)) == date(2026, 1, 31)
    assert latest_snapshot_day(date(2026, 1, 30)) is None


def test_the_dashboard_reads_the_same_figures_from_snapshots_as_it_computes_live():
    today = timezone.localdate()
    first = today - timedelta(days=30)
    fan, buyer, quiet = joined_long_ago(), joined_long_ago(), joined_long_ago()
    record_survey_response(member=fan, kind="nps", score=10, occurred_at=timezone.now() - timedelta(days=40))
    record_survey_response(member=quiet, kind="nps", score=3)
    for days_ago, reference in [(45, "B-1"), (5, "B-2")]:
        record_purchase(
            member=buyer,
            partner="shop",
            order_reference=reference,
            amount="10.00",
            currency="EUR",
            occurred_at=timezone.now() - timedelta(days=days_ago),
        )

    live = dashboard.insights(first, today)
    for day in sorted({first - timedelta(days=1), today.replace(day=1) - timedelta(days=1), today}):
        take_snapshot(day)  # in day order, as the nightly job does
    SurveyResponse.objects.all().delete()  # computed live, personas would change now; snapshots keep them
    snapshotted = dashboard.insights(first, today)

    assert snapshotted["personas"] == live["personas"]
    assert snapshotted["flows"] == live["flows"]
    assert [(level.level, level.members, level.retention) for level in snapshotted["levels"]] == [
        (level.level, level.members, level.retention) for level in live["levels"]
    ]
    assert snapshotted["activity_retention"] == live["activity_retention"]
    assert dashboard.persona_sizes() != live["personas"]  # proof that the live path would differ


def test_the_engagement_table_retention_curves_and_likes_read_from_roll_ups_equal_the_live_figures():
    today = timezone.localdate()
    first = today - timedelta(days=30)
    now = timezone.now()
    regular, quiet, leaver = joined_long_ago(), joined_long_ago(), joined_long_ago()
    for days_ago, reference in [(40, "R-0"), (38, "R-00"), (35, "R-000"), (20, "R-1"), (10, "R-2")]:
        record_purchase(
            member=regular,
            partner="shop",
            order_reference=reference,
            amount="10.00",
            currency="EUR",
            occurred_at=now - timedelta(days=days_ago),
        )
    record_purchase(
        member=leaver, partner="shop", order_reference="L-1", amount="5.00", currency="EUR", occurred_at=now
    )
    record_survey_response(member=regular, kind="nps", score=10, occurred_at=now - timedelta(days=5))
    record_survey_response(member=quiet, kind="nps", score=4, occurred_at=now - timedelta(days=3))
    leave_program(member=leaver, left_at=now - timedelta(hours=1))

    live = dashboard.insights(first, today)
    take_snapshot(first - timedelta(days=1))
    assert roll_up_likes(until=today - timedelta(days=1)) > 0
    rolled = dashboard.insights(first, today)

    def table(data):
        return [(row.level, row.members, row.retention, row.repeat, row.nps) for row in data["levels"]]

    assert table(rolled) == table(live)
    assert [row.members for row in rolled["levels"]] == [0, 1, 2]  # high, low (regular: 9 points), none
    assert rolled["survival"] == live["survival"]
    assert rolled["summary"]["likes"] == live["summary"]["likes"]


def test_likes_per_day_have_no_gaps_and_add_up_with_the_live_days_after_them():
    from fixtures.synthetic import seed
    from loyalty.insights.metrics import likes_flow
    from loyalty.insights.models import DailyLikes
    from loyalty.ledger import services as ledger
    from loyalty.ledger.models import Journal

    seed(members=30, months=2, seed=5, progress=False)  # two months of postings, up to now
    ledger.earn(member=joined_long_ago(), amount=25)  # and some today
    today = timezone.localdate()
    periods = [(today - timedelta(days=days), today) for days in (0, 6, 30, 59)]
    periods.append((today - timedelta(days=20), today - timedelta(days=10)))
    live = [likes_flow(first, last) for first, last in periods]

    assert roll_up_likes(since=today - timedelta(days=10)) == 10  # a roll-up begun late
    assert [likes_flow(first, last) for first, last in periods] == live  # earlier days read live
    assert roll_up_likes(since=today - timedelta(days=3)) == 3  # again: the last 3 days rewritten
    DailyLikes.objects.all().delete()

    written = roll_up_likes()  # from the ledger's first day
    assert roll_up_likes() == 0  # nothing new to roll up
    days = list(DailyLikes.objects.order_by("day").values_list("day", flat=True))
    assert written == len(days)
    assert days == [days[0] + timedelta(days=offset) for offset in range(len(days))]  # no gaps
    first_posting = Journal.objects.aggregate(at=Min("posted_at"))["at"]
    assert days[0] == timezone.localdate(first_posting)  # the ledger's first local day
    assert days[-1] == today - timedelta(days=1)  # a day still going on is never rolled up
    assert len(days) >= 58  # two months of history, whatever the hour the seed started at

    assert [likes_flow(first, last) for first, last in periods] == live
    assert live[1]["issued"] > 0 and live[3]["redeemed"] > 0, live


def test_persona_flows_come_from_the_snapshot_totals_only_when_the_previous_month_end_was_taken_first():
    from loyalty.insights.models import SnapshotTotal
    from loyalty.insights.snapshots import has_flows, persona_counts, persona_flows

    fan = joined_long_ago()
    record_survey_response(member=fan, kind="nps", score=2, occurred_at=datetime(2026, 2, 10, tzinfo=AMS))
    joined_long_ago()

    take_snapshot(date(2026, 2, 20))  # the end of January was not taken: no flows
    assert not has_flows(date(2026, 2, 20))
    take_snapshot(date(2026, 1, 31))
    take_snapshot(date(2026, 2, 20))  # taken again, now with January's personas

    assert has_flows(date(2026, 2, 20))
    assert persona_flows(date(2026, 2, 20)) == {("other", "at_risk"): 1, ("other", "other"): 1}
    assert persona_counts(date(2026, 2, 20)) == {"at_risk": 1, "other": 1}
    assert sum(SnapshotTotal.objects.filter(day=date(2026, 2, 20)).values_list("members", flat=True)) == 2


def test_old_daily_snapshots_are_pruned_but_month_ends_are_kept(settings):
    from loyalty.insights.models import SnapshotTotal
    from loyalty.insights.snapshots import prune_snapshots

    settings.LOYALTY_INSIGHTS_SNAPSHOT_DAYS = 30
    joined_long_ago()
    days = [date(2026, 1, 30), date(2026, 1, 31), date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 20)]
    for day in days:
        take_snapshot(day)

    assert prune_snapshots(today=date(2026, 4, 1)) == 2  # Jan 30 and Feb 27; Mar 20 is within 30 days

    assert sorted(set(MemberSnapshot.objects.values_list("day", flat=True))) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 20),
    ]
    assert set(SnapshotTotal.objects.values_list("day", flat=True)) == set(days)  # totals stay
    assert prune_snapshots(today=date(2026, 4, 1)) == 0


def test_a_period_running_to_today_shows_personas_from_last_nights_snapshot(client):
    from tests.conftest import grant
    from tests.factories import UserFactory

    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    fan = joined_long_ago()
    record_survey_response(member=fan, kind="nps", score=2, occurred_at=timezone.now() - timedelta(days=3))
    take_snapshot(yesterday)  # what the nightly job does; there is no snapshot of today
    SurveyResponse.objects.all().delete()  # live, the fan would no longer be at risk

    data = dashboard.insights(today - timedelta(days=29), today)

    assert data["state_day"] == yesterday
    assert {row["persona"]: row["members"] for row in data["personas"]}["at_risk"] == 1
    assert dashboard.insights(today - timedelta(days=29), yesterday)["state_day"] == yesterday
    client.force_login(grant(UserFactory(), "access_admin", "view_surveyresponse"))
    assert "the latest nightly snapshot" in client.get("/admin/loyalty/insights/").content.decode()
