"""manage.py loyalty_demo loads a working program (rules, rewards, members) and is safe to run again."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from community.models import CommunityIndexPage, Post
from loyalty.emails.models import Campaign, TipPage
from loyalty.insights.models import DailyLikes, MemberSnapshot, SnapshotTotal, Survey, SurveyResponse
from loyalty.ledger.audit import audit_ledger
from loyalty.members.models import Member
from loyalty.rewards.models import Reward
from loyalty.rules.models import EarningRule, Purchase

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_program_and_running_it_again_adds_nothing():
    out = StringIO()
    call_command("loyalty_demo", "--members", "40", "--months", "3", stdout=out)
    counts = (
        EarningRule.objects.count(),
        Reward.objects.count(),
        Member.objects.count(),
        Purchase.objects.count(),
        SurveyResponse.objects.count(),
        MemberSnapshot.objects.count(),
    )

    call_command("loyalty_demo", "--members", "40", "--months", "3", stdout=StringIO())

    assert counts == (
        EarningRule.objects.count(),
        Reward.objects.count(),
        Member.objects.count(),
        Purchase.objects.count(),
        SurveyResponse.objects.count(),
        MemberSnapshot.objects.count(),
    )
    # The Insights page has something to show at once: answers, the snapshots it reads, Likes per day.
    assert Survey.objects.filter(is_active=True).count() == 2 and counts[4] > 0
    assert SurveyResponse.objects.filter(kind="nps").exclude(comment="").exists()
    assert SnapshotTotal.objects.exists() and DailyLikes.objects.exists()
    assert counts[0] == 8 and Reward.objects.filter(is_active=True).count() == 4
    assert not Reward.objects.filter(title__startswith="Synthetic", is_active=True).exists()
    anna = Member.objects.get(user__email="anna@example.com")
    assert anna.purchases.get().likes_earned == 360 + 100  # 18.00 of plants at double Likes + first purchase
    assert "anna@example.com / demo-member-pass" in out.getvalue()
    assert audit_ledger() == []
    assert CommunityIndexPage.objects.count() == 1 and Post.objects.count() == 2
    assert Post.objects.filter(featured_at__isnull=False).count() == 1
    assert Campaign.objects.filter(status="active").count() == 2 and TipPage.objects.live().count() == 5
    editor = get_user_model().objects.get(email="editor@example.com")
    assert editor.has_perm("loyalty_insights.view_surveyresponse") and editor.has_perm(
        "community.change_post"
    )
