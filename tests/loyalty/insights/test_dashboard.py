"""The admin's Insights page and the home-screen KPI panel: figures, filters, CSV, permissions."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from loyalty.insights.services import record_survey_response
from tests.conftest import grant
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client):
    client.force_login(grant(UserFactory(email="analyst@example.com"), "access_admin", "view_surveyresponse"))
    return client


def test_the_insights_page_shows_the_summary_nps_cohorts_personas_and_engagement(analyst):
    member = MemberFactory()
    record_survey_response(member=member, kind="nps", score=10, comment="Lovely staff")

    html = analyst.get("/admin/loyalty/insights/").content.decode()

    for part in ("summary", "nps-by-month", "cohorts", "personas", "flows", "engagement", "comments"):
        assert f'data-testid="{part}"' in html
    assert "Lovely staff" in html
    assert "association, not proof" in html


def test_each_chart_downloads_as_csv(analyst):
    MemberFactory()
    today = timezone.localdate()

    for name, header in [
        ("nps", "month,responses"),
        ("cohorts", "join_month,members"),
        ("personas", "persona,members"),
        ("flows", "from_persona,ambassador"),
        ("survival", "month"),
        ("engagement", "level,members"),
    ]:
        response = analyst.get(
            "/admin/loyalty/insights/", {"start": today - timedelta(days=30), "end": today, "download": name}
        )
        assert response["Content-Type"].startswith("text/csv")
        assert response.content.decode().startswith(header)


def test_a_period_upside_down_is_refused_with_a_message(analyst):
    response = analyst.get("/admin/loyalty/insights/", {"start": "2026-02-01", "end": "2026-01-01"})

    assert response.status_code == 400
    assert "must not be before" in response.content.decode()


def test_a_bad_date_is_refused(analyst):
    response = analyst.get("/admin/loyalty/insights/", {"start": "yesterday", "end": "2026-01-01"})

    assert response.status_code == 400 and "Enter a valid date." in response.content.decode()


def test_the_home_screen_shows_the_kpi_panel_to_those_who_may_see_insights(analyst, client, editor):
    MemberFactory()
    record_survey_response(member=MemberFactory(), kind="nps", score=9)

    html = analyst.get("/admin/").content.decode()
    assert 'data-testid="loyalty-kpis"' in html
    assert 'data-testid="nps-sparkline"' in html  # the NPS trend of the last 6 months
    client.force_login(editor)
    assert 'data-testid="loyalty-kpis"' not in client.get("/admin/").content.decode()


def test_editors_without_the_permission_cannot_open_insights(client, editor):
    client.force_login(editor)

    response = client.get("/admin/loyalty/insights/")

    assert response.status_code in (302, 403)


def test_the_quarters_are_calendar_quarters():
    from loyalty.insights.dashboard import previous_quarter, this_quarter

    assert this_quarter(date(2026, 5, 20)) == (date(2026, 4, 1), date(2026, 5, 20))
    assert previous_quarter(date(2026, 5, 20)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert previous_quarter(date(2026, 2, 1)) == (date(2025, 10, 1), date(2025, 12, 31))


def test_a_segment_and_a_touchpoint_narrow_the_figures(analyst):
    from loyalty.emails.models import Segment

    dutch, english = MemberFactory(locale="nl"), MemberFactory(locale="en")
    record_survey_response(member=dutch, kind="nps", score=10, touchpoint="store")
    record_survey_response(member=english, kind="nps", score=0, touchpoint="web")
    segment = Segment.objects.create(name="Dutch", locale="nl")
    today = timezone.localdate()
    period = {"start": today - timedelta(days=7), "end": today}

    everyone = analyst.get("/admin/loyalty/insights/", period).content.decode()
    dutch_only = analyst.get("/admin/loyalty/insights/", {**period, "segment": segment.pk}).content.decode()
    web_only = analyst.get("/admin/loyalty/insights/", {**period, "touchpoint": "web"}).content.decode()

    assert "0 ± " in everyone and "2 answers" in everyone
    assert "100 ± 0" in dutch_only and "1 answer)" in dutch_only
    assert "-100 ± 0" in web_only


def test_the_page_shows_retention_curves_for_members_at_the_start(analyst):
    veteran = MemberFactory()
    veteran.joined_at = timezone.now() - timedelta(days=400)
    veteran.save(update_fields=["joined_at"])

    html = analyst.get("/admin/loyalty/insights/").content.decode()

    assert 'data-testid="survival"' in html and "100.0%" in html


def test_nps_and_retention_curves_are_drawn_as_charts_that_survive_a_dutch_decimal_comma(analyst):
    member = MemberFactory()
    member.joined_at = timezone.now() - timedelta(days=200)
    member.save(update_fields=["joined_at"])
    record_survey_response(member=member, kind="nps", score=10)
    analyst.cookies["django_language"] = "nl"

    html = analyst.get("/admin/loyalty/insights/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert 'data-testid="nps-chart"' in html and 'data-testid="survival-chart"' in html
    start = html.index('data-testid="nps-chart"')
    svg = html[start : html.index("</svg>", start)]
    assert '<path d="M' in svg
    circles = svg[svg.index("<circle") :]
    cx = circles[circles.index('cx="') + 4 : circles.index('"', circles.index('cx="') + 4)]
    assert "," not in cx  # coordinates keep their decimal point in every language
