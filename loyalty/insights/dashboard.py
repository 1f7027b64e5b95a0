"""The data behind the admin's Insights page and home-screen panel, each part a few grouped queries."""

from datetime import date, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from loyalty.members.models import Member

from . import metrics, snapshots
from .charts import shade, sparkline
from .engagement import LEVEL_LABELS, Proportion, activity_retention, engaged_versus_not, loyalty_by_level
from .models import Persona, SurveyResponse
from .personas import persona_flows, with_persona
from .survival import retention_curves


def this_quarter(today: date) -> tuple[date, date]:
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return first, today


def previous_quarter(today: date) -> tuple[date, date]:
    first, _ = this_quarter(today)
    last = first - timedelta(days=1)
    return this_quarter(last)[0], last


def kpis(today: date | None = None) -> dict:
    """Home-screen figures: members now, retention this quarter against last, NPS and its trend, Likes."""
    today = today or timezone.localdate()
    now_first, now_last = this_quarter(today)
    then_first, then_last = previous_quarter(today)
    trend = nps_by_month(today, months=6)
    return {
        "active_members": Member.objects.active().count(),
        "now": metrics.summary(now_first, now_last),
        "then": metrics.summary(then_first, then_last),
        "nps_trend": trend,
        "nps_sparkline": sparkline(trend),
    }


def nps_by_month(
    last_month: date, months: int = 12, *, members: QuerySet | None = None, touchpoint: str = ""
) -> list[dict]:
    """NPS per month with its margin: one grouped query."""
    first_month = metrics.add_months(last_month.replace(day=1), -(months - 1))
    rows = (
        SurveyResponse.objects.filter(
            kind="nps",
            occurred_at__gte=metrics.day_start(first_month),
            occurred_at__lt=metrics.day_start(metrics.add_months(last_month.replace(day=1), 1)),
        )
        .filter(**({"member__in": members} if members is not None else {}))
        .filter(**({"touchpoint": touchpoint} if touchpoint else {}))
        .annotate(month=TruncMonth("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(**metrics.nps_counts())
    )
    by_month = {row.pop("month").date(): metrics.Nps(**row) for row in rows}
    result = []
    for offset in range(months):
        month = metrics.add_months(first_month, offset)
        result.append({"month": month, "nps": by_month.get(month, metrics.Nps(0, 0, 0, 0))})
    return result


def persona_sizes(members: QuerySet | None = None, *, snapshot_day: date | None = None) -> list[dict]:
    """Members per persona: from the snapshot of ``snapshot_day`` when given, else computed now."""
    if snapshot_day is not None:
        counts = snapshots.persona_counts(snapshot_day, members)
    else:
        base = Member.objects.active() if members is None else members.filter(left_at__isnull=True)
        counts = dict(
            with_persona(base).values("persona").annotate(n=Count("pk")).values_list("persona", "n")
        )
    total = sum(counts.values()) or 1
    return [
        {
            "persona": persona,
            "label": persona.label,
            "members": counts.get(persona, 0),
            "share": 100 * counts.get(persona, 0) / total,
        }
        for persona in Persona
    ]


def latest_comments(first: date, last: date, limit: int = 20):
    return (
        SurveyResponse.objects.filter(
            kind="nps", occurred_at__gte=metrics.day_start(first), occurred_at__lt=metrics.day_end(last)
        )
        .exclude(comment="")
        .select_related("member__user")
        .order_by("-occurred_at")[:limit]
    )


def persona_flow_table(
    last: date, members: QuerySet | None = None, *, taken: set[date] | None = None
) -> dict:
    """Members by persona at the end of the month before ``last``'s month and at the end of ``last``
    (from the two days' snapshots when both exist; ``taken`` says which days have one)."""
    this_month = last.replace(day=1)
    before = snapshots.month_end_before(last)
    taken = snapshots.days_taken(before, last) if taken is None else taken
    if {before, last} <= taken and snapshots.has_flows(last):
        flows = snapshots.persona_flows(last, members)
    else:
        flows = persona_flows(metrics.day_start(this_month), metrics.day_end(last), members)
    personas = list(Persona)
    largest = max(flows.values(), default=0)
    rows = []
    for then in personas:
        cells = [flows.get((then, now), 0) for now in personas]
        rows.append({"persona": then, "cells": cells, "shaded": [(n, shade(n, largest)) for n in cells]})
    return {"personas": personas, "rows": rows}


def survival_table(first: date, months: int = 12, *, today: date | None = None) -> dict:
    """Kaplan-Meier retention per engagement level, as rows of months for the page and the CSV: up to
    ``months``, and never past the months followed so far (a curve beyond them would only repeat
    its last value)."""
    today = today or timezone.localdate()
    followed = metrics.month_index(today) - metrics.month_index(first)
    months = max(1, min(months, followed))
    curves = retention_curves(first, months=months)
    levels = [level for level in ("high", "low", "none") if curves.get(level)]
    rows = [
        {"month": month, "cells": [curves[level][month] for level in levels]} for month in range(months + 1)
    ]
    return {
        "levels": levels,
        "labels": {level: LEVEL_LABELS[level] for level in levels},
        "rows": rows if levels else [],
    }


def level_table(first: date, last: date, taken: set[date]) -> dict:
    """Loyalty per engagement level at the start of the period (from the day before's snapshot if taken)."""
    before = first - timedelta(days=1)
    return loyalty_by_level(
        first, last, counts=snapshots.level_counts(before, first, last) if before in taken else None
    )


def activity_retention_of(first: date, last: date, taken: set[date]) -> Proportion:
    before = first - timedelta(days=1)
    if {before, last} <= taken:
        return Proportion(*snapshots.activity_retention(before, last))
    return activity_retention(first, last)


def state_day(last: date, taken: set[date], *, today: date | None = None) -> date:
    """The day whose member state (personas, flows, who is active) the page shows for a period ending
    ``last``: ``last`` itself, except for a period running to today, which has no snapshot yet
    (the nightly job takes yesterday's): then yesterday's, when taken."""
    today = today or timezone.localdate()
    yesterday = today - timedelta(days=1)
    if last >= today and last not in taken and yesterday in taken:
        return yesterday
    return last


def insights(first: date, last: date, *, members: QuerySet | None = None, touchpoint: str = "") -> dict:
    """Everything on the Insights page. ``members`` (a segment) narrows the summary, NPS by month, the
    personas and their flows; ``touchpoint`` narrows the survey figures."""
    before = first - timedelta(days=1)
    yesterday = timezone.localdate() - timedelta(days=1)
    taken = snapshots.days_taken(
        before, last, yesterday, snapshots.month_end_before(last), snapshots.month_end_before(yesterday)
    )
    table = level_table(first, last, taken)
    state = state_day(last, taken)
    return {
        "summary": metrics.summary(first, last, members=members, touchpoint=touchpoint),
        "state_day": state,
        "activity_retention": activity_retention_of(first, state, taken),
        "nps_by_month": nps_by_month(last, members=members, touchpoint=touchpoint),
        "cohorts": metrics.cohort_retention(
            metrics.add_months(last.replace(day=1), -11), last.replace(day=1)
        ),
        "personas": persona_sizes(members, snapshot_day=state if state in taken else None),
        "flows": persona_flow_table(state, members, taken=taken),
        "levels": [table[level] for level in ("high", "low", "none")],
        "survival": survival_table(first),
        "gaps": engaged_versus_not(table),
        "comments": latest_comments(first, last),
    }
