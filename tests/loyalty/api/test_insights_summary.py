"""GET /api/v1/insights/summary/: the period's headline figures for partners with insights:read."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from loyalty.insights.services import record_survey_response
from loyalty.ledger import services as ledger
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/insights/summary/"


def test_the_summary_gives_retention_nps_and_likes_for_the_period(api):
    member = MemberFactory()
    member.joined_at = datetime(2025, 6, 1, tzinfo=ZoneInfo("Europe/Amsterdam"))
    member.save(update_fields=["joined_at"])
    for score in (10, 9, 7, 2):
        record_survey_response(member=member, kind="nps", score=score)
    ledger.earn(member=member, amount=100)
    ledger.redeem(member=member, amount=30)
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()

    response = api.get(URL, {"from": "2026-01-01", "to": today})

    body = response.json()
    assert response.status_code == 200
    assert body["from"] == "2026-01-01" and body["to"] == today
    assert body["members"] == {"at_start": 1, "at_end": 1, "joined": 0}
    assert body["retention_rate"] == 100
    assert body["nps"]["score"] == 25 and body["nps"]["responses"] == 4
    assert body["nps"]["margin_of_error"] > 0
    assert body["likes"] == {"issued": 100, "redeemed": 30}
    assert body["ces"]["mean"] is None and body["csat"]["satisfied_percent"] is None


def test_a_period_without_members_or_answers_reports_no_data_not_zero(api):
    body = api.get(URL, {"from": "2020-01-01", "to": "2020-01-31"}).json()

    assert body["retention_rate"] is None and body["nps"]["score"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "from"),
        ({"from": "2026-01-01"}, "to"),
        ({"from": "yesterday", "to": "2026-01-31"}, "from"),
        ({"from": "2026-02-01", "to": "2026-01-31"}, "to"),
        ({"from": "2000-01-01", "to": "2026-01-31"}, "to"),
    ],
)
def test_bad_periods_are_refused_naming_the_field(api, params, field):
    response = api.get(URL, params)

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert field in [error["field"] for error in response.json()["errors"]]


def test_the_summary_needs_the_insights_scope(key_with):
    response = key_with("members:read").get(URL, {"from": "2026-01-01", "to": "2026-01-31"})

    assert response.status_code == 403
    assert "insights:read" in response.json()["detail"]
