"""Retention curves per engagement level: Kaplan-Meier estimates with 95% confidence bands.

The members of the program at the start of the period are grouped by their engagement level then
(the day's snapshot when there is one). Each is followed from that moment: leaving is the event;
still being a member now is censoring. One grouped query gives (level, whole months followed,
left or not, how many); ``kaplan_meier`` computes the curve and Greenwood's variance straight from
those counts, in plain Python, so nothing loops over members and no numerical library is needed.
The figures are those lifelines' ``KaplanMeierFitter`` reports by default (the tests check this).
"""

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, F, IntegerField, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from loyalty.members.models import Member

from . import snapshots
from .engagement import LEVELS, with_engagement
from .metrics import Z_95, day_start, members_at, month_index


def kaplan_meier(
    rows: Iterable[tuple[int, int, int]], timeline: Sequence[float], *, z: float = Z_95
) -> list[tuple[float, float, float]]:
    """The Kaplan-Meier survival estimate with its confidence band, at each point of ``timeline``.

    ``rows`` are grouped counts ``(duration, event, weight)``: ``weight`` members (a count ≥ 0) were
    followed for ``duration`` and then had the event (``event`` truthy) or were censored. Returns one
    ``(survival, low, high)`` per timeline point, as fractions.

    At each distinct duration t, with n members still at risk just before t and d events at t,
    S drops by the factor (1 - d/n) and Greenwood's sum grows by d / (n (n - d)). Members censored at
    t are still at risk at t (they leave just after the events), as in lifelines. The band is the
    "exponential Greenwood" (log(-log S)) interval lifelines reports by default:
    ``S ** exp(±z·sqrt(greenwood) / log S)``. Where S = 1 (no event yet) the band is (1, 1); where
    S = 0 (everyone still at risk had the event) it is (0, 0), and Greenwood's sum takes no term for
    that step. Timeline points between durations, or past the last one, carry the last estimate
    forward; points before the first duration get S = 1.
    """
    removed: dict[float, int] = defaultdict(int)
    events: dict[float, int] = defaultdict(int)
    for duration, event, weight in rows:
        removed[duration] += weight
        if event:
            events[duration] += weight

    at_risk = sum(removed.values())
    log_survival = 0.0  # log S; -inf once everyone at risk has had the event
    greenwood = 0.0  # sum of d / (n (n - d))
    times: list[float] = []
    steps: list[tuple[float, float]] = []  # (log S, Greenwood's sum) from each time on
    for time in sorted(removed):
        if deaths := events[time]:
            if deaths == at_risk:
                log_survival = -math.inf
            else:
                log_survival += math.log1p(-deaths / at_risk)
                greenwood += deaths / (at_risk * (at_risk - deaths))
        at_risk -= removed[time]
        times.append(time)
        steps.append((log_survival, greenwood))

    estimates = []
    for point in timeline:
        index = bisect_right(times, point) - 1
        log_s, variance = steps[index] if index >= 0 else (0.0, 0.0)
        if log_s == 0.0:
            estimates.append((1.0, 1.0, 1.0))
        elif log_s == -math.inf:
            estimates.append((0.0, 0.0, 0.0))
        else:
            log_minus_log = math.log(-log_s)
            spread = z * math.sqrt(variance) / -log_s
            estimates.append(
                (
                    math.exp(log_s),
                    math.exp(-math.exp(log_minus_log + spread)),
                    math.exp(-math.exp(log_minus_log - spread)),
                )
            )
    return estimates


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
    curves = {}
    timeline = list(range(months + 1))
    for level, rows in follow_up_counts(first, now=now).items():
        if not rows:
            curves[level] = []
            continue
        curves[level] = [
            {"month": month, "retained": 100 * value, "low": 100 * low, "high": 100 * high}
            for month, (value, low, high) in zip(timeline, kaplan_meier(rows, timeline), strict=True)
        ]
    return curves
