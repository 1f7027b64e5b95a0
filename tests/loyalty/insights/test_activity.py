"""The activity stream follows its sources: written with them, gone when they stop counting, rebuilt."""

from datetime import timedelta

import pytest
from django.utils import timezone

from loyalty.insights.activity import backfill
from loyalty.insights.models import Activity
from loyalty.insights.services import record_survey_response
from loyalty.ledger import services as ledger
from loyalty.rewards.services import cancel_redemption, redeem_reward
from loyalty.rules.services import record_purchase
from loyalty.sharing.services import share_likes
from tests.factories import MemberFactory, RewardFactory, UserFactory

pytestmark = pytest.mark.django_db


def stream():
    return sorted(Activity.objects.values_list("member_id", "kind", "reference"))


def test_what_members_do_is_written_to_the_stream_with_its_own_time():
    buyer, friend = MemberFactory(), MemberFactory()
    bought_at = timezone.now() - timedelta(days=3)
    purchase = record_purchase(
        member=buyer,
        partner="shop",
        order_reference="A-1",
        amount="5.00",
        currency="EUR",
        occurred_at=bought_at,
    )
    answer = record_survey_response(member=buyer, kind="nps", score=9)
    ledger.earn(member=buyer, amount=500)
    share = share_likes(sender=buyer, receiver=friend, amount=10)

    assert stream() == sorted(
        [
            (buyer.pk, "purchase", f"purchase:{purchase.pk}"),
            (buyer.pk, "survey_answer", f"survey_answer:{answer.pk}"),
            (buyer.pk, "share", f"share:{share.pk}"),
        ]
    )
    assert Activity.objects.get(kind="purchase").occurred_at == bought_at


@pytest.mark.community
def test_a_cancelled_redemption_and_a_heart_taken_back_no_longer_count():
    from community.services import toggle_heart, write_post

    member = MemberFactory()
    ledger.earn(member=member, amount=500)
    redemption = redeem_reward(member=member, reward=RewardFactory(cost=100))
    post = write_post(author=MemberFactory(), title="Hello", body="Hi")
    toggle_heart(member=member, post=post)
    assert {kind for member_id, kind, _ in stream() if member_id == member.pk} == {"redemption", "heart"}

    cancel_redemption(redemption=redemption, editor=UserFactory(), reason="Out of stock")
    toggle_heart(member=member, post=post)

    assert [kind for member_id, kind, _ in stream() if member_id == member.pk] == []
    assert [kind for _, kind, _ in stream()] == ["post"]


def test_backfill_rebuilds_the_stream_from_its_sources_once():
    member = MemberFactory()
    record_purchase(member=member, partner="shop", order_reference="A-1", amount="5.00", currency="EUR")
    record_survey_response(member=member, kind="ces", score=6)
    before = stream()
    Activity.objects.all().delete()

    backfill()
    backfill()  # a second run adds nothing

    assert stream() == before


@pytest.mark.community
def test_a_post_a_moderator_hides_stops_counting_until_it_is_restored():
    from community.moderation import hide, restore
    from community.services import write_post

    author, moderator = MemberFactory(), UserFactory()
    post = write_post(author=author, title="Cheap pills", body="Buy now")
    assert [kind for _, kind, _ in stream()] == ["post"]

    hide(target=post, moderator=moderator, reason="Spam")
    assert stream() == []
    restore(target=post, moderator=moderator, reason="Not spam after all")
    assert stream() == [(author.pk, "post", f"post:{post.pk}")]

    Activity.objects.all().delete()
    hide(target=post, moderator=moderator, reason="Spam after all")
    backfill()
    assert stream() == []  # the backfill leaves hidden posts out as well
