"""Engagement: a weighted count of what a member did in a window (the editor's definition), the level it
puts them in, and how loyalty differs between levels.

Levels: **none** (0 points), **low** (1 point up to the "highly engaged" threshold), **high**.
Everything is SQL over the activity stream (``activity.py``): one query annotates any number of
members; the comparisons are grouped aggregates and pure functions for the differences and their
95% confidence intervals.

What the comparison can and cannot say: engaged members may be more loyal *because* they were
loyal already. The difference is an association, not proof that engagement causes loyalty.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from loyalty.ledger.conf import default_site_setting
from loyalty.members.models import Member
from loyalty.rules.models import Purchase

from .metrics import Z_95, Nps, count_per_member, day_end, day_start, members_at, per_member
from .models import Activity, EngagementSettings, SurveyResponse

LEVELS = ("none", "low", "high")
LEVEL_LABELS = {
    "none": gettext_lazy("Not engaged"),
    "low": gettext_lazy("Low engagement"),
    "high": gettext_lazy("Highly engaged"),
}


def engagement_settings() -> EngagementSettings:
    return default_site_setting(EngagementSettings)


WEIGHTS = {  # Activity.Kind -> the EngagementSettings field with its points
    Activity.Kind.PURCHASE: "purchase_weight",
    Activity.Kind.POST: "post_weight",
    Activity.Kind.COMMENT: "comment_weight",
    Activity.Kind.HEART: "reaction_weight",
    Activity.Kind.SHARE: "share_weight",
    Activity.Kind.SURVEY_ANSWER: "survey_weight",
    Activity.Kind.EMAIL_CLICK: "email_click_weight",
    Activity.Kind.REDEMPTION: "redemption_weight",
}


def weights(config: EngagementSettings | None = None) -> dict[str, int]:
    """The points of each counted activity kind (a weight of 0 leaves the kind out)."""
    config = config or engagement_settings()
    return {kind: getattr(config, field) for kind, field in WEIGHTS.items() if getattr(config, field)}


def points_expression(points: dict[str, int]):
    """Each activity row's points, as a SQL expression over its ``kind``."""
    return Case(
        *[When(kind=kind, then=Value(weight)) for kind, weight in points.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def with_engagement(members: QuerySet, *, at: datetime, prefix: str = "") -> QuerySet:
    """``members`` annotated with ``engagement`` (points in the window before ``at``) and ``level``;
    ``prefix`` names them, so two moments fit in one query. One subquery over the activity stream."""
    config = engagement_settings()
    points = weights(config)
    window = Activity.objects.filter(
        kind__in=list(points),
        occurred_at__gte=at - timedelta(days=config.window_days),
        occurred_at__lt=at,
    )
    score = Coalesce(per_member(window, Sum(points_expression(points))), 0) if points else Value(0)
    name = f"{prefix}engagement"
    return members.annotate(
        **{
            name: score,
            f"{prefix}level": Case(
                When(Q(**{f"{name}__lte": 0}), then=Value("none")),
                When(Q(**{f"{name}__lt": config.high_from}), then=Value("low")),
                default=Value("high"),
                output_field=CharField(),
            ),
        }
    )


@dataclass(frozen=True)
class Proportion:
    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return 100 * self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class Difference:
    """A difference in points between two groups, with its 95% confidence interval."""

    value: float | None
    low: float | None
    high: float | None


def difference_of_proportions(a: Proportion, b: Proportion) -> Difference:
    if not a.whole or not b.whole:
        return Difference(None, None, None)
    p, q = a.part / a.whole, b.part / b.whole
    spread = Z_95 * math.sqrt(p * (1 - p) / a.whole + q * (1 - q) / b.whole)
    return Difference(100 * (p - q), 100 * (p - q - spread), 100 * (p - q + spread))


def difference_of_nps(a: Nps, b: Nps) -> Difference:
    if not a.responses or not b.responses:
        return Difference(None, None, None)

    def variance(result: Nps) -> float:
        p, d = result.promoters / result.responses, result.detractors / result.responses
        return max(p + d - (p - d) ** 2, 0) / result.responses

    spread = 100 * Z_95 * math.sqrt(variance(a) + variance(b))
    value = a.score - b.score
    return Difference(value, value - spread, value + spread)


@dataclass(frozen=True)
class LevelLoyalty:
    level: str
    members: int
    retention: Proportion  # members at the start still members at the end
    repeat: Proportion  # buyers in the period who bought again
    nps: Nps

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS.get(self.level, self.level))


def level_counts(first: date, last: date) -> dict[str, dict]:
    """Per engagement level at the start of the period (computed live): members then, still members at
    the end, buyers and repeat buyers in the period, and NPS answers by group. One grouped query over
    the members at the start, whatever their number."""
    start, end = day_start(first), day_end(last)
    bought = Purchase.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    answers = SurveyResponse.objects.filter(kind="nps", occurred_at__gte=start, occurred_at__lt=end)
    followed = with_engagement(Member.objects.filter(members_at(start)), at=start).annotate(
        purchases_in_period=count_per_member(bought),
        promoter_answers=count_per_member(answers.filter(score__gte=9)),
        passive_answers=count_per_member(answers.filter(score__in=[7, 8])),
        detractor_answers=count_per_member(answers.filter(score__lte=6)),
    )
    rows = followed.values("level").annotate(
        members=Count("pk"),
        retained=Count("pk", filter=members_at(end)),
        buyers=Count("pk", filter=Q(purchases_in_period__gte=1)),
        repeaters=Count("pk", filter=Q(purchases_in_period__gte=2)),
        promoters=Sum("promoter_answers"),
        passives=Sum("passive_answers"),
        detractors=Sum("detractor_answers"),
    )
    return {row.pop("level"): row for row in rows}


def loyalty_by_level(
    first: date, last: date, *, counts: dict[str, dict] | None = None
) -> dict[str, LevelLoyalty]:
    """Retention, repeat purchases and NPS in the period per engagement level (measured at its start).

    ``counts`` are ``level_counts``'s figures from elsewhere (the snapshots); without them they are
    computed live.
    """
    counts = level_counts(first, last) if counts is None else counts
    result = {}
    for level in LEVELS:
        row = {key: value or 0 for key, value in counts.get(level, {}).items()}
        promoters, passives, detractors = (row.get(key, 0) for key in ("promoters", "passives", "detractors"))
        result[level] = LevelLoyalty(
            level=level,
            members=row.get("members", 0),
            retention=Proportion(row.get("retained", 0), row.get("members", 0)),
            repeat=Proportion(row.get("repeaters", 0), row.get("buyers", 0)),
            nps=Nps(promoters + passives + detractors, promoters, passives, detractors),
        )
    return result


def engaged_versus_not(table: dict[str, LevelLoyalty]) -> dict[str, Difference]:
    """Highly engaged minus not engaged, in points, with 95% confidence intervals."""
    high, none = table["high"], table["none"]
    return {
        "retention": difference_of_proportions(high.retention, none.retention),
        "repeat": difference_of_proportions(high.repeat, none.repeat),
        "nps": difference_of_nps(high.nps, none.nps),
    }


def activity_retention(first: date, last: date) -> Proportion:
    """The activity-based view: of the members active in the window before the period starts, the share
    active again in the window before it ends ("active" = at least one counted activity)."""
    start, end = day_start(first), day_end(last)
    members = Member.objects.filter(members_at(start))
    both = with_engagement(with_engagement(members, at=start, prefix="then_"), at=end, prefix="now_")
    counts = both.aggregate(
        active=Count("pk", filter=Q(then_engagement__gt=0)),
        again=Count("pk", filter=Q(then_engagement__gt=0, now_engagement__gt=0)),
    )
    return Proportion(counts["again"], counts["active"])
