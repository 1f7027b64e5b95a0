"""Nightly snapshots: every current member's persona and engagement level in one statement."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from loyalty.insights import dashboard
from loyalty.insights.models import EngagementSettings, MemberSnapshot, PersonaSettings, SurveyResponse
from loyalty.insights.services import record_survey_response
from loyalty.insights.snapshots import latest_snapshot_day, take_snapshot
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
    for day in {first - timedelta(days=1), today.replace(day=1) - timedelta(days=1), today}:
        take_snapshot(day)
    SurveyResponse.objects.all().delete()  # computed live, personas would change now; snapshots keep them
    snapshotted = dashboard.insights(first, today)

    assert snapshotted["personas"] == live["personas"]
    assert snapshotted["flows"] == live["flows"]
    assert [(level.level, level.members, level.retention) for level in snapshotted["levels"]] == [
        (level.level, level.members, level.retention) for level in live["levels"]
    ]
    assert snapshotted["activity_retention"] == live["activity_retention"]
    assert dashboard.persona_sizes() != live["personas"]  # proof that the live path would differ
