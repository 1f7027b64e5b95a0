"""Loyalty metrics: pure functions over counts, and the SQL aggregates that produce those counts.

Nothing here loops over members in Python: every count is one aggregate query, and the
formulas are plain functions of those counts, tested on hand-computed cases.

Edge rules:
- An empty sample gives ``None`` (shown as "no data"), never 0: no answers is not an NPS of 0.
- Periods are inclusive dates in the site's time zone: from the start of the first day to the end
  of the last day.
- Retention's S counts members at the start of the first day (joined before it and not left
  before it); E counts members at the end of the last day; N counts members who joined on any day
  of the period. A member who left and rejoined counts by their current membership (``joined_at``
  moves to the rejoin).
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import NormalDist

from django.db.models import Avg, Count, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from loyalty.core.dates import day_end, day_start
from loyalty.members.models import Member

from .models import DailyLikes, SurveyResponse

Z_95 = NormalDist().inv_cdf(0.975)  # the two-sided 95% quantile, 1.959963984...


# --------------------------------------------------------------------------- pure formulas


@dataclass(frozen=True)
class Nps:
    responses: int
    promoters: int
    passives: int
    detractors: int

    @property
    def score(self) -> float | None:
        """% promoters - % detractors, from -100 to +100."""
        if not self.responses:
            return None
        return 100 * (self.promoters - self.detractors) / self.responses

    @property
    def margin(self) -> float | None:
        """The 95% margin of error of the score, in points.

        Each answer scores +1 (promoter), 0 or -1 (detractor); the NPS is 100 x their mean, so its
        variance is (p + d - (p - d)^2) / n with p and d the promoter and detractor shares.
        """
        if not self.responses:
            return None
        p, d = self.promoters / self.responses, self.detractors / self.responses
        return 100 * Z_95 * math.sqrt(max(p + d - (p - d) ** 2, 0) / self.responses)


@dataclass(frozen=True)
class Ces:
    responses: int
    mean: float | None
    easy: int  # answers of 5-7

    @property
    def easy_percent(self) -> float | None:
        return 100 * self.easy / self.responses if self.responses else None


@dataclass(frozen=True)
class Csat:
    responses: int
    satisfied: int  # answers of 4-5

    @property
    def percent(self) -> float | None:
        return 100 * self.satisfied / self.responses if self.responses else None


@dataclass(frozen=True)
class Retention:
    start: int  # S
    end: int  # E
    new: int  # N

    @property
    def rate(self) -> float | None:
        """((E - N) / S) x 100; None when nobody was a member at the start."""
        if not self.start:
            return None
        return 100 * (self.end - self.new) / self.start


# --------------------------------------------------------------------------- periods


# --------------------------------------------------------------------------- SQL aggregates


def per_member(rows: QuerySet, value, *, field: str = "member", output=None) -> Subquery:
    """``value`` (an aggregate such as ``Sum("cost")``) over each outer member's ``rows``, as a
    correlated subquery; ``field`` names the member on ``rows``."""
    grouped = rows.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(v=value)
    return Subquery(grouped.values("v")[:1], output_field=output or IntegerField())


def count_per_member(rows: QuerySet, *, field: str = "member") -> Coalesce:
    """How many of ``rows`` belong to each outer member (0 when none)."""
    return Coalesce(per_member(rows, Count("pk"), field=field), 0)


def _responses(kind: str, first: date, last: date, *, members: QuerySet | None, touchpoint: str) -> QuerySet:
    responses = SurveyResponse.objects.filter(
        kind=kind, occurred_at__gte=day_start(first), occurred_at__lt=day_end(last)
    )
    if touchpoint:
        responses = responses.filter(touchpoint=touchpoint)
    if members is not None:
        responses = responses.filter(member__in=members)
    return responses


def nps_counts() -> dict:
    """The aggregates an ``Nps`` is made of, for ``aggregate()`` or a grouped ``annotate()``."""
    return {
        "responses": Count("pk"),
        "promoters": Count("pk", filter=Q(score__gte=9)),
        "passives": Count("pk", filter=Q(score__in=[7, 8])),
        "detractors": Count("pk", filter=Q(score__lte=6)),
    }


def nps(first: date, last: date, *, members: QuerySet | None = None, touchpoint: str = "") -> Nps:
    return Nps(
        **_responses("nps", first, last, members=members, touchpoint=touchpoint).aggregate(**nps_counts())
    )


def ces(first: date, last: date, *, members: QuerySet | None = None, touchpoint: str = "") -> Ces:
    counts = _responses("ces", first, last, members=members, touchpoint=touchpoint).aggregate(
        responses=Count("pk"), mean=Avg("score"), easy=Count("pk", filter=Q(score__gte=5))
    )
    return Ces(**counts)


def csat(first: date, last: date, *, members: QuerySet | None = None, touchpoint: str = "") -> Csat:
    counts = _responses("csat", first, last, members=members, touchpoint=touchpoint).aggregate(
        responses=Count("pk"), satisfied=Count("pk", filter=Q(score__gte=4))
    )
    return Csat(**counts)


def members_at(moment: datetime) -> Q:
    """Members of the program at ``moment``: joined before it, not left by then."""
    return Q(joined_at__lt=moment) & (Q(left_at__isnull=True) | Q(left_at__gte=moment))


def retention(first: date, last: date, *, members: QuerySet | None = None) -> Retention:
    """S, E and N for the inclusive period ``first``..``last`` in one query."""
    start, end = day_start(first), day_end(last)
    base = Member.objects.all() if members is None else members
    counts = base.aggregate(
        start=Count("pk", filter=members_at(start)),
        end=Count("pk", filter=members_at(end)),
        new=Count("pk", filter=Q(joined_at__gte=start, joined_at__lt=end)),
    )
    return Retention(**counts)


@dataclass(frozen=True)
class Cohort:
    month: date  # the first day of the join month
    size: int
    retained: list[float | None]  # % still members at the end of month 0, 1, 2, ... (None: not over yet)


def month_index(day: date) -> int:
    """A running count of calendar months, so months between two days is a subtraction."""
    return day.year * 12 + day.month


def add_months(month: date, count: int) -> date:
    index = month_index(month) - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def cohort_retention(first_month: date, last_month: date, *, now: datetime | None = None) -> list[Cohort]:
    """Monthly cohorts by join month: the % of each still a member at the end of each later month.

    One query: members grouped by join month and leave month; the table is built from those groups.
    A member who rejoined belongs to the cohort of their current membership.
    """
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    first_month, last_month = first_month.replace(day=1), last_month.replace(day=1)
    groups = (
        Member.objects.filter(
            joined_at__gte=day_start(first_month), joined_at__lt=day_start(add_months(last_month, 1))
        )
        .annotate(cohort=TruncMonth("joined_at", tzinfo=tz), gone=TruncMonth("left_at", tzinfo=tz))
        .values("cohort", "gone")
        .annotate(n=Count("pk"))
    )
    sizes: dict[date, int] = {}
    left_by: dict[date, dict[date, int]] = {}
    for row in groups:
        cohort = row["cohort"].date()
        sizes[cohort] = sizes.get(cohort, 0) + row["n"]
        if row["gone"] is not None:
            leavers = left_by.setdefault(cohort, {})
            leavers[row["gone"].date()] = leavers.get(row["gone"].date(), 0) + row["n"]
    cohorts = []
    month = first_month
    while month <= last_month:
        size = sizes.get(month, 0)
        retained: list[float | None] = []
        offset = 0
        while add_months(month, offset) <= last_month or offset == 0:
            end = day_start(add_months(month, offset + 1))
            if end > now or not size:
                retained.append(None)
            else:
                left = sum(
                    n for gone, n in left_by.get(month, {}).items() if gone <= add_months(month, offset)
                )
                retained.append(100 * (size - left) / size)
            offset += 1
        cohorts.append(Cohort(month=month, size=size, retained=retained))
        month = add_months(month, 1)
    return cohorts


def _ledger_likes(first: date, last: date) -> tuple[QuerySet, dict]:
    """The system accounts' entries posted in the period, and the sums that give Likes issued and
    redeemed. The accounts are named by id: with their real row counts in the statistics, the
    database starts from the period's journals instead of every entry of the issued account."""
    from loyalty.ledger.models import Account, Entry
    from loyalty.ledger.services import system_account_id

    issued, redeemed = system_account_id(Account.Kind.ISSUED), system_account_id(Account.Kind.REDEEMED)
    entries = Entry.objects.filter(
        journal__posted_at__gte=day_start(first),
        journal__posted_at__lt=day_end(last),
        account_id__in=[issued, redeemed],
    )
    # The issued account goes down as Likes are created; the redeemed account goes up as they are spent.
    sums = {
        "issued": -Coalesce(Sum("amount", filter=Q(account_id=issued)), 0),
        "redeemed": Coalesce(Sum("amount", filter=Q(account_id=redeemed)), 0),
    }
    return entries, sums


