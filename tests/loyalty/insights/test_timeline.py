"""The member timeline: every source in one chronological view, for staff with member rights."""

import pytest

from loyalty.emails import services as emails
from loyalty.insights.services import record_survey_response
from loyalty.insights.timeline import member_timeline
from loyalty.members.services import set_marketing_consent
from loyalty.rules.services import record_purchase
from tests.conftest import grant
from tests.factories import UserFactory
from tests.loyalty.emails.conftest import make_campaign

pytestmark = pytest.mark.django_db


@pytest.mark.community
def test_the_timeline_merges_purchases_likes_posts_surveys_and_emails_newest_first(member, other_member):
    from community.services import write_comment, write_post

    set_marketing_consent(member=member, consent=True)
    record_purchase(member=member, partner="Shop X", order_reference="A-1", amount="12.50", currency="EUR")
    post = write_post(author=member, title="My first run", body="Great")
    write_comment(post=post, author=member, body="Thanks all")
    record_survey_response(member=member, kind="nps", score=6, comment="Delivery was late")
    campaign = make_campaign([{"type": "greeting", "value": "Hi {first_name}"}], name="Spring tips")
    emails.launch(campaign)
    emails.deliver_batch(campaign.pk)

    events = member_timeline(member)

    kinds = [event.kind for event in events]
    assert {"Purchase", "Post", "Comment", "Survey answer", "Email sent"} <= set(kinds)
    assert [event.at for event in events] == sorted((event.at for event in events), reverse=True)
    survey = next(event for event in events if event.kind == "Survey answer")
    assert (survey.text, survey.detail) == ("NPS 6", "Delivery was late")
    assert not any(event.text == "Spring tips" for event in member_timeline(other_member))


def test_staff_open_the_timeline_from_the_members_listing(client, editor, member):
    record_purchase(member=member, partner="Shop X", order_reference="A-1", amount="12.50", currency="EUR")
    client.force_login(editor)

    listing = client.get("/admin/loyalty/members/").content.decode()
    assert f"/admin/loyalty/members/{member.pk}/timeline/" in listing
    page = client.get(f"/admin/loyalty/members/{member.pk}/timeline/")
    assert page.status_code == 200 and "Shop X" in page.content.decode()


def test_the_timeline_needs_member_rights(client, member):
    client.force_login(grant(UserFactory(email="outsider@example.com"), "access_admin"))

    assert client.get(f"/admin/loyalty/members/{member.pk}/timeline/").status_code in (302, 403)


def test_an_unknown_member_has_no_timeline(client, editor):
    client.force_login(editor)

    assert client.get("/admin/loyalty/members/999999/timeline/").status_code == 404
