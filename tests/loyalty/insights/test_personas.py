"""Personas from behaviour and the latest NPS answer, in the documented order, with editor thresholds."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from loyalty.insights.models import EngagementSettings, PersonaSettings
from loyalty.insights.personas import persona_flows, with_persona
from loyalty.insights.services import record_survey_response
from loyalty.ledger import services as ledger
from loyalty.members.models import Member
from loyalty.rewards.services import redeem_reward
from loyalty.rules.services import invite_code_for, record_purchase, record_referral
from tests.factories import MemberFactory, PurchaseRuleFactory, RewardFactory
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db


def persona_of(member) -> str:
    return with_persona(Member.objects.filter(pk=member.pk)).get().persona


def buy(member, days_ago: int, amount="10.00", reference=None):
    return record_purchase(
        member=member,
        partner="shop",
        order_reference=reference or f"{member.pk}-{days_ago}-{amount}",
        amount=amount,
        currency="EUR",
        occurred_at=timezone.now() - timedelta(days=days_ago),
    )


def test_a_new_member_is_not_yet_known():
    assert persona_of(MemberFactory()) == "other"


def regular_buyer(member=None):
    """Three purchases in the last two months: 9 engagement points (3 each), "low" by default."""
    member = member or MemberFactory()
    for days_ago in (5, 30, 60):
        buy(member, days_ago)
    return member


def test_an_engaged_promoter_who_buys_again_is_an_ambassador_and_a_detractor_is_at_risk():
    promoter, detractor, passive = regular_buyer(), MemberFactory(), regular_buyer()
    record_survey_response(member=promoter, kind="nps", score=9)  # 9 + 2 points: highly engaged
    record_survey_response(member=detractor, kind="nps", score=6)
    record_survey_response(member=passive, kind="nps", score=8)

    assert persona_of(promoter) == "ambassador"
    assert persona_of(detractor) == "at_risk"
    assert persona_of(passive) == "other"  # a regular buyer, but highly engaged: not passive


def test_a_promoter_is_not_an_ambassador_without_engagement_or_repeat_purchases():
    one_answer = MemberFactory()
    record_survey_response(member=one_answer, kind="nps", score=10)  # 2 points, no purchases
    assert persona_of(one_answer) == "other"

    set_site_setting(EngagementSettings, high_from=2)  # now highly engaged, but never bought
    assert persona_of(one_answer) == "other"

    buy(one_answer, 3)
    assert persona_of(one_answer) == "other"  # one purchase is not a repeat
    buy(one_answer, 2)
    assert persona_of(one_answer) == "ambassador"
    set_site_setting(PersonaSettings, ambassador_min_purchases=3)
    assert persona_of(one_answer) == "other"


def test_the_latest_answer_counts_and_old_answers_expire():
    member = regular_buyer()
    record_survey_response(
        member=member, kind="nps", score=2, occurred_at=timezone.now() - timedelta(days=30)
    )
    record_survey_response(member=member, kind="nps", score=10)
    assert persona_of(member) == "ambassador"

    old = MemberFactory()
    record_survey_response(member=old, kind="nps", score=10, occurred_at=timezone.now() - timedelta(days=400))
    assert persona_of(old) == "other"


def test_bringing_in_a_friend_counts_as_promoting():
    referrer, friend = regular_buyer(), MemberFactory()
    record_referral(member=friend, code=invite_code_for(referrer))
    assert persona_of(referrer) == "passive_loyalist"  # 9 points: not engaged enough yet

    set_site_setting(EngagementSettings, high_from=9)
    assert persona_of(referrer) == "ambassador"


def test_a_lapsed_buyer_is_at_risk_even_if_they_once_were_a_promoter():
    member = MemberFactory()
    buy(member, days_ago=120)
    record_survey_response(member=member, kind="nps", score=10)

    assert persona_of(member) == "at_risk"


def test_regular_buyers_with_low_engagement_are_passive_loyalists_and_the_thresholds_are_the_editors():
    member = regular_buyer()
    assert persona_of(member) == "passive_loyalist"
    record_survey_response(member=member, kind="nps", score=7)
    set_site_setting(EngagementSettings, survey_weight=0)  # the answer adds no engagement points
    assert persona_of(member) == "passive_loyalist"  # a passive answer keeps them there

    set_site_setting(PersonaSettings, loyalist_min_purchases=4)
    assert persona_of(member) == "other"


def test_a_highly_engaged_regular_buyer_is_not_a_passive_loyalist():
    member = regular_buyer()
    set_site_setting(EngagementSettings, high_from=9)
    assert persona_of(member) == "other"


def test_members_who_redeem_most_of_what_they_earn_with_low_engagement_are_price_shoppers():
    PurchaseRuleFactory()  # 10 Likes per euro
    shopper = MemberFactory()
    buy(shopper, 5, amount="10.00")  # 100 Likes, 3 points
    reward = RewardFactory(cost=80)
    redeem_reward(member=shopper, reward=reward)  # 2 points

    assert persona_of(shopper) == "price_shopper"
    set_site_setting(EngagementSettings, high_from=5)
    assert persona_of(shopper) == "other"  # engaged: not only here for the discount
    set_site_setting(EngagementSettings, high_from=10)
    set_site_setting(PersonaSettings, price_shopper_redeemed_percent=90)
    assert persona_of(shopper) == "other"


def test_personas_are_computed_for_many_members_in_one_query(django_assert_num_queries):
    for _ in range(5):
        ledger.earn(member=MemberFactory(), amount=5)

    members = with_persona(Member.objects.all())
    with django_assert_num_queries(1):
        assert len({member.persona for member in members}) == 1


def test_persona_flows_count_who_moved_where_between_two_moments():
    set_site_setting(EngagementSettings, high_from=1)  # one answer makes a member engaged
    set_site_setting(PersonaSettings, ambassador_min_purchases=0)
    ams = ZoneInfo("Europe/Amsterdam")
    changed, steady = MemberFactory(), MemberFactory()
    for member in (changed, steady):
        member.joined_at = datetime(2025, 6, 1, tzinfo=ams)
        member.save(update_fields=["joined_at"])
    record_survey_response(
        member=changed, kind="nps", score=10, occurred_at=datetime(2026, 1, 10, tzinfo=ams)
    )
    record_survey_response(member=changed, kind="nps", score=2, occurred_at=datetime(2026, 2, 10, tzinfo=ams))

    flows = persona_flows(datetime(2026, 2, 1, tzinfo=ams), datetime(2026, 3, 1, tzinfo=ams))

    assert flows == {("ambassador", "at_risk"): 1, ("other", "other"): 1}