def likes_by_day(first: date, last: date) -> dict[date, dict[str, int]]:
    """Likes issued and redeemed per day of the period, from the ledger (one grouped query)."""
    entries, sums = _ledger_likes(first, last)
    rows = (
        entries.annotate(day=TruncDate("journal__posted_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(**sums)
    )
    return {row.pop("day"): row for row in rows}


def likes_flow(first: date, last: date) -> dict[str, int]:
    """Likes issued to members and redeemed by them in the period.

    The days the nightly roll-up covers (``DailyLikes``: no gaps between its first and latest day)
    are summed from it; days outside it (today, or days before it began) come from the ledger.
    """
    covered = DailyLikes.objects.aggregate(first=Min("day"), last=Max("day"))
    flow = {"issued": 0, "redeemed": 0}
    live = [(first, last)]
    if covered["first"] is not None and covered["first"] <= last and covered["last"] >= first:
        rolled_first, rolled_last = max(first, covered["first"]), min(last, covered["last"])
        rolled = DailyLikes.objects.filter(day__gte=rolled_first, day__lte=rolled_last).aggregate(
            issued=Coalesce(Sum("issued"), 0), redeemed=Coalesce(Sum("redeemed"), 0)
        )
        flow = {key: flow[key] + rolled[key] for key in flow}
        live = [(first, rolled_first - timedelta(days=1)), (rolled_last + timedelta(days=1), last)]
    for live_first, live_last in live:
        if live_first <= live_last:
            entries, sums = _ledger_likes(live_first, live_last)
            counted = entries.aggregate(**sums)
            flow = {key: flow[key] + counted[key] for key in flow}
    return flow


def summary(first: date, last: date, *, members: QuerySet | None = None, touchpoint: str = "") -> dict:
    """The headline figures for a period: what the partner API and the admin's KPI panel show.

    ``members`` (a segment) narrows every figure but the Likes; ``touchpoint`` narrows the surveys.
    """
    retained = retention(first, last, members=members)
    promoters = nps(first, last, members=members, touchpoint=touchpoint)
    effort = ces(first, last, members=members, touchpoint=touchpoint)
    satisfaction = csat(first, last, members=members, touchpoint=touchpoint)
    return {
        "from": first,
        "to": last,
        "members": {"at_start": retained.start, "at_end": retained.end, "joined": retained.new},
        "retention_rate": retained.rate,
        "nps": {
            "score": promoters.score,
            "margin_of_error": promoters.margin,
            "responses": promoters.responses,
            "promoters": promoters.promoters,
            "passives": promoters.passives,
            "detractors": promoters.detractors,
        },
        "ces": {"mean": effort.mean, "easy_percent": effort.easy_percent, "responses": effort.responses},
        "csat": {"satisfied_percent": satisfaction.percent, "responses": satisfaction.responses},
        "likes": likes_flow(first, last),
    }
