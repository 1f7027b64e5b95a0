"""Retention curves per engagement level: Kaplan-Meier estimates (lifelines) with 95% confidence bands.

The members of the program at the start of the period are grouped by their engagement level then
(the day's snapshot when there is one). Each is followed from that moment: leaving is the event;
still being a member now is censoring. One grouped query gives (level, whole months followed,
left or not, how many); lifelines fits the curve from those counts as weights, so nothing loops
over members.
"""

from datetime import date, datetime, timedelta

from django.db.models import Case, Count, F, IntegerField, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from loyalty.members.models import Member

from . import snapshots
from .engagement import LEVELS, with_engagement
from .metrics import day_start, members_at, month_index


def follow_up_counts(first: date, *, now: datetime | None = None) -> dict[str, list[tuple[int, int, int]]]:
    """Per level: (months followed, 1 if they left, number of members), from one grouped query over the
    snapshot of the day before ``first`` when it was taken, else over the members computed live."""
    now = now or timezone.now()
    start = day_start(first)
    start_index = month_index(timezone.localtime(start))
    tz = timezone.get_current_timezone()

    def months_until(moment):
        return ExtractYear(moment, tzinfo=tz) * 12 + ExtractMonth(moment, tzinfo=tz) - start_index

    counts: dict[str, list[tuple[int, int, int]]] = {level: [] for level in LEVELS}
    before = first - timedelta(days=1)
    if snapshots.has_snapshot(before):
        # Everyone in the snapshot is followed until now, except those who left since: only they
        # need their member row.
        now_months = max(month_index(timezone.localtime(now)) - start_index, 0)
        leavers = (
            snapshots.gone_since(before, now)
            .filter(member__left_at__isnull=False)
            .annotate(months=months_until(F("member__left_at")))
            .values("level", "months")
            .annotate(n=Count("pk"))
        )
        left: dict[str, int] = {}
        for row in leavers:
            counts.setdefault(row["level"], []).append((max(row["months"], 0), 1, row["n"]))
            left[row["level"]] = left.get(row["level"], 0) + row["n"]
        for level, n in snapshots.snapshot_counts(before, "level").items():
            if stayed := n - left.get(level, 0):
                counts.setdefault(level, []).append((now_months, 0, stayed))
        return counts
    members = with_engagement(Member.objects.filter(members_at(start)), at=start)
    end = Coalesce("left_at", Value(now))
    rows = (
        members.annotate(
            months=months_until(end),
            left=Case(When(left_at__isnull=False, then=1), default=0, output_field=IntegerField()),
        )
        .values("level", "months", "left")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts.setdefault(row["level"], []).append((max(row["months"], 0), row["left"], row["n"]))
    return counts


def retention_curves(first: date, *, months: int = 12, now: datetime | None = None) -> dict[str, list[dict]]:
    """Per level, for months 0..``months``: the share still members, with its 95% band (None: no data)."""
    from lifelines import KaplanMeierFitter  # imported here: loading it takes a moment

    curves = {}
    timeline = list(range(months + 1))
    for level, rows in follow_up_counts(first, now=now).items():
        if not rows:
            curves[level] = []
            continue
        durations, events, weights = zip(*rows, strict=True)
        fitted = KaplanMeierFitter().fit(durations, events, weights=weights, timeline=timeline)
        survival = fitted.survival_function_.iloc[:, 0].tolist()
        band = fitted.confidence_interval_survival_function_.values.tolist()
        curves[level] = [
            {"month": month, "retained": 100 * value, "low": 100 * low, "high": 100 * high}
            for month, value, (low, high) in zip(timeline, survival, band, strict=True)
        ]
    return curves
