"""Segments pick members from their data; the audience adds consent and opt-outs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from loyalty.emails.models import EmailOptOut, Segment
from loyalty.emails.services import audience, segment_members
from loyalty.insights.services import record_activity
from loyalty.ledger import services as ledger
from loyalty.members.services import leave_program
from tests.factories import MemberFactory
from tests.loyalty.emails.conftest import buy, consenting_member, make_campaign
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db


def matched(segment) -> set:
    return set(segment_members(segment).values_list("pk", flat=True))


def test_a_balance_range_matches_members_within_it():
    low, mid, high = MemberFactory(), MemberFactory(), MemberFactory()
    ledger.earn(member=mid, amount=150)
    ledger.earn(member=high, amount=900)

    segment = Segment.objects.create(name="Mid", min_balance=100, max_balance=500)

    assert matched(segment) == {mid.pk}
    assert low.pk not in matched(Segment.objects.create(name="Some", min_balance=1))


def test_purchased_categories_match_buyers_of_any_of_them_within_the_window(categories):
    plants, pots, old = MemberFactory(), MemberFactory(), MemberFactory()
    buy(plants, "plants")
    buy(pots, "pots")
    buy(old, "plants", days_ago=400)
    segment = Segment.objects.create(name="Plant people", categories_within_days=365)
    segment.purchased_categories.add(categories["plants"], categories["tools"])

    assert matched(segment) == {plants.pk}


def test_last_purchase_within_and_no_purchase_for(categories):
    recent, lapsed, never = MemberFactory(), MemberFactory(), MemberFactory()
    buy(recent, "plants", days_ago=3)
    buy(lapsed, "plants", days_ago=100)

    assert matched(Segment.objects.create(name="Recent", purchased_within_days=30)) == {recent.pk}
    assert matched(Segment.objects.create(name="Lapsed", no_purchase_for_days=60)) == {lapsed.pk, never.pk}


def test_engagement_means_ledger_activity_or_an_email_click():
    active, clicker, quiet = MemberFactory(), MemberFactory(), MemberFactory()
    ledger.earn(member=active, amount=10)
    record_activity(member=clicker, kind="email_click")
    old = MemberFactory()
    record_activity(member=old, kind="email_click", occurred_at=timezone.now() - timedelta(days=90))

    engaged = Segment.objects.create(name="Engaged", engagement="engaged", engaged_within_days=30)
    not_engaged = Segment.objects.create(name="Quiet", engagement="not", engaged_within_days=30)

    assert matched(engaged) == {active.pk, clicker.pk}
    assert matched(not_engaged) == {quiet.pk, old.pk}


def test_language_and_joined_within():
    dutch = MemberFactory(locale="nl")
    english = MemberFactory(locale="en")
    english.joined_at = timezone.now() - timedelta(days=40)
    english.save(update_fields=["joined_at"])

    assert matched(Segment.objects.create(name="NL", locale="nl")) == {dutch.pk}
    assert matched(Segment.objects.create(name="New", joined_within_days=30)) == {dutch.pk}


def test_personas_select_promoters_and_members_at_risk(categories):
    from loyalty.insights.models import EngagementSettings, PersonaSettings
    from loyalty.insights.services import record_survey_response

    set_site_setting(EngagementSettings, survey_weight=10)  # one answer makes a member highly engaged
    set_site_setting(PersonaSettings, ambassador_min_purchases=0)
    promoter, detractor, lapsed, other = MemberFactory(), MemberFactory(), MemberFactory(), MemberFactory()
    record_survey_response(member=promoter, kind="nps", score=10)
    record_survey_response(member=detractor, kind="nps", score=3)
    buy(lapsed, "plants", days_ago=200)

    assert matched(Segment.objects.create(name="Fans", personas=["ambassador"])) == {promoter.pk}
    assert matched(Segment.objects.create(name="Risk", personas=["at_risk"])) == {detractor.pk, lapsed.pk}
    assert other.pk not in matched(Segment.objects.create(name="Both", personas=["ambassador", "at_risk"]))


def test_an_empty_segment_matches_everyone():
    members = {MemberFactory().pk, MemberFactory().pk}
    assert matched(Segment.objects.create(name="All")) == members


def test_the_audience_needs_consent_membership_and_no_opt_out():
    yes = consenting_member()
    no_consent = MemberFactory()
    opted_out = consenting_member()
    EmailOptOut.objects.create(member=opted_out, kind="tips")
    left = consenting_member()
    leave_program(member=left)
    campaign = make_campaign(kind="tips")

    assert set(audience(campaign).values_list("pk", flat=True)) == {yes.pk}
    assert no_consent.pk not in set(audience(make_campaign(kind="news")).values_list("pk", flat=True))
    assert opted_out.pk in set(audience(make_campaign(kind="news")).values_list("pk", flat=True))


def test_a_segment_with_its_balance_range_upside_down_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="highest balance"):
        Segment(name="Wrong", min_balance=500, max_balance=100).full_clean()
    with pytest.raises(ValidationError, match="Unknown personas"):
        Segment(name="Wrong", personas=["vip"]).full_clean()
