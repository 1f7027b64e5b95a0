"""Kaplan-Meier retention curves per engagement level, checked against a hand-computed case.

The estimator itself is compared with lifelines in test_kaplan_meier.py.
"""

import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from loyalty.insights.models import EngagementSettings
from loyalty.insights.survival import follow_up_counts, kaplan_meier, retention_curves
from loyalty.members.services import leave_program
from loyalty.rules.services import record_purchase
from tests.factories import MemberFactory
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def at(*args):
    return datetime(*args, tzinfo=AMS)


def member(left=None, bought=False):
    person = MemberFactory()
    person.joined_at = at(2025, 6, 1)
    person.save(update_fields=["joined_at"])
    if bought:
        record_purchase(
            member=person,
            partner="shop",
            order_reference=f"P-{person.pk}",
            amount="10.00",
            currency="EUR",
            occurred_at=at(2025, 12, 20),
        )
    if left:
        leave_program(member=person, left_at=left)
    return person


def test_curves_follow_members_from_the_start_by_their_level_then():
    set_site_setting(EngagementSettings, window_days=90, purchase_weight=1, high_from=10)
    # Not engaged at the start (1 January 2026): 4 members; two leave in month 1, one in month 3.
    member(left=at(2026, 2, 10))
    member(left=at(2026, 2, 20))
    member(left=at(2026, 4, 5))
    member()
    # Engaged (one purchase in December): nobody leaves.
    member(bought=True)

    counts = follow_up_counts(date(2026, 1, 1), now=at(2026, 7, 1))
    assert sorted(counts["none"]) == [(1, 1, 2), (3, 1, 1), (6, 0, 1)]
    assert counts["low"] == [(6, 0, 1)]

    curves = retention_curves(date(2026, 1, 1), months=6, now=at(2026, 7, 1))

    none = [round(point["retained"], 1) for point in curves["none"]]
    assert none == [100.0, 50.0, 50.0, 25.0, 25.0, 25.0, 25.0]  # 4 -> 2 -> 1 of 4
    assert all(point["low"] <= point["retained"] <= point["high"] for point in curves["none"])
    assert [point["retained"] for point in curves["low"]] == [100.0] * 7
    assert curves["high"] == []


def test_the_curves_are_drawn_without_lifelines(monkeypatch):
    monkeypatch.setitem(sys.modules, "lifelines", None)  # importing it now raises ImportError
    member(left=at(2026, 2, 10))
    member(left=at(2026, 4, 5))
    member()

    curves = retention_curves(date(2026, 1, 1), months=6, now=at(2026, 7, 1))

    expected = kaplan_meier([(1, 1, 1), (3, 1, 1), (6, 0, 1)], range(7))
    assert [(p["retained"], p["low"], p["high"]) for p in curves["none"]] == [
        (100 * survival, 100 * low, 100 * high) for survival, low, high in expected
    ]
    assert [p["month"] for p in curves["none"]] == list(range(7))


@pytest.mark.django_db
def test_the_page_shows_the_curves_only_as_far_as_members_have_been_followed():
    from loyalty.insights.dashboard import survival_table

    member()
    table = survival_table(date(2026, 9, 15), today=date(2026, 11, 24))

    assert [row["month"] for row in table["rows"]] == [0, 1, 2]
    assert (
        survival_table(date(2026, 11, 20), today=date(2026, 11, 24))["rows"][-1]["month"] == 1
    )  # at least 1
