"""Which persona a member has, computed in SQL from their behaviour and their latest NPS answer.

The rule, in order (the first that fits wins), with the editor's thresholds (``PersonaSettings``):

1. **At risk**: the latest NPS answer (within the survey window) is a detractor's (0-6), or a
   member who bought before has not bought for ``at_risk_after_days``.
2. **Ambassador**: a promoter (latest NPS answer 9-10, or they brought in friends), *engaged*
   (engagement level "high") and a repeat buyer (``ambassador_min_purchases`` in the last year).
3. **Price shopper**: in the last year they redeemed at least the set share of the Likes their
   purchases earned (they are here for the discount), with *low engagement* (level "none" or "low").
4. **Passive loyalist**: they bought at least ``loyalist_min_purchases`` times in the window, their
   latest NPS answer is a passive's (7-8) or there is none, with *low engagement*.
5. **Not yet known**: everyone else (new members, occasional buyers, engaged members who are not
   promoters yet).

"Engaged" and "low engagement" are the levels of the editor's engagement definition
(``engagement.with_engagement``), measured at the same moment.
"""

from datetime import datetime, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from loyalty.ledger.conf import default_site_setting
from loyalty.members.models import Member
from loyalty.rewards.models import Redemption
from loyalty.rules.models import Purchase, Referral

from .engagement import with_engagement
from .metrics import count_per_member, per_member
from .models import Persona, PersonaSettings, SurveyResponse


def persona_settings() -> PersonaSettings:
    return default_site_setting(PersonaSettings)


def with_persona(members: QuerySet, *, at: datetime | None = None, prefix: str = "") -> QuerySet:
    """``members`` annotated with ``persona`` (a ``Persona`` value) and the signals behind it.

    ``prefix`` names the annotations (``then_persona``...), so two moments fit in one query.
    """
    at = at or timezone.now()
    config = persona_settings()

    def name(field: str) -> str:
        return f"{prefix}{field}"

    def q(field: str, lookup: str, value) -> Q:
        return Q(**{f"{name(field)}__{lookup}": value})

    latest_nps = (
        SurveyResponse.objects.filter(
            member=OuterRef("pk"),
            kind=SurveyResponse.Kind.NPS,
            occurred_at__gt=at - timedelta(days=config.survey_window_days),
            occurred_at__lte=at,
        )
        .order_by("-occurred_at", "-pk")
        .values("score")[:1]
    )
    purchases = Purchase.objects.filter(occurred_at__lte=at)
    year = at - timedelta(days=365)
    members = members.annotate(
        **{
            name("latest_nps"): Subquery(latest_nps, output_field=IntegerField()),
            name("last_purchase_at"): per_member(purchases, Max("occurred_at"), output=DateTimeField()),
            name("recent_purchases"): count_per_member(
                purchases.filter(occurred_at__gt=at - timedelta(days=config.loyalist_window_days))
            ),
            name("earned_year"): Coalesce(
                per_member(purchases.filter(occurred_at__gt=year), Sum("likes_earned")), 0
            ),
            name("redeemed_year"): Coalesce(
                per_member(
                    Redemption.objects.filter(created_at__gt=year, created_at__lte=at).exclude(
                        status=Redemption.Status.CANCELLED
                    ),
                    Sum("cost"),
                ),
                0,
            ),
            name("purchases_year"): count_per_member(purchases.filter(occurred_at__gt=year)),
            name("referred_friends"): count_per_member(
                Referral.objects.filter(created_at__lte=at), field="referrer"
            ),
        }
    )
    members = with_engagement(members, at=at, prefix=prefix)
    engaged = q("level", "exact", "high")
    lapsed = q("last_purchase_at", "isnull", False) & q(
        "last_purchase_at", "lt", at - timedelta(days=config.at_risk_after_days)
    )
    promoter = q("latest_nps", "gte", config.ambassador_min_nps)
    if config.ambassador_min_referrals:
        promoter |= q("referred_friends", "gte", config.ambassador_min_referrals)
    ambassador = promoter & engaged & q("purchases_year", "gte", config.ambassador_min_purchases)
    price_shopper = (
        q("earned_year", "gt", 0)
        & q("redeemed_year", "gt", 0)
        & q("redeemed_x100", "gte", F(name("earned_year")) * config.price_shopper_redeemed_percent)
        & ~engaged
    )
    passive_loyalist = (
        q("recent_purchases", "gte", config.loyalist_min_purchases)
        & (q("latest_nps", "isnull", True) | q("latest_nps", "lt", config.ambassador_min_nps))
        & ~engaged
    )
    return members.annotate(
        **{
            name("redeemed_x100"): F(name("redeemed_year")) * 100,
            name("persona"): Case(
                When(q("latest_nps", "lte", config.at_risk_max_nps) | lapsed, then=Value(Persona.AT_RISK)),
                When(ambassador, then=Value(Persona.AMBASSADOR)),
                When(price_shopper, then=Value(Persona.PRICE_SHOPPER)),
                When(passive_loyalist, then=Value(Persona.PASSIVE_LOYALIST)),
                default=Value(Persona.OTHER),
                output_field=CharField(),
            ),
        }
    )


def persona_flows(first_moment: datetime, second_moment: datetime, members: QuerySet | None = None) -> dict:
    """How many members moved from each persona at ``first_moment`` to each at ``second_moment``.

    One query: both personas are computed side by side for the members of both moments.
    """
    base = Member.objects.all() if members is None else members
    base = base.filter(joined_at__lt=first_moment)
    both = with_persona(with_persona(base, at=first_moment, prefix="then_"), at=second_moment, prefix="now_")
    rows = both.values("then_persona", "now_persona").annotate(n=Count("pk"))
    return {(row["then_persona"], row["now_persona"]): row["n"] for row in rows}


def in_personas(members: QuerySet, personas: list[str], *, at: datetime | None = None) -> QuerySet:
    """The members of ``members`` whose persona is one of ``personas``."""
    return with_persona(members, at=at).filter(persona__in=personas)
